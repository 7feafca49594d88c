#!/usr/bin/env python3
"""Load test of `endpaper serve`: can a slow or hostile client crowd out a normal one?

Starts the server on a site, then for DURATION seconds holds CONNECTIONS connections open
against it from a separate process:
  - a third are slowloris clients: they send a request head one byte at a time (a byte every
    SLOW_GAP s) and never finish it; when the server cuts one off, it connects again;
  - a tenth are live-reload event streams, held open the whole time, as tabs do;
  - the rest are busy keep-alive clients, each fetching a page, a stylesheet or the search
    index in a loop (a short pause between requests).
Meanwhile this process makes one normal request every PROBE_GAP s on a fresh connection
(GET /, the whole body read) and records how long it took. It prints p50/p99/max of those
times, failures, and what the load clients saw (requests served, slow clients cut off,
streams kept). A 503 counts as a failure: with the default --max-connections (256) the
200 load connections must not keep a normal request out.

usage: serve_load.py [ENDPAPER] [SITE] [--connections 200] [--duration 30]
  ENDPAPER defaults to target/release/endpaper, SITE to content/ (both in this repository).
Standard library only. Exits 1 if any normal request failed or p99 >= 100 ms.
"""
import argparse
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SLOW_GAP = 0.5
PROBE_GAP = 0.05
BUSY_PAUSE = 0.02
BUSY_PATHS = ["/", "/assets/endpaper.css", "/search-index.js", "/404-not-here.html"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_response(sock, buf=b""):
    """Reads one HTTP/1.1 response with Content-Length; returns (status, rest of buffer)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the head")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed in the body")
        rest += chunk
    return status, rest[length:]


def slowloris(port, stop, counts, lock):
    head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\n"
    while not stop.is_set():
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError:
            time.sleep(0.2)
            continue
        i = 0
        try:
            while not stop.is_set():
                # The head never ends: after the real lines, header lines forever.
                byte = head[i : i + 1] if i < len(head) else b"X-a: b\r\n"[(i - len(head)) % 8 : (i - len(head)) % 8 + 1]
                s.sendall(byte)
                i += 1
                time.sleep(SLOW_GAP)
        except OSError:
            with lock:
                counts["slow_cut_off"] += 1
        finally:
            s.close()


def event_stream(port, stop, counts, lock):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=60)
        s.sendall(b"GET /__endpaper/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        first = s.recv(4096)
        if b" 200 " not in first.split(b"\r\n", 1)[0]:
            raise ConnectionError(first[:60])
        s.settimeout(0.5)
        while not stop.is_set():
            try:
                if not s.recv(4096):
                    raise ConnectionError("stream closed")
            except socket.timeout:
                pass
        with lock:
            counts["streams_kept"] += 1
        s.close()
    except OSError:
        with lock:
            counts["streams_lost"] += 1


def busy(port, stop, counts, lock, n):
    s, buf, k = None, b"", n
    while not stop.is_set():
        try:
            if s is None:
                s, buf = socket.create_connection(("127.0.0.1", port), timeout=10), b""
            path = BUSY_PATHS[k % len(BUSY_PATHS)]
            k += 1
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            status, buf = read_response(s, buf)
            with lock:
                counts["busy_ok" if status in (200, 404) else f"busy_{status}"] += 1
            time.sleep(BUSY_PAUSE)
        except OSError:
            with lock:
                counts["busy_reconnects"] += 1
            if s is not None:
                s.close()
            s = None
            time.sleep(0.05)


def load(port, connections, duration, ready, results):
    """The load, in its own process so its threads never delay the probe's clock."""
    from collections import Counter

    counts, lock, stop = Counter(), threading.Lock(), threading.Event()
    n_slow = connections // 3
    n_events = connections // 10
    n_busy = connections - n_slow - n_events
    threads = [threading.Thread(target=slowloris, args=(port, stop, counts, lock)) for _ in range(n_slow)]
    threads += [threading.Thread(target=event_stream, args=(port, stop, counts, lock)) for _ in range(n_events)]
    threads += [threading.Thread(target=busy, args=(port, stop, counts, lock, i)) for i in range(n_busy)]
    for t in threads:
        t.daemon = True
        t.start()
    time.sleep(2)  # every load connection open before the probe starts
    ready.set()
    time.sleep(duration)
    stop.set()
    for t in threads:
        t.join(timeout=5)
    results.update(dict(counts, slow=n_slow, events=n_events, busy=n_busy))


def probe(port):
    t0 = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        status, _ = read_response(s)
    return status, (time.perf_counter() - t0) * 1000


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(round(p / 100 * (len(sorted_values) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("endpaper", nargs="?", default=os.path.join(REPO, "target", "release", "endpaper"))
    ap.add_argument("site", nargs="?", default=os.path.join(REPO, "content"))
    ap.add_argument("--connections", type=int, default=200)
    ap.add_argument("--duration", type=float, default=30)
    args = ap.parse_args()

    out = tempfile.mkdtemp(prefix="ep-serve-load-")
    port = free_port()
    log_path = os.path.join(out, "serve.log")
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [args.endpaper, "serve", args.site, "--port", str(port), "-o", os.path.join(out, "site")],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        while "serving" not in open(log_path).read():
            if proc.poll() is not None:
                sys.exit("serve did not start:\n" + open(log_path).read())
            time.sleep(0.1)
        manager = multiprocessing.Manager()
        results, ready = manager.dict(), manager.Event()
        loader = multiprocessing.Process(target=load, args=(port, args.connections, args.duration, ready, results))
        loader.start()
        ready.wait()
        times, failures = [], []
        end = time.monotonic() + args.duration
        while time.monotonic() < end:
            try:
                status, ms = probe(port)
                if status == 200:
                    times.append(ms)
                else:
                    failures.append(f"status {status}")
            except OSError as e:
                failures.append(repr(e))
            time.sleep(PROBE_GAP)
        loader.join()
        r = dict(results)
        times.sort()
        print(f"load: {args.connections} connections for {args.duration:g} s against {os.path.relpath(args.site)}: "
              f"{r.get('slow')} slowloris, {r.get('events')} event streams, {r.get('busy')} busy keep-alive clients")
        print(f"  busy requests answered: {r.get('busy_ok', 0)}"
              + "".join(f", {k}: {v}" for k, v in sorted(r.items()) if k.startswith("busy_") and k != "busy_ok"))
        print(f"  slowloris connections cut off by the server: {r.get('slow_cut_off', 0)}")
        print(f"  event streams open to the end: {r.get('streams_kept', 0)} (lost: {r.get('streams_lost', 0)})")
        if times:
            print(f"normal requests (GET / on a fresh connection, every {PROBE_GAP * 1000:g} ms): {len(times)} answered, "
                  f"{len(failures)} failed; p50 {percentile(times, 50):.1f} ms, p99 {percentile(times, 99):.1f} ms, "
                  f"max {times[-1]:.1f} ms")
        for f in sorted(set(failures))[:5]:
            print(f"  failure: {f} (x{failures.count(f)})")
        print(f"server log: {log_path}")
        ok = times and not failures and percentile(times, 99) < 100
        sys.exit(0 if ok else 1)
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
