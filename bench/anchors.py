#!/usr/bin/env python3
"""Does every anchor of Jekyll's page still resolve in an endpaper build?

Usage: anchors.py REFERENCE.html OUTPUT_DIR [PAGE]

Collects every `id=` and `name=` of REFERENCE.html (Jekyll's rendering of a root page) and
looks each one up in the endpaper page PAGE (default `index.html`, e.g. `internal/index.html`
for Jekyll's `internal.html` under `permalink: pretty`): as an element's `id` or `name`, or as
a key of the page's old-anchor redirect map (`data-redirects` JSON or `redirects.js`). Prints the
anchors that do not resolve and a last line `anchors: FOUND/TOTAL`; exits 1 when any is
missing. Standard library only.
"""
import json
import os
import re
import sys
from html.parser import HTMLParser


class Ids(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = []
        self.scripts = []
        self._in_script = False
        self.redirects = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == "data-redirects" and v:
                self.redirects.append(v)
            # A fragment names an element's id, or an <a name> (HTML's rule; a form field's
            # or a meta's name is no anchor).
            if v and (k == "id" or (k == "name" and tag == "a")):
                self.ids.append(v)
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def parse(path):
    p = Ids()
    with open(path, encoding="utf-8", errors="replace") as f:
        p.feed(f.read())
    return p


def redirect_keys(page, out_dir):
    """Old anchors the page's redirect script maps to new ones (inline or redirects.js)."""
    keys = set()
    texts = list(page.scripts) + page.redirects
    js = os.path.join(out_dir, "redirects.js")
    if os.path.exists(js):
        with open(js, encoding="utf-8") as f:
            texts.append(f.read())
    for text in texts:
        for m in re.finditer(r"\{[^{}]*\}", text):
            try:
                obj = json.loads(m.group(0))
            except ValueError:
                continue
            if isinstance(obj, dict):
                keys.update(k for k, v in obj.items() if isinstance(v, str))
    return keys


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    ref = parse(argv[0])
    out_dir = argv[1]
    page_path = os.path.join(out_dir, argv[2] if len(argv) == 3 else "index.html")
    page = parse(page_path)
    have = set(page.ids) | redirect_keys(page, out_dir)
    want = list(dict.fromkeys(ref.ids))
    missing = [a for a in want if a not in have]
    for a in missing:
        print(f"missing: #{a}")
    print(f"anchors: {len(want) - len(missing)}/{len(want)}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
