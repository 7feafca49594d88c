#!/bin/sh
# Load test (issue 6) of `endpaper serve` (loopback only): wrk 100 connections for 30 s, RSS before
# and after, then checks that live reload still fires.
set -u
# Usage: cargo build --release && fuzz/serve_load.sh   (needs wrk and curl: apt-get install wrk curl)
root=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$root/target/release/endpaper}
PORT=${PORT:-4817}
site=$(mktemp -d)
cp -r $root/content/. "$site/"
rm -rf "$site/_site"
"$BIN" serve "$site" --port "$PORT" > /tmp/serve.out 2>&1 &
pid=$!
for i in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done
rss() { ps -o rss= -p "$pid" | tr -d ' '; }
echo "RSS before: $(rss) KiB"
curl -s -o /dev/null -w "index.html: %{http_code}, %{size_download} bytes\n" "http://127.0.0.1:$PORT/index.html"
wrk -t2 -c100 -d30s --latency "http://127.0.0.1:$PORT/index.html"
echo "RSS after index.html load: $(rss) KiB"
wrk -t2 -c100 -d10s --latency "http://127.0.0.1:$PORT/assets/endpaper.css" | grep -E "Requests/sec|99%|Non-2xx|Socket errors"
echo "RSS after css load: $(rss) KiB"
# Live reload: hold an event stream, change a doc, expect a reload event.
curl -sN "http://127.0.0.1:$PORT/__endpaper/events" > /tmp/events.out 2>&1 &
cpid=$!
sleep 1
doc=$(find "$site" -path "*/_*/*.md" -not -path "*/_includes/*" | sort | head -1)
printf '\nA line added under load.\n' >> "$doc"
for i in $(seq 1 50); do grep -q "event: reload" /tmp/events.out && break; sleep 0.2; done
if grep -q "event: reload" /tmp/events.out; then echo "live reload: OK (reload event received after editing ${doc#$site/})"; else echo "live reload: FAILED"; cat /tmp/events.out; fi
curl -s "http://127.0.0.1:$PORT/index.html" | grep -q "A line added under load" && echo "rebuilt page served: OK" || echo "rebuilt page served: FAILED"
echo "RSS at end: $(rss) KiB"
kill "$cpid" "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rm -rf "$site"
