//! "Try it" with the site's security schemes, as the build writes it: the schemes and the
//! proxy on the page for `tryit.js`, a doc's own schemes on its article and in its OpenAPI
//! operation, and `oauth2-redirect.html` (only for an authorization-code flow, overridable).
//! What the reader does with them is `tests/browser/auth.test.js`.

use crate::common::{self, fixture};

#[test]
fn the_page_carries_the_schemes_and_a_docs_own_ones() {
    let (site, _) = fixture("tryit-auth");
    let out = site.endpaper(&["build", "."]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    // The misspelt scheme is dropped where the doc names it, and said so.
    let said = common::stderr(&out);
    assert!(
        said.contains("_orders/cancel_order.md:5:1")
            && said.contains("`security:` names `singin`, no security scheme of `endpaper: security:` (known: key, signin), so it is left out; did you mean `signin`?"),
        "{said}"
    );
    let html = site.read_out("index.html");
    let root = &html[html.find("<html").unwrap()..];
    let root = &root[..root.find('>').unwrap()];
    assert!(
        root.contains(r#"data-tryit="{&quot;client_id&quot;:&quot;ferry-docs&quot;"#),
        "{root}"
    );
    assert!(
        root.contains("data-security=\"{&quot;key&quot;:{&quot;in&quot;:&quot;header&quot;"),
        "{root}"
    );
    assert!(
        root.contains("&quot;variables&quot;:[{&quot;default&quot;:&quot;north&quot;"),
        "{root}"
    );
    let cancel = common::element(&html, "orderscancel_order");
    assert!(
        cancel.contains(r#"data-method="post" data-security="key">"#),
        "{cancel}"
    );
    let get = common::element(&html, "ordersget_order");
    assert!(
        !get.contains("data-security"),
        "the site's schemes apply: {get}"
    );

    let spec: serde_json::Value = serde_json::from_str(&site.read_out("openapi.json")).unwrap();
    assert_eq!(
        spec["paths"]["/orders/{id}/cancel"]["post"]["security"],
        serde_json::json!([{"key": []}])
    );
    assert!(spec["paths"]["/orders/{id}"]["get"]
        .get("security")
        .is_none());
    assert_eq!(
        spec["servers"][0]["variables"],
        serde_json::json!({"region": {"default": "north", "enum": ["north", "south"]}})
    );
}

#[test]
fn the_redirect_page_is_written_for_an_authorization_code_flow_and_may_be_overridden() {
    let (site, _) = fixture("tryit-auth");
    site.build(&[]);
    let page = site.read_out("oauth2-redirect.html");
    assert!(
        page.contains("<title>Signing in — Ferry Orders</title>"),
        "{page}"
    );
    assert!(
        page.contains(r#"<script src="assets/tryit.js"></script>"#)
            && page.contains("window.endpaperOAuth2Redirect("),
        "{page}"
    );

    site.write(
        "_endpaper/templates/oauth2-redirect.html",
        "<!DOCTYPE html><title>{{ site.title }} sign-in</title><script src=\"assets/tryit.js\"></script>\n",
    );
    site.build(&[]);
    assert_eq!(
        site.read_out("oauth2-redirect.html"),
        "<!DOCTYPE html><title>Ferry Orders sign-in</title><script src=\"assets/tryit.js\"></script>\n"
    );

    // Without an authorization-code flow there is no sign-in to come back to.
    let config = std::fs::read_to_string(site.path().join("_config.yml")).unwrap();
    site.write(
        "_config.yml",
        &config.replace(
            "authorizationCode:\n          authorizationUrl: https://id.ferry.example/authorize\n",
            "clientCredentials:\n",
        ),
    );
    site.build(&[]);
    assert!(!site.out().join("oauth2-redirect.html").exists());
}

#[test]
fn an_oauth2_flow_without_its_urls_is_a_located_error() {
    let (site, _) = fixture("tryit-auth");
    let config = std::fs::read_to_string(site.path().join("_config.yml")).unwrap();
    site.write(
        "_config.yml",
        &config.replace(
            "          authorizationUrl: https://id.ferry.example/authorize\n",
            "",
        ),
    );
    let out = site.endpaper(&["build", "."]);
    assert_eq!(out.status.code(), Some(1));
    let err = common::stderr(&out);
    assert!(
        err.contains("config error: security scheme `signin`: the `authorizationCode` flow needs `authorizationUrl:`")
            && err.contains("_config.yml:19:9"),
        "{err}"
    );
    assert!(!site.out().exists(), "nothing written");
}

/// An imported spec's server variables become its environment's, an operation's security
/// its doc's `security:` (scopes said to be lost), and the export gives them back.
#[test]
fn the_import_carries_server_variables_and_an_operations_schemes_back_to_the_export() {
    let (site, _) = fixture("tryit-import");
    let out = site.endpaper(&["import", "openapi", "ferry.yaml", "docs"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let said = common::stderr(&out);
    assert!(
        said.contains("`security`: its scopes are not carried into the site")
            && said.contains("ferry.yaml:26:7"),
        "{said}"
    );
    let docs = site.path().join("docs");
    let out = common::endpaper_at(&["build", "-q"], &docs);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(docs.join("_site/openapi.json")).unwrap())
            .unwrap();
    assert_eq!(
        spec["servers"][0]["variables"],
        serde_json::json!({"region": {"default": "north", "enum": ["north", "south"]}})
    );
    assert_eq!(
        spec["paths"]["/sailings"]["get"]["security"],
        serde_json::json!([])
    );
    assert_eq!(
        spec["paths"]["/bookings"]["post"]["security"],
        serde_json::json!([{"signin": []}])
    );
    assert_eq!(
        spec["security"],
        serde_json::json!([{"key": []}, {"signin": []}])
    );
}
