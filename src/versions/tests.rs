//! The comparison on made-up versions, and the helpers it stands on.

use super::shape::Shape;
use super::*;
use serde_json::json;

fn shape(method: &str, path: &str, op: Value) -> Shape {
    Shape::of(method, path, &op.to_string())
}

#[test]
fn words_are_no_change_but_parameters_responses_method_and_path_are() {
    let base = json!({
        "summary": "List orders",
        "parameters": [
            {"name": "limit", "in": "query", "schema": {"type": "integer"}, "description": "How many"},
            {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}
        ],
        "responses": {"200": {"description": "OK", "content": {"application/json": {
            "schema": {"type": "object"}, "examples": {"a": {"value": 1}}}}}},
        "x-endpaper-source": "_orders/list.md:2",
        "tags": ["Orders"]
    });
    let old = shape("get", "/orders/{id}", base.clone());
    let mut reworded = base.clone();
    reworded["summary"] = json!("All the orders");
    reworded["parameters"][0]["description"] = json!("At most this many");
    reworded["responses"]["200"]["content"]["application/json"]["examples"] =
        json!({"b": {"value": 2}});
    reworded["x-endpaper-source"] = json!("_v2_orders/list.md:9");
    // A path parameter renamed is the same path.
    let same = shape("get", "/orders/{uuid}", reworded);
    assert_eq!(same.changes_since(&old), Vec::<String>::new());

    let mut changed = base.clone();
    changed["parameters"][0]["schema"]["type"] = json!("string");
    changed["parameters"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "cursor", "in": "query"}));
    changed["responses"]["404"] = json!({"description": "Not found"});
    changed["requestBody"] = json!({"content": {}});
    let new = shape("post", "/v2/orders/{id}", changed);
    assert_eq!(
        new.changes_since(&old),
        [
            "method GET → POST",
            "path /orders/{id} → /v2/orders/{id}",
            "parameter `cursor` (query) added",
            "parameter `limit` (query) changed",
            "request body added",
            "response `404` added",
        ]
    );
    assert_eq!(
        old.changes_since(&new)[2..],
        [
            "parameter `limit` (query) changed",
            "parameter `cursor` (query) removed",
            "request body removed",
            "response `404` removed",
        ]
    );
}

fn item(anchor: &str, slug: &str, endpoint: Option<(&str, &str, Value)>) -> Item {
    Item {
        anchor: anchor.into(),
        slug: slug.into(),
        name: slug.replace('_', " "),
        display_title: slug.into(),
        shape: endpoint.map(|(m, p, op)| shape(m, p, op)),
    }
}

fn version(name: &str, path: &str, docs: &[&str]) -> Version {
    Version {
        name: name.into(),
        label: name.into(),
        path: path.into(),
        docs: docs.iter().map(|d| d.to_string()).collect(),
        date: None,
    }
}

/// v2 (the index) and v1 (`v1/index.html`): a shared guide, an endpoint the same in
/// both, one with a parameter more, one whose method and path changed under one doc id,
/// one added and one removed.
fn two_versions() -> Versions {
    let q = |names: &[&str]| json!({"parameters": names.iter().map(|n| json!({"name": n, "in": "query"})).collect::<Vec<_>>()});
    let items = vec![
        item("guide", "guide", None),
        item(
            "get2",
            "get",
            Some(("get", "/o/{id}", json!({"summary": "v2 words"}))),
        ),
        item(
            "get1",
            "get",
            Some(("get", "/o/{uuid}", json!({"summary": "v1 words"}))),
        ),
        item(
            "list2",
            "list",
            Some(("get", "/o", q(&["limit", "cursor"]))),
        ),
        item("list1", "list_v1", Some(("get", "/o", q(&["limit"])))),
        item(
            "ship2",
            "ship",
            Some(("post", "/o/{id}/shipments", json!({}))),
        ),
        item("ship1", "ship", Some(("put", "/o/{id}/ship", json!({})))),
        item("new2", "create", Some(("post", "/o", json!({})))),
        item("gone1", "delete", Some(("delete", "/o/{id}", json!({})))),
    ];
    Versions::compare(
        vec![
            version(
                "v2",
                "index.html",
                &["guide", "get2", "list2", "ship2", "new2"],
            ),
            version(
                "v1",
                "v1/index.html",
                &["guide", "get1", "list1", "ship1", "gone1"],
            ),
        ],
        &items,
    )
}

#[test]
fn endpoints_are_matched_by_method_and_path_else_doc_id_and_compared() {
    let v = two_versions();
    let row = |a: &str| -> Vec<Option<(String, Status)>> { v.rows[a].clone() };
    let at = |a: &str, s: Status| Some((a.to_string(), s));
    assert_eq!(
        row("guide"),
        [at("guide", Status::Same), at("guide", Status::First)]
    );
    // Another doc id, the same method and path: one endpoint; words are no change.
    assert_eq!(
        row("get1"),
        [at("get2", Status::Same), at("get1", Status::First)]
    );
    assert_eq!(
        row("list1")[0],
        at(
            "list2",
            Status::Changed(vec!["parameter `cursor` (query) added".into()])
        )
    );
    // Another method and path, one doc id: the same endpoint, changed.
    assert_eq!(
        row("ship2")[0],
        at(
            "ship2",
            Status::Changed(vec![
                "method PUT → POST".into(),
                "path /o/{id}/ship → /o/{id}/shipments".into()
            ])
        )
    );
    assert_eq!(row("new2"), [at("new2", Status::Added), None]);
    assert_eq!(row("gone1"), [None, at("gone1", Status::First)]);
    let log: Vec<(&str, &str)> = v.changes[0]
        .iter()
        .map(|c| (c.kind, c.what.as_str()))
        .collect();
    assert_eq!(
        log,
        [
            ("changed", "GET /o"),
            ("changed", "POST /o/{id}/shipments"),
            ("added", "POST /o"),
            ("removed", "DELETE /o/{id}"),
        ]
    );
    assert!(v.changes[1].is_empty());
    // Seen from v1's page: links to each counterpart, relative to that page.
    let seen = v.doc("list1", "v1/index.html").unwrap();
    assert_eq!(seen[0]["href"], "../index.html#list2");
    assert_eq!(seen[0]["status"], "changed");
    assert_eq!(
        (&seen[1]["href"], &seen[1]["current"]),
        (&json!("#list1"), &json!(true))
    );
    assert_eq!(v.switcher("v1/index.html")[0]["href"], "../index.html");
}

#[test]
fn a_link_into_a_version_the_doc_is_not_in_is_flagged() {
    let v = two_versions();
    let link = |dest: &str| Link {
        dest: dest.into(),
        file: std::path::Path::new("_v1/list.md").into(),
        pos: Pos::new(3, 4),
    };
    let links = [
        link("#new2"),
        link("#get1"),
        link("#guide"),
        link("../index.html#list2"),
        link("https://x.io/#new2"),
    ];
    let found = v.link_findings(links.iter().map(|l| ("list1", l)), Severity::Error);
    let dests: Vec<&str> = found
        .iter()
        .map(|d| d.message.split('`').nth(1).unwrap())
        .collect();
    assert_eq!(dests, ["#list2", "#new2"]);
    assert!(found
        .iter()
        .all(|d| d.code == CROSS_VERSION && d.severity == Severity::Error));
    // From a doc both versions have, nothing is out of reach.
    assert!(v
        .link_findings(links.iter().map(|l| ("guide", l)), Severity::Error)
        .is_empty());
}

#[test]
fn version_names_and_their_order() {
    for yes in ["v1", "V2", "1.0", "v2.1-beta", "2024-01"] {
        assert!(is_version_name(yes), "{yes}");
    }
    for no in ["internal", "index", "v", "vintage", ""] {
        assert!(!is_version_name(no), "{no}");
    }
    let mut names = vec!["v1", "v10", "v9", "v2.1", "v2.0"];
    names.sort_by(|a, b| newest_first(a, b));
    assert_eq!(names, ["v10", "v9", "v2.1", "v2.0", "v1"]);
    assert_eq!(page_stem("v1/index.html"), Some("v1"));
    assert_eq!(page_stem("v1.html"), Some("v1"));
    assert_eq!(page_stem("docs/v1/index.html"), None);
}

#[test]
fn feed_dates_are_rfc3339() {
    assert_eq!(
        rfc3339("2024-05-01").as_deref(),
        Some("2024-05-01T00:00:00Z")
    );
    assert_eq!(
        rfc3339("2024-05-01T10:00:00+02:00").as_deref(),
        Some("2024-05-01T10:00:00+02:00")
    );
    for bad in ["May 2024", "2024-5-1", "2024-05-01 10:00"] {
        assert_eq!(rfc3339(bad), None, "{bad}");
    }
}
