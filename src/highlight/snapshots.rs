//! Whole highlighted samples as inline snapshots.

use super::Highlighter;

fn hl(code: &str, lang: &str) -> String {
    Highlighter::new().highlight(code, Some(lang)).html
}

#[test]
fn json_body() {
    insta::assert_snapshot!(hl(
            "{\n  \"id\": \"it_1\",\n  \"price\": 9.5,\n  \"tags\": [\"a\\n\", null, true]\n}\n",
            "json"
        ), @r#"
        {
          <span class=na>"id"</span>: <span class=s>"it_1"</span>,
          <span class=na>"price"</span>: <span class=m>9.5</span>,
          <span class=na>"tags"</span>: [<span class=s>"a</span><span class=se>\n</span><span class=s>"</span>, <span class=kc>null</span>, <span class=kc>true</span>]
        }
        "#);
}

#[test]
fn python_call() {
    insta::assert_snapshot!(hl(
            "# List items.\nitems = client.Item.list(limit=3, expand=None)\n",
            "python"
        ), @r#"
        <span class=c># List items.
        </span><span class=n>items </span><span class=o>= </span><span class=n>client</span>.<span class=n>Item</span>.<span class=nf>list</span>(<span class=nv>limit</span><span class=o>=</span><span class=m>3</span>, <span class=nv>expand</span><span class=o>=</span><span class=kc>None</span>)
        "#);
}

#[test]
fn curl_command() {
    insta::assert_snapshot!(hl(
            "curl https://api.example.com/v1/items \\\n  -u \"$KEY:\" -d limit=3\n",
            "curl"
        ), @r#"
        <span class=nf>curl </span><span class=n>https://api.example.com/v1/items </span>\
        <span class=nv>  -u </span><span class=s>"</span><span class=nv>$KEY</span><span class=s>:"</span><span class=nv> -d </span><span class=n>limit=3
        </span>
        "#);
}
