use crate::highlight::differential::same_as_grammar;
use crate::highlight::SYNTAXES;

/// Every construct the lexer takes, each checked against the grammar (and the seeds
/// of the mutation test in `differential`).
pub(in super::super) const SAMPLES: &[&str] = &[
    "const API_BASE = 'https://api.example.com/v2';\nconst TOKEN = process.env.API_TOKEN;\n\n/**\n * Approve User connection\n * @param {string} objectId\n * @returns {Promise<object>}\n */\nasync function approveConnection(objectId, options = {}) {\n  const url = `${API_BASE}/users/${objectId}/`;\n  const body = {\n    active: 'value-260',\n    scope: 'value-459',\n    ...options,\n  };\n  let lastError = null;\n  for (let attempt = 0; attempt < 3; attempt += 1) {\n    try {\n      const response = await fetch(url, {\n        method: 'DELETE',\n        headers: {\n          Authorization: `Bearer ${TOKEN}`,\n          Accept: 'application/json',\n          'Content-Type': 'application/json',\n        },\n        body: JSON.stringify(body),\n      });\n      if (response.status === 429) {\n        const wait = Number(response.headers.get('Retry-After') || 1);\n        await new Promise((r) => setTimeout(r, wait * 1000));\n        continue;\n      }\n      if (!response.ok) {\n        throw new Error(`Request failed: ${response.status}`);\n      }\n      return await response.json();\n    } catch (err) {\n      lastError = err;\n    }\n  }\n  throw lastError;\n}\n\napproveConnection('8f534ef6-c3a8')\n  .then((data) => console.log(data.id, data.status))\n  .catch((err) => console.error(err));\n",
    "val = foo(arg, 'bb', `cc`, 1, [1, 2], {kk: 1}, ...rest);\nyy = aa.bb.cc;\nzz = data.id;\nww = {aa: 1, 'bb': 2, cc, ...rest};\n",
    "pp.then((vv) => ff(vv)).catch((e2) => gg(e2));\nif (!aa.bb) {\n  return;\n}\nkk = [];\nll = '';\nmm = \"\";\n",
    "ff(() => 1);\ngg((aa, bb) => 1);\nhh(async (aa) => 1);\noo = {\n  aa: {\n    bb: 1,\n  },\n};\nlet vv = aa === bb && cc !== dd;\n// done\n",
    "const keys = {\n  id: 1,\n  type: 'a',\n  default: 2,\n  class: 3,\n  get: 4,\n  Error: 5,\n};\nconst more = {id: 1, new: 2, status: 3};\n",
    "// request List Widgets\n(function(callback) {\n    'use strict';\n\n    const transport = require('http');\n    const encoding = 'latin1';\n    const options = {\n        hostname: 'widgets.example.org',\n        port: '8080',\n        path: '/v3/widgets/?page=2',\n        method: 'PUT',\n        headers: {\"X-Key\":\"abc123\",\"Content-Type\":\"text/plain\"}\n    };\n    options.headers['X-Client'] = 'sample ' + process.version;\n\n    // a note\n\n    const req = transport.request(options, (reply) => {\n        let parts = [];\n        let text = '';\n\n        reply.on('data', (piece) => {\n            if (Buffer.isBuffer(piece)) {\n                parts.push(piece);\n            }\n            else {\n                text = text + piece;\n            }\n        }).on('end', () => {\n            text = parts.length > 0 ?\n                Buffer.concat(parts).toString(encoding) : text;\n\n            callback(null, reply.statusCode, reply.headers, text);\n        });\n\n    })\n    .setTimeout(0)\n    .on('error', (error) => {\n        callback(error);\n    });\n    req.write(\"{\\\"name\\\":\\\"a/b\\\\\\\\c\\n\\t\\r\\'\\\",\\\"tags\\\":[]}\")\n    req.end();\n\n})((error, status, headers, body) => {\n    console.log('FAILED:', error);\n    console.log('HEADERS:', JSON.stringify(headers));\n});\n",
    "$.post(\"https://widgets.example.org/v1/\", { \"key\": \"K\"}, function(reply) {\n  alert(reply);\n});\nvar http = require(\"http\");\nhttp(\"https://widgets.example.org/v1/\", function (err, res, out) {\nif (!err && res.statusCode == 201) {\n  console.log(out);\n}\n",
    "$.ajax({\n  \"url\": \"https://widgets.example.org/v1/9\",\n  \"type\": \"PATCH\",\n  \"done\": function(reply) {\n    alert(reply);\n  },\n  fail: function (err) {\n    alert(err);\n  }\n});\n",
    "size = list.length > 2 ? list.length : 0;\nok = flag ? 'yes' : 'no';\n",
    "/* one */\nconst API = `${HOST}/v1`;\nfunction run(first, second = 2) {\n  const out = await JSON.stringify(first);\n  return;\n}\n",
];

#[test]
fn the_lexer_writes_what_the_grammar_writes() {
    same_as_grammar("JavaScript (Babel)", super::highlight, SAMPLES);
}

/// The words the lexer holds for the grammar's are the grammar's: every word its
/// patterns spell.
#[test]
fn the_grammar_words_are_the_grammars() {
    let set = SYNTAXES.clone().into_builder();
    let babel = set
        .syntaxes()
        .iter()
        .find(|s| s.name == "JavaScript (Babel)")
        .expect("the grammar is loaded");
    let mut words = std::collections::BTreeSet::new();
    for context in babel.contexts.values() {
        for pattern in &context.patterns {
            if let syntect::parsing::syntax_definition::Pattern::Match(m) = pattern {
                let regex = m.regex.regex_str().as_bytes();
                let mut i = 0;
                while i < regex.len() {
                    if regex[i] == b'\\' {
                        i += 2;
                    } else if regex[i].is_ascii_alphabetic() || matches!(regex[i], b'_' | b'$') {
                        let start = i;
                        while i < regex.len()
                            && (regex[i].is_ascii_alphanumeric() || matches!(regex[i], b'_' | b'$'))
                        {
                            i += 1;
                        }
                        words.insert(String::from_utf8_lossy(&regex[start..i]).into_owned());
                    } else {
                        i += 1;
                    }
                }
            }
        }
    }
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    assert_eq!(super::GRAMMAR_WORDS, &words[..]);
}

#[test]
fn anything_else_takes_the_grammar() {
    for code in [
        "class A {}\n",
        "x = /re/g;\n",
        "x = a ?b : c;\n",
        "x = 'a\\/b';\n",
        "x = {a: 1} ? b : c;\n",
        "x = a / b;\n",
        "x = a[0];\n",
        "x = 'a\\n';\n",
        "document.write(x);\n",
        "x = new Foo();\n",
        "x = `a ${b + 1}`;\n",
        "let a = 1\nlet b = 2\n",
    ] {
        assert_eq!(super::highlight(code), None, "{code:?}");
    }
}
