"""A mixed load against a running server, with failures counted and timed (locust, headless).

Anonymous readers read random rooms from ``--read-paths`` in turn; writers rename random beds
with a token, retrying a 503 or a broken connection with the same ``Idempotency-Key`` (timed
as the client waited); attackers (HTTP Basic, a wrong password) and live loops (the live list,
1,000 rooms a page) are counted, not timed. ``--restart-command`` runs once, ``--restart-at``
seconds in (e.g. a PostgreSQL restart): failures are then counted by kind and status, with
the recovery time, from the first failure to the first success after the last. Prints JSON;
exit status 1 when any answer was a 5xx other than a 503. Users in ``locustfile.py``.
"""

import json
import math
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from .api import LIST_PAGE_SIZE, Server
from .harness import BenchmarkError, add_options, percentile, use_database

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def add_arguments(parser) -> None:
    add_options(parser, database_url=False)
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


def locust(host: str, users: dict[str, int], seconds: float, settings: dict, processes=1) -> list:
    """Run ``locustfile.py``'s users (class name -> count) headless against ``host`` for
    ``seconds``, in ``processes`` locust processes side by side; each process's result."""
    total, names = sum(users.values()), [name for name, count in users.items() if count]
    # The locustfile stops the test after ``seconds``; the run time is a backstop.
    options = f"--host {host} --headless --users {total} --spawn-rate {total} --only-summary"
    options += f" --loglevel ERROR --run-time {math.ceil(seconds) + 60}s"
    settings = {**settings, "users": users, "seconds": seconds, "processes": processes}
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), *options.split(), *names]
    with tempfile.TemporaryDirectory(prefix="locust-") as workdir:  # as locustfile.py says
        Path(workdir, "settings.json").write_text(json.dumps(settings))
        pipe = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True}
        env = {**os.environ, "ROOMS_LOAD_DIR": workdir}
        clients = [subprocess.Popen(command, env=env, **pipe) for _ in range(processes)]
        output = "".join(client.communicate()[0] for client in clients)
        results = [json.loads(path.read_text()) for path in Path(workdir).glob("result-*")]
    if len(results) < processes:
        raise BenchmarkError(f"locust ran no test:\n{output[-3000:]}")
    return results


def summary(records: list, seconds: float, restart) -> dict:
    """Rates, latency percentiles, statuses, failures and the recovery from them. A record:
    ``(seconds in, kind, status or error, a proper JSON 503?, seconds taken)``."""
    records = sorted(records, key=lambda record: record[0])
    ok = [r for r in records if isinstance(r[2], int) and r[2] < 400]
    failures = [r for r in records if not isinstance(r[2], int) or r[2] >= 500]
    found = {"duration_s": round(seconds, 1)}
    for kind in ("read", "write"):
        ms = [r[4] * 1000 for r in ok if r[1] == kind]
        found[f"{kind}s_per_s"] = round(len(ms) / seconds, 1)
        found[f"{kind}_ms"] = {q: round(percentile(ms, q), 1) for q in (50, 99)}
    statuses = Counter(f"{r[1]} {r[2]}" for r in records)
    found |= {"statuses": dict(sorted(statuses.items())), "failures": len(failures),
              "failures_not_json_503": sum(not r[3] for r in failures),
              "restart": restart}  # fmt: skip
    if failures:
        first, last = failures[0][0], failures[-1][0]
        after = next((r[0] for r in ok if r[1] in ("read", "write") and r[0] > last), None)
        found["failure_window_s"] = round(last - first, 2)
        found["recovered_after_s"] = after and round(after - first, 2)
        found["failures_by_kind"] = dict(Counter(f"{r[1]} {r[2]}" for r in failures))
    return found


def run(args) -> int:
    use_database(None)
    from rooms.read_models.registry import APP_TABLE, LIVE_PATH, MATERIALIZED_VIEW

    server, query = Server(args.base_url, 60), f"?page_size={LIST_PAGE_SIZE}"
    rooms, beds = ([item["id"] for item in server.get(path + query).json()["results"]]
                   for path in (APP_TABLE.path, "/beds/"))  # fmt: skip
    if not rooms or not beds:
        raise BenchmarkError(f"no rooms or no beds at {args.base_url}: fill the database first")
    attack = ["attack", f"{APP_TABLE.path}{rooms[0]}/", ["admin", "wrong password"]]
    abusers = [attack] * args.attackers + [["live-loop", LIVE_PATH + query, None]] * args.live_loops
    settings = {
        "rooms": rooms, "beds": beds, "token": args.token, "restart_command": args.restart_command,
        "read_paths": args.read_paths or [MATERIALIZED_VIEW.path, APP_TABLE.path, LIVE_PATH],
        "abusers": abusers,
        "restart_at": args.duration / 2 if args.restart_at is None else args.restart_at,
    }  # fmt: skip
    users = {"Reader": args.readers, "Writer": args.writers, "Abuser": len(abusers)}
    (result,) = locust(args.base_url, users, args.duration, settings)
    found = summary(result["records"], result["seconds"], result["restart"])
    args.run.emit(json.dumps(found, indent=2) + "\n")
    statuses = {status for _, _, status, *_ in result["records"] if isinstance(status, int)}
    return int(any(status >= 500 and status != 503 for status in statuses))
