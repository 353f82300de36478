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

import argparse
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

import psutil
import requests

from . import writes
from .harness import (
    BenchmarkError,
    Run,
    Services,
    add_options,
    interleave,
    local_replica,
    percentile,
    query,
    refresh_policy,
    server_env,
    table,
    use_database,
)
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
USER = "replica-benchmark"


def add_arguments(parser) -> None:
    add_options(parser, rounds=5)
    parser.add_argument("--seconds", type=int, default=3, help="per configuration (3)")
    parser.add_argument("--clients", type=int, default=4, help="client processes (4)")
    parser.add_argument("--write-rounds", type=int, default=100, help="of the writes (100)")
    parser.add_argument("--raw-rounds", type=int, default=100, help="read-your-writes (100)")


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) so far of processes and all their children."""
    total = 0.0
    for pid in pids:
        try:
            parent = psutil.Process(pid)
            for process in [parent, *parent.children(recursive=True)]:
                times = process.cpu_times()
                total += times.user + times.system
        except psutil.Error:
            pass
    return total


def throughput(urls: list[str], read_path: str, rooms: list, args, groups: dict) -> tuple:
    """Reads per second, and the cores each group of processes (and the clients) used."""
    before = {name: cpu_seconds(pids) for name, pids in groups.items()}
    settings = {"rooms": rooms, "read_paths": [read_path], "hosts": urls}
    results = locust(urls[0], {"Reader": 1}, args.seconds, settings, processes=args.clients)
    window = max(result["seconds"] for result in results)
    records = [record for result in results for record in result["records"]]
    if failed := sum(record[2] != 200 for record in records):
        raise BenchmarkError(f"{failed} reads failed")
    cores = {name: (cpu_seconds(pids) - before[name]) / window for name, pids in groups.items()}
    cores["clients"] = sum(result["cpu"] for result in results) / window
    return len(records) / window, cores


def lag_under_writes(args) -> dict:
    """Replica lag sampled while the write benchmark runs on the primary."""
    from django.db import connection

    samples, done = [], threading.Event()

    def sample():
        with connection.cursor() as cursor:
            while not done.is_set():
                cursor.execute(
                    "SELECT EXTRACT(epoch FROM replay_lag), pg_wal_lsn_diff("
                    "pg_current_wal_lsn(), replay_lsn) FROM pg_stat_replication"
                )
                samples.extend(cursor.fetchall())
                time.sleep(0.05)
        connection.close()

    argv = ["writes", "--database-url", args.database_url, "--rounds", str(args.write_rounds)]
    parser = argparse.ArgumentParser()
    writes.add_arguments(parser)
    writes_args = parser.parse_args([*argv[1:], "--bulk-rounds", "5"])
    writes_args.run = Run([*argv, "--bulk-rounds", "5"])
    sampler, started = threading.Thread(target=sample), time.monotonic()
    sampler.start()
    try:
        report = writes.benchmark(writes_args)
    finally:
        done.set()
        sampler.join()
    return {
        "seconds": time.monotonic() - started,
        "samples": len(samples),
        "report": report,
        "lag_ms": [float(lag) * 1000 for lag, _ in samples if lag is not None],
        "behind": [float(behind or 0) for _, behind in samples],
    }


def read_your_writes(urls: dict, replica_url: str, read_path: str, rounds: int) -> dict:
    """Rename a bed, then at once read one of its rooms, each way of ``READS``."""
    from django.contrib.auth import get_user_model
    from django.db.models import Min
    from rest_framework.authtoken.models import Token

    from rooms.models import Bed

    user = get_user_model().objects.filter(username=USER).first()
    user = user or get_user_model().objects.create_superuser(USER, password=None)
    auth = {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}
    beds = list(
        Bed.rooms.through.objects.values("bed_id")
        .annotate(room=Min("room_id"))
        .order_by("bed_id")
        .values_list("bed_id", "room")[:200]
    )
    found = {name: {"ms": [], "replica": 0, "primary": 0, "showed": 0} for name in READS}
    writes_ms, rng = [], random.Random(1)
    for round_number in range(rounds):
        for name in rng.sample(READS, len(READS)):
            bed, room = rng.choice(beds)
            new = f"~{round_number:04x}{rng.randrange(16**6):06x} {bed}"[:30]
            base = urls["p1" if name == "primary instance" else "r1"]
            if paused := name.endswith("paused"):  # the replica receives the write, unreplayed
                query(replica_url, "SELECT pg_wal_replay_pause()")
            started = time.perf_counter()
            written = requests.patch(
                f"{base}/beds/{bed}/", json={"name": new}, headers=auth, timeout=30
            )
            writes_ms.append((time.perf_counter() - started) * 1000)
            position = {"X-DB-LSN": written.headers["X-DB-LSN"]} if name.startswith("with") else {}
            started = time.perf_counter()
            read = requests.get(f"{base}{read_path}{room}/", headers=position, timeout=30)
            found[name]["ms"].append((time.perf_counter() - started) * 1000)
            if paused:
                query(replica_url, "SELECT pg_wal_replay_resume()")
            found[name][read.headers.get("X-DB-Server", "primary")] += 1
            found[name]["showed"] += new in read.text
    return {"reads": found, "writes_ms": writes_ms}


def run(args) -> int:
    use_database(args.database_url)
    from django.db import connection

    from rooms.models import Room
    from rooms.read_models.registry import APP_TABLE

    rooms, path = list(Room.objects.values_list("id", flat=True)), APP_TABLE.path
    with (
        tempfile.TemporaryDirectory(prefix="rooms-replicas-") as workdir,
        local_replica(args.database_url, Path(workdir)) as (replica, _),
        refresh_policy("manual"),
        Services(Path(workdir)) as services,
    ):
        replica_url = replica.url(connection.settings_dict["NAME"])
        env = server_env(args.database_url, Path(workdir), ROOMS_VIEW_REFRESH="manual")
        replica_env = {**env, "DATABASE_REPLICA_URLS": replica_url}
        urls = {name: services.gunicorn(name, replica_env if name[0] == "r" else env, workers=1)
                for name in ("p1", "p2", "r1", "r2")}  # fmt: skip
        data = Path(query(args.database_url, "SHOW data_directory")[0])
        groups = {"app": [process.pid for process in services.processes]}
        for group, directory in [("primary", data), ("replica", replica.data)]:
            groups[group] = [int((directory / "postmaster.pid").read_text().split()[0])]

        def reads(names: list[str]) -> tuple:
            return throughput([urls[name] for name in names], path, rooms, args, groups)

        reads(list(urls))  # warm-up
        tasks = [(name, lambda names=names: reads(names)) for name, names in CONFIGURATIONS.items()]
        rates = {name: [] for name in CONFIGURATIONS}
        interleave(lambda _: list(tasks), args.rounds, 0, random.Random(), rates)
        lag = lag_under_writes(args)
        ryw = read_your_writes(urls, replica_url, path, args.raw_rounds)
    return args.run.emit(report(args, rates, lag, ryw, len(rooms), path))


def report(args, rates: dict, lag: dict, ryw: dict, rooms: int, path: str) -> str:
    from django.db import connection

    rows, groups, lags = [], ("app", "primary", "replica", "clients"), lag["lag_ms"]
    for name, samples in rates.items():
        values = [rate for rate, _ in samples]
        cores = {group: statistics.median(cores[group] for _, cores in samples) for group in groups}
        per_read = [statistics.median(1000 * sum(c[g] for g in part) / rate for rate, c in samples)
                    for part in (["app"], ["primary", "replica"])]  # fmt: skip
        rows.append((name, f"{statistics.median(values):.0f} ({min(values):.0f} to "
                     f"{max(values):.0f})", ", ".join(f"{value:.0f}" for value in values),
                     " / ".join(f"{cores[group]:.2f}" for group in groups),
                     " / ".join(f"{value:.2f}" for value in per_read)))  # fmt: skip
    lines = args.run.header(
        "Read replicas and app instances: measured",
        f"{rooms:,} rooms, PostgreSQL {connection.pg_version // 10000} primary and one streaming "
        "replica on this machine, the load generator on the same cores; "
        f"{args.rounds} interleaved rounds of {args.seconds} s per configuration, {args.clients} "
        "locust client processes; each app instance is gunicorn with 1 sync worker.",
    )
    lines += [
        f"### Stored single-room reads per second (`GET {path}{{id}}/`)", "",
        "Cores used (CPU seconds per second, medians) by the app instances' gunicorn "
        "processes, the primary's and the replica's PostgreSQL processes, and the clients; "
        "CPU ms per read: app and PostgreSQL (primary + replica) per answered read.", "",
        *table("configuration | reads/s median (min to max) | per round | cores: app / primary "
               "/ replica / clients | CPU ms per read: app / PostgreSQL", rows),
        "", "### Replica lag under the write benchmark's load", "",
        f"`writes --rounds {args.write_rounds} --bulk-rounds 5` on the primary, "
        f"{lag['seconds']:.0f} s; `pg_stat_replication` sampled {lag['samples']} times. "
        "Replay lag is NULL while the replica has replayed everything (not counted).", "",
        *table(" | median | p95 | p99 | max", [
            [f"replay lag, ms ({len(lags)} samples with WAL in flight)",
             *(f"{percentile(lags, p):.1f}" if lags else "—" for p in (50, 95, 99, 100))],
            ["bytes not yet replayed",
             *(f"{percentile(lag['behind'], p):,.0f}" for p in (50, 95, 99, 100))]]),
        "", "### Read-your-writes: a read right after a write", "",
        f"{args.raw_rounds} rounds; each: `PATCH /beds/{{id}}/` (token), then at once "
        f"`GET {path}{{room}}/` of one of its rooms. Write median / p95: "
        f"{ms(ryw['writes_ms'])} ms.", "",
        *table("read | median / p95 ms | served by replica / primary | showed the write", [
            (name, ms(r["ms"]), f"{r['replica']} / {r['primary']}",
             f"{r['showed']} of {len(r['ms'])}") for name, r in ryw["reads"].items()]),
        "", "<details><summary>the write benchmark's own report</summary>", "",
        lag["report"], "</details>", "",
    ]  # fmt: skip
    return "\n".join(lines)


def ms(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} / {percentile(values, 95):.2f}"
