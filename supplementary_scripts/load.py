"""A mixed load against a running server, with failures counted and timed (locust, headless).

``--readers`` (anonymous) read a random room from each of ``--read-paths`` in turn (default:
the view, the app table and the live path); ``--writers`` rename random beds with a token
(``locustfile.Writer``: retried with the same ``Idempotency-Key`` until answered, and timed
as the client waited, retries included); ``--attackers`` send HTTP Basic with a wrong
password and ``--live-loops`` fetch the live list 1,000 rooms a page, in loops: the two
abuses that used to starve the service, counted, not timed. ``--restart-command`` runs once,
``--restart-at`` seconds in (e.g. restarting PostgreSQL): failures are then listed by kind
and status, with whether each was a JSON 503 with ``Retry-After``, and the recovery time: from
the first failure to the first success after the last one. Every user stops by itself after
``--duration`` seconds. Prints JSON; the exit status is 1 when any answer was a 5xx other
than a 503.
"""

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from .api import LIST_PAGE_SIZE, Server
from .harness import BenchmarkError, percentile, use_database

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def add_arguments(parser) -> None:
    parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="the server")
    parser.add_argument("--token", required=True, help="an API token of a user who may edit beds")
    parser.add_argument("--readers", type=int, default=16, help="anonymous readers (16)")
    parser.add_argument("--read-paths", nargs="+", metavar="PATH", help="read in turn")
    parser.add_argument("--writers", type=int, default=4, help="writers (4)")
    parser.add_argument("--attackers", type=int, default=0, help="wrong-password loops (0)")
    parser.add_argument("--live-loops", type=int, default=0, help="live-list loops (0)")
    parser.add_argument("--duration", type=int, default=60, help="seconds (60)")
    parser.add_argument("--restart-at", type=float, help="seconds in (default: half-way)")
    parser.add_argument("--restart-command", help="run once, --restart-at seconds in")
    parser.add_argument("--output", metavar="FILE.json", help="also write the results here")


def locust(host: str, users: dict[str, int], seconds: int, settings: dict, processes=0) -> list:
    """Run ``locustfile.py``'s users (class name -> count) headless against ``host`` for
    ``seconds``, in ``processes`` worker processes (0: one process); each process's result."""
    with tempfile.TemporaryDirectory(prefix="locust-") as workdir:
        path = Path(workdir) / "settings.json"
        path.write_text(json.dumps({**settings, "users": users, "seconds": seconds}))
        total = str(sum(users.values()))
        command = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--host",
            host,
            "--users",
            total,
            "--spawn-rate",
            total,
            "--run-time",
            f"{seconds + 60}s",  # a backstop: the locustfile stops the test itself
            "--only-summary",
            "--loglevel",
            "ERROR",
            *(["--processes", str(processes)] if processes else []),
            *(name for name, count in users.items() if count),
        ]
        env = {**os.environ, "ROOMS_LOAD_SETTINGS": str(path)}
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        results = [json.loads(result.read_text()) for result in path.parent.glob("result-*")]
    if not results:
        raise BenchmarkError(f"locust ran no test:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return results


def summary(records: list, seconds: float, restart) -> dict:
    """Rates, latency percentiles, statuses, failures and the recovery from them."""
    records = sorted(records, key=lambda record: record[0])
    ok = [r for r in records if isinstance(r[2], int) and r[2] < 400]
    failures = [r for r in records if not isinstance(r[2], int) or r[2] >= 500]
    found = {"duration_s": round(seconds, 1)}
    for kind in ("read", "write"):
        latencies = [elapsed for _, name, _, _, elapsed in ok if name == kind]
        found[f"{kind}s_per_s"] = round(len(latencies) / seconds, 1)
        found[f"{kind}_ms"] = {q: round(percentile(latencies, q) * 1000, 1) for q in (50, 99)}
    found |= {
        "statuses": dict(sorted(Counter(f"{r[1]} {r[2]}" for r in records).items())),
        "failures": len(failures),
        "failures_not_json_503": sum(not proper for *_, proper, _ in failures),
        "restart": restart,
    }
    if failures:
        first, last = failures[0][0], failures[-1][0]
        after = [r[0] for r in ok if r[1] in ("read", "write") and r[0] > last]
        found["failure_window_s"] = round(last - first, 2)
        found["recovered_after_s"] = round(after[0] - first, 2) if after else None
        found["failures_by_kind"] = dict(Counter(f"{r[1]} {r[2]}" for r in failures))
    return found


def run(args) -> int:
    use_database(None)
    from rooms.read_models.registry import APP_TABLE, LIVE_PATH, MATERIALIZED_VIEW

    server = Server(args.base_url, 60)

    def ids(path: str) -> list[int]:
        return [
            item["id"]
            for item in server.get(f"{path}?page_size={LIST_PAGE_SIZE}").json()["results"]
        ]

    rooms, beds = ids(APP_TABLE.path), ids("/beds/")
    if not rooms or not beds:
        raise BenchmarkError(f"no rooms or no beds at {args.base_url}: fill the database first")
    settings = {
        "rooms": rooms,
        "beds": beds,
        "token": args.token,
        "read_paths": args.read_paths or [MATERIALIZED_VIEW.path, APP_TABLE.path, LIVE_PATH],
        "attack_path": f"{APP_TABLE.path}{rooms[0]}/",
        "live_list_path": f"{LIVE_PATH}?page_size={LIST_PAGE_SIZE}",
        "restart_command": args.restart_command,
        "restart_at": args.duration / 2 if args.restart_at is None else args.restart_at,
    }
    users = {
        "Reader": args.readers,
        "Writer": args.writers,
        "Attacker": args.attackers,
        "LiveLoop": args.live_loops,
    }
    (result,) = locust(args.base_url, users, args.duration, settings)
    found = summary(result["records"], result["seconds"], result["restart"])
    args.run.emit(json.dumps(found, indent=2) + "\n")
    bad = [status for *_, status, _, _ in result["records"] if isinstance(status, int)]
    return 1 if any(status >= 500 and status != 503 for status in bad) else 0
