#!/usr/bin/env bash
# Proves a change left the output alone: builds every shared site (each audience its root
# pages name) and the example `content/` with BEFORE_BIN and AFTER_BIN, then diffs the trees.
#
# usage: bench/identical.sh BEFORE_BIN AFTER_BIN [OUT]   (OUT default: a temp folder)
#        bench/identical.sh --only BIN OUT               (build once with BIN into OUT)
# env:   CORPORA (default ../shared/corpora, found relative to this script)
#        CONTENT (default this repository's content/; give an older commit's copy when the
#        binaries predate a config option the example now uses)
# Exits non-zero and prints the differing files when any byte differs.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
CORPORA=${CORPORA:-$here/../../shared/corpora}
[ -d "$CORPORA" ] || CORPORA=$here/../shared/corpora
CONTENT=${CONTENT:-$here/content}

build_all() { # BIN OUT
  local bin=$1 out=$2 site name aud
  mkdir -p "$out"
  for site in "$CORPORA"/*/ "$CONTENT/"; do
    [ -f "$site/_config.yml" ] || continue
    name=$(basename "$site")
    "$bin" build "$site" -o "$out/$name" --no-cache -q
    # Extra root pages (internal.html, future_internal.html …) are the site's other audiences.
    for aud in $(cd "$site" && ls *.html 2>/dev/null | sed -n 's/\.html$//p' | grep -vxE 'index|search|404|changelog|oauth2-redirect|jekyll-reference.*|v[0-9][0-9.]*'); do
      # A root page names its audience with `_` where the collections may say `-`
      # (future_internal.html shows `visibility: future-internal`): try both spellings.
      "$bin" build "$site" -o "$out/$name--$aud" --audience "$aud" --no-cache -q 2>/dev/null ||
        "$bin" build "$site" -o "$out/$name--$aud" --audience "${aud//_/-}" --no-cache -q
    done
  done
}

if [ "${1:-}" = --only ]; then build_all "$2" "$3"; exit; fi
BEFORE=$1 AFTER=$2
OUT=${3:-$(mktemp -d)}
build_all "$BEFORE" "$OUT/before"
build_all "$AFTER" "$OUT/after"
diff -r "$OUT/before" "$OUT/after" && echo "identical: $(find "$OUT/after" -type f | wc -l) files in $(ls "$OUT/after" | wc -l) builds"
