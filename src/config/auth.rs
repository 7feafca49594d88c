//! The parts of `_config.yml` that say how requests authenticate and where they go: the
//! `security:` schemes (the OpenAPI export's and the "Try it" panel's one list), a doc's own
//! `security:` names, an environment's server variables and `tryit:`.

use super::is_web_url;
use crate::error::{Pos, SourceError};
use crate::frontmatter;
use serde_json::{Map, Value};
use std::path::Path;

/// A `{name}` of an environment's URL the reader fills in, as an OpenAPI server variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerVariable {
    pub name: String,
    pub default: String,
    /// The values the reader picks from; empty when any value goes.
    pub values: Vec<String>,
    pub description: String,
}

/// How the "Try it" panel sends requests and signs in (`endpaper: tryit:`), beside the
/// schemes of `security:`. All empty by default.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TryIt {
    /// A CORS proxy the panel may send requests through: the target URL replaces `{url}`
    /// (encoded), or is appended to the proxy URL when it has no `{url}`.
    pub proxy: String,
    /// The OAuth2 client id the panel starts with (the reader may change it).
    pub client_id: String,
    /// The OAuth2 redirect URI registered with the authorization server; empty: the
    /// site's own `oauth2-redirect.html`, beside the page.
    pub redirect_url: String,
}

/// `security:` maps a name to an OpenAPI security scheme (`type: apiKey`, `in: header`,
/// `name: Authorization`), checked for the fields its type needs; an OAuth2 scheme's flows
/// for the URLs each needs (the "Try it" panel signs in with them).
pub(super) fn security(
    v: &Value,
    path: &Path,
    text: &str,
) -> Result<Map<String, Value>, SourceError> {
    let shape = "`endpaper.security` maps a name to an OpenAPI security scheme, e.g. `token: {type: apiKey, in: header, name: Authorization}`";
    let err = |keys: &[&str], msg: String| {
        let mut at = vec!["endpaper", "security"];
        at.extend_from_slice(keys);
        SourceError::new(path, nested_key_pos(text, &at), msg)
    };
    let m = match v {
        Value::Null => return Ok(Map::new()),
        Value::Object(m) => m,
        _ => return Err(err(&[], shape.into())),
    };
    for (name, scheme) in m {
        let field = |k: &str| scheme.get(k).and_then(Value::as_str).map(str::trim);
        let needs: &[&str] = match field("type") {
            Some("apiKey") => &["name", "in"],
            Some("http") => &["scheme"],
            Some("openIdConnect") => &["openIdConnectUrl"],
            Some("oauth2") => &[],
            Some("mutualTLS") => &[],
            _ => {
                return Err(err(
                    &[name],
                    format!("security scheme `{name}` needs a `type:` of apiKey, http, oauth2, openIdConnect or mutualTLS"),
                ))
            }
        };
        if let Some(missing) = needs.iter().find(|k| field(k).is_none_or(str::is_empty)) {
            return Err(err(
                &[name],
                format!("security scheme `{name}` needs `{missing}:`"),
            ));
        }
        if field("type") == Some("apiKey")
            && !matches!(field("in"), Some("header" | "query" | "cookie"))
        {
            return Err(err(
                &[name, "in"],
                format!("security scheme `{name}`: `in:` must be header, query or cookie"),
            ));
        }
        if field("type") == Some("oauth2") {
            let Some(flows) = scheme.get("flows").and_then(Value::as_object) else {
                return Err(err(
                    &[name],
                    format!("security scheme `{name}` needs `flows:`"),
                ));
            };
            oauth2_flows(name, flows, &err)?;
        }
    }
    Ok(m.clone())
}

/// The URLs each OAuth2 flow needs (OpenAPI's OAuth Flow Object), and its `scopes:` map.
fn oauth2_flows(
    name: &str,
    flows: &Map<String, Value>,
    err: &dyn Fn(&[&str], String) -> SourceError,
) -> Result<(), SourceError> {
    if flows.is_empty() {
        return Err(err(
            &[name, "flows"],
            format!("security scheme `{name}` needs a flow under `flows:` (authorizationCode, clientCredentials, implicit or password)"),
        ));
    }
    for (flow, spec) in flows {
        let needs: &[&str] = match flow.as_str() {
            "authorizationCode" => &["authorizationUrl", "tokenUrl"],
            "clientCredentials" | "password" => &["tokenUrl"],
            "implicit" => &["authorizationUrl"],
            _ => {
                return Err(err(
                    &[name, "flows", flow],
                    format!("security scheme `{name}`: unknown OAuth2 flow `{flow}` (known: authorizationCode, clientCredentials, implicit, password)"),
                ))
            }
        };
        let at = [name, "flows", flow.as_str()];
        for key in needs {
            match spec.get(*key).and_then(Value::as_str).map(str::trim) {
                Some(url) if is_web_url(url) => {}
                Some(url) => {
                    return Err(err(
                        &[name, "flows", flow, key],
                        format!("security scheme `{name}`: `{flow}.{key}` must be an http(s) URL, not `{url}`"),
                    ))
                }
                None => {
                    return Err(err(
                        &at,
                        format!("security scheme `{name}`: the `{flow}` flow needs `{key}:`"),
                    ))
                }
            }
        }
        if !spec.get("scopes").is_some_and(Value::is_object) {
            return Err(err(
                &at,
                format!("security scheme `{name}`: the `{flow}` flow needs `scopes:`, a map of scope to description (`{{}}` for none)"),
            ));
        }
    }
    Ok(())
}

/// `tryit:` holds `proxy:`, `client_id:` and `redirect_url:`.
pub(super) fn tryit(v: &Value, path: &Path, text: &str) -> Result<TryIt, SourceError> {
    let err = |keys: &[&str], msg: String| {
        let mut at = vec!["endpaper", "tryit"];
        at.extend_from_slice(keys);
        SourceError::new(path, nested_key_pos(text, &at), msg)
    };
    let mut t = TryIt::default();
    let m = match v {
        Value::Null => return Ok(t),
        Value::Object(m) => m,
        _ => {
            return Err(err(
                &[],
                "`endpaper.tryit` is a mapping of `proxy:`, `client_id:` and `redirect_url:`"
                    .into(),
            ))
        }
    };
    for (key, value) in m {
        let text = match value {
            Value::String(s) => s.trim().to_string(),
            _ => {
                return Err(err(
                    &[key],
                    format!("`endpaper.tryit.{key}` must be a string"),
                ))
            }
        };
        match key.as_str() {
            "proxy" | "redirect_url" if !is_web_url(&text) => {
                return Err(err(
                    &[key],
                    format!("`endpaper.tryit.{key}` must be an http(s) URL, not `{text}`"),
                ))
            }
            "proxy" => t.proxy = text,
            "redirect_url" => t.redirect_url = text,
            "client_id" => t.client_id = text,
            _ => {
                return Err(err(
                    &[key],
                    format!("unknown option `{key}` in `endpaper.tryit` (known: proxy, client_id, redirect_url)"),
                ))
            }
        }
    }
    Ok(t)
}

/// The names of the site's security schemes a doc's front matter asks for (`security: oauth`
/// or a list; `[]` for none), or `None` when it names none (the site's schemes apply).
pub fn doc_security(fm: &Map<String, Value>) -> Option<Vec<String>> {
    match fm.get("security")? {
        Value::String(s) => Some(vec![s.trim().to_string()]),
        Value::Array(items) => Some(
            items
                .iter()
                .map(|i| frontmatter::text(Some(i)).trim().to_string())
                .collect(),
        ),
        _ => None,
    }
}

/// Position of the last of `keys`, each a key of a mapping under the one before it (a line
/// more indented, before that mapping ends); the deepest one found when a later one is
/// written in flow style (`{type: apiKey}`) or missing.
fn nested_key_pos(text: &str, keys: &[&str]) -> Pos {
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut pos = Pos::new(1, 1);
    let (mut from, mut parent) = (0, None::<usize>);
    for key in keys {
        let needle = format!("{key}:");
        let mut found = None;
        for (i, line) in lines.iter().enumerate().skip(from) {
            let bare = line.trim_start();
            if bare.is_empty() || bare.starts_with('#') {
                continue;
            }
            if parent.is_some_and(|p| indent(line) <= p) {
                break;
            }
            if bare.starts_with(&needle) {
                found = Some(i);
                break;
            }
        }
        let Some(i) = found else { break };
        pos = Pos::new(i + 1, indent(lines[i]) + 1);
        from = i + 1;
        parent = Some(indent(lines[i]));
    }
    pos
}

/// An environment's `variables:`, as OpenAPI's server variables: every `{name}` of its URL
/// declared, with a `default:` (one of its `enum:` when it has one), and none declared that
/// the URL lacks. `err(key, message)` locates a message at the first `key:` of the list.
pub(super) fn server_variables(
    url: &str,
    v: Option<&Value>,
    err: impl Fn(&str, String) -> SourceError,
) -> Result<Vec<ServerVariable>, SourceError> {
    let mut in_url = Vec::new();
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        in_url.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    let declared = match v {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(err(
            "variables",
            "`variables:` maps each `{name}` of the URL to its `default:` (and `enum:` of values)"
                .into(),
        )),
    };
    if let Some(missing) = in_url.iter().find(|n| !declared.contains_key(**n)) {
        return Err(err(
            "url",
            format!(
                "the URL's `{{{missing}}}` needs an entry under `variables:` with a `default:`"
            ),
        ));
    }
    let mut out = Vec::new();
    for (name, spec) in &declared {
        if !in_url.contains(&name.as_str()) {
            return Err(err(
                name,
                format!("variable `{name}` is not in the URL (write `{{{name}}}` where it goes)"),
            ));
        }
        let scalar = |v: &Value| match v {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let Some(default) = spec.get("default").and_then(scalar) else {
            return Err(err(name, format!("variable `{name}` needs a `default:`")));
        };
        let values: Vec<String> = match spec.get("enum") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(scalar)
                .collect::<Option<_>>()
                .ok_or_else(|| {
                    err(
                        name,
                        format!("variable `{name}`: `enum:` must list strings"),
                    )
                })?,
            Some(_) => {
                return Err(err(
                    name,
                    format!("variable `{name}`: `enum:` must be a list of values"),
                ))
            }
        };
        if !values.is_empty() && !values.contains(&default) {
            return Err(err(
                name,
                format!(
                    "variable `{name}`: the default `{default}` is not one of its `enum:` values"
                ),
            ));
        }
        out.push(ServerVariable {
            name: name.clone(),
            default,
            values,
            description: frontmatter::text(spec.get("description"))
                .trim()
                .to_string(),
        });
    }
    // In the URL's order, so the panel's fields read left to right.
    out.sort_by_key(|v| in_url.iter().position(|n| *n == v.name));
    Ok(out)
}

/// Position of the first `key:` (or `- key:`) on `at`'s line or below, else `at`.
pub(super) fn find_below(text: &str, at: Pos, key: &str) -> Pos {
    let needle = format!("{key}:");
    text.lines()
        .enumerate()
        .skip(at.line - 1)
        .find_map(|(i, l)| {
            let bare = l.trim_start().trim_start_matches("- ");
            bare.starts_with(&needle)
                .then(|| Pos::new(i + 1, l.len() - bare.len() + 1))
        })
        .unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// The located message `yaml` fails with.
    fn bad(yaml: String) -> String {
        Config::parse(&yaml, Path::new("_config.yml"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn oauth2_flows_need_their_urls_and_errors_point_at_the_flow() {
        let base = "title: x\nendpaper:\n  security:\n    token:\n      type: apiKey\n      in: header\n      name: X-Key\n    oauth:\n      type: oauth2\n      flows:\n        authorizationCode:\n          authorizationUrl: https://id.x/authorize\n          tokenUrl: https://id.x/token\n          scopes:\n            read: Read\n";
        let c = Config::parse(base, Path::new("_config.yml")).unwrap();
        assert!(c.options.has_authorization_code());
        assert_eq!(
            c.options.security["oauth"].pointer("/flows/authorizationCode/tokenUrl"),
            Some(&Value::String("https://id.x/token".into()))
        );
        for (from, to, said) in [
            ("          tokenUrl: https://id.x/token\n", "", "_config.yml:11:9: config error: security scheme `oauth`: the `authorizationCode` flow needs `tokenUrl:`"),
            ("authorizationUrl: https://id.x/authorize", "authorizationUrl: /authorize", "_config.yml:12:11: config error: security scheme `oauth`: `authorizationCode.authorizationUrl` must be an http(s) URL, not `/authorize`"),
            ("          scopes:\n            read: Read\n", "", "_config.yml:11:9: config error: security scheme `oauth`: the `authorizationCode` flow needs `scopes:`, a map of scope to description (`{}` for none)"),
            ("authorizationCode:", "authCode:", "_config.yml:11:9: config error: security scheme `oauth`: unknown OAuth2 flow `authCode` (known: authorizationCode, clientCredentials, implicit, password)"),
            ("      in: header\n", "      in: body\n", "_config.yml:6:7: config error: security scheme `token`: `in:` must be header, query or cookie"),
        ] {
            assert_eq!(bad(base.replace(from, to)), said, "{from} → {to}");
        }
        // Client credentials need a token URL only; no authorization code, no redirect page.
        let cc = base.replace(
            "        authorizationCode:\n          authorizationUrl: https://id.x/authorize\n",
            "        clientCredentials:\n",
        );
        let c = Config::parse(&cc, Path::new("_config.yml")).unwrap();
        assert!(!c.options.has_authorization_code());
        assert_eq!(
            bad(cc.replace("          tokenUrl: https://id.x/token\n", "")),
            "_config.yml:11:9: config error: security scheme `oauth`: the `clientCredentials` flow needs `tokenUrl:`"
        );
    }

    #[test]
    fn tryit_options_and_server_variables_are_read_and_checked() {
        let text = "endpaper:\n  environments:\n    - name: Live\n      url: https://api.x/v1\n    - name: Regional\n      url: https://{region}.api.x/{version}/\n      variables:\n        version:\n          default: v2\n        region:\n          default: eu\n          enum: [eu, us]\n          description: Where the data lives\n  tryit:\n    proxy: https://proxy.x/?url={url}\n    client_id: docs\n";
        let c = Config::parse(text, Path::new("_config.yml")).unwrap();
        assert_eq!(
            c.options.tryit,
            TryIt {
                proxy: "https://proxy.x/?url={url}".into(),
                client_id: "docs".into(),
                redirect_url: String::new()
            }
        );
        let regional = &c.options.environments[1];
        assert_eq!(regional.url, "https://{region}.api.x/{version}");
        assert_eq!(
            regional.variables,
            [
                ServerVariable {
                    name: "region".into(),
                    default: "eu".into(),
                    values: vec!["eu".into(), "us".into()],
                    description: "Where the data lives".into()
                },
                ServerVariable {
                    name: "version".into(),
                    default: "v2".into(),
                    values: Vec::new(),
                    description: String::new()
                }
            ],
            "in the URL's order"
        );
        assert!(c.options.environments[0].variables.is_empty());
        for (from, to, said) in [
            ("        version:\n          default: v2\n", "", "_config.yml:6:7: config error: environment 2 (`Regional`): the URL's `{version}` needs an entry under `variables:` with a `default:`"),
            ("default: eu", "default: asia", "_config.yml:10:9: config error: environment 2 (`Regional`): variable `region`: the default `asia` is not one of its `enum:` values"),
            ("          default: v2\n", "          enum: [v2]\n", "_config.yml:8:9: config error: environment 2 (`Regional`): variable `version` needs a `default:`"),
        ] {
            assert_eq!(bad(text.replace(from, to)), said, "{from} → {to}");
        }
        assert!(bad(text.replace("{region}.", "")).starts_with(
            "_config.yml:10:9: config error: environment 2 (`Regional`): variable `region` is not in the URL"
        ));
        for (from, to, said) in [
            ("proxy: https://proxy.x/?url={url}", "proxy: proxy.x", "_config.yml:15:5: config error: `endpaper.tryit.proxy` must be an http(s) URL, not `proxy.x`"),
            ("client_id: docs", "clientId: docs", "_config.yml:16:5: config error: unknown option `clientId` in `endpaper.tryit` (known: proxy, client_id, redirect_url)"),
        ] {
            assert_eq!(bad(text.replace(from, to)), said, "{from} → {to}");
        }
    }

    #[test]
    fn a_docs_security_is_a_name_or_a_list() {
        let fm = |yaml: &str| crate::frontmatter::parse_config(yaml, Path::new("d.md")).unwrap();
        assert_eq!(
            doc_security(&fm("security: oauth\n")),
            Some(vec!["oauth".into()])
        );
        assert_eq!(
            doc_security(&fm("security: [basic, key]\n")),
            Some(vec!["basic".into(), "key".into()])
        );
        assert_eq!(doc_security(&fm("security: []\n")), Some(Vec::new()));
        assert_eq!(doc_security(&fm("title: x\n")), None);
    }
}
