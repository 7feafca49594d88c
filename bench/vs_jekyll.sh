#!/usr/bin/env bash
# Clean build time and peak memory of endpaper next to Jekyll on real sites, in one run.
# Jekyll renders each site through a minimal Aviator-style index (every doc's content and
# right_code, as the template's layout does) so both do the same work: Liquid, kramdown,
# highlighting; the site's own index is not built by Jekyll, so its column is, if anything,
# low. Usage: bench/vs_jekyll.sh [CORPORA_DIR ...]  (each folder's subfolders holding a
# _config.yml are sites; default: the shared corpora; needs Debian's `jekyll` for its columns).
#
# Each run is a clean build into a folder of its own (a run into the last run's output would
# time endpaper's build over its last output instead), timed from its start to its exit on a
# monotonic clock read to the nanosecond (python's perf_counter_ns around the spawn; shown to
# 0.1 ms): endpaper's small builds take a few ms, below /usr/bin/time's 10 ms. The wall is the
# median of EP_RUNS (default 15) endpaper runs and JK_RUNS (default 5) Jekyll runs; ratio is
# Jekyll's median over endpaper's. Page cache: warm. Each command runs once untimed first, so
# every counted run reads the site from memory (as an author's next build does) and no counted
# run waits on the disk; nothing is dropped. Peak RSS is /usr/bin/time's %M of one more run
# (kept apart, so its own start-up is not in the wall). `structure` is the median of three
# ENDPAPER_TIMINGS=1 runs' structure stage (the site's own pages through its layouts) over
# endpaper's median wall. EP_BIN=BINARY times that binary instead of this tree's release build.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared=$here
while [ ! -d "$shared/shared/corpora" ] && [ "$shared" != / ]; do shared=$(dirname "$shared"); done
[ $# -gt 0 ] || set -- "$shared/shared/corpora"
bin=${EP_BIN:-$here/target/release/endpaper}
ep_runs=${EP_RUNS:-15}
jk_runs=${JK_RUNS:-5}
[ -n "${EP_BIN:-}" ] || cargo build --release --quiet --manifest-path "$here/Cargo.toml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The median wall seconds of RUNS runs of a command after one untimed run: each @OUT@ in its
# arguments a new folder under WORK, removed after its run (outside the clock).
clock='
import os, shutil, statistics, subprocess, sys, time
runs, work, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
walls = []
for i in range(runs + 1):
    out = os.path.join(work, "out-%d" % i)
    argv = [a.replace("@OUT@", out) for a in cmd]
    start = time.perf_counter_ns()
    code = subprocess.call(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter_ns() - start
    shutil.rmtree(out, ignore_errors=True)
    if code != 0:
        sys.exit("failed (exit %d): %s" % (code, " ".join(argv)))
    if i > 0:
        walls.append(wall)
print("%.6f" % (statistics.median(walls) / 1e9))
'

# "median_seconds peak_MiB" of a command (see above).
measure() {
  local runs=$1 t m
  shift
  t=$(python3 -c "$clock" "$runs" "$work" "$@")
  /usr/bin/time -f '%M' -o "$work/rss" "${@//@OUT@/$work/out-rss}" >/dev/null 2>&1
  rm -rf "$work/out-rss"
  m=$(tail -1 "$work/rss")
  echo "$t $(awk "BEGIN{print $m/1024}")"
}

# The median of three runs' `structure` stage, in seconds.
structure() {
  local i
  for i in 1 2 3; do
    ENDPAPER_TIMINGS=1 "$bin" build "$1" -o "$work/out-st" --no-cache -q 2>&1 >/dev/null |
      awk '$2 == "structure" && $4 == "ms" {print $3}'
    rm -rf "$work/out-st"
  done | sort -g | sed -n 2p | awk '{print $1 / 1000}'
}

printf '%-16s %20s %20s %7s %10s\n' site "endpaper ms (MiB)" "Jekyll ms (MiB)" ratio structure
sites=()
for dir in "$@"; do sites+=("$dir"/*/); done
for site in "${sites[@]}"; do
  name=$(basename "$site")
  [ -f "$site/_config.yml" ] || continue
  read -r et em < <(measure "$ep_runs" "$bin" build "$site" -o @OUT@ --no-cache -q)
  st=$(structure "$site")
  jk="(no jekyll)" ratio=-
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
    read -r jt jm < <(measure "$jk_runs" jekyll build --safe --quiet -s "$work/jk-$name" -d @OUT@)
    jk=$(printf '%8.1f (%5.1f)' "$(awk "BEGIN{print $jt*1000}")" "$jm")
    ratio=$(awk "BEGIN{printf \"%.1fx\", $jt/$et}")
  fi
  printf '%-16s %20s %20s %7s %9.0f%%\n' "$name" \
    "$(printf '%8.1f (%5.1f)' "$(awk "BEGIN{print $et*1000}")" "$em")" "$jk" "$ratio" \
    "$(awk "BEGIN{print 100*$st/$et}")"
done
