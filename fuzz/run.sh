#!/bin/sh
# Runs every fuzz target for a time budget each, one after the other (the machine is shared).
# Usage: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]   (default 600 s, all four targets)
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain (`rustup toolchain
# install nightly`); crashes land in fuzz/artifacts/TARGET/, logs in fuzz/logs/TARGET.log.
set -eu
cd "$(dirname "$0")"
budget=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-"frontmatter liquid markdown site"}
mkdir -p logs
for t in $targets; do
    mkdir -p "corpus/$t"
    cp seeds/"$t"/* "corpus/$t/"
    echo "== $t: ${budget}s"
    # -rss_limit_mb bounds memory: an input that needs more is a finding, not an OOM kill.
    cargo +nightly fuzz run "$t" "corpus/$t" -- \
        -max_total_time="$budget" -rss_limit_mb=2048 -timeout=20 -max_len=65536 \
        -print_final_stats=1 >"logs/$t.log" 2>&1 || echo "   $t: FINDING (see logs/$t.log and artifacts/$t/)"
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^Done' "logs/$t.log" | sed 's/^/   /' || true
done
