use super::*;

/// Each operation's first doc is told by the shape of its path and its method, as
/// `path_shape` makes it, and is held as the docs' own strings, not copies.
#[test]
fn an_operations_first_doc_is_held_by_its_own_strings() {
    let paths = [
        "/users/{id}",
        "/users/{name}",
        "/users/{id}/x",
        "/users/{}",
        "/users/é{a}b",
        "/users/é{b}b",
        "/users",
        "/users/{id",
    ];
    let mut firsts = FirstDocs::default();
    let rels: Vec<String> = (0..paths.len()).map(|i| format!("_a/{i}.md")).collect();
    let mut first_of: Vec<(String, &str)> = Vec::new();
    for (rel, path) in rels.iter().zip(paths) {
        let shape = path_shape(path);
        let want = first_of.iter().find(|(s, _)| *s == shape).map(|(_, i)| *i);
        let got = firsts.first(rel, path, "get");
        assert_eq!(got.map(|(_, p)| p), want, "{path}");
        if let Some((first, first_path)) = got {
            let at = paths.iter().position(|p| *p == first_path).unwrap();
            assert!(std::ptr::eq(first, rels[at].as_str()), "a copy of {first}");
            assert!(
                std::ptr::eq(first_path, paths[at]),
                "a copy of {first_path}"
            );
        } else {
            first_of.push((shape, path));
        }
        assert_eq!(
            firsts.first("_b/post.md", path, "post").is_none(),
            got.is_none()
        );
    }
    assert_eq!(first_of.len(), 4, "{first_of:?}");
}

/// The assembled text is exactly what serializing the whole tree compactly would give.
#[test]
fn document_text_is_the_compact_json_of_its_tree() {
    let config = Config::parse(
        "title: \"Shop \\\"API\\\"\"\nendpaper:\n  api_version: \"1.0\"\n",
        std::path::Path::new("_config.yml"),
    )
    .unwrap();
    let endpoint = |path: &str, method: &str, op: Value| Endpoint {
        path: path.into(),
        method: method.into(),
        operation: op.as_object().unwrap().clone(),
        note: None,
        stats: Stats {
            operations: 1,
            ..Stats::default()
        },
    };
    let op = |id: &str| {
        json!({
            "operationId": id,
            "description": "Line one\nline \"two\" <b>é</b>",
            "parameters": [{ "in": "path", "name": "id", "schema": { "type": "string" } }],
            "responses": { "200": { "description": "OK", "content": { "application/json": { "example": { "a": [], "b": {}, "c": [1, 2.5, null, true] } } } } },
            "x-codeSamples": [],
            "x-endpaper-audience": "public",
            "x-endpaper-source": format!("_a/{id}.md:3"),
        })
    };
    // Operations kept in a spool file, as a one-off build keeps them.
    let dir = tempfile::tempdir().unwrap();
    let spool = Spool::in_dir(dir.path());
    let spooled = |e: Endpoint, tag: &str| e.written(tag).into_operation(Path::new(""), &spool);
    let ops = [
        spooled(endpoint("/orders/{id}", "get", op("get-order")), "Orders"),
        spooled(
            endpoint("/orders/{id}", "delete", op("del-order")),
            "Orders",
        ),
        spooled(endpoint("/items", "post", op("add-item")), "Items \"new\""),
        // The same shape as the first: left out, with a note at its title line.
        spooled(
            endpoint("/orders/{uuid}", "get", op("again")),
            "Items \"new\"",
        ),
    ];
    let export = document(
        &config,
        "public",
        [
            (
                "Orders",
                vec![("_a/get.md", &ops[0]), ("_a/del.md", &ops[1])],
            ),
            ("Empty", vec![]),
            (
                "Items \"new\"",
                vec![("_b/add.md", &ops[2]), ("_b/again.md", &ops[3])],
            ),
        ],
        &spool,
    );
    assert!(matches!(ops[0].json, Chunk::Spooled { .. }));
    let tree = export.document();
    assert_eq!(
        export.json().unwrap(),
        serde_json::to_string(&tree).unwrap()
    );
    assert_eq!(
        tree["paths"]["/orders/{id}"]["delete"]["tags"],
        json!(["Orders"])
    );
    assert_eq!(
        tree["paths"]["/items"]["post"]["tags"],
        json!(["Items \"new\""])
    );
    assert_eq!(tree["paths"].as_object().unwrap().len(), 2);
    assert_eq!(export.stats.operations, 3);
    assert_eq!(export.notes.last().unwrap().pos.line, 3);

    let empty = document(
        &config,
        "public",
        Vec::<(&str, Vec<_>)>::new(),
        &Spool::memory(),
    );
    assert_eq!(empty.document()["paths"], json!({}));
    assert_eq!(
        empty.json().unwrap(),
        serde_json::to_string(&empty.document()).unwrap()
    );
}

/// A schema equal in two operations is written once, in `components/schemas`, named
/// after the first operation (in path order) that has it, and each operation points at
/// it; a schema of one operation stays where it is. The text is still the compact JSON
/// of its tree, and following each `$ref` gives back the operation as the doc wrote it.
#[test]
fn a_schema_equal_in_several_operations_is_written_once() {
    let config = Config::parse(
        "title: Shop\nendpaper:\n  api_version: \"1\"\n  security:\n    token:\n      type: apiKey\n      in: header\n      name: X-Key\n",
        std::path::Path::new("_config.yml"),
    )
    .unwrap();
    let order = json!({ "type": "object", "properties": { "id": { "type": "string" }, "note": { "type": "string", "description": "Said \"twice\" é" } } });
    let media = |schema: &Value| json!({ "application/json": { "schema": schema, "examples": { "r": { "summary": "R", "value": { "id": "1" } } } } });
    let op = |id: &str, request: Option<Value>| {
        let mut op = json!({
            "operationId": id,
            "responses": { "200": { "description": "OK", "content": media(&order) }, "404": { "description": "Gone" } },
            "x-endpaper-source": format!("_a/{id}.md:2"),
        });
        if let Some(r) = request {
            op["requestBody"] = json!({ "content": media(&r) });
        }
        Endpoint {
            path: format!("/{id}"),
            method: "post".into(),
            operation: op.as_object().unwrap().clone(),
            note: None,
            stats: Stats::default(),
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let spool = Spool::in_dir(dir.path());
    let unique = json!({ "type": "object", "properties": { "qty": { "type": "integer" } } });
    let written = [
        op("b-make", Some(unique.clone())),
        op("a-list", None),
        op("c-sum", None),
    ]
    .map(|e| e.written("Orders"));
    let plain: Vec<Value> = written
        .iter()
        .map(|w| serde_json::from_str(&w.json).unwrap())
        .collect();
    let ops = written.map(|w| w.into_operation(Path::new(""), &spool));
    let export = document(
        &config,
        "public",
        [("Orders", ops.iter().map(|o| ("_a/x.md", o)).collect())],
        &spool,
    );
    let tree = export.document();
    assert_eq!(
        export.json().unwrap(),
        serde_json::to_string(&tree).unwrap()
    );
    let schemas = tree["components"]["schemas"].as_object().unwrap();
    assert_eq!(schemas.keys().collect::<Vec<_>>(), ["a-list.200"]);
    assert_eq!(schemas["a-list.200"], order);
    assert_eq!(
        tree["components"]["securitySchemes"]["token"]["name"],
        "X-Key"
    );
    let at = |id: &str| &tree["paths"][format!("/{id}")]["post"];
    for id in ["a-list", "b-make", "c-sum"] {
        assert_eq!(
            at(id)["responses"]["200"]["content"]["application/json"]["schema"],
            json!({ "$ref": "#/components/schemas/a-list.200" })
        );
    }
    assert_eq!(
        at("b-make")["requestBody"]["content"]["application/json"]["schema"],
        unique
    );
    // Each `$ref` put back: the operations as they were written.
    for (id, plain) in ["b-make", "a-list", "c-sum"].iter().zip(plain) {
        let mut op = at(id).clone();
        op["responses"]["200"]["content"]["application/json"]["schema"] = order.clone();
        assert_eq!(op, plain);
    }
    // One operation alone: nothing shared, no `components` but its own.
    let export = document(
        &config,
        "public",
        [("Orders", vec![("_a/x.md", &ops[0])])],
        &spool,
    );
    let tree = export.document();
    assert!(tree["components"].get("schemas").is_none());
    assert_eq!(
        export.json().unwrap(),
        serde_json::to_string(&tree).unwrap()
    );
}

/// A one-operation change (longer, shorter, one added, one removed, a shared schema's
/// lender changed) keeps the last file's runs before and after it: the last document's
/// head and tail around the new chunks between them are the new document, and those
/// chunks are only the changed operation's and the text around it.
#[test]
fn a_splice_of_the_last_document_is_the_new_one() {
    let config = Config::parse(
        "title: Shop\nendpaper:\n  api_version: \"1\"\n",
        std::path::Path::new("_config.yml"),
    )
    .unwrap();
    let spool = Spool::memory();
    let op = |id: &str, words: &str| {
        let schema = json!({ "type": "object", "properties": { "id": { "type": "string" } } });
        let op = json!({
            "operationId": id,
            "description": words,
            "responses": { "200": { "description": "OK", "content": { "application/json": { "schema": schema } } } },
            "x-endpaper-source": format!("_a/{id}.md:2"),
        });
        let endpoint = Endpoint {
            path: format!("/{id}"),
            method: "get".into(),
            operation: op.as_object().unwrap().clone(),
            note: None,
            stats: Stats::default(),
        };
        let written = endpoint.written("Things");
        written.into_operation(Path::new(""), &spool)
    };
    let export = |ops: &[Operation]| {
        let docs = ops.iter().map(|o| ("_a/x.md", o)).collect();
        document(&config, "public", [("Things", docs)], &spool)
    };
    let ids = ["a", "b", "c", "d", "e"];
    let first: Vec<Operation> = ids.iter().map(|id| op(id, "Words.")).collect();
    let last = export(&first);
    let with = |i: usize, o: Option<Operation>| {
        let mut ops = first.clone();
        match o {
            Some(o) if i < ops.len() => ops[i] = o,
            Some(o) => ops.push(o),
            None => drop(ops.remove(i)),
        }
        ops
    };
    let cases = [
        (
            "longer",
            with(2, Some(op("c", "Many more words than before."))),
        ),
        ("shorter", with(3, Some(op("d", "W.")))),
        ("added", with(5, Some(op("f", "Words.")))),
        ("removed", with(1, None)),
        ("the lender", with(0, Some(op("a", "Other words.")))),
        ("the same", first.clone()),
    ];
    let old = last.json().unwrap();
    for (what, ops) in cases {
        let new = export(&ops);
        let s = new.splice(&last.layout()).unwrap();
        assert_eq!(s.old_len, old.len() as u64, "{what}");
        let (head, tail) = (s.head as usize, s.tail as usize);
        let mid = spool.concat(&new.chunks[s.mid.clone()]).unwrap();
        // Made as long as it is: never grown.
        assert_eq!(new.chunks.capacity(), new.chunks.len(), "{what}");
        let made = format!("{}{mid}{}", &old[..head], &old[old.len() - tail..]);
        assert_eq!(made, new.json().unwrap(), "{what}");
        // An operation's parts and the text before it, at most.
        assert!(s.mid.len() <= 4, "{what}: {s:?} of {}", new.chunks.len());
        assert!(
            head + tail >= old.len() / 2,
            "{what}: {s:?} of {}",
            old.len()
        );
        let same = what == "the same";
        assert_eq!(new.layout() == last.layout(), same, "{what}");
        if same {
            assert!(s.mid.is_empty() && head == old.len());
        }
    }
    assert!(last.splice(&[0; 25]).is_none(), "no layout");
}
