#!/usr/bin/env python
"""Measure what a committed write costs with each read model, in one interleaved run.

    python supplementary_scripts/benchmark_writes.py --database-url postgres://…/rooms_bench_1k
                                                     [--rounds 300] [--bulk-rounds 30]
                                                     [--output FILE.md]

On a database that is migrated and filled (``manage.py fill_db``), it times
single-row writes made through the Django ORM in this process, each in its
own transaction, commit included, under three configurations:

* **no read model**: the app table's signals muted and the capture triggers
  ignored (``signals_muted()`` and ``pgtrigger.ignore``);
* **app table only**: capture triggers ignored, signals on (the touched rooms'
  rows are rebuilt at commit);
* **trigger table only**: signals muted, capture triggers on (the touched
  rooms' rows are rebuilt in the statement), with the view's refresh policy
  set to ``manual`` for the run, so that the commit only marks the view stale.

The writes: rename a bed (``bed.save()``; a bed stands in about five rooms)
and link a bed to one more room (``bed.rooms.add(room)``). Plus one bulk
statement, ``UPDATE rooms_bed SET name = … WHERE id % 10 = k`` (10 % of the
beds), with the capture triggers on, against the same statement with them
ignored followed by a set-based ``rooms_trigger_table_rebuild`` of exactly
the rooms of those beds.

Why it is built this way:

* **One interleaved run.** Every round takes one sample of every measurement,
  in a new random order, and every configuration does the same work in a
  round (the same bed, the same bed and room, the same ``k``): the drift of a
  shared machine hits every configuration alike, so the ratios hold.
* **The bulk statements come after all the single writes**, in rounds of
  their own (the two variants, in random order). Measured among the single
  writes, they distorted them: rewriting hundreds of rooms leaves dead rows
  that the next single writes step over (about +2 ms each at 1,000 rooms),
  and in the same session it makes PostgreSQL switch the per-room rebuild
  to a generic plan (about -1 ms each), which a session that only writes
  single rows, such as an API worker's, never does.
* **Every write is undone, untimed, under the same configuration**: the
  original name is put back, the link removed. So the data is the same in
  every round and at the end, and each read model stays equal to the live
  document (a configuration that skips a read model skips it both ways).
* **Names stay unique** (the column is ``UNIQUE``, at most 30 characters): a
  renamed bed is called ``~<random hex> <bed id>``, new in every sample, so
  the write always changes the row, and never collides.
* **The policy is put back.** The previous refresh policy is restored at the
  end; if the view was fresh before the run, it is refreshed once at the end
  (the data is as it was, so nothing is rewritten), clearing the stale mark
  the trigger-table writes left.
* **Ignored is not absent.** ``pgtrigger.ignore`` prefixes every statement
  with a ``set_config``, and an ignored trigger still fires (PostgreSQL still
  collects its transition tables) and returns at once. That cost is in the
  baseline too, so the ratios are, if anything, kind to the read models.

Times are client-side, from the first statement to the end of the commit, in ms.
"""

import argparse
import datetime
import os
import platform
import random
import secrets
import shlex
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from in_process import BenchmarkError, use_database
from timings import summarize

NONE = "no read model"
APP_TABLE = "app table only"
TRIGGER_TABLE = "trigger table only"
CONFIGURATIONS = [NONE, APP_TABLE, TRIGGER_TABLE]

RENAME = "rename a bed"
LINK = "link a bed to a room"
WRITES = [RENAME, LINK]

BULK_TRIGGERS = "bulk UPDATE of 10 % of the beds, capture triggers on"
BULK_SET_BASED = "bulk UPDATE of 10 % of the beds, triggers ignored + set-based rebuild"

#: Goals of the issue (medians).
GOAL_WRITE_VS_NONE = 1.5
GOAL_BULK_VS_SET_BASED = 2.0


def name_of(write: str, configuration: str) -> str:
    return f"{write}: {configuration}"


# Statistics --------------------------------------------------------------------


# The configurations --------------------------------------------------------------


@contextmanager
def configuration(name: str):
    """Writes inside keep only the read model(s) of configuration ``name``."""
    import pgtrigger

    from rooms.read_models import signals_muted
    from rooms.read_models.capture import CAPTURE_TRIGGERS

    if name == NONE:
        with signals_muted(), pgtrigger.ignore(*CAPTURE_TRIGGERS):
            yield
    elif name == APP_TABLE:
        with pgtrigger.ignore(*CAPTURE_TRIGGERS):
            yield
    elif name == TRIGGER_TABLE:
        with signals_muted():
            yield
    else:
        raise ValueError(name)


def committed(write: Callable[[], object]) -> float:
    """Seconds ``write()`` takes in its own transaction, commit included."""
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic():
        write()
    return time.perf_counter() - started


def new_name(bed_id: int) -> str:
    """A bed name no bed has: new in every call, at most 30 characters."""
    return f"~{secrets.token_hex(4)} {bed_id}"


# The writes --------------------------------------------------------------------------


def rename_bed(bed_id: int) -> float:
    from rooms.models import Bed

    bed = Bed.objects.get(pk=bed_id)
    original = bed.name
    try:
        bed.name = new_name(bed_id)
        return committed(bed.save)
    finally:
        bed.name = original
        committed(bed.save)


def link_bed(bed_id: int, room_id: int) -> float:
    from rooms.models import Bed

    bed = Bed.objects.get(pk=bed_id)
    try:
        return committed(lambda: bed.rooms.add(room_id))
    finally:
        committed(lambda: bed.rooms.remove(room_id))


_BULK_RENAME = "UPDATE rooms_bed SET name = %s || id WHERE id %% 10 = %s"
_TOUCHED_ROOMS = (
    "SELECT rooms_trigger_table_rebuild(ARRAY("
    "SELECT DISTINCT room_id FROM rooms_bed_rooms WHERE bed_id %% 10 = %s))"
)
_RESTORE = (
    "UPDATE rooms_bed bed SET name = original.name "
    "FROM unnest(%s::bigint[], %s::text[]) AS original (id, name) WHERE bed.id = original.id"
)


def bulk_update(k: int, set_based: bool) -> float:
    """``UPDATE`` 10 % of the beds (``id % 10 = k``), then put their names back, untimed.

    ``set_based``: with the capture triggers ignored, and the touched rooms'
    rows rebuilt by one call in the same transaction; else with the triggers.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM rooms_bed WHERE id %% 10 = %s", [k])
        rows = cursor.fetchall()
    ids, names = [row[0] for row in rows], [row[1] for row in rows]

    def rename(statement, params):
        def write():
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                if set_based:
                    cursor.execute(_TOUCHED_ROOMS, [k])

        return write

    with configuration(NONE if set_based else TRIGGER_TABLE):
        try:
            return committed(rename(_BULK_RENAME, [f"~{secrets.token_hex(4)} ", k]))
        finally:
            committed(rename(_RESTORE, [ids, names]))


# The run ---------------------------------------------------------------------------------


class Benchmark:
    def __init__(self, beds: dict[int, list[int]], room_ids: list[int], rng: random.Random):
        #: Bed id -> the rooms it stands in (beds in at least one room).
        self.beds = beds
        self.room_ids = room_ids
        self.rng = rng
        self.timings: dict[str, list[float]] = defaultdict(list)

    def single_writes(self) -> list[tuple[str, Callable[[], float]]]:
        rename = self.rng.choice(list(self.beds))
        link = self.rng.choice(list(self.beds))
        room = self.rng.choice([room for room in self.room_ids if room not in self.beds[link]])

        def under(name, write, *args):
            def task():
                with configuration(name):
                    return write(*args)

            return task

        tasks = []
        for name in CONFIGURATIONS:
            tasks.append((name_of(RENAME, name), under(name, rename_bed, rename)))
            tasks.append((name_of(LINK, name), under(name, link_bed, link, room)))
        return tasks

    def bulk_statements(self) -> list[tuple[str, Callable[[], float]]]:
        k = self.rng.randrange(10)
        return [
            (BULK_TRIGGERS, lambda: bulk_update(k, set_based=False)),
            (BULK_SET_BASED, lambda: bulk_update(k, set_based=True)),
        ]

    def run_round(self, tasks: list[tuple[str, Callable[[], float]]], record: bool = True) -> None:
        self.rng.shuffle(tasks)
        for name, task in tasks:
            seconds = task()
            if record:
                self.timings[name].append(seconds)


def load_beds() -> tuple[dict[int, list[int]], list[int]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bed_id, array_agg(room_id ORDER BY room_id) FROM rooms_bed_rooms GROUP BY 1"
        )
        beds = dict(cursor.fetchall())
        cursor.execute("SELECT id FROM rooms_room ORDER BY id")
        rooms = [row[0] for row in cursor.fetchall()]
    return beds, rooms


def describe_database() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_database(), current_setting('server_version'), "
            "(SELECT count(*) FROM rooms_room), (SELECT count(*) FROM rooms_bed), "
            "(SELECT count(*) FROM rooms_bed_rooms), "
            "(SELECT avg(n) FROM (SELECT count(DISTINCT room_id) AS n FROM rooms_bed_rooms "
            "GROUP BY bed_id % 10) AS per_k)"
        )
        keys = ("database", "version", "rooms", "beds", "bed_links", "bulk_rooms")
        return dict(zip(keys, cursor.fetchone(), strict=True))


@contextmanager
def manual_policy():
    """The view's refresh policy is ``manual`` inside; afterwards as it was (and as fresh)."""
    from rooms.read_models import materialized_view

    before = materialized_view.state()
    materialized_view.set_refresh_policy("manual")
    try:
        yield before.refresh_policy
    finally:
        materialized_view.set_refresh_policy(before.refresh_policy)
        if before.stale_since is None and materialized_view.state().stale_since is not None:
            materialized_view.refresh()


# The report -------------------------------------------------------------------------------


def fmt(value: float) -> str:
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def verdict(ok: bool) -> str:
    return "holds" if ok else "MISSED"


def report(bench: Benchmark, args, database: dict, policy: str, started, loads) -> str:
    stats = {name: summarize(values) for name, values in bench.timings.items()}
    lines = [
        f"## Write cost per read model: `{database['database']}`, {database['rooms']:,} rooms",
        "",
        f"{started:%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} CPUs, "
        f"PostgreSQL {database['version']}; {database['rooms']:,} rooms, "
        f"{database['beds']:,} beds, {database['bed_links']:,} bed-room links. {args.rounds} "
        f"interleaved rounds of single writes after {args.warmup} warm-up rounds, then "
        f"{args.bulk_rounds} rounds of the bulk statements after one. Writes through the "
        "Django ORM, each in its own transaction; times from the first statement to the end "
        "of the commit. "
        f"View refresh policy `manual` during the run (`{policy}` before and after). "
        f"Load average (1 min) before/after: {loads[0]:.2f}/{loads[1]:.2f}.",
        "",
        "Command: `python supplementary_scripts/benchmark_writes.py " + shlex.join(args.argv) + "`",
        "",
        "| measurement | n | median ms | p95 ms | median / baseline |",
        "|---|---:|---:|---:|---:|",
    ]

    def row(name, baseline):
        s = stats[name]
        ratio = (
            "(baseline)" if name == baseline else f"{s.median_ms / stats[baseline].median_ms:.2f}x"
        )
        lines.append(f"| {name} | {s.n} | {fmt(s.median_ms)} | {fmt(s.p95_ms)} | {ratio} |")

    for write in WRITES:
        for configuration_name in CONFIGURATIONS:
            row(name_of(write, configuration_name), name_of(write, NONE))
    row(BULK_SET_BASED, BULK_SET_BASED)
    row(BULK_TRIGGERS, BULK_SET_BASED)

    def median(name):
        return stats[name].median_ms

    lines += ["", "Goals of the issue (medians):", ""]
    for write in WRITES:
        ratio = median(name_of(write, TRIGGER_TABLE)) / median(name_of(write, NONE))
        lines.append(
            f"- {write} with the trigger table at most {GOAL_WRITE_VS_NONE}x the same write "
            f"with no read model: {ratio:.2f}x, {verdict(ratio <= GOAL_WRITE_VS_NONE)}"
        )
    ratio = median(BULK_TRIGGERS) / median(BULK_SET_BASED)
    lines += [
        f"- bulk update with the capture triggers at most {GOAL_BULK_VS_SET_BASED:g}x the "
        f"set-based rebuild of the touched rooms: {ratio:.2f}x, "
        f"{verdict(ratio <= GOAL_BULK_VS_SET_BASED)}",
        "",
        f"The bulk statement renames the beds with `id % 10 = k` (k random per round, the same "
        f"for both): about {database['beds'] / 10:,.0f} beds in "
        f"{float(database['bulk_rooms'] or 0):,.0f} rooms. Every write is undone, untimed, under "
        "the same configuration.",
    ]
    return "\n".join(lines) + "\n"


# Command line ------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", required=True, help="a migrated and filled database (fill_db)"
    )
    parser.add_argument(
        "--rounds", type=int, default=300, help="rounds of single writes (default 300)"
    )
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first (default 3)")
    parser.add_argument(
        "--bulk-rounds",
        type=int,
        default=30,
        metavar="N",
        help="rounds of the bulk statements, after the single writes (default 30)",
    )
    parser.add_argument("--seed", type=int, default=None, help="random seed (beds, rooms, order)")
    parser.add_argument("--output", metavar="FILE.md", help="also write the report here")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.bulk_rounds < 1:
        parser.error("--bulk-rounds must be at least 1")
    args.argv = list(sys.argv[1:] if argv is None else argv)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    started = datetime.datetime.now(datetime.UTC)
    try:
        use_database(args.database_url)
        database = describe_database()
        beds, rooms = load_beds()
        if not beds or len(rooms) < 2:
            raise BenchmarkError(f"{database['database']} needs beds in rooms: run fill_db first")
        bench = Benchmark(beds, rooms, random.Random(args.seed))
        print(
            f"{database['database']}: {len(rooms):,} rooms, {args.rounds} + {args.bulk_rounds} "
            "rounds…",
            file=sys.stderr,
        )
        loads = [os.getloadavg()[0]]
        with manual_policy() as policy:
            for _ in range(args.warmup):
                bench.run_round(bench.single_writes(), record=False)
            for _ in range(args.rounds):
                bench.run_round(bench.single_writes())
            bench.run_round(bench.bulk_statements(), record=False)
            for _ in range(args.bulk_rounds):
                bench.run_round(bench.bulk_statements())
        loads.append(os.getloadavg()[0])
    except BenchmarkError as error:
        print(f"Benchmark failed: {error}", file=sys.stderr)
        return 1
    text = report(bench, args, database, policy, started, loads)
    print(text, end="")
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
