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
          <x-na>"id"</x-na>: <x-s>"it_1"</x-s>,
          <x-na>"price"</x-na>: <x-m>9.5</x-m>,
          <x-na>"tags"</x-na>: [<x-s>"a</x-s><x-se>\n</x-se><x-s>"</x-s>, <x-kc>null</x-kc>, <x-kc>true</x-kc>]
        }
        "#);
}

#[test]
fn python_call() {
    insta::assert_snapshot!(hl(
            "# List items.\nitems = client.Item.list(limit=3, expand=None)\n",
            "python"
        ), @r#"
        <x-c># List items.
        </x-c><x-n>items </x-n><x-o>= </x-o><x-n>client</x-n>.<x-n>Item</x-n>.<x-nf>list</x-nf>(<x-nv>limit</x-nv><x-o>=</x-o><x-m>3</x-m>, <x-nv>expand</x-nv><x-o>=</x-o><x-kc>None</x-kc>)
        "#);
}

#[test]
fn curl_command() {
    insta::assert_snapshot!(hl(
            "curl https://api.example.com/v1/items \\\n  -u \"$KEY:\" -d limit=3\n",
            "curl"
        ), @r#"
        <x-nf>curl </x-nf><x-n>https://api.example.com/v1/items </x-n>\
        <x-nv>  -u </x-nv><x-s>"</x-s><x-nv>$KEY</x-nv><x-s>:"</x-s><x-nv> -d </x-nv><x-n>limit=3
        </x-n>
        "#);
}
