"""Measure what read replicas and more app instances give, in one interleaved run.

Makes a streaming replica of the database's server (it must allow replication) and starts four
app instances (gunicorn, one sync worker each), two reading from the primary, two from the
replica. Then: stored single-room reads per second with 1 and 2 instances, on the primary and
on the replica (``--clients`` locust processes reading as fast as answered, round-robin over the
instances; the cores each group of processes used); the replica's lag while ``writes`` runs on
the primary; and read-your-writes: a bed renamed through the API, then at once one of its rooms
read with the write's ``X-DB-LSN``, without it, with it while the replica's replay is paused,
and from a primary instance. The view's refresh policy is ``manual`` meanwhile.
"""

import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import psutil
import requests

from . import harness
from .harness import BenchmarkError, median_range, percentile, query, table
from .load import locust

CONFIGURATIONS = {
    "1 instance, reads on the primary": ["p1"],
    "2 instances, reads on the primary": ["p1", "p2"],
    "1 instance, reads on the replica": ["r1"],
    "2 instances, reads on the replica": ["r1", "r2"],
}
READS = [
    "with X-DB-LSN, replica instance",
    "without, replica instance",
    "with X-DB-LSN, replica instance, replay paused",
    "primary instance",
]
PERCENTS = (50, 95, 99, 100)


def add_arguments(parser) -> None:
    harness.add_options(parser, rounds=5)
    parser.add_argument("--seconds", type=int, default=3, help="per configuration (3)")
    parser.add_argument("--clients", type=int, default=4, help="client processes (4)")
    parser.add_argument("--write-rounds", type=int, default=100, help="of the writes (100)")
    parser.add_argument("--raw-rounds", type=int, default=100, help="read-your-writes (100)")


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) so far of processes and all their descendants, ended ones too
    (their parents' ``children_*`` times): PostgreSQL's backends come and go, and a sum over
    the living alone could shrink between two readings."""
    total = 0.0
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(pid)
            for process in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):  # a process may end while we look
                    total += sum(process.cpu_times()[:4])  # user, system, children's both
    return total


def throughput(urls: list[str], settings: dict, args, groups: dict) -> list[float]:
    """Reads per second; the cores each group of processes (app, primary, replica), then the
    clients, used; the CPU ms per read of the app and of PostgreSQL (primary + replica)."""
    before = {name: cpu_seconds(pids) for name, pids in groups.items()}
    settings = {**settings, "hosts": urls}
    results = locust(urls[0], {"Reader": 1}, args.seconds, settings, processes=args.clients)
    window = max(result["seconds"] for result in results)
    records = [record for result in results for record in result["records"]]
    if failed := sum(record[2] != 200 for record in records):
        raise BenchmarkError(f"{failed} reads failed")
    cpu = {name: cpu_seconds(pids) - before[name] for name, pids in groups.items()}
    cpu["clients"], reads = sum(result["cpu"] for result in results), len(records)
    cores = [seconds / window for seconds in cpu.values()]  # app, primary, replica, clients
    postgres = cpu["primary"] + cpu["replica"]
    return [reads / window, *cores, 1000 * cpu["app"] / reads, 1000 * postgres / reads]


def reads_per_second(urls: dict, read_path: str, rooms: list, args, groups: dict) -> list[str]:
    """The section on reads per second, after a warm-up on every instance: a row per
    configuration, the medians over its interleaved rounds, and each round's reads/s."""
    settings = {"rooms": rooms, "read_paths": [read_path]}
    throughput(list(urls.values()), settings, args, groups)  # warm-up
    tasks = [(name, partial(throughput, [urls[n] for n in names], settings, args, groups))
             for name, names in CONFIGURATIONS.items()]  # fmt: skip
    rates = harness.interleave(lambda _: list(tasks), args.rounds, 0, random.Random())
    rows = []
    for name in CONFIGURATIONS:
        reads = [found[0] for found in rates[name]]
        _, *cores, app_ms, postgres_ms = map(statistics.median, zip(*rates[name], strict=True))
        rows.append((name, median_range(reads, 0),
                     ", ".join(f"{value:.0f}" for value in reads),
                     " / ".join(f"{value:.2f}" for value in cores),
                     f"{app_ms:.2f} / {postgres_ms:.2f}"))  # fmt: skip
    return [
        f"### Stored single-room reads per second (`GET {read_path}{{id}}/`)", "",
        "Cores used (CPU seconds per second, medians) by the app instances' gunicorn "
        "processes, the primary's and the replica's PostgreSQL processes, and the clients; "
        "CPU ms per read: app and PostgreSQL (primary + replica) per answered read.", "",
        *table("configuration | reads/s median (min to max) | per round | cores: app / primary "
               "/ replica / clients | CPU ms per read: app / PostgreSQL", rows),
    ]  # fmt: skip


def lag_under_writes(args, services: harness.Services) -> tuple[list[str], str]:
    """The section on the replica's lag sampled while ``writes`` runs on the primary, in a
    process of its own (a sampler thread beside it would slow its writes); its report."""
    from django.db import connection

    report = services.workdir / "writes.md"
    options = ["--rounds", str(args.write_rounds), "--bulk-rounds", "5", "--output", str(report)]
    command = [sys.executable, "-m", __package__, "writes", "--database-url", args.database_url]
    writes = services.start("writes", [*command, *options], os.environ, cwd=harness.APP_DIR.parent)
    samples, started = [], time.monotonic()
    with connection.cursor() as cursor:
        while writes.poll() is None:
            cursor.execute(
                "SELECT EXTRACT(epoch FROM replay_lag), pg_wal_lsn_diff(pg_current_wal_lsn(), "
                "replay_lsn) FROM pg_stat_replication"
            )
            samples += cursor.fetchall()
            time.sleep(0.05)
    if writes.returncode:
        log = (services.workdir / "writes.log").read_text(errors="replace")[-3000:]
        raise BenchmarkError(f"the write benchmark failed:\n{log}")
    lags = [float(lag) * 1000 for lag, _ in samples if lag is not None]
    behind = [float(behind or 0) for _, behind in samples]
    return [
        "### Replica lag under the write benchmark's load", "",
        f"`writes --rounds {args.write_rounds} --bulk-rounds 5` on the primary, "
        f"{time.monotonic() - started:.0f} s; `pg_stat_replication` sampled {len(samples)} "
        "times. Replay lag is NULL while the replica has replayed everything (not counted).", "",
        *table(" | median | p95 | p99 | max", [
            [f"replay lag, ms ({len(lags)} samples with WAL in flight)",
             *(f"{percentile(lags, p):.1f}" if lags else "—" for p in PERCENTS)],
            ["bytes not yet replayed", *(f"{percentile(behind, p):,.0f}" for p in PERCENTS)]]),
    ], report.read_text()  # fmt: skip


def read_your_writes(urls: dict, replica_url: str, read_path: str, rounds: int) -> list[str]:
    """The section on renaming a bed, then at once reading one of its rooms, each way of
    ``READS``; times are ``requests``' ``elapsed``, from sending to the answer's headers."""
    from rooms.models import Bed

    auth = {"Authorization": f"Token {harness.api_token()}"}
    links = Bed.rooms.through.objects.order_by("bed_id", "room_id").distinct("bed_id")
    beds = list(links.values_list("bed_id", "room_id")[:200])  # a bed, its first room
    found = {name: {"ms": [], "replica": 0, "primary": 0, "showed": 0} for name in READS}
    writes_ms, rng = [], random.Random(1)
    for round_number in range(rounds):
        for name in rng.sample(READS, len(READS)):
            bed, room = rng.choice(beds)
            new = f"~{round_number:04x}{rng.randrange(16**6):06x} {bed}"[:30]
            base = urls["p1" if name == "primary instance" else "r1"]
            if paused := name.endswith("paused"):  # the replica receives the write, unreplayed
                query(replica_url, "SELECT pg_wal_replay_pause()")
            written = requests.patch(
                f"{base}/beds/{bed}/", json={"name": new}, headers=auth, timeout=30
            )
            position = {"X-DB-LSN": written.headers["X-DB-LSN"]} if name.startswith("with") else {}
            read = requests.get(f"{base}{read_path}{room}/", headers=position, timeout=30)
            if paused:
                query(replica_url, "SELECT pg_wal_replay_resume()")
            writes_ms.append(written.elapsed.total_seconds() * 1000)
            found[name]["ms"].append(read.elapsed.total_seconds() * 1000)
            found[name][read.headers.get("X-DB-Server", "primary")] += 1
            found[name]["showed"] += new in read.text
    return [
        "### Read-your-writes: a read right after a write", "",
        f"{rounds} rounds; each: `PATCH /beds/{{id}}/` (token), then at once `GET {read_path}"
        f"{{room}}/` of one of its rooms. Write median / p95: {ms(writes_ms)} ms.", "",
        *table("read | median / p95 ms | served by replica / primary | showed the write", [
            (name, ms(r["ms"]), f"{r['replica']} / {r['primary']}",
             f"{r['showed']} of {len(r['ms'])}") for name, r in found.items()]),
    ]  # fmt: skip


def ms(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} / {percentile(values, 95):.2f}"


def run(args) -> int:
    harness.use_database(args.database_url)
    from django.db import connection

    from rooms.models import Room
    from rooms.read_models.registry import APP_TABLE

    rooms, path = list(Room.objects.values_list("id", flat=True)), APP_TABLE.path
    with (
        tempfile.TemporaryDirectory(prefix="rooms-replicas-") as workdir,
        harness.local_replica(args.database_url, Path(workdir)) as (replica, _),
        harness.refresh_policy("manual"),
        harness.Services(Path(workdir)) as services,
    ):
        replica_url = replica.url(connection.settings_dict["NAME"])
        env = harness.server_env(args.database_url, Path(workdir), ROOMS_VIEW_REFRESH="manual")
        replica_env = {**env, "DATABASE_REPLICA_URLS": replica_url}
        urls = {name: services.gunicorn(name, replica_env if name[0] == "r" else env, workers=1)
                for name in ("p1", "p2", "r1", "r2")}  # fmt: skip
        data = Path(query(args.database_url, "SHOW data_directory")[0])
        groups = {"app": [process.pid for process in services.processes]}
        for group, directory in [("primary", data), ("replica", replica.data)]:
            groups[group] = [int((directory / "postmaster.pid").read_text().split()[0])]
        reads = reads_per_second(urls, path, rooms, args, groups)
        lag, writes_report = lag_under_writes(args, services)
        read_after_write = read_your_writes(urls, replica_url, path, args.raw_rounds)
    header = args.run.header(
        "Read replicas and app instances: measured",
        f"{len(rooms):,} rooms, PostgreSQL {connection.pg_version // 10000} primary and one "
        "streaming replica on this machine, the load generator on the same cores; "
        f"{args.rounds} interleaved rounds of {args.seconds} s per configuration, {args.clients} "
        "locust client processes; each app instance is gunicorn with 1 sync worker.",
    )
    return args.run.emit("\n".join([
        *header, *reads, "", *lag, "", *read_after_write, "",
        "<details><summary>the write benchmark's own report</summary>", "", writes_report,
        "</details>", "",
    ]))  # fmt: skip
