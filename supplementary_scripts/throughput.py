#!/usr/bin/env python
"""Requests per second of the stored read paths, against a bare WSGI server on the same data.

    python supplementary_scripts/throughput.py --database-url postgres://…/rooms_bench
        [--rounds 8] [--seconds 2] [--warmup 1] [--connections 16] [--threads 2] [--workers N]
        [--load auto|wrk|python] [--page-size 100] [--seed 1] [--compare-app OTHER_CHECKOUT/app]
        [--output misc/benchmark_throughput_2k.md]

On a database that is migrated and filled (``manage.py fill_db``) it starts two
servers under the same gunicorn configuration (``docker/gunicorn.conf.py``: the
shipped worker class and count, or ``--workers``): the app, debug off, as the
image runs it, and ``bare_wsgi.py``, a few lines of WSGI that answer the same
lookups with one psycopg2 connection per worker and no framework. Then, in
rounds, it loads each server with each request for ``--seconds`` seconds and
counts the answers per second:

* a single room, ``GET /rooms_v3/{id}/``, ``/rooms_mat_view/{id}/``,
  ``/rooms_v2/{id}/`` (the same room everywhere), against the bare server's
  same path;
* a page of 100 rooms (``--page-size``) from each: the app's second page,
  following its ``next`` link, against the bare server's page after the same id;
* ``GET /healthz`` (one ``SELECT 1`` through the whole stack), for reference.

Why it is built this way: the machine's speed drifts with whatever else runs
on it, so every round measures everything once, in a new random order, the
app and the bare server on the same request one right after the other; what
is reported is each round's **ratio** of the two, with its median and range
over the rounds. Before measuring,
the script checks that the app and the bare server answer the same documents.

The load comes from ``wrk`` when it is installed (``--load auto``, the
default; Debian package ``wrk``), otherwise from Python processes that send
requests as fast as answered (``--load python``); the report says which.
Client and servers share the machine's cores, as the database does.

``--compare-app`` starts a third server from another checkout's ``app/``
directory (say, a worktree of the main branch), under that checkout's
gunicorn configuration, and measures it in the same rounds, against the same
bare server: a before/after in one run.

Exit status: 0 on success, 1 when the servers disagree or a request failed,
2 when the database is not ready or a server did not start.
"""

import argparse
import contextlib
import datetime
import json
import multiprocessing
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2

HERE = Path(__file__).resolve().parent
REPO_DIR = HERE.parent
APP_DIR = REPO_DIR / "app"
GUNICORN_CONFIG = REPO_DIR / "docker" / "gunicorn.conf.py"

#: The stored read paths, each with the relation the bare server reads for it.
STORED_PATHS = ("/rooms_v3/", "/rooms_mat_view/", "/rooms_v2/")
#: Rooms per page (``--page-size``).
PAGE_SIZE = 100
HEALTH = "GET /healthz"
APP, BARE, BEFORE = "app", "bare", "before"


class BenchmarkError(Exception):
    """The run cannot go on (exit status in ``status``)."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


def single_name(path: str) -> str:
    return f"GET {path}{{id}}/"


def page_name(path: str, size: int = PAGE_SIZE) -> str:
    return f"GET {path}?page_size={size}"


# Servers -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One gunicorn serving ``module`` from ``directory``, with a checkout's shipped configuration.

    The configuration puts its own checkout's ``app/`` first on the import path,
    so an app is served with its checkout's: the compared app with its own.
    """

    def __init__(
        self,
        name: str,
        module: str,
        directory: Path,
        env: dict,
        workdir: Path,
        config: Path = GUNICORN_CONFIG,
    ):
        self.name = name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"{name}.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            # No control socket: its default path is one per user, shared by every server.
            [
                sys.executable,
                "-m",
                "gunicorn",
                module,
                "--config",
                str(config),
                "--no-control-socket",
            ],
            cwd=directory,
            env={**env, "PORT": str(self.port)},
            stdout=self.log,  # the access log: written, as in production, but not read
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_up(self, path: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(self.base + path, timeout=5) as answer,
            ):
                if answer.status == 200:
                    return
            time.sleep(0.2)
        raise BenchmarkError(
            f"the {self.name} server did not start; its log ({self.log_path}):\n"
            + self.log_path.read_text()[-3000:],
            status=2,
        )

    def get(self, path: str) -> tuple[dict, bytes]:
        request = urllib.request.Request(self.base + path, headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            raise BenchmarkError(f"{self.name}: GET {path} answered {error.code}") from None

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


# Load ----------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    requests_per_second: float
    failed: int


class WrkLoad:
    """``wrk -t THREADS -c CONNECTIONS -d SECONDS``: a C client, light on the shared cores."""

    def __init__(self, executable: str, threads: int, connections: int):
        self.executable, self.threads, self.connections = executable, threads, connections

    def describe(self) -> str:
        return f"wrk, {self.threads} threads, {self.connections} connections"

    def run(self, url: str, seconds: float) -> Sample:
        result = subprocess.run(
            [self.executable, f"-t{self.threads}", f"-c{self.connections}",
             f"-d{max(1, round(seconds))}s", url],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        rate = re.search(r"Requests/sec:\s+([0-9.]+)", result.stdout)
        if rate is None:
            raise BenchmarkError(f"wrk printed no rate for {url}:\n{result.stdout}")
        bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", result.stdout)
        timeouts = re.search(r"timeout (\d+)", result.stdout)
        failed = (int(bad.group(1)) if bad else 0) + (int(timeouts.group(1)) if timeouts else 0)
        return Sample(float(rate.group(1)), failed)


def _python_client(url: str, deadline: float, results) -> None:
    """One client process: GET ``url`` until ``deadline``, a new connection each time
    (gunicorn's sync workers close every connection after the answer)."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    done = failed = 0
    while time.monotonic() < deadline:
        connection = socket.create_connection((parts.hostname, parts.port))
        try:
            request = f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n"
            connection.sendall(request.encode())
            answer = bytearray()
            while chunk := connection.recv(65536):
                answer += chunk
        finally:
            connection.close()
        if answer.startswith((b"HTTP/1.1 200", b"HTTP/1.0 200")):
            done += 1
        else:
            failed += 1
    results.put((done, failed))


class PythonLoad:
    """``CONNECTIONS`` Python processes, each sending requests one after the other."""

    def __init__(self, connections: int):
        self.connections = connections

    def describe(self) -> str:
        return f"Python load generator, {self.connections} client processes"

    def run(self, url: str, seconds: float) -> Sample:
        results = multiprocessing.Queue()
        started = time.monotonic()
        clients = [
            multiprocessing.Process(target=_python_client, args=(url, started + seconds, results))
            for _ in range(self.connections)
        ]
        for client in clients:
            client.start()
        counts = [results.get() for _ in clients]
        for client in clients:
            client.join()
        elapsed = time.monotonic() - started
        return Sample(sum(done for done, _ in counts) / elapsed, sum(f for _, f in counts))


def make_load(kind: str, threads: int, connections: int):
    executable = shutil.which("wrk")
    if kind == "wrk" and executable is None:
        raise BenchmarkError("--load wrk: wrk is not installed (Debian: apt-get install wrk)", 2)
    if kind in ("auto", "wrk") and executable is not None:
        return WrkLoad(executable, threads, connections)
    return PythonLoad(connections)


# What is measured ----------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One measurement: an app URL and, but for the floor, the bare server's same request."""

    name: str
    app_path: str
    bare_path: str | None


def room_and_page(database_url: str, seed: int, size: int) -> tuple[int, int]:
    """A room every stored path holds, and the id the second page of ``size`` starts after."""
    ids = [
        room_id
        for (room_id,) in query(
            database_url, "SELECT id FROM rooms_roomwithrelatedobjsv3 ORDER BY id"
        )
    ]
    if len(ids) < 2 * size:
        raise BenchmarkError(
            f"the database holds {len(ids)} rooms; fill it with at least {2 * size} "
            "(manage.py fill_db)",
            status=2,
        )
    return random.Random(seed).choice(ids), ids[size - 1]


def targets(servers: dict[str, Server], room_id: int, after: int, size: int) -> list[Target]:
    """Every measurement, after checking that every server answers the same rooms to it."""
    app, bare = servers[APP], servers[BARE]
    others = [server for name, server in servers.items() if name != APP]
    found = []
    for path in STORED_PATHS:
        single = f"{path}{room_id}/"
        expected = json.loads(app.get(single)[1])
        for other in others:
            same_rooms(expected, json.loads(other.get(single)[1]), other, single)
        found.append(Target(single_name(path), single, single))
        first = json.loads(app.get(f"{path}?page_size={size}")[1])
        app_page = urlsplit(first["next"])
        app_page = f"{app_page.path}?{app_page.query}"
        bare_page = f"{path}?after={after}&page_size={size}"
        expected = json.loads(app.get(app_page)[1])["results"]
        if len(expected) != size:
            raise BenchmarkError(f"{app_page} holds {len(expected)} rooms, not {size}")
        for other in others:
            page = bare_page if other is bare else app_page
            same_rooms(expected, json.loads(other.get(page)[1])["results"], other, page)
        found.append(Target(page_name(path, size), app_page, bare_page))
    found.append(Target(HEALTH, "/healthz", None))
    return found


def same_rooms(expected, answered, server: Server, path: str) -> None:
    if answered != expected:
        raise BenchmarkError(
            f"GET {path}: the {server.name} server and the app answer different rooms"
        )


def measure(
    load,
    servers: dict[str, Server],
    found: list[Target],
    rounds: int,
    seconds: float,
    seed: int,
    warmup: float = 1,
) -> dict[tuple[str, str], list[Sample]]:
    """``(target name, server name) -> one sample per round``.

    Every round takes the targets in a new random order, and each target's
    samples (the app's, the bare server's, the compared app's) one right after
    the other, in a random order, so that the two sides of a ratio meet the
    same load from the rest of the machine.
    """
    order = random.Random(seed)
    found = list(found)
    samples: dict[tuple[str, str], list[Sample]] = {}
    for target in found if warmup else ():  # every worker's connection and caches
        for server in servers_of(target, servers):
            load.run(url_of(servers, target, server), warmup)
    for number in range(1, rounds + 1):
        order.shuffle(found)
        for target in found:
            names = servers_of(target, servers)
            for server in order.sample(names, k=len(names)):
                sample = load.run(url_of(servers, target, server), seconds)
                if sample.failed:
                    raise BenchmarkError(
                        f"{server}: {target.name}: {sample.failed} requests failed or timed out"
                    )
                samples.setdefault((target.name, server), []).append(sample)
        print(f"round {number}/{rounds} done", file=sys.stderr)
    return samples


def servers_of(target: Target, servers: dict[str, Server]) -> list[str]:
    return [name for name in servers if name != BARE or target.bare_path]


def url_of(servers: dict[str, Server], target: Target, server: str) -> str:
    return servers[server].base + (target.bare_path if server == BARE else target.app_path)


# Report --------------------------------------------------------------------


def spread(values: list[float], digits: int) -> str:
    """``median (min to max)``, or the value alone for one round."""
    median = f"{statistics.median(values):,.{digits}f}"
    if len(values) == 1:
        return median
    return f"{median} ({min(values):,.{digits}f} to {max(values):,.{digits}f})"


def ratios(samples, name: str, server: str = APP) -> list[float]:
    """``server``'s rate over the bare server's on request ``name``, round by round."""
    app, bare = samples[(name, server)], samples[(name, BARE)]
    return [a.requests_per_second / b.requests_per_second for a, b in zip(app, bare, strict=True)]


def report(samples, found, servers: dict[str, Server], context: dict) -> str:
    compared = BEFORE in servers
    lines = [
        "# Throughput of the stored read paths against a bare WSGI server",
        "",
        f"- date: {context['date']}",
        f"- command: `{context['command']}`",
        f"- machine: {os.cpu_count()} cores; load average before {context['load_before']}, "
        f"after {context['load_after']}",
        f"- data: {context['rooms']:,} rooms; room {context['room_id']}, "
        f"pages of {context['page_size']} after room {context['after']}",
        f"- servers: gunicorn with `docker/gunicorn.conf.py`, {context['workers']} "
        f"{context['worker_class']} workers each; the app with debug off, its timing log and "
        "access log written as in production"
        + (f"; before: the app of `{context['compare_app']}`" if compared else ""),
        f"- load: {context['load']}; {context['rounds']} rounds of {context['seconds']:g} s "
        "per measurement, every round in a new random order, a request's servers back to back",
        "",
        "Requests per second, median (min to max) over the rounds; a ratio is an app's rate "
        "over the bare server's on the same request in the same round.",
        "",
    ]
    header = ["request", "app, requests/s", "bare WSGI, requests/s", "app / bare"]
    if compared:
        header += ["before, requests/s", "before / bare"]
    lines += ["| " + " | ".join(header) + " |", "| --- |" + " ---: |" * (len(header) - 1)]
    for target in found:
        cells = [target.name, spread(rates(samples, target.name, APP), 0)]
        if target.bare_path is None:
            cells[0] += " (the stack's floor)"
            cells += ["", ""]
        else:
            cells += [
                spread(rates(samples, target.name, BARE), 0),
                spread(ratios(samples, target.name), 2),
            ]
        if compared:
            cells.append(spread(rates(samples, target.name, BEFORE), 0))
            cells.append(
                spread(ratios(samples, target.name, BEFORE), 2) if target.bare_path else ""
            )
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Every sample, requests per second, in round order:", ""]
    for (name, server), values in sorted(samples.items()):
        listed = ", ".join(f"{s.requests_per_second:.0f}" for s in values)
        lines.append(f"- {server}: {name}: {listed}")
    return "\n".join(lines) + "\n"


def rates(samples, name: str, server: str) -> list[float]:
    return [sample.requests_per_second for sample in samples[(name, server)]]


# Command line --------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a database fill_db filled")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=2, help="per measurement and round")
    parser.add_argument(
        "--warmup", type=float, default=1, help="seconds of load per request first (0: none)"
    )
    parser.add_argument("--connections", type=int, default=16, help="concurrent clients")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers of each server (default: the shipped count)"
    )
    parser.add_argument("--load", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--page-size", type=int, default=PAGE_SIZE, help="rooms per page")
    parser.add_argument("--seed", type=int, default=1, help="picks the room and the orders")
    parser.add_argument(
        "--compare-app",
        type=Path,
        help="another checkout's app/ directory, measured in the same rounds (before/after)",
    )
    parser.add_argument("--output", type=Path, help="write the report here too (Markdown)")
    return parser.parse_args(argv)


def query(database_url: str, sql: str) -> list[tuple]:
    with (
        contextlib.closing(psycopg2.connect(database_url)) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
        return cursor.fetchall()


def gunicorn_settings(env: dict) -> tuple[int, str]:
    """The worker count and class the shipped configuration gives under ``env``."""
    code = (
        "import runpy, sys; c = runpy.run_path(sys.argv[1]); "
        "print(c.get('workers', 1), c.get('worker_class', 'sync'))"
    )
    printed = subprocess.run(
        [sys.executable, "-c", code, str(GUNICORN_CONFIG)],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return int(printed[0]), printed[1]


def command_line(argv: list[str]) -> str:
    """The command, with the database URL cut to its name (a URL may hold a password)."""
    shown = [
        f".../{urlsplit(arg).path.lstrip('/')}" if previous == "--database-url" else arg
        for previous, arg in zip(["", *argv], argv, strict=False)
    ]
    return " ".join(["python supplementary_scripts/throughput.py", *shown])


def _terminated(signum, frame):
    raise SystemExit(128 + signum)  # through the ``finally`` that stops the servers


def main(argv=None) -> int:
    args = parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        return run(args, argv)
    except BenchmarkError as error:
        print(f"throughput: {error}", file=sys.stderr)
        return error.status
    except psycopg2.Error as error:
        print(f"throughput: the database: {error}", file=sys.stderr)
        return 2
    finally:
        signal.signal(signal.SIGTERM, previous)


def run(args, argv) -> int:
    room_id, after = room_and_page(args.database_url, args.seed, args.page_size)
    load = make_load(args.load, args.threads, args.connections)
    workdir = Path(tempfile.mkdtemp(prefix="rooms-throughput-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "ROOMS_", "GUNICORN_", "DATABASE_"))
    }
    env.update(
        DATABASE_URL=args.database_url,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(32),
        ROOMS_LOG_FILE=str(workdir / "timing.log"),
        PYTHONPATH=str(APP_DIR),
    )
    if args.workers:
        env["GUNICORN_WORKERS"] = str(args.workers)
    workers, worker_class = gunicorn_settings(env)
    servers = {
        APP: Server(APP, "app.wsgi", APP_DIR, env, workdir),
        BARE: Server(BARE, "bare_wsgi", HERE, env, workdir),
    }
    if args.compare_app:
        compare_dir = args.compare_app.resolve()
        config = compare_dir.parent / "docker" / "gunicorn.conf.py"
        if not (compare_dir / "app" / "wsgi.py").is_file() or not config.is_file():
            raise BenchmarkError(
                f"--compare-app {compare_dir}: not the app/ directory of a checkout", status=2
            )
        env_before = {**env, "PYTHONPATH": str(compare_dir)}
        servers[BEFORE] = Server(BEFORE, "app.wsgi", compare_dir, env_before, workdir, config)
    try:
        for name, server in servers.items():
            server.wait_until_up(f"{STORED_PATHS[0]}{room_id}/" if name == BARE else "/healthz")
        found = targets(servers, room_id, after, args.page_size)
        load_before = os.getloadavg()[0]
        samples = measure(load, servers, found, args.rounds, args.seconds, args.seed, args.warmup)
        load_after = os.getloadavg()[0]
    finally:
        for server in servers.values():
            server.stop()
    text = report(
        samples,
        found,
        servers,
        {
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "command": command_line(argv if argv is not None else sys.argv[1:]),
            "load_before": f"{load_before:.2f}",
            "load_after": f"{load_after:.2f}",
            "rooms": query(args.database_url, "SELECT count(*) FROM rooms_room")[0][0],
            "room_id": room_id,
            "after": after,
            "page_size": args.page_size,
            "workers": workers,
            "worker_class": worker_class,
            "load": load.describe(),
            "rounds": args.rounds,
            "seconds": args.seconds,
            "compare_app": args.compare_app,
        },
    )
    print(text)
    if args.output:
        args.output.write_text(text)
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
