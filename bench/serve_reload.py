#!/usr/bin/env python3
"""Save-to-reload time of `endpaper serve`: starts the server on a generated site, listens
on its event stream, edits one doc (body text), one doc's front matter and one include, and
times each edit from the write to the `reload` event the browser would get.

usage: serve_reload.py ENDPAPER SITE [ROUNDS] [docs-only]
(prints one line per edit kind: best/median ms)
stdlib only; restores every file it edits.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def open_events(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=120)
    s.sendall(b"GET /__endpaper/events HTTP/1.1\r\nHost: x\r\n\r\n")
    return s


def wait_event(sock, name):
    buf = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            raise SystemExit("event stream closed")
        buf += chunk
        if b"event: build-error" in buf:
            raise SystemExit("build failed:\n" + buf.decode(errors="replace"))
        if ("event: " + name).encode() in buf:
            return


def count_reports(log_path):
    return open(log_path, encoding="utf-8", errors="replace").read().count(" changed: ")


def wait_reported(log_path, n):
    """Waits until the server has reported `n` rebuilds: the reload goes out before a
    rebuild writes the machine files no open page reads (the full text, twins, llms files,
    openapi.json), and a save landing while those are written times the stopping of that
    work, not a save. Each save is timed on an idle server, then, as a writer sees it."""
    deadline = time.monotonic() + 120
    while count_reports(log_path) < n:
        if time.monotonic() > deadline:
            raise SystemExit("serve did not report its rebuild:\n" + open(log_path).read())
        time.sleep(0.02)
    time.sleep(0.1)


def main():
    exe, site = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    docs = sorted(
        os.path.join(root, f)
        for root, _, files in os.walk(site)
        if os.path.basename(root).startswith("_") and not root.endswith(("_includes", "_layouts"))
        for f in files
        if f.endswith(".md")
    )
    includes = sorted(
        os.path.join(root, f)
        for root, _, files in os.walk(os.path.join(site, "_includes"))
        for f in files
    )
    out = tempfile.mkdtemp(prefix="ep-serve-bench-")
    port = free_port()
    # The server's output goes to a file (a pipe nobody reads would block it); set
    # ENDPAPER_TIMINGS=1 to find per-stage times there.
    log_path = os.path.join(out, "serve.log")
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [exe, "serve", site, "--port", str(port), "-o", os.path.join(out, "site")],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        while "serving" not in open(log_path).read():
            if proc.poll() is not None:
                raise SystemExit("serve did not start:\n" + open(log_path).read())
            time.sleep(0.1)
        events = open_events(port)
        time.sleep(0.5)
        target = docs[len(docs) // 2]

        def body_edit(text, i):
            return text + f"\nEdited paragraph number {i}.\n"

        def fm_edit(text, i):
            return text.replace("description: ", f"description: Edited {i} ", 1)

        kinds = [("doc body", target, body_edit), ("doc front matter", target, fm_edit)]
        if includes and "docs-only" not in sys.argv[4:]:
            kinds.append(("include", includes[0], body_edit))
        for label, path, edit in kinds:
            original = open(path, encoding="utf-8").read()
            reported = count_reports(log_path)
            times = []
            try:
                for i in range(rounds):
                    t0 = time.perf_counter()
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(edit(original, i))
                    wait_event(events, "reload")
                    times.append((time.perf_counter() - t0) * 1000)
                    wait_reported(log_path, reported + 1)
                    reported += 1
            finally:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(original)
                wait_event(events, "reload")
                wait_reported(log_path, reported + 1)
            times.sort()
            print(f"{label:18} best {times[0]:7.1f} ms  median {times[len(times) // 2]:7.1f} ms  ({os.path.relpath(path, site)})")
        print(f"server log: {log_path}")
    finally:
        proc.terminate()
        proc.wait()
        # The log is kept for a look at the stage times; the built site (hundreds of MB at
        # 10,000 docs) is not, or repeated runs fill the disk.
        shutil.rmtree(os.path.join(out, "site"), ignore_errors=True)


if __name__ == "__main__":
    main()
