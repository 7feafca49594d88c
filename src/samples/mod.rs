//! Samples in every language from one curl sample (`endpaper: samples:`), and the check of
//! every curl sample against the endpoint its doc documents.
//!
//! `build` calls [`apply`] on each doc `compose` made, once its tab groups are formed: a group holding a curl
//! sample gets the site's languages it lacks, generated (`generate`) from the requests the
//! curl commands send (`curl`). The generated samples are ordinary samples from then on, so
//! highlighting, the cache, twins and search treat them as hand-written ones.

pub mod curl;
pub mod generate;
pub mod json;

use crate::compose::{slug, DocParts, Piece, Sample};
use crate::config::{SampleLanguage, SAMPLE_LANGUAGES};
use crate::diagnostics::Diagnostic;
use crate::error::Pos;
use crate::model::Doc;

/// A curl sample that cannot be read as a request.
pub const CURL_UNREADABLE: &str = "curl-unreadable";
/// A hand-written sample whose title differs from the one its language's generated tabs have.
pub const SAMPLE_TITLE: &str = "sample-title";
/// A curl sample whose method or path is not the endpoint of its doc.
pub const CURL_MISMATCH: &str = "curl-endpoint-mismatch";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Python,
    Node,
    Go,
    Ruby,
    Php,
    Java,
    Csharp,
    Httpie,
}

impl Lang {
    pub const ALL: [Lang; 8] = [
        Lang::Python,
        Lang::Node,
        Lang::Go,
        Lang::Ruby,
        Lang::Php,
        Lang::Java,
        Lang::Csharp,
        Lang::Httpie,
    ];

    /// Its name in `endpaper: samples:`.
    pub fn name(self) -> &'static str {
        SAMPLE_LANGUAGES[self as usize]
    }

    /// The tab title unless the site names another.
    pub fn title(self) -> &'static str {
        match self {
            Lang::Python => "Python",
            Lang::Node => "Node.js",
            Lang::Go => "Go",
            Lang::Ruby => "Ruby",
            Lang::Php => "PHP",
            Lang::Java => "Java",
            Lang::Csharp => "C#",
            Lang::Httpie => "HTTPie",
        }
    }

    /// The fence language it is highlighted as.
    pub fn fence(self) -> &'static str {
        match self {
            Lang::Node => "javascript",
            Lang::Httpie => "bash",
            other => other.name(),
        }
    }

    pub fn from_name(name: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.name() == name)
    }

    /// The language a hand-written sample is in, by its title or else its fence language.
    fn of(s: &Sample) -> Option<Lang> {
        let title = slug(s.block.title.as_deref().unwrap_or(""));
        let words: Vec<&str> = title.split('-').collect();
        let by_title = Lang::ALL.into_iter().find(|l| {
            words.contains(&l.name())
                || match l {
                    Lang::Node => words.contains(&"javascript") || words.contains(&"js"),
                    Lang::Csharp => {
                        title.starts_with("c-") || title == "c" || words.contains(&"net")
                    }
                    Lang::Go => words.contains(&"golang"),
                    _ => false,
                }
        });
        if by_title.is_some() {
            return by_title;
        }
        match s.block.lang.as_deref()? {
            "python" | "py" => Some(Lang::Python),
            "javascript" | "js" | "node" => Some(Lang::Node),
            "go" | "golang" => Some(Lang::Go),
            "ruby" | "rb" => Some(Lang::Ruby),
            "php" => Some(Lang::Php),
            "java" => Some(Lang::Java),
            "csharp" | "cs" | "c#" => Some(Lang::Csharp),
            _ if s.block.code.trim_start().starts_with("http ") => Some(Lang::Httpie),
            _ => None,
        }
    }
}

/// One language of `endpaper: samples:` and its tab title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub lang: Lang,
    pub title: String,
}

impl Wanted {
    fn of(entry: &SampleLanguage) -> Option<Wanted> {
        let lang = Lang::from_name(entry.name)?;
        Some(Wanted {
            lang,
            title: entry.title.clone().unwrap_or_else(|| lang.title().into()),
        })
    }
}

/// True for a sample written in a shell (or in no named language) that runs curl.
fn is_curl(s: &Sample) -> bool {
    let shell = matches!(
        s.block.lang.as_deref(),
        None | Some("bash" | "sh" | "shell" | "console" | "zsh" | "curl" | "shell-session")
    );
    shell && curl::is_curl_sample(&s.block.code)
}

/// Where line `line` (0-based) of a sample's code starts, past its indentation: the fence
/// is on the sample's line.
fn code_pos(s: &Sample, line: usize) -> Pos {
    let text = s.block.code.lines().nth(line).unwrap_or("");
    let indent = text.len() - text.trim_start().len();
    s.place(line + 1, indent + 1)
}

/// The literal segments of an endpoint path, `None` for a placeholder segment.
fn segments(path: &str) -> Vec<Option<String>> {
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let placeholder = s.contains(['<', '{', '$', '&'])
                || s.starts_with(':')
                || s.contains("&lt")
                || s.to_ascii_uppercase() == s && s.chars().any(|c| c.is_ascii_alphabetic());
            (!placeholder).then(|| s.to_string())
        })
        .collect()
}

/// Whether a request to `path` reaches the endpoint titled `endpoint`: the endpoint's
/// segments end the path (which may start with a base such as `/v2`), placeholders on
/// either side standing for any one segment.
fn reaches(path: &str, endpoint: &str) -> bool {
    let (p, e) = (segments(path), segments(endpoint));
    if e.len() > p.len() {
        return false;
    }
    p[p.len() - e.len()..]
        .iter()
        .zip(&e)
        .all(|(a, b)| match (a, b) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        })
}

/// Checks every curl sample of the doc and, when the site asks for `wanted` languages,
/// adds them to each tab group holding a curl sample.
pub fn apply(parts: &mut DocParts, doc: &Doc, languages: &[SampleLanguage]) {
    let wanted: Vec<Wanted> = languages.iter().filter_map(Wanted::of).collect();
    let mut read: Vec<Option<Vec<curl::Request>>> = vec![None; parts.samples.len()];
    for (i, s) in parts.samples.iter().enumerate() {
        if !is_curl(s) {
            continue;
        }
        match curl::parse_sample(&s.block.code) {
            Ok(reqs) => {
                check_endpoint(s, doc, &reqs, &mut parts.diagnostics);
                read[i] = Some(reqs);
            }
            Err(e) => parts.diagnostics.push(Diagnostic::warning(
                CURL_UNREADABLE,
                s.file.as_str(),
                match e.col {
                    Some(col) => s.place(e.line + 1, col + 1),
                    None => code_pos(s, e.line),
                },
                format!(
                    "this curl sample cannot be read as a request: {}",
                    e.message
                ),
            )),
        }
    }
    if wanted.is_empty() {
        return;
    }
    let mut columns = [
        std::mem::take(&mut parts.prose),
        std::mem::take(&mut parts.code),
    ];
    for pieces in &mut columns {
        for piece in pieces.iter_mut() {
            let group = match piece {
                Piece::Group(idx) => idx,
                // An untitled curl sample becomes a tab group of its own.
                Piece::Inline(i) if read[*i].is_some() => {
                    parts.samples[*i].block.title = Some("Curl".into());
                    *piece = Piece::Group(vec![*i]);
                    let Piece::Group(idx) = piece else {
                        unreachable!("just made a group")
                    };
                    idx
                }
                _ => continue,
            };
            let Some(reqs) = group.iter().find_map(|&i| read[i].as_ref()) else {
                continue;
            };
            let source = group
                .iter()
                .copied()
                .find(|&i| read[i].is_some())
                .expect("the group has a read curl sample");
            let mut have: Vec<Lang> = Vec::new();
            for &i in group.iter() {
                let s = &parts.samples[i];
                let Some(lang) = Lang::of(s) else {
                    continue;
                };
                have.push(lang);
                let title = s.block.title.as_deref().unwrap_or("");
                if let Some(w) = wanted
                    .iter()
                    .find(|w| w.lang == lang && slug(&w.title) != slug(title))
                {
                    parts.diagnostics.push(Diagnostic::warning(
                        SAMPLE_TITLE,
                        s.file.as_str(),
                        s.pos,
                        format!(
                            "this `{title}` sample is in {}, whose generated tabs are titled `{}`: a reader who picks one is not shown the other; title them alike (`- {}: {title}` under `endpaper: samples:` in `_config.yml`)",
                            w.lang.title(),
                            w.title,
                            w.lang.name()
                        ),
                    ));
                }
            }
            for w in wanted.iter().filter(|w| !have.contains(&w.lang)) {
                let from = &parts.samples[source];
                let mut block = from.block.clone();
                block.lang = Some(w.lang.fence().to_string());
                block.title = Some(w.title.clone());
                block.code = generate::generate(w.lang, reqs);
                block.attrs = Default::default();
                let sample = Sample {
                    block,
                    file: from.file.clone(),
                    pos: from.pos,
                    inline: from.inline,
                };
                parts.samples.push(sample);
                group.push(parts.samples.len() - 1);
            }
        }
    }
    let [prose, code] = columns;
    parts.prose = prose;
    parts.code = code;
}

fn check_endpoint(s: &Sample, doc: &Doc, reqs: &[curl::Request], out: &mut Vec<Diagnostic>) {
    let method = doc.method.trim().to_ascii_uppercase();
    // Some sites use `method:` for something else (a model's stage): no endpoint to check.
    const HTTP: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    if !HTTP.contains(&method.as_str()) {
        return;
    }
    let endpoint = doc.title.trim();
    let lines: Vec<usize> = curl::commands(&s.block.code)
        .map(|cmds| {
            cmds.into_iter()
                .filter(curl::is_curl)
                .map(|c| c.line)
                .collect()
        })
        .unwrap_or_default();
    // A sample of several commands (create, then read back) documents its endpoint if
    // one of them sends it.
    let matches = |r: &curl::Request| {
        r.method == method && (!endpoint.starts_with('/') || reaches(&r.path(), endpoint))
    };
    if reqs.iter().any(matches) {
        return;
    }
    let r = &reqs[0];
    let what = if r.method != method {
        format!(
            "sends {} but the doc's front matter says `method: {}`",
            r.method,
            doc.method.trim()
        )
    } else {
        format!(
            "requests `{}`, which is not the endpoint `{endpoint}` of the doc's title",
            r.path()
        )
    };
    out.push(Diagnostic::warning(
        CURL_MISMATCH,
        s.file.as_str(),
        code_pos(s, lines.first().copied().unwrap_or(0)),
        format!("this curl sample {what}"),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_reach_endpoints_through_bases_and_placeholders() {
        assert!(reaches("/v2/products/", "/products/"));
        assert!(reaches(
            "/organizations/connections/request/6c82/",
            "/organizations/connections/request/&ltuuid&gt/"
        ));
        assert!(reaches("/orders/42", "/orders/{id}"));
        assert!(reaches("/orders/<id>/cancel", "/orders/:order_id/cancel"));
        assert!(reaches("/orders/ORDER_ID", "/orders/{id}"));
        assert!(!reaches("/v2/orders/", "/products/"));
        assert!(!reaches("/orders", "/v2/orders/{id}"));
    }

    #[test]
    fn a_samples_language_comes_from_its_title_or_fence() {
        let s = |title: &str, lang: &str, code: &str| Sample {
            block: crate::markdown::CodeBlock {
                lang: (!lang.is_empty()).then(|| lang.to_string()),
                title: (!title.is_empty()).then(|| title.to_string()),
                code: code.into(),
                attrs: Default::default(),
                pos: Pos::new(1, 1),
            },
            file: "_a/x.md".into(),
            pos: Pos::new(1, 1),
            inline: false,
        };
        assert_eq!(
            Lang::of(&s("Python (requests)", "", "")),
            Some(Lang::Python)
        );
        assert_eq!(Lang::of(&s("Node.js", "javascript", "")), Some(Lang::Node));
        assert_eq!(Lang::of(&s("C#", "", "")), Some(Lang::Csharp));
        assert_eq!(Lang::of(&s("", "bash", "http GET x")), Some(Lang::Httpie));
        assert_eq!(Lang::of(&s("Curl", "bash", "curl x")), None);
        assert!(is_curl(&s("", "", "$ curl https://h\n")));
        assert!(!is_curl(&s("", "python", "curl = 1\n")));
    }
}
