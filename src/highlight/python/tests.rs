use super::super::differential::{mutants_taken, same_as_grammar};

/// Every construct the lexer takes, in the places it can stand, each checked against
/// the grammar (and the seeds of the mutation test in `differential`).
pub(in super::super) const SAMPLES: &[&str] = &[
    "import os\nimport requests\n\nAPI_BASE = \"https://api.example.com/v2\"\nTOKEN = os.environ[\"API_TOKEN\"]\n\n\ndef approve_connection(object_id=\"8f53-46a5\"):\n    \"\"\"Approve User connection.\"\"\"\n    url = f\"{API_BASE}/users/{object_id}/\"\n    headers = {\n        \"Authorization\": f\"Bearer {TOKEN}\",\n        \"Accept\": \"application/json\",\n    }\n    payload = {\n        \"active\": \"value-260\",\n        \"scope\": \"value-459\",\n    }\n    response = requests.delete(url, headers=headers, json=payload, timeout=30)\n    response.raise_for_status()\n    return response.json()\n\n\nif __name__ == \"__main__\":\n    result = approve_connection()\n    print(result[\"id\"], result.get(\"status\"), len(result.get(\"permissions\", [])))\n",
    "import os, sys\nx = {\"a\": 1, \"b\": 2}\ny = {\n    \"a\": 1,\n    \"b\": [1, 2.5, -3, 10],\n}\nz = {\"k\": {\n    \"a\": 1,\n}}\n",
    "s = 'single' + \"dq\" + \"it's\" + 'say \"hi\"' + \"a#b\" + \"\"\nt = f\"a {b} {c.d}\" + f'{e}'\n",
    "def f(a, b=1, *args, **kw):\n    \"\"\"Doc.\"\"\"\n    # comment\n    return a.b(c)[0]\n",
    "r = requests.get(\"http://widgets.example/v1/\", key=\"K\")\nprint r.text\nprint value\n",
    "if a and not b or c is None:\n    pass\nelif x:\n    print(True, False)\nelse:\n    len([])\nwhile x:\n    break\n",
    "try:\n    raise\n",
    "a.b.c = d\nc = a * b / 2 // 3 % 4 ** 5\nm = x[1:2]\nn = a if b else c\no = not x\np = -x\nq = (1, 2)\nr = x != y\n",
    "s = x <= y >= z < w > v\nt = ~x & y | z ^ w << 1 >> 2\na += 1\nb -= 2\n",
    "def g(a, b=x, c=None, d=\"s\", e=[], f={}):\n    pass\nf(b=2, *c, **d)\n",
    "x = {  \n    \"a\": 1,\n}\ny = {\"a\":1}\nz = {'a': 'b'}\nw = {  \"a\" : 1}\nq = {\"a\": 1, 'b': 2}\n",
    "b = f({\"a\": 1}, x={\n    \"c\": \"d\",\n    \"e\": {\"f\": \"g\"},\n})\nc = [{\n    \"a\": 1,\n}, {\"b\": 2}]\ng = {\n    \"a\": \"b\", \"c\": \"d\",\n    \"e\": \"f\"\n}\n",
    "k = {\n    \"a\": f(x),\n    \"b\": x.y,\n}\ns = x.y.z(1).w\nwith_x = open(\"f\")\n",
    "for_each = range(3)\nresult = client.items.fetch(limit=3)\n# done",
    "try:\n    r = requests.get(\n        url=\"https://x.io/a/\",\n        params={\n            \"page\": \"1\",\n        },\n    )\n    print('Code: {status_code}'.format(\n        status_code=r.status_code))\nexcept requests.exceptions.RequestException:\n    print('failed')\nexcept  Foo :  # c\n    pass\n",
    "x = {\"a\": \"x {b}\", \"c\": '{D}{e_1}'}\nf(a='{b}', c=\"{b} {c.d}x\")\ny = \"{a}\".format(a=1)\n",
    "a = '{ a}' + '{a }' + '{0}' + '{}' + '{{a}}' + '}{' + \"{a[0].b}\"\n",
    "b = '{:5}' + '{x:+#08,.2f}' + '{:d} {:}' + '{a:b}' + '{ {a}' + '{a{b}'\n",
    "q = \"{Items(first: 5, order: desc) {id, name}}\"\nr = '{Me{id name}}'\ns = 'mutation{Go{ok}}'\n",
    "t = user.query(\"{A(first: 1) {b c}\")\nprint(t, '{x}} {y')\n",
    "u = \"{Items(first: 5, type: all) {id, kind {name}}}\" + '{A(b: 1) {c {d} e {f}}}' + '{a:{b}}'\n",
    "v = \"\"\"\n{\n  Items(\n    first: 1\n  )\n  {\n    id {a} {{b}}\n  }\n}\"\"\"\nw = c.q(v, '''it's \"{x}\"\n''')\n",
    "from widgets import Client\nfrom widgets.v2 import api, Thing\nc = Client('0f0f')\nq = c.query(\"{Thing{id}}\")\n",
];

#[test]
fn the_lexer_writes_what_the_grammar_writes() {
    same_as_grammar("Python", super::highlight, SAMPLES);
}

/// Braces in plain strings, the grammar's placeholders and the text it leaves, mutated
/// many times over: the lexer gives each up or writes what the grammar writes.
#[test]
fn mutated_braces_in_strings_are_given_up_or_agree() {
    let seeds = &SAMPLES[SAMPLES.len() - 7..SAMPLES.len() - 1];
    assert!(seeds.iter().all(|s| s.contains('{')), "the brace samples");
    let taken = mutants_taken("Python", super::highlight, seeds, 3000);
    assert!(taken > 1000, "only {taken} mutated samples were taken");
}

/// What the lexer does not know is the grammar's.
#[test]
fn anything_else_takes_the_grammar() {
    for code in [
        "class C(Base):\n    pass\n",
        "for i in x:\n    pass\n",
        "lambda x: x\n",
        "with open(\"f\") as fh:\n    pass\n",
        "x = \"a\\n\"\n",
        "x = \"%s\" % y\n",
        "x = r\"raw\"\n",
        "self.x = 1\n",
        "x = list(y)\n",
        "a.keys() .values()\n",
        "def f(a) -> int:\n    pass\n",
        "@decorator\ndef f():\n    pass\n",
        "x = {\"a\", \"b\"}\n",
        "x = {\n    y: 1,\n}\n",
        "x = [1,\n    # c\n]\n",
        "x = (1\n",
        "x = \"a\n",
        "f(a = 1)\n",
        "x = f\"\"\"a\nb\"\"\"\n",
        "x = \"\"\"a\\nb\"\"\"\n",
        "x = '''a\n%s'''\n",
        "\"not a docstring\"\n",
        "x = '{a!r}'\n",
        "x = {'{a}': 1}\n",
        "try:\n    pass\nexcept Exception:\n    pass\n",
        "try:\n    pass\nexcept a.self:\n    pass\n",
        "try:\n    pass\nexcept a as b:\n    pass\n",
        "try:\n    pass\nexcept (a, b):\n    pass\n",
        "try:\n    pass\nexcept:\n    pass\n",
        "from . import a\n",
        "from a import (b, c)\n",
        "from a import b as c\n",
        "from a import *\n",
        "from a import b.c\n",
        "from a.b import c, d.e\n",
        "from a\n",
        "x = 1 from a import b\n",
        // An operator in an import, which the grammar marks `err`.
        "from a is import b\n",
        "import a and b\n",
        "from a import b or c\n",
    ] {
        assert_eq!(super::highlight(code), None, "{code:?}");
    }
}
