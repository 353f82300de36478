#!/usr/bin/env python
"""Measure what read replicas and more app instances give, in one interleaved run.

    python supplementary_scripts/benchmark_replicas.py --database-url postgres://…/rooms_bench
        [--rounds 5] [--seconds 3] [--clients 4] [--write-rounds 100] [--raw-rounds 100]
        [--output FILE.md]

On a database that is migrated and filled (``manage.py fill_db``) on a server
that allows replication, it makes a real streaming replica of that server
(``app/local_replica.py``), starts four gunicorn servers (one sync worker
each: an "app instance") — two reading from the primary, two from the
replica — and measures:

1. **Cached single-room reads per second** (``GET /rooms_v2/{id}/``, random
   rooms), for 1 and 2 instances, reads on the primary and on the replica:
   ``--clients`` client processes send requests as fast as answered for
   ``--seconds`` seconds, spread round-robin over the instances (a proxy's
   job, left out here: it would add its own CPU to the same two cores). Every
   round measures the four configurations once, in a new random order.
2. **Replica lag under the write benchmark's load**: while
   ``supplementary_scripts/benchmark_writes.py`` runs against the primary,
   the primary's ``pg_stat_replication`` is sampled every 50 ms: replay lag
   (PostgreSQL's own measure, from a WAL record's flush on the primary to its
   replay on the replica) and the bytes not yet replayed.
3. **The cost of read-your-writes**: a bed renamed through the API (token),
   then at once its room read from ``/rooms_v2/``: with the write's
   ``X-DB-LSN`` from an instance reading from the replica, without it from
   the same instance, with it while the replica's replay is paused (the
   worst case: the read waits ``ROOMS_REPLICA_READ_WAIT``, then the primary
   serves it), and from an instance on the primary. Which server answered,
   and whether the read showed the write, are counted. The view's refresh
   policy is ``manual`` meanwhile (put back afterwards), so that a write does
   not wait for a full refresh.

Everything runs on this machine, client included: the figures say what one
machine's cores can do, not what separate machines would.
"""

import argparse
import contextlib
import datetime
import json
import multiprocessing
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.client import HTTPConnection
from pathlib import Path

import psutil
import psycopg2
from timings import percentile

REPO_DIR = Path(__file__).resolve().parent.parent
APP_DIR = REPO_DIR / "app"
sys.path.insert(0, str(APP_DIR))

from local_replica import LocalReplica  # noqa: E402

CONFIGURATIONS = {
    "1 instance, reads on the primary": ("primary", 1),
    "2 instances, reads on the primary": ("primary", 2),
    "1 instance, reads on the replica": ("replica", 1),
    "2 instances, reads on the replica": ("replica", 2),
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_name(url: str) -> str:
    with contextlib.closing(psycopg2.connect(url)) as connection:
        return connection.get_dsn_parameters()["dbname"]


def query(url: str, sql: str, params=()):
    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()


class Instance:
    """One app instance: gunicorn with one sync worker, as docker/start.sh runs it."""

    def __init__(self, env: dict, workdir: Path, name: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = (workdir / f"{name}.log").open("w")
        self.process = subprocess.Popen(
            ["sh", str(REPO_DIR / "docker" / "start.sh")],
            env={**env, "PORT": str(self.port), "ROOMS_LOG_FILE": str(workdir / f"{name}.t")},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as answer,
            ):
                if answer.status == 200:
                    return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"the server on port {self.port} did not start")

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()


def read_loop(ports: list[int], rooms: list[int], seconds: float, seed: int, results) -> None:
    """One client process: GET random rooms round-robin over ``ports`` until time is up."""
    rng = random.Random(seed)
    done = failed = 0
    deadline = time.monotonic() + seconds
    turn = 0
    while time.monotonic() < deadline:
        port = ports[turn % len(ports)]
        turn += 1
        connection = HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", f"/rooms_v2/{rng.choice(rooms)}/")
            answer = connection.getresponse()
            answer.read()
            if answer.status == 200:
                done += 1
            else:
                failed += 1
        except OSError:
            failed += 1
        finally:
            connection.close()
    results.put((done, failed))


def cpu_seconds(root: int) -> float:
    """CPU time (user + system) of a process and all its children so far."""
    total = 0.0
    try:
        parent = psutil.Process(root)
        processes = [parent, *parent.children(recursive=True)]
    except psutil.Error:
        return total
    for process in processes:
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            total += times.user + times.system
    return total


def postmaster(url: str) -> int:
    directory = query(url, "SHOW data_directory")[0][0]
    return int((Path(directory) / "postmaster.pid").read_text().split()[0])


def throughput(ports, rooms, seconds, clients, groups: dict[str, list[int]]):
    """Reads per second, and the cores each group of processes (and the clients) used."""
    used_before = {name: sum(map(cpu_seconds, roots)) for name, roots in groups.items()}
    before = os.times()
    results = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(
            target=read_loop, args=(ports, rooms, seconds, random.randrange(2**31), results)
        )
        for _ in range(clients)
    ]
    for worker in workers:
        worker.start()
    counts = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    after = os.times()
    failed = sum(count[1] for count in counts)
    if failed:
        raise RuntimeError(f"{failed} reads failed")
    cores = {
        name: (sum(map(cpu_seconds, roots)) - used_before[name]) / seconds
        for name, roots in groups.items()
    }
    cores["clients"] = (
        after.children_user - before.children_user + after.children_system - before.children_system
    ) / seconds
    return sum(count[0] for count in counts) / seconds, cores


def sample_lag(primary_url: str, stop: threading.Event, samples: list) -> None:
    connection = psycopg2.connect(primary_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        while not stop.is_set():
            cursor.execute(
                "SELECT EXTRACT(epoch FROM replay_lag), "
                "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) FROM pg_stat_replication"
            )
            for lag, behind in cursor.fetchall():
                samples.append((None if lag is None else float(lag), float(behind or 0)))
            time.sleep(0.05)
    connection.close()


def lag_under_writes(primary_url: str, rounds: int, workdir: Path) -> dict:
    samples: list = []
    stop = threading.Event()
    sampler = threading.Thread(target=sample_lag, args=(primary_url, stop, samples))
    sampler.start()
    started = time.monotonic()
    try:
        subprocess.run(
            [
                sys.executable,
                str(REPO_DIR / "supplementary_scripts" / "benchmark_writes.py"),
                "--database-url",
                primary_url,
                "--rounds",
                str(rounds),
                "--bulk-rounds",
                "5",
                "--output",
                str(workdir / "writes.md"),
            ],
            env={**os.environ, "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "x")},
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        stop.set()
        sampler.join()
    lags = [lag * 1000 for lag, _ in samples if lag is not None]
    behind = [value for _, value in samples]
    return {
        "seconds": time.monotonic() - started,
        "samples": len(samples),
        "lag_ms": lags,
        "behind_bytes": behind,
        "writes_report": (workdir / "writes.md").read_text(),
    }


def set_policy(url: str, secret: str, policy: str) -> None:
    """The view's refresh policy, which lives in the database (as ``manage.py`` sets it)."""
    subprocess.run(
        [sys.executable, str(APP_DIR / "manage.py"), "shell", "-c",
         "from rooms.read_models import materialized_view;"
         f"materialized_view.set_refresh_policy({policy!r})"],
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SECRET_KEY": secret},
        check=True, capture_output=True,
    )  # fmt: skip


def api(method: str, url: str, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status, dict(answer.headers), answer.read().decode()


def read_your_writes(
    primary_url: str, replica_url: str, replica_base: str, primary_base: str, rounds: int
):
    """Rename a bed, then at once read one of its rooms three ways; see the module's docstring."""
    token = query(
        primary_url,
        "SELECT key FROM authtoken_token t JOIN auth_user u ON u.id = t.user_id "
        "WHERE u.username = 'replica-benchmark'",
    )[0][0]
    beds = query(
        primary_url,
        "SELECT bed_id, min(room_id) FROM rooms_bed_rooms GROUP BY bed_id "
        "ORDER BY bed_id LIMIT 200",
    )
    auth = {"Authorization": f"Token {token}"}
    timings = {"with X-DB-LSN, replica instance": [], "without, replica instance": [],
               "with X-DB-LSN, replica instance, replay paused": [],
               "primary instance": []}  # fmt: skip
    served = {name: {"replica": 0, "primary": 0} for name in timings}
    showed = {name: 0 for name in timings}
    writes = []
    rng = random.Random(1)
    for round_number in range(rounds):
        for name in rng.sample(list(timings), len(timings)):
            bed, room = rng.choice(beds)
            new = f"~{round_number:04x}{rng.randrange(16**6):06x} {bed}"[:30]
            base = primary_base if name == "primary instance" else replica_base
            paused = name.endswith("paused")
            if paused:  # before the write: the replica receives it but does not replay it
                query(replica_url, "SELECT pg_wal_replay_pause()")
            started = time.perf_counter()
            _, headers, _ = api("PATCH", f"{base}/beds/{bed}/", {"name": new}, auth)
            writes.append(time.perf_counter() - started)
            read_headers = {"X-DB-LSN": headers["X-DB-LSN"]} if name.startswith("with") else {}
            started = time.perf_counter()
            _, answer_headers, body = api("GET", f"{base}/rooms_v2/{room}/", None, read_headers)
            timings[name].append(time.perf_counter() - started)
            if paused:
                query(replica_url, "SELECT pg_wal_replay_resume()")
            served[name][answer_headers.get("X-DB-Server", "primary")] += 1
            showed[name] += new in body
    return timings, served, showed, writes


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.2f} / {percentile(values, 95) * 1000:.2f}"


def report(args, setup: dict, rates: dict, lag: dict, ryw, argv=None) -> str:
    lines = [
        "# Read replicas and app instances: measured",
        "",
        f"- started {setup['started']:%Y-%m-%d %H:%M UTC}, {setup['rooms']:,} rooms, "
        f"PostgreSQL {setup['version']} primary and one streaming replica on this machine "
        f"({os.cpu_count()} cores, shared), the load generator on the same cores",
        f"- {args.rounds} interleaved rounds of {args.seconds:g} s per configuration, "
        f"{args.clients} client processes; each app instance is gunicorn with 1 sync worker",
        "- load average (1, 5, 15 min) before: "
        f"{', '.join(f'{value:.2f}' for value in setup['load_before'])}; after: "
        f"{', '.join(f'{value:.2f}' for value in os.getloadavg())}",
        "- command: `python supplementary_scripts/benchmark_replicas.py "
        + " ".join(sys.argv[1:] if argv is None else argv)
        + "`",
        "",
        "## Cached single-room reads per second (`GET /rooms_v2/{id}/`)",
        "",
        "Cores used (CPU seconds per second, medians): by the app instances' gunicorn",
        "processes, the primary's and the replica's PostgreSQL processes, and the clients;",
        "CPU ms per read: app and PostgreSQL (primary + replica) per answered read.",
        "",
        "| configuration | reads/s median (min to max) | per round | cores: app / primary / "
        "replica / clients | CPU ms per read: app / PostgreSQL |",
        "| --- | ---: | --- | ---: | ---: |",
    ]
    for name, samples in rates.items():
        values = [rate for rate, _ in samples]
        core = {
            group: statistics.median(cores[group] for _, cores in samples)
            for group in ("app", "primary", "replica", "clients")
        }
        per_read = statistics.median(
            (cores["app"] / rate, (cores["primary"] + cores["replica"]) / rate)
            for rate, cores in samples
        )
        lines.append(
            f"| {name} | {statistics.median(values):.0f} ({min(values):.0f} to {max(values):.0f}) "
            f"| {', '.join(f'{value:.0f}' for value in values)} | "
            f"{core['app']:.2f} / {core['primary']:.2f} / {core['replica']:.2f} / "
            f"{core['clients']:.2f} | {per_read[0] * 1000:.2f} / {per_read[1] * 1000:.2f} |"
        )
    lag_ms = lag["lag_ms"]
    lines += [
        "",
        "## Replica lag under the write benchmark's load",
        "",
        f"`benchmark_writes.py --rounds {args.write_rounds} --bulk-rounds 5` on the primary, "
        f"{lag['seconds']:.0f} s; `pg_stat_replication` sampled {lag['samples']} times. "
        f"Replay lag is NULL while the replica has replayed everything (not counted).",
        "",
        "| | median | p95 | p99 | max |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| replay lag, ms ({len(lag_ms)} samples with WAL in flight) | "
        + " | ".join(f"{percentile(lag_ms, p):.1f}" if lag_ms else "—" for p in (50, 95, 99, 100))
        + " |",
        "| bytes not yet replayed | "
        + " | ".join(f"{percentile(lag['behind_bytes'], p):,.0f}" for p in (50, 95, 99, 100))
        + " |",
    ]
    timings, served, showed, writes = ryw
    lines += [
        "",
        "## Read-your-writes: a read right after a write",
        "",
        f"{args.raw_rounds} rounds; each: `PATCH /beds/{{id}}/` (token), then at once "
        f"`GET /rooms_v2/{{room}}/` of one of its rooms. Write median / p95: {ms(writes)} ms.",
        "",
        "| read | median / p95 ms | served by replica / primary | showed the write |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, values in timings.items():
        lines.append(
            f"| {name} | {ms(values)} | {served[name]['replica']} / {served[name]['primary']} "
            f"| {showed[name]} of {len(values)} |"
        )
    lines += ["", "<details><summary>the write benchmark's own report</summary>", ""]
    lines += [lag["writes_report"], "</details>", ""]
    return "\n".join(lines)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="migrated, filled primary")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--write-rounds", type=int, default=100)
    parser.add_argument("--raw-rounds", type=int, default=100, help="read-your-writes rounds")
    parser.add_argument("--output", type=Path)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="rooms-bench-replicas-"))
    replica = LocalReplica(args.database_url, workdir / "replica")
    if reason := replica.refusal():
        print(f"benchmark_replicas: no replica can be made: {reason}", file=sys.stderr)
        return 2
    setup = {
        "started": datetime.datetime.now(datetime.UTC),
        "load_before": os.getloadavg(),
        "rooms": query(args.database_url, "SELECT count(*) FROM rooms_room")[0][0],
        "version": query(args.database_url, "SHOW server_version")[0][0].split()[0],
    }
    secret = os.environ.get("DJANGO_SECRET_KEY", "benchmark-replicas-not-a-secret")
    subprocess.run(
        [sys.executable, str(APP_DIR / "manage.py"), "shell", "-c",
         "from django.contrib.auth.models import User;"
         "from rest_framework.authtoken.models import Token;"
         "u = User.objects.filter(username='replica-benchmark').first() or "
         "User.objects.create_superuser('replica-benchmark', password=None);"
         "Token.objects.get_or_create(user=u)"],
        env={**os.environ, "DATABASE_URL": args.database_url, "DJANGO_SECRET_KEY": secret},
        check=True, capture_output=True,
    )  # fmt: skip
    policy = query(args.database_url, "SELECT refresh_policy FROM rooms_view_state")[0][0]
    replica.create()
    replica.start()
    instances = {}
    try:
        base_env = {
            **os.environ,
            "DATABASE_URL": args.database_url,
            "DJANGO_SECRET_KEY": secret,
            "DJANGO_DEBUG": "0",
            "PYTHON": sys.executable,
            "GUNICORN_WORKERS": "1",
            "ROOMS_SKIP_STARTUP_TASKS": "1",
            "ROOMS_VIEW_REFRESH": "manual",
        }
        replica_env = {
            **base_env,
            "DATABASE_REPLICA_URLS": replica.url(database_name(args.database_url)),
        }
        for name, env in [("p1", base_env), ("p2", base_env), ("r1", replica_env),
                          ("r2", replica_env)]:  # fmt: skip
            instances[name] = Instance(env, workdir, name)
        for instance in instances.values():
            instance.wait_until_up()
        rooms = [row[0] for row in query(args.database_url, "SELECT id FROM rooms_room")]
        ports = {
            ("primary", 1): [instances["p1"].port],
            ("primary", 2): [instances["p1"].port, instances["p2"].port],
            ("replica", 1): [instances["r1"].port],
            ("replica", 2): [instances["r1"].port, instances["r2"].port],
        }
        groups = {
            "app": [instance.process.pid for instance in instances.values()],
            "primary": [postmaster(args.database_url)],
            "replica": [int((replica.data / "postmaster.pid").read_text().split()[0])],
        }
        throughput(ports[("replica", 2)], rooms, 1.0, args.clients, groups)  # warm-up
        set_policy(args.database_url, secret, "manual")  # writes do not refresh the view
        rates = {name: [] for name in CONFIGURATIONS}
        for _ in range(args.rounds):
            for name in random.sample(list(CONFIGURATIONS), len(CONFIGURATIONS)):
                rates[name].append(
                    throughput(
                        ports[CONFIGURATIONS[name]], rooms, args.seconds, args.clients, groups
                    )
                )
        replica_url = replica.url(database_name(args.database_url))
        lag = lag_under_writes(args.database_url, args.write_rounds, workdir)
        ryw = read_your_writes(
            args.database_url, replica_url, instances["r1"].base, instances["p1"].base,
            args.raw_rounds,
        )  # fmt: skip
    finally:
        set_policy(args.database_url, secret, policy)
        for instance in instances.values():
            instance.stop()
        replica.stop()
    text = report(args, setup, rates, lag, ryw, argv)
    if args.output:
        args.output.write_text(text)
    print(text)
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
