#!/usr/bin/env bash
# Clean build time and peak memory of endpaper next to Jekyll on the shared real sites, in one
# run. Jekyll renders each site through a minimal Aviator-style index (every doc's content and
# right_code, as the template's layout does) so both do the same work: Liquid, kramdown,
# highlighting. Usage: bench/vs_jekyll.sh [CORPORA_DIR ...]   (needs Debian's `jekyll` for the
# Jekyll column; best of 3 runs each, each run a clean build into a folder of its own: a run
# into the last run's output would time endpaper's build over its last output instead).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || set -- "$here/../shared/corpora"
bin=$here/target/release/endpaper
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

best() { # best wall seconds and its peak RSS (MiB) of 3 runs of "$@", each @OUT@ a new folder
  local best_t=999999 best_m=0 i
  for i in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$work/t" "${@//@OUT@/$work/out-$i}" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
    rm -rf "$work/out-$i"
    read -r t m <"$work/t"
    if awk "BEGIN{exit !($t < $best_t)}"; then best_t=$t; best_m=$m; fi
  done
  printf '%6.2f s %6.0f MiB' "$best_t" "$(awk "BEGIN{print $best_m/1024}")"
}

printf '%-18s %-22s %-22s\n' site "endpaper (wall, RSS)" "Jekyll (wall, RSS)"
sites=()
for dir in "$@"; do sites+=("$dir"/*/); done
for site in "${sites[@]}"; do
  name=$(basename "$site")
  [ -f "$site/_config.yml" ] || continue
  ep=$(best "$bin" build "$site" -o @OUT@ --no-cache -q)
  jk="(jekyll not installed)"
  if command -v jekyll >/dev/null 2>&1; then
    cp -r "$site" "$work/jk-$name"
    rm -f "$work/jk-$name/jekyll-reference.html"
    # The sites' Gemfiles would send Jekyll through bundler for gems not installed here, and
    # their layouts call plugin tags (jekyll-seo-tag, jekyll-feed) that the plain Jekyll lacks.
    rm -f "$work/jk-$name/Gemfile" "$work/jk-$name/Gemfile.lock"
    find "$work/jk-$name" -name '*.html' -path '*/_*' -exec sed -i -E 's/\{%-? *(seo|feed_meta)[^%]*%\}//g' {} +
    cat >"$work/jk-$name/index.html" <<'LIQUID'
---
layout: null
---
{% assign cols = site.collections | sort: 'position' %}{% for c in cols %}{% assign docs = c.docs | sort: 'position' %}{% for doc in docs %}<section class="doc-content" id="{{ doc.id | replace: '/', '' | replace: '.', '' }}"><h3>{{ doc.title }}</h3>{{ doc.content }}{{ doc.right_code | markdownify }}</section>{% endfor %}{% endfor %}
LIQUID
    sed -i '/^plugins:/,/^[^ -]/{/^plugins:/d;/^  *-/d}; /^gems:/,/^[^ -]/{/^gems:/d;/^  *-/d}' "$work/jk-$name/_config.yml"
    jk=$(best jekyll build --safe --quiet -s "$work/jk-$name" -d @OUT@)
  fi
  printf '%-18s %-22s %-22s\n' "$name" "$ep" "$jk"
done
