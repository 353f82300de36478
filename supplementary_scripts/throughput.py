"""Requests per second of the stored read paths, against a bare WSGI server on the same data.

Starts gunicorn servers under the shipped configuration (``docker/gunicorn.conf.py``, its
worker count or ``--workers``) on a database ``fill_db`` filled: the app, debug off, and
``bare_wsgi.py``, the same lookups with no framework (the limit). Each round loads every
request for ``--seconds`` and counts the answers per second: one room and a page of
``--page-size`` (the app's second page, the bare page after the same id) from each stored path
of the app's registry, and ``GET /healthz`` (the stack's floor). The load: wrk when installed,
otherwise locust (``locustfile.py``'s ``Hammer``), on the servers' cores.

Why so: a shared machine's speed drifts, so the figure is each round's ratio of the app's rate
to the bare server's on the same request, the two sampled back to back, every round in a new
random order; the report gives its median and range. ``--compare-app OTHER_CHECKOUT/app`` adds
that checkout's app ("before", under its own checkout's configuration) to the same rounds.
Every server must first answer the same rooms; a failed request fails the run (exit status 1).
"""

import json
import math
import random
import re
import runpy
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from .api import Server
from .harness import (
    APP_DIR,
    BenchmarkError,
    Services,
    add_options,
    interleave,
    median_range,
    server_env,
    table,
    use_database,
)
from .load import locust

CONFIG = Path("docker", "gunicorn.conf.py")  # in a checkout
APP, BARE, BEFORE = "app", "bare", "before"
COLUMNS = {APP: "app, requests/s", BARE: "bare WSGI, requests/s", "app / bare": "app / bare",
           BEFORE: "before, requests/s", "before / bare": "before / bare"}  # fmt: skip


def add_arguments(parser) -> None:
    add_options(parser, rounds=8, warmup=1, seed=True)
    parser.add_argument("--seconds", type=float, default=2, help="of load per measurement (2)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads, locust processes (2)")
    parser.add_argument("--workers", type=int, help="per server (default: the shipped count)")
    parser.add_argument("--load", choices=("auto", "wrk", "locust"), default="auto")
    parser.add_argument("--page-size", type=int, default=100, help="rooms per page (100)")
    parser.add_argument("--compare-app", type=Path, metavar="OTHER_CHECKOUT/app",
                        help="another checkout's app, measured in the same rounds")  # fmt: skip


def load(args):
    """``sample(url) -> (answers per second, what failed or "")``; what it is, for the report."""
    whole = args.seconds.is_integer()  # wrk's -d takes whole seconds only
    if args.load != "locust" and whole and shutil.which("wrk"):
        return wrk, f"wrk, {args.threads} threads, {args.connections} connections"
    if args.load == "wrk":
        missing = "is not installed (Debian: apt-get install wrk)"
        fraction = f"loads for whole seconds, not {args.seconds:g}"
        raise BenchmarkError(f"--load wrk: wrk {missing if whole else fraction}")
    users = max(1, args.connections // args.threads)
    return hammer, f"locust, {args.threads} processes of {users} users"


def wrk(url: str, args) -> tuple[float, str]:
    """A request fails as gunicorn's own timeout would fail it (wrk's default is 2 s: a stall
    of a busy machine is slow, not failed; locust waits as long)."""
    from app.timeouts import REQUEST_TIMEOUT

    timeout = math.ceil(REQUEST_TIMEOUT) or 3600
    command = f"wrk -t{args.threads} -c{args.connections} -d{args.seconds:g}s --timeout {timeout}s"
    command = [*command.split(), url]
    printed = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if not (rate := re.search(r"Requests/sec:\s+([0-9.]+)", printed)):
        raise BenchmarkError(f"wrk printed no rate for {url}:\n{printed}")
    failed = []
    if answered := re.search(r"Non-2xx or 3xx responses: (\d+)", printed):
        failed.append(f"{answered[1]} answered neither 2xx nor 3xx")
    if (timed_out := re.search(r"Socket errors: .*timeout (\d+)", printed)) and timed_out[1] != "0":
        failed.append(f"{timed_out[1]} timed out (no answer in {timeout} s)")
    return float(rate[1]), "; ".join(failed)


def hammer(url: str, args) -> tuple[float, str]:
    users = {"Hammer": max(1, args.connections // args.threads)}
    results = locust(url, users, args.seconds, {"url": url}, processes=args.threads)
    statuses = Counter(record[2] for result in results for record in result["records"])
    window = max(result["seconds"] for result in results)
    failed = ", ".join(
        f"{count} answered {status}" for status, count in statuses.items() if status != 200
    )
    return statuses[200] / window, failed


def measurements(urls: dict[str, str], room: int, after: int, size: int) -> dict:
    """Every request (its name -> each server's path), each stored path of the app's registry,
    once every server is found to answer the same rooms to it (a page's links differ)."""
    from rooms.read_models.registry import READ_MODELS

    servers, found = {name: Server(url, timeout=30) for name, url in urls.items()}, {}
    for path in (model.path for model in READ_MODELS.values()):
        found[f"GET {path}{{id}}/"] = dict.fromkeys(urls, f"{path}{room}/")
        second = urlsplit(servers[APP].get(f"{path}?page_size={size}").json()["next"])
        paged = dict.fromkeys(urls, f"{second.path}?{second.query}")
        paged[BARE] = f"{path}?after={after}&page_size={size}"
        found[f"GET {path}?page_size={size}"] = paged
    for request, paths in found.items():
        answers = {name: servers[name].get(path).json() for name, path in paths.items()}
        for name, answer in answers.items():
            if answer.get("results", answer) != answers[APP].get("results", answers[APP]):
                raise BenchmarkError(f"{request}: the {name} server and the app disagree")
    return {**found, "GET /healthz": {name: "/healthz" for name in urls if name != BARE}}


def start(services: Services, args, workdir: Path) -> tuple[dict[str, str], str]:
    """The servers' URLs (each app/ beside its checkout's CONFIG), and their workers."""
    from rooms.read_models.registry import READ_MODELS

    tables = json.dumps({model.prefix: model.relation for model in READ_MODELS.values()})
    env = server_env(args.database_url, workdir, ROOMS_BARE_TABLES=tables)
    shipped = runpy.run_path(str(APP_DIR.parent / CONFIG))
    workers = args.workers or shipped["workers"]
    served = {APP: (APP_DIR, "app.wsgi"), BARE: (Path(__file__).parent, "bare_wsgi")}
    if args.compare_app:
        if not (args.compare_app / "app" / "wsgi.py").is_file():
            raise BenchmarkError(f"--compare-app {args.compare_app}: not a checkout's app/")
        served[BEFORE] = (args.compare_app.resolve(), "app.wsgi")
    urls = {name: services.gunicorn(name, env, workers, where, wsgi, where.parent / CONFIG)
            for name, (where, wsgi) in served.items()}  # fmt: skip
    return urls, f"{workers} {shipped.get('worker_class', 'sync')} workers"


def report(args, found: dict, samples: dict, facts: str) -> str:
    columns = list(COLUMNS)[: 3 + 2 * bool(args.compare_app)]
    rows = []
    for request, paths in found.items():
        rounds = samples[request]
        cells = {name: median_range([r[name] for r in rounds], 0) for name in paths}
        if BARE in paths:  # the ratios, round by round
            cells |= {f"{name} / bare": median_range([r[name] / r[BARE] for r in rounds], 2)
                      for name in paths if name != BARE}  # fmt: skip
        floor = " (the stack's floor)" * (BARE not in paths)
        rows.append([request + floor, *(cells.get(column, "") for column in columns)])
    lines = [
        *args.run.header("Throughput of the stored read paths against a bare WSGI server", facts),
        "Requests per second, median (min to max) over the rounds; a ratio is an app's rate "
        "over the bare server's on the same request in the same round.",
        "",
        *table(" | ".join(["request", *(COLUMNS[column] for column in columns)]), rows),
        "",
        "Every sample, requests per second, in round order:",
        "",
        *(f"- {name}: {request}: {', '.join(f'{r[name]:.0f}' for r in samples[request])}"
          for request, paths in found.items() for name in paths),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def run(args) -> int:
    use_database(args.database_url)
    from rooms.models import Room

    rng, size = random.Random(args.seed), args.page_size
    ids = list(Room.objects.order_by("id").values_list("id", flat=True))
    if len(ids) < 2 * size:
        raise BenchmarkError(f"{len(ids)} rooms: fill the database with {2 * size} at least")
    room, after = rng.choice(ids), ids[size - 1]
    sample, load_used = load(args)

    def back_to_back(paths: dict[str, str]) -> dict[str, float]:
        rates = {}
        for name in rng.sample(list(paths), len(paths)):
            rates[name], failed = sample(url := urls[name] + paths[name], args)
            if failed:
                raise BenchmarkError(f"{name}: GET {url}: {failed}")
        return rates

    def tasks(number: int) -> list:
        print(f"round {number + 1} of {args.rounds}" if number >= 0 else "warm-up", file=sys.stderr)
        return [(request, lambda p=paths: back_to_back(p)) for request, paths in found.items()]

    # SIGTERM stops the servers as Ctrl-C does: through the ``with``.
    previous = signal.signal(signal.SIGTERM, lambda signum, _: sys.exit(128 + signum))
    try:
        with (
            tempfile.TemporaryDirectory(prefix="rooms-throughput-") as workdir,
            Services(Path(workdir)) as services,
        ):
            urls, workers = start(services, args, Path(workdir))
            found = measurements(urls, room, after, size)
            samples = interleave(tasks, args.rounds, args.warmup, rng)
    finally:
        signal.signal(signal.SIGTERM, previous)
    before = f"; before: the app of `{args.compare_app}`" * bool(args.compare_app)
    facts = (
        f"{len(ids):,} rooms; room {room}, pages of {size} after room {after}. Servers: gunicorn "
        f"with `{CONFIG}`, {workers} each; the app with debug off, its timing log and access "
        f"log written as in production{before}. Load: {load_used}; {args.rounds} rounds of "
        f"{args.seconds:g} s per measurement after {args.warmup} untimed, every round in a new "
        "random order, a request's servers back to back."
    )
    return args.run.emit(report(args, found, samples, facts))
