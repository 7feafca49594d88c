use super::*;

/// A site of one doc, loaded (not yet modelled).
fn one_doc_site(text: &str) -> (tempfile::TempDir, LoadedSite) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("_config.yml"), "title: t\n").unwrap();
    std::fs::create_dir(dir.path().join("_api")).unwrap();
    std::fs::write(dir.path().join("_api/a.md"), text).unwrap();
    let site = crate::load::load(dir.path(), None).unwrap();
    (dir, site)
}

#[test]
fn a_docs_security_keeps_the_sites_schemes_and_warns_at_the_others() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("_config.yml"),
        "title: t\nendpaper:\n  security:\n    basic: {type: http, scheme: basic}\n    key: {type: apiKey, in: header, name: K}\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("_api")).unwrap();
    let doc = |security: &str| {
        std::fs::write(
            dir.path().join("_api/a.md"),
            format!("---\ntitle: /a\nmethod: get\n{security}\n---\nBody.\n"),
        )
        .unwrap();
        let site = crate::load::load(dir.path(), None).unwrap();
        let m = build(&site, "public", Texts::Held);
        let kept = m.sections[0].docs[0].fm.map().get("security").cloned();
        let said: Vec<String> = m
            .diagnostics
            .iter()
            .map(|d| format!("{}:{} {} {}", d.pos.line, d.pos.col, d.code, d.message))
            .collect();
        (kept, said)
    };
    let (kept, said) = doc("security: [key, basc]");
    assert_eq!(kept, Some(serde_json::json!(["key"])));
    assert_eq!(
        said,
        ["4:1 unknown-security-scheme `security:` names `basc`, no security scheme of `endpaper: security:` (known: basic, key), so it is left out; did you mean `basic`?"]
    );
    let (kept, said) = doc("security: key");
    assert_eq!((kept, said.len()), (Some(serde_json::json!("key")), 0));
    let (kept, said) = doc("security: {basic: [read]}");
    assert_eq!(kept, None);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].starts_with("4:1 unknown-security-scheme"),
        "{said:?}"
    );
}

#[test]
fn a_reread_text_holds_its_front_matter_and_reads_its_body_again_verified() {
    let text = "---\ntitle: /a\nname: A\n---\nThe body.\n";
    let (dir, site) = one_doc_site(text);
    let held = build(&site, "public", Texts::Held);
    let reread = build(&site, "public", Texts::Reread);
    let (h, r) = (&held.sections[0].docs[0], &reread.sections[0].docs[0]);
    let front = "---\ntitle: /a\nname: A\n---\n";
    assert_eq!(r.front_hash(), blake3::hash(front.as_bytes()));
    assert_eq!(h.front_hash(), r.front_hash());
    assert_eq!((h.title_line, r.title_line), (2, 2));
    assert_eq!(&*r.text().unwrap(), text);
    assert_eq!(r.body().unwrap(), "The body.\n");
    // Held or read again, a text is known by its hash.
    assert_eq!(h.text_hash(), blake3::hash(text.as_bytes()));
    assert_eq!(h.text_hash(), r.text_hash());

    // Edited after the model read it: the doc is not made of two versions.
    std::fs::write(dir.path().join("_api/a.md"), text.replace("The", "A new")).unwrap();
    let e = r.text().unwrap_err();
    assert_eq!(
        e.to_string(),
        "_api/a.md:1:1: changed while building; build again"
    );
    assert_eq!(
        &*h.text().unwrap(),
        text,
        "a held text is what the model read"
    );
    std::fs::remove_file(dir.path().join("_api/a.md")).unwrap();
    assert!(r.body().is_err());
}

#[test]
fn a_doc_the_model_cannot_read_is_a_located_error_among_the_others() {
    let (dir, _) = one_doc_site("---\ntitle: /a\n---\nok\n");
    std::fs::write(dir.path().join("_api/b.md"), b"---\ntitle: /b\n---\n\xff\n").unwrap();
    std::fs::write(dir.path().join("_api/c.md"), "---\ntitle: [\n---\n").unwrap();
    let site = crate::load::load(dir.path(), None).unwrap();
    let model = build(&site, "public", Texts::Reread);
    let errors: Vec<String> = model.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("_api/b.md:4:1: not valid UTF-8"),
        "{errors:?}"
    );
    let rels: Vec<&str> = model.sections[0]
        .docs
        .iter()
        .map(|d| d.rel.as_str())
        .collect();
    assert_eq!(
        rels,
        ["_api/a.md", "_api/c.md"],
        "the others are still built"
    );
}

#[test]
fn front_matter_defaults_apply_by_scope_and_yield_to_the_doc() {
    let cfg: Map<String, Value> = serde_json::from_value(serde_json::json!({"defaults": [
        {"scope": {"path": ""}, "values": {"layout": "default", "visibility": "public"}},
        {"scope": {"type": "api"}, "values": {"_hide_content": true, "visibility": "internal"}},
        {"scope": {"path": "_api/v2", "type": "api"}, "values": {"badge": "v2"}},
    ]}))
    .unwrap();
    let d = Defaults::from_config(&cfg);
    let own: Map<String, Value> =
        serde_json::from_value(serde_json::json!({"title": "x", "badge": "mine"})).unwrap();
    let api = d.apply("_api/v2/a.md", "api", own);
    assert_eq!(api["visibility"], "internal");
    assert_eq!(api["_hide_content"], true);
    assert_eq!(api["badge"], "mine", "the doc's own value wins");
    let other = d.apply("_docs/a.md", "docs", Map::new());
    assert_eq!(other["visibility"], "public");
    assert!(other.get("_hide_content").is_none());
}

#[test]
fn anchors_follow_jekyll_ids() {
    // Without permalinks, the id is the path in the collection's folder.
    let anchor_for = |rel: &str| {
        let label = rel[1..].split('/').next().unwrap();
        let t = Templates::from_config(&Map::new(), liquid_core::model::DateTime::now());
        let place = url::doc_url(rel, label, &Map::new(), t.of(label), t.time, true).unwrap();
        anchor_of_id(&place.id)
    };
    assert_eq!(anchor_for("_files/upload.md"), "filesupload");
    assert_eq!(
        anchor_for("_discovery_retailer/get_requested_connection_detail.md"),
        "discovery_retailerget_requested_connection_detail"
    );
    assert_eq!(anchor_for("_api/v1.2/list.orders.md"), "apiv12listorders");
}

#[test]
fn untitled_docs_are_titled_from_their_file_name_like_jekyll() {
    assert_eq!(
        title_from_file_name("_documentation/overview1.01.md"),
        "Overview1.01"
    );
    assert_eq!(
        title_from_file_name("_api/get-ORDER-list.md"),
        "Get Order List"
    );
    assert_eq!(title_from_file_name("_api/get_order.md"), "Get_order");
    assert_eq!(title_from_file_name("_docs/versioning"), "Versioning");
    assert_eq!(
        title_from_file_name("_news/2019-03-01-launch-day.md"),
        "Launch Day"
    );
    assert_eq!(title_from_file_name("_docs/end..md"), "End");
}

#[test]
fn audience_never_downgrades_to_public() {
    assert_eq!(audience("", ""), "public");
    assert_eq!(audience("internal", ""), "internal");
    assert_eq!(audience("", "internal"), "internal");
    assert_eq!(audience("public", "internal"), "internal");
    assert_eq!(audience("internal", "public"), "internal");
    assert_eq!(audience("future", "internal"), "future");
}

#[test]
fn entities_decode_with_and_without_semicolons() {
    assert_eq!(decode_entities("/r/&ltuuid&gt/"), "/r/<uuid>/");
    assert_eq!(
        decode_entities("&lt;order_uuid&gt &amp; &#65;&#x42; & done"),
        "<order_uuid> & AB & done"
    );
}

#[test]
fn a_front_matter_changed_before_it_is_read_again_fails_the_build_located() {
    let text = "---\ntitle: /a\nname: A\n---\nThe body.\n";
    let (dir, site) = one_doc_site(text);
    let model = build(&site, "public", Texts::Reread);
    let doc = &model.sections[0].docs[0];
    // As a record from the store leaves it: the pages' part held, the rest read when asked.
    let page = Arc::new(page_part(&doc.fm.map()));
    let unread = |front: &str| Unread {
        path: dir.path().join("_api/a.md").into(),
        rel: doc.rel.clone(),
        collection: "api".into(),
        front_hash: blake3::hash(front.as_bytes()),
        page: Arc::clone(&page),
        context: Arc::clone(model.context.as_ref().unwrap()),
    };
    let fm = |u| FrontMatter(std::sync::RwLock::new(Fm::Unread(Arc::new(u))));
    let front = "---\ntitle: /a\nname: A\n---\n";
    assert_eq!(fm(unread(front)).map()["name"], "A");
    assert_eq!(model.changed(), None, "the file is the one the model read");

    std::fs::write(dir.path().join("_api/a.md"), text.replace("A\n", "B\n")).unwrap();
    let changed = fm(unread(front));
    // No panic: the reader gets the part kept, and the model remembers why it must fail.
    assert_eq!(changed.map(), page);
    assert_eq!(
        model.changed().map(|e| e.to_string()),
        Some("_api/a.md:1:1: changed while building; build again".to_string())
    );
}

#[test]
fn a_docs_record_is_keyed_by_the_stamps_stat_of_it_when_given_not_statted_again() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let raw = RawDoc {
        collection: "a".into(),
        rel: "Cargo.toml".into(),
        text: None,
    };
    let config = [7u8; 32];
    let meta = std::fs::metadata(root.join("Cargo.toml")).unwrap();
    let statted = record::stat_key(&config, (&root.join("Cargo.toml"), None), &raw);
    // The path is not looked at when its stat is given: a missing file keys as the stat.
    let missing = root.join("no such file");
    let given = record::stat_key(&config, (&missing, Some(&meta)), &raw);
    assert_eq!(given, statted);
    assert_eq!(record::stat_key(&config, (&missing, None), &raw), None);
    let old = !crate::store::recent(crate::store::stat_into(&mut Default::default(), &meta));
    assert_eq!(given.is_some(), old, "a stat older than RACY is trusted");
}
