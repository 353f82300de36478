#!/usr/bin/env python
"""A mixed load against a running server, with failures counted and timed.

    python mixed_load.py --base-url http://127.0.0.1:8000 --token KEY \\
        [--readers 16] [--writers 4] [--duration 60] [--attackers 0] [--live-loops 0] \\
        [--restart-at SECONDS --restart-command "pg_ctl ... restart"] [--json FILE]

* **Readers** (anonymous) GET a random room, in turn from ``/rooms_mat_view/``,
  ``/rooms_v2/`` and the live ``/rooms/``.
* **Writers** (``Authorization: Token``) rename a random bed (``PATCH /beds/{id}/``,
  which changes every room it stands in) with an ``Idempotency-Key``; a 503 or a
  broken connection is retried with the same key after ``Retry-After``, so every
  rename is applied exactly once however the server fails, and the time a client
  waits, retries included, is what is reported.
* **Attackers** send HTTP Basic with a wrong password in a loop; **live loops**
  fetch ``/rooms/?page_size=1000`` anonymously in a loop: the two abuses that
  used to starve the service. Their answers are counted, not timed.
* ``--restart-command`` runs once, ``--restart-at`` seconds in (e.g. restarting
  PostgreSQL): failures are then listed by status, with whether each 503 was JSON
  with ``Retry-After``, and the recovery time is the time from the first failure
  to the first success after the last one.

Every loop stops by itself after ``--duration`` seconds. Prints a table; the
exit status is 1 when any answer was a 5xx other than a JSON 503.
"""

import argparse
import json
import random
import secrets
import subprocess
import sys
import threading
import time
from collections import Counter

import requests
from timings import percentile

READ_PATHS = ("/rooms_mat_view/", "/rooms_v2/", "/rooms/")


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = {"read": [], "write": []}
        self.statuses = Counter()
        self.failures = []  # (time, kind, status or error, json 503 with Retry-After)
        self.successes = []  # times of successful requests after a failure began
        self.started = time.perf_counter()

    def now(self):
        return time.perf_counter() - self.started

    def record(self, kind, response=None, error=None, elapsed=None):
        with self.lock:
            if error is not None:
                self.statuses[(kind, type(error).__name__)] += 1
                self.failures.append((self.now(), kind, type(error).__name__, False))
                return
            self.statuses[(kind, response.status_code)] += 1
            if response.status_code >= 500:
                proper = (
                    response.status_code == 503
                    and response.headers.get("Content-Type") == "application/json"
                    and "Retry-After" in response.headers
                )
                self.failures.append((self.now(), kind, response.status_code, proper))
            elif kind in ("read", "write") and response.ok:
                if elapsed is not None:
                    self.latencies[kind].append(elapsed)
                if self.failures:
                    self.successes.append(self.now())


def reader(base, rooms, stop, rec, paths=READ_PATHS):
    session = requests.Session()
    n = 0
    while not stop.is_set():
        path = paths[n % len(paths)]
        n += 1
        started = time.perf_counter()
        try:
            response = session.get(f"{base}{path}{random.choice(rooms)}/", timeout=30)
        except requests.RequestException as error:
            rec.record("read", error=error)
            time.sleep(0.05)
            continue
        rec.record("read", response, elapsed=time.perf_counter() - started)


def writer(base, token, beds, stop, rec):
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    while not stop.is_set():
        bed = random.choice(beds)
        key = secrets.token_hex(16)
        body = {"name": f"Load bed {secrets.token_hex(6)}"}
        started = time.perf_counter()
        while not stop.is_set():  # retry the same write until it has an answer
            try:
                response = session.patch(
                    f"{base}/beds/{bed}/", json=body, headers={"Idempotency-Key": key}, timeout=30
                )
            except requests.RequestException as error:
                rec.record("write-attempt", error=error)
                time.sleep(1)
                continue
            if response.status_code == 503:
                rec.record("write-attempt", response)
                time.sleep(float(response.headers.get("Retry-After", 1)))
                continue
            rec.record("write", response, elapsed=time.perf_counter() - started)
            break


def abuser(url, headers, stop, rec, kind):
    session = requests.Session()
    while not stop.is_set():
        try:
            response = session.get(url, headers=headers, timeout=30)
        except requests.RequestException as error:
            rec.record(kind, error=error)
            time.sleep(0.05)
            continue
        rec.record(kind, response)
        if response.status_code == 429:  # a real abuser would not wait; the count matters
            time.sleep(0.01)


def ids(base, path, limit=1000):
    response = requests.get(f"{base}{path}?page_size={limit}", timeout=60)
    response.raise_for_status()
    return [item["id"] for item in response.json()["results"]]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", required=True, help="an API token of a user who may edit beds")
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument(
        "--read-paths", default=",".join(READ_PATHS), help="comma-separated, read in turn"
    )
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--attackers", type=int, default=0)
    parser.add_argument("--live-loops", type=int, default=0)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--restart-at", type=float)
    parser.add_argument("--restart-command")
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args(argv)
    base = args.base_url.rstrip("/")

    rooms, beds = ids(base, "/rooms_v2/"), ids(base, "/beds/")
    rec, stop = Recorder(), threading.Event()
    threads = [
        threading.Thread(target=reader, args=(base, rooms, stop, rec, args.read_paths.split(",")))
        for _ in range(args.readers)
    ]
    threads += [
        threading.Thread(target=writer, args=(base, args.token, beds, stop, rec))
        for _ in range(args.writers)
    ]
    wrong = requests.auth._basic_auth_str("admin", "wrong password")
    threads += [
        threading.Thread(
            target=abuser,
            args=(f"{base}/rooms_v2/{rooms[0]}/", {"Authorization": wrong}, stop, rec, "attack"),
        )
        for _ in range(args.attackers)
    ]
    threads += [
        threading.Thread(
            target=abuser, args=(f"{base}/rooms/?page_size=1000", {}, stop, rec, "live-loop")
        )
        for _ in range(args.live_loops)
    ]
    rec.started = time.perf_counter()
    for thread in threads:
        thread.start()
    restart = None
    if args.restart_command:
        time.sleep(args.restart_at or args.duration / 2)
        began = rec.now()
        subprocess.run(args.restart_command, shell=True, check=True)
        restart = {"began": began, "took": rec.now() - began}
    time.sleep(max(0, args.duration - rec.now()))
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = rec.now()

    result = {
        "duration_s": round(elapsed, 1),
        "reads_per_s": round(len(rec.latencies["read"]) / elapsed, 1),
        "writes_per_s": round(len(rec.latencies["write"]) / elapsed, 1),
        "read_ms": {q: round(percentile(rec.latencies["read"], q) * 1000, 1) for q in (50, 99)},
        "write_ms": {q: round(percentile(rec.latencies["write"], q) * 1000, 1) for q in (50, 99)},
        "statuses": {
            f"{kind} {status}": n for (kind, status), n in sorted(rec.statuses.items(), key=str)
        },
        "failures": len(rec.failures),
        "failures_not_json_503": sum(1 for *_, proper in rec.failures if not proper),
        "restart": restart,
    }
    if rec.failures:
        first = rec.failures[0][0]
        last = rec.failures[-1][0]
        after = [t for t in rec.successes if t > last]
        result["failure_window_s"] = round(last - first, 2)
        result["recovered_after_s"] = round(after[0] - first, 2) if after else None
        result["failures_by_kind"] = dict(
            Counter(f"{kind} {status}" for _, kind, status, _ in rec.failures)
        )
    print(json.dumps(result, indent=2))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(result, out, indent=2)
    bad = [
        s for (kind, s), n in rec.statuses.items() if isinstance(s, int) and s >= 500 and s != 503
    ]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
