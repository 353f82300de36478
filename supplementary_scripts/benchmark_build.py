#!/usr/bin/env python
"""Time how fast room documents are built, by every read model, in one interleaved run.

    python supplementary_scripts/benchmark_build.py --database-url postgres://…/rooms_bench_10k
                                                    [--rounds 3] [--output FILE.md]

On a database that is migrated and filled (``manage.py fill_db``), it times:

* the original project's query (``original_readme_query.sql``, the baseline):
  a scratch materialized view made from it ``WITH NO DATA``, timed as a plain
  ``REFRESH MATERIALIZED VIEW``;
* the materialized view ``rooms_related_objects``, refreshed plainly and
  concurrently (``rooms_refresh_view(false)`` / ``(true)``);
* each stored table rebuilt from scratch: ``TRUNCATE``, then
  ``rooms_<name>_rebuild(NULL)``;
* the check, ``consistency.drift()`` of every read model;
* the per-room rebuild of the trigger table, ``rooms_trigger_table_rebuild``
  of 1 and of 100 random rooms (in ms).

Why it is built this way:

* **One interleaved run.** Every round takes one sample of every measurement,
  in a new random order, so the drift of a shared machine hits every
  measurement alike and the ratios to the baseline hold.
* **Nothing is kept.** Every measured operation runs in its own transaction,
  which is rolled back afterwards: the database is left as it was found.
  The only thing created for real is the scratch view, dropped at the end,
  also when the run fails.
* **The functions the app runs.** Refreshes and rebuilds call the installed
  SQL functions, so the room locks, the table lock and ``jit = off`` are
  what they are in production; the check calls the app's own ``drift()``.
  The baseline runs with the server's settings (``jit`` included), as the
  original project ran it.
* **Per-room rebuilds rewrite their rows.** A rebuild of rows that are
  already current computes the documents and writes nothing; after a real
  write it rewrites them. So the rows of the chosen rooms are first made
  stale (untimed, in the same transaction), and the timed call rewrites each.
* **Django for the connection.** The check is the app's, and the write
  benchmark needs the ORM anyway; the timed work is raw SQL on one cursor.
"""

import argparse
import datetime
import os
import platform
import random
import shlex
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from in_process import BenchmarkError, use_database

ORIGINAL_QUERY = Path(__file__).resolve().parent / "original_readme_query.sql"
#: The scratch materialized view made from the original query.
SCRATCH_VIEW = "rooms_bench_original_readme_query"

ORIGINAL = "original README query: REFRESH MATERIALIZED VIEW (scratch view)"
VIEW_PLAIN = "materialized view: rooms_refresh_view(false), plain"
VIEW_CONCURRENT = "materialized view: rooms_refresh_view(true), concurrent"
APP_TABLE = "app table: TRUNCATE + rooms_app_table_rebuild(NULL)"
TRIGGER_TABLE = "trigger table: TRUNCATE + rooms_trigger_table_rebuild(NULL)"
CHECK = "check: consistency.drift() of every read model"
ONE_ROOM = "trigger table: rooms_trigger_table_rebuild(1 room)"
HUNDRED_ROOMS = "trigger table: rooms_trigger_table_rebuild(100 rooms)"
#: Report order; the per-room rebuilds are reported in ms, the rest in seconds.
MEASUREMENTS = [
    ORIGINAL,
    VIEW_PLAIN,
    VIEW_CONCURRENT,
    APP_TABLE,
    TRIGGER_TABLE,
    CHECK,
    ONE_ROOM,
    HUNDRED_ROOMS,
]
IN_MS = {ONE_ROOM, HUNDRED_ROOMS}


def rolled_back(operation: Callable, prepare: Callable | None = None) -> float:
    """Seconds ``operation(cursor)`` takes in a transaction that is then rolled back.

    ``prepare(cursor)`` runs first, untimed, in the same transaction.
    """
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if prepare is not None:
            prepare(cursor)
        started = time.perf_counter()
        operation(cursor)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def run_sql(*statements: str, params=None) -> Callable:
    """An operation that executes ``statements`` on the cursor, in order."""

    def operation(cursor):
        for statement in statements:
            cursor.execute(statement, params)

    return operation


class Benchmark:
    """The measurements, as operations on one database with ``room_ids`` in it."""

    def __init__(self, room_ids: list[int], rng: random.Random):
        self.room_ids = room_ids
        self.rng = rng
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.drift_found: dict | None = None

    def tasks(self) -> list[tuple[str, Callable[[], float]]]:
        from rooms.read_models import app_table, trigger_table

        def rebuild_from_scratch(table_module):
            table, name = table_module.TABLE, table_module.NAME
            return rolled_back(run_sql(f"TRUNCATE {table}", f"SELECT rooms_{name}_rebuild(NULL)"))

        return [
            (ORIGINAL, lambda: rolled_back(run_sql(f"REFRESH MATERIALIZED VIEW {SCRATCH_VIEW}"))),
            (VIEW_PLAIN, lambda: rolled_back(run_sql("SELECT rooms_refresh_view(false)"))),
            (VIEW_CONCURRENT, lambda: rolled_back(run_sql("SELECT rooms_refresh_view(true)"))),
            (APP_TABLE, lambda: rebuild_from_scratch(app_table)),
            (TRIGGER_TABLE, lambda: rebuild_from_scratch(trigger_table)),
            (CHECK, lambda: rolled_back(self.check)),
            (ONE_ROOM, lambda: self.rebuild_rooms(1)),
            (HUNDRED_ROOMS, lambda: self.rebuild_rooms(100)),
        ]

    def check(self, cursor) -> None:
        from rooms.read_models import drift

        self.drift_found = drift()

    def rebuild_rooms(self, count: int) -> float:
        """The per-room rebuild of ``count`` random rooms whose rows are stale."""
        from rooms.read_models import trigger_table

        ids = self.rng.sample(self.room_ids, min(count, len(self.room_ids)))
        stale = f"UPDATE {trigger_table.TABLE} SET width = -1 WHERE id = ANY(%s::bigint[])"
        rebuild = "SELECT rooms_trigger_table_rebuild(%s::bigint[])"
        return rolled_back(run_sql(rebuild, params=[ids]), prepare=run_sql(stale, params=[ids]))

    def run_round(self, record: bool = True) -> None:
        tasks = self.tasks()
        self.rng.shuffle(tasks)
        for name, task in tasks:
            seconds = task()
            if record:
                self.timings[name].append(seconds)


# The scratch view and the database --------------------------------------------


def create_scratch_view() -> None:
    from django.db import connection

    query = ORIGINAL_QUERY.read_text(encoding="utf-8").strip().rstrip(";")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP MATERIALIZED VIEW IF EXISTS {SCRATCH_VIEW}")
        cursor.execute(f"CREATE MATERIALIZED VIEW {SCRATCH_VIEW} AS\n{query}\nWITH NO DATA")


def drop_scratch_view() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP MATERIALIZED VIEW IF EXISTS {SCRATCH_VIEW}")


def describe_database() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_database(), current_setting('server_version'), "
            "current_setting('jit'), (SELECT count(*) FROM rooms_room), "
            "(SELECT count(*) FROM rooms_bed_rooms) + (SELECT count(*) FROM rooms_chair_rooms) "
            "+ (SELECT count(*) FROM rooms_table_rooms), (SELECT count(*) FROM rooms_window)"
        )
        keys = ("database", "version", "jit", "rooms", "furniture_links", "windows")
        return dict(zip(keys, cursor.fetchone(), strict=True))


def room_ids() -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM rooms_room ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


# The report -------------------------------------------------------------------


def fmt(value: float) -> str:
    """Three significant digits, no exponent."""
    if value >= 100:
        return f"{value:.0f}"
    return f"{value:.3g}" if value >= 0.001 else f"{value:.1e}"


def report(bench: Benchmark, args, database: dict, started: datetime.datetime, loads) -> str:
    baseline = statistics.median(bench.timings[ORIGINAL])
    lines = [
        f"## Building room documents: `{database['database']}`, {database['rooms']:,} rooms",
        "",
        f"{started:%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} CPUs, "
        f"PostgreSQL {database['version']} (`jit` {database['jit']}), "
        f"{database['rooms']:,} rooms, {database['windows']:,} windows, "
        f"{database['furniture_links']:,} furniture-room links. {args.rounds} interleaved "
        f"rounds after {args.warmup} warm-up round(s); every operation in its own transaction, "
        f"rolled back. Load average (1 min) before/after: {loads[0]:.2f}/{loads[1]:.2f}.",
        "",
        "Command: `python supplementary_scripts/benchmark_build.py " + shlex.join(args.argv) + "`",
        "",
        "| measurement | unit | median | samples | median / original query |",
        "|---|---|---:|---|---:|",
    ]
    for name in MEASUREMENTS:
        seconds = bench.timings[name]
        scale, unit = (1000, "ms") if name in IN_MS else (1, "s")
        samples = ", ".join(fmt(value * scale) for value in seconds)
        median = statistics.median(seconds)
        lines.append(
            f"| {name} | {unit} | {fmt(median * scale)} | {samples} | {fmt(median / baseline)} |"
        )
    if bench.drift_found is not None:
        differing = ", ".join(
            f"{name} {found.total}" for name, found in sorted(bench.drift_found.items())
        )
        lines += ["", f"Rooms the check found differing (last sample): {differing}."]
    lines += [
        "",
        "The original query is the original project's README view, unchanged (`jsonb`, "
        "whole rows as objects). The per-room rebuilds rewrite rows made stale first "
        "(untimed), as after a write; new random rooms in every sample.",
    ]
    return "\n".join(lines) + "\n"


# Command line -----------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", required=True, help="a migrated and filled database (fill_db)"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds, one sample of each (default 3)"
    )
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (default 1)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (rooms, order)")
    parser.add_argument("--output", metavar="FILE.md", help="also write the report here")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    args.argv = list(sys.argv[1:] if argv is None else argv)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    started = datetime.datetime.now(datetime.UTC)
    try:
        use_database(args.database_url)
        database = describe_database()
        ids = room_ids()
        if not ids:
            raise BenchmarkError(f"no rooms in {database['database']}: run fill_db first")
        bench = Benchmark(ids, random.Random(args.seed))
        print(f"{database['database']}: {len(ids):,} rooms, {args.rounds} rounds…", file=sys.stderr)
        loads = [os.getloadavg()[0]]
        create_scratch_view()
        try:
            for _ in range(args.warmup):
                bench.run_round(record=False)
            for number in range(args.rounds):
                bench.run_round()
                print(f"round {number + 1}/{args.rounds} done", file=sys.stderr)
        finally:
            drop_scratch_view()
        loads.append(os.getloadavg()[0])
    except BenchmarkError as error:
        print(f"Benchmark failed: {error}", file=sys.stderr)
        return 1
    text = report(bench, args, database, started, loads)
    print(text, end="")
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
