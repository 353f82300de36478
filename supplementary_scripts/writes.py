"""Measure what a committed write costs with each read model, in one interleaved run.

Writes through the Django ORM, each in its own transaction, timed to the end of its commit,
under three configurations doing the same work in a round: no read model (the app table's
signals muted, the capture triggers ignored), the app table only, the trigger table only.
Rename a bed, link a bed to one more room; then, in rounds of their own (among the single
writes they distorted them), ``UPDATE`` 10 % of the beds with the capture triggers, against
the same statement without them followed by one set-based rebuild of the touched rooms. Every
write is undone, untimed; the view's refresh policy is ``manual`` meanwhile, then put back.
"""

import copy
import json
import random
import secrets
import statistics
import sys
import time
from contextlib import nullcontext
from functools import partial

from . import harness

NONE, APP_TABLE, TRIGGER_TABLE = "no read model", "app table only", "trigger table only"
CONFIGURATIONS = [NONE, APP_TABLE, TRIGGER_TABLE]
RENAME, LINK = WRITES = ["rename a bed", "link a bed to a room"]
BULK_TRIGGERS = "bulk UPDATE of 10 % of the beds, capture triggers on"
BULK_SET_BASED = "bulk UPDATE of 10 % of the beds, triggers ignored + set-based rebuild"


def add_arguments(parser) -> None:
    harness.add_options(parser, rounds=300, warmup=3, seed=True)
    parser.add_argument("--bulk-rounds", type=int, default=30, help="bulk rounds after (30)")


def committed(configuration: str, write, undo) -> float:
    """Seconds ``write()`` takes in its own transaction, commit included, with only the read
    model(s) of ``configuration``; then ``undo()``, alike, untimed (a failed write rolls back)."""
    import pgtrigger
    from django.db import transaction

    from rooms.read_models import signals_muted
    from rooms.read_models.capture import CAPTURE_TRIGGERS

    with (
        nullcontext() if configuration == APP_TABLE else signals_muted(),
        nullcontext() if configuration == TRIGGER_TABLE else pgtrigger.ignore(*CAPTURE_TRIGGERS),
    ):
        started = time.perf_counter()
        with transaction.atomic():
            write()
        seconds = time.perf_counter() - started
        with transaction.atomic():
            undo()
    return seconds


def single_write(kind: str, configuration: str, bed_id: int, room_id: int) -> float:
    from rooms.models import Bed

    bed = Bed.objects.get(pk=bed_id)
    if kind == LINK:
        write, undo = partial(bed.rooms.add, room_id), partial(bed.rooms.remove, room_id)
    else:  # through save(), as the app table's signals want; bed keeps the name to put back
        renamed = copy.copy(bed)
        renamed.name = f"~{secrets.token_hex(4)} {bed_id}"  # no bed's name, ≤ 30 characters
        write, undo = renamed.save, bed.save
    return committed(configuration, write, undo)


def bulk_update(k: int, set_based: bool = False) -> float:
    """The bulk statement on the beds with ``id % 10 = k``: with the capture triggers, or
    (``set_based``) without, then rebuilding the touched rooms in one call; undone alike."""
    from django.db import connection
    from django.db.models.functions import Mod

    from rooms.models import Bed

    bed, links = Bed._meta.db_table, Bed.rooms.through._meta.db_table
    beds = dict(Bed.objects.alias(k=Mod("id", 10)).filter(k=k).values_list("id", "name"))
    rename = f"UPDATE {bed} SET name = %s || id WHERE id %% 10 = %s"
    restore = f"UPDATE {bed} SET name = %s::jsonb ->> id::text WHERE id %% 10 = %s"
    touched = f"ARRAY(SELECT DISTINCT room_id FROM {links} WHERE bed_id %% 10 = %s)"

    def execute(statement: str, value: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(statement, [value, k])
            if set_based:
                cursor.execute(f"SELECT rooms_trigger_table_rebuild({touched})", [k])

    write = partial(execute, rename, f"~{secrets.token_hex(4)} ")
    undo = partial(execute, restore, json.dumps(beds))  # {"id": "name"}: the names to put back
    return committed(NONE if set_based else TRIGGER_TABLE, write, undo)


def run(args) -> int:
    return args.run.emit(benchmark(args))


def benchmark(args) -> str:
    """The report of a run (``replicas`` runs one under its replica's lag sampler)."""
    harness.use_database(args.database_url)
    from rooms.models import Bed, Room

    name, version = harness.database()
    beds, rooms_per_k = {}, {}  # bed id -> the rooms it stands in; k -> the rooms of its beds
    for bed_id, room_id in Bed.rooms.through.objects.values_list("bed_id", "room_id"):
        beds.setdefault(bed_id, []).append(room_id)
        rooms_per_k.setdefault(bed_id % 10, set()).add(room_id)
    rooms = list(Room.objects.order_by("id").values_list("id", flat=True))
    if not beds or len(rooms) < 2:
        raise harness.BenchmarkError(f"{name} needs beds in rooms: run fill_db first")
    bulk_rooms = statistics.fmean(map(len, rooms_per_k.values()))
    bed_count, links = Bed.objects.count(), sum(map(len, beds.values()))
    print(f"{name}: {len(rooms):,} rooms, {args.rounds} rounds…", file=sys.stderr)
    rng = random.Random(args.seed)

    def single_writes(_):
        renamed, linked = rng.choice(list(beds)), rng.choice(list(beds))
        room = rng.choice([room for room in rooms if room not in beds[linked]])
        return [
            (f"{kind}: {configuration}", partial(single_write, kind, configuration, bed, room))
            for configuration in CONFIGURATIONS
            for kind, bed in zip(WRITES, (renamed, linked), strict=True)
        ]

    def bulk_statements(_):
        update = partial(bulk_update, rng.randrange(10))
        return [(BULK_TRIGGERS, update), (BULK_SET_BASED, partial(update, set_based=True))]

    with harness.refresh_policy("manual") as policy:
        timings = harness.interleave(single_writes, args.rounds, args.warmup, rng)
        harness.interleave(bulk_statements, args.bulk_rounds, warmup=1, rng=rng, results=timings)
    median = {task: statistics.median(values) for task, values in timings.items()}
    pairs = [(f"{write}: {c}", f"{write}: {NONE}") for write in WRITES for c in CONFIGURATIONS]
    pairs += [(BULK_SET_BASED, BULK_SET_BASED), (BULK_TRIGGERS, BULK_SET_BASED)]
    ratio = {task: f"{median[task] / median[base]:.2f}x" for task, base in pairs if task != base}
    lines = args.run.header(
        f"Write cost per read model: `{name}`, {len(rooms):,} rooms",
        f"PostgreSQL {version}; {bed_count:,} beds, {links:,} bed-room links; the bulk "
        f"statement renames the beds with `id % 10 = k` (k random per round, the same for both "
        f"variants): about {bed_count / 10:,.0f} beds in {bulk_rooms:,.0f} rooms. "
        f"{args.rounds} interleaved rounds of single writes after {args.warmup} warm-up rounds, "
        f"then {args.bulk_rounds} rounds of the bulk statements after one. Writes through the "
        "Django ORM, each in its own transaction, timed to the end of the commit, and undone, "
        "untimed, under the same configuration. View refresh policy `manual` during the run "
        f"(`{policy}` before and after).",
    )
    rows = [
        harness.timing_row(task, timings[task], ratio.get(task, "(baseline)")) for task, _ in pairs
    ]
    lines += harness.table("measurement | n | median ms | p95 ms | median / baseline", rows)
    return "\n".join(lines) + "\n"
