#!/usr/bin/env bash
# endpaper's benchmark: generates the synthetic sites on demand (Aviator and Hugo formats of
# the same content; never committed), then for each size times
#   - a clean build (no highlight cache), best of RUNS, with CPU time and peak memory;
#   - a warm rebuild (nothing changed: the stamp's stat of each file), best of RUNS;
#   - a rebuild with every input touched but none changed (full, through the cache);
#   - a rebuild after one doc's body changed (cache kept), best of RUNS;
#   - Hugo on the same content, right after (a paired run on the same machine state);
#   - `serve` save-to-reload (bench/serve_reload.py, one doc's body), unless SERVE=0;
# and reports the largest page, the search index and the whole output size.
#
# usage: bench/run.sh [SIZES] [RUNS]      e.g. bench/run.sh "1000 10000" 3
#        bench/run.sh 100000 1            (the 100,000-doc site: ~1 GB of output, both cores)
# env:   see bench/lib.sh (BENCH_DIR, GEN, HUGO); SERVE (default 1)
# For the paired Hugo comparison with medians and ratios, see bench/vs_hugo.sh.
# The machine's other load shows in wall times: compare CPU times, and take the best run.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SIZES=${1:-"1000 10000"}
RUNS=${2:-3}
bench_init
find_hugo

# Best (lowest wall) of RUNS runs of a command.
best() { best_after true "$@"; }

# Best of RUNS runs of a command, each run after the (untimed) command PREP.
best_after() {
  local prep=$1 best_line="" line
  shift
  for _ in $(seq "$RUNS"); do
    $prep
    line=$(timed "$@")
    if [ -z "$best_line" ] || awk -v a="$line" -v b="$best_line" 'BEGIN{split(a,x," ");split(b,y," ");exit !(x[1]<y[1])}'; then
      best_line=$line
    fi
  done
  echo "$best_line"
}

fmt() { awk '{printf "%6.2f s wall  %6.2f s CPU  %5.0f MiB peak", $1, $2+$3, $4/1024}' <<<"$1"; }

for n in $SIZES; do
  site=$(bench_site "$n")
  out=$DIR/out-$n
  echo "== $n docs"
  clean=$(best "$EP" build "$site/aviator" -o "$out" --no-cache -q)
  echo "endpaper clean (no cache): $(fmt "$clean")"
  bench_prime_cache "$site/aviator" "$out" "$DIR/cache-$n"
  warm=$(best "$EP" build "$site/aviator" -o "$out" --cache "$DIR/cache-$n" -q)
  echo "endpaper warm (nothing changed: a stat of each file): $(fmt "$warm")"
  # Every input touched, none changed (a fresh checkout with the cache kept): a full
  # rebuild through the highlight cache.
  touch_all() { find "$site/aviator" -type f -exec touch {} +; }
  touched=$(best_after touch_all "$EP" build "$site/aviator" -o "$out" --cache "$DIR/cache-$n" -q)
  echo "endpaper every input touched (cache): $(fmt "$touched")"
  # One doc's body changed: before each run, append a paragraph to the original.
  bench_pick_doc "$site/aviator"
  one=$(best_after bench_change_doc "$EP" build "$site/aviator" -o "$out" --cache "$DIR/cache-$n" -q)
  bench_restore_doc
  "$EP" build "$site/aviator" -o "$out" --cache "$DIR/cache-$n" -q
  echo "endpaper one doc changed (cache): $(fmt "$one")"
  if [ -n "$HUGO" ]; then
    # Paired: endpaper clean and Hugo back to back, so both see the same machine load.
    pair_ep=$(timed "$EP" build "$site/aviator" -o "$out" --no-cache -q)
    pair_hugo=$(timed "$HUGO" --quiet -s "$site/hugo" -d "$DIR/hugo-out-$n" --cleanDestinationDir)
    echo "paired run: endpaper $(fmt "$pair_ep")"
    echo "            hugo     $(fmt "$pair_hugo")"
    awk -v e="$pair_ep" -v h="$pair_hugo" 'BEGIN{split(e,x," ");split(h,y," ");printf "            hugo/endpaper wall ratio: %.1fx\n", y[1]/x[1]}'
  fi
  if [ "${SERVE:-1}" != 0 ]; then
    echo "serve save-to-reload: $(python3 bench/serve_reload.py "$EP" "$site/aviator" "$RUNS" docs-only | tr '\n' ' ')"
  fi
  largest=$(find "$out" -name '*.html' -printf '%s %P\n' | sort -n | tail -1)
  echo "largest page: $(awk '{printf "%.2f MB %s", $1/1e6, $2}' <<<"$largest")"
  echo "search index: $(stat -c %s "$out/search-index.js" | awk '{printf "%.2f MB", $1/1e6}')"
  # the full text and, when it is split by section, its parts
  text_files=$(find "$out" -name 'search-text*.js')
  echo "full-text search: $(cat $text_files | wc -c | awk '{printf "%.2f MB", $1/1e6}') ($(cat $text_files | gzip -c | wc -c | awk '{printf "%.2f MB", $1/1e6}') gzipped, $(wc -l <<<"$text_files") files)"
  echo "llms-full.txt: $(stat -c %s "$out/llms-full.txt" | awk '{printf "%.2f MB", $1/1e6}')"
  [ -f "$out/redirects.js" ] && echo "redirects.js: $(stat -c %s "$out/redirects.js" | awk '{printf "%.2f MB", $1/1e6}')"
  echo "HTML pages: $(find "$out" -name '*.html' -printf '%s\n' | awk -v n="$n" '{s+=$1} END {printf "%.1f MB, %.1f KB per doc", s/1e6, s/n/1e3}')"
  echo "output: $(du -sb "$out" | awk '{printf "%.1f MB", $1/1e6}'), $(find "$out" -name '*.html' | wc -l) pages"
done
