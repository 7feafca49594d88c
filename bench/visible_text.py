#!/usr/bin/env python3
"""How close is the visible text of a page to Jekyll's?

Usage: visible_text.py REFERENCE.html OUTPUT_DIR_OR_HTML [PAGE]

Extracts the text a reader sees from both pages (html.parser: everything in <body> but
<script>, <style>, <template>, <noscript> and elements with the `hidden` attribute;
whitespace collapsed; text split into words at whitespace and at block boundaries only, as a
browser lays it out, so `<span>"a"</span><span>:</span>` is the one word `"a":`) and prints a difflib similarity ratio of the two word sequences over
the whole page, navigation included: `visible-text: R`. OUTPUT_DIR means OUTPUT_DIR/PAGE
(default `index.html`). Exits 1 when R < 0.99. Standard library only.
"""
import difflib
import os
import sys
from html.parser import HTMLParser

SKIP = {"script", "style", "template", "noscript", "head", "title"}
# Elements a browser lays out as blocks (or breaks): a word never spans their boundary.
BLOCK = {
    "address", "article", "aside", "blockquote", "body", "br", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "option", "p", "pre",
    "section", "select", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.parts = [], []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK:
            self.parts.append(" ")
        if tag in VOID:
            return
        hidden = tag in SKIP or any(k == "hidden" for k, _ in attrs)
        self.stack.append((tag, bool(hidden or (self.stack and self.stack[-1][1]))))

    def handle_endtag(self, tag):
        if tag in BLOCK:
            self.parts.append(" ")
        # Pop to the matching open tag (tolerates unclosed <p>, <li>).
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if self.stack and self.stack[-1][1]:
            return
        self.parts.append(data)

    @property
    def words(self):
        return "".join(self.parts).split()


def words(path):
    t = Text()
    with open(path, encoding="utf-8", errors="replace") as f:
        t.feed(f.read())
    return t.words


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    out = argv[1]
    if os.path.isdir(out):
        out = os.path.join(out, argv[2] if len(argv) == 3 else "index.html")
    a, b = words(argv[0]), words(out)
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() if (a or b) else 1.0
    print(f"words: reference {len(a)}, output {len(b)}")
    print(f"visible-text: {ratio:.4f}")
    return 0 if ratio >= 0.99 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
