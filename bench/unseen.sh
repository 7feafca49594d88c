#!/usr/bin/env bash
# Score endpaper against Jekyll on sites it was not written for: each folder under
# bench/out/unseen/ (git-ignored; put reconstructed sites there, never in the repository).
# For each site: Jekyll 4.3.1 builds a copy (Gemfile and plugin tags the plain Jekyll lacks
# removed, as bench/vs_jekyll.sh does) to OUT/jekyll; endpaper builds the site itself to
# OUT/endpaper; compat.py compares the page holding the docs (REFPAGE, default index.html)
# and `endpaper check` lists its findings.
# Usage: bench/unseen.sh [BINARY] [SITE...]
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/target/debug/endpaper}
shift || true
root=$here/bench/out/unseen
shared=$here
while [ ! -d "$shared/shared" ] && [ "$shared" != / ]; do shared=$(dirname "$shared"); done
compat=$shared/shared/tools/compat.py
sites=("$@")
[ ${#sites[@]} -eq 0 ] && for d in "$root"/*/; do [ -f "$d/_config.yml" ] && sites+=("$(basename "$d")"); done
for name in "${sites[@]}"; do
  site=$root/$name
  out=$root/.out/$name
  rm -rf "$out"; mkdir -p "$out"
  # The folder's contents, so a site linked in (not copied) is never edited below.
  mkdir -p "$out/jk-src"; cp -r "$site/." "$out/jk-src/"
  rm -f "$out/jk-src/Gemfile" "$out/jk-src/Gemfile.lock"
  find "$out/jk-src" -name '*.html' -path '*/_*' -exec sed -i -E 's/\{%-? *(seo|feed_meta)[^%]*%\}//g' {} +
  sed -i '/^plugins:/,/^[^ -]/{/^plugins:/d;/^  *-/d}; /^gems:/,/^[^ -]/{/^gems:/d;/^  *-/d}' "$out/jk-src/_config.yml"
  /usr/bin/time -f '%e' -o "$out/jekyll.time" jekyll build --quiet -s "$out/jk-src" -d "$out/jekyll" >"$out/jekyll.log" 2>&1
  status=ok
  /usr/bin/time -f '%e' -o "$out/endpaper.time" "$bin" build "$site" -o "$out/endpaper" --no-cache >"$out/endpaper.log" 2>&1 ||
    status="BUILD FAILED (see $out/endpaper.log)"
  jt=$(tail -1 "$out/jekyll.time"); et=$(tail -1 "$out/endpaper.time")
  "$bin" check "$site" >"$out/check.log" 2>&1
  ref=$out/jekyll/$(cat "$site/.refpage" 2>/dev/null || echo index.html)
  score=$(python3 "$compat" "$ref" "$out/endpaper" 2>&1 | tail -1)
  docs=$(python3 "$compat" "$ref" "$out/endpaper" 2>&1 | head -1)
  findings=$(grep -cE '^(warning|error)' "$out/check.log")
  printf '%-22s %s | %s | check findings: %s | jekyll %ss endpaper %ss | %s\n' "$name" "$score" "$docs" "$findings" "$jt" "$et" "$status"
done
