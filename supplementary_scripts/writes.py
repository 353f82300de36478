"""Measure what a committed write costs with each read model, in one interleaved run.

Writes through the Django ORM, each in its own transaction, timed to the end of its commit,
under three configurations doing the same work in a round: no read model (the app table's
signals muted, the capture triggers ignored), the app table only, the trigger table only.
Rename a bed, link a bed to one more room; then, in rounds of their own (among the single
writes they distorted them), ``UPDATE`` 10 % of the beds with the capture triggers, against
the same statement without them followed by one set-based rebuild of the touched rooms. Every
write is undone, untimed; the view's refresh policy is ``manual`` meanwhile, then put back.
"""

import random
import secrets
import statistics
import sys
import time
from contextlib import contextmanager, nullcontext

from .harness import (
    BenchmarkError,
    add_options,
    database,
    interleave,
    refresh_policy,
    summarize,
    table,
    timing_row,
    use_database,
)

NONE, APP_TABLE, TRIGGER_TABLE = "no read model", "app table only", "trigger table only"
CONFIGURATIONS = [NONE, APP_TABLE, TRIGGER_TABLE]
RENAME, LINK = WRITES = ["rename a bed", "link a bed to a room"]
BULK_TRIGGERS = "bulk UPDATE of 10 % of the beds, capture triggers on"
BULK_SET_BASED = "bulk UPDATE of 10 % of the beds, triggers ignored + set-based rebuild"


def add_arguments(parser) -> None:
    add_options(parser, rounds=300, warmup=3, seed=True)
    parser.add_argument("--bulk-rounds", type=int, default=30, help="bulk rounds after (30)")


@contextmanager
def configuration(name: str):
    """Writes inside keep only the read model(s) of configuration ``name``."""
    import pgtrigger

    from rooms.read_models import signals_muted
    from rooms.read_models.trigger_table import CAPTURE_TRIGGERS

    with (
        nullcontext() if name == APP_TABLE else signals_muted(),
        nullcontext() if name == TRIGGER_TABLE else pgtrigger.ignore(*CAPTURE_TRIGGERS),
    ):
        yield


def committed(write) -> float:
    """Seconds ``write()`` takes in its own transaction, commit included."""
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic():
        write()
    return time.perf_counter() - started


def new_name(bed_id: int) -> str:
    """A name no bed has, new in every call, at most 30 characters."""
    return f"~{secrets.token_hex(4)} {bed_id}"


def single_write(kind: str, name: str, bed_id: int, room_id: int) -> float:
    """One write of ``kind`` under configuration ``name``, timed, then undone, untimed."""
    from rooms.models import Bed

    bed = Bed.objects.get(pk=bed_id)
    with configuration(name):
        if kind == LINK:
            try:
                return committed(lambda: bed.rooms.add(room_id))
            finally:
                committed(lambda: bed.rooms.remove(room_id))
        original, bed.name = bed.name, new_name(bed_id)
        try:
            return committed(bed.save)
        finally:
            bed.name = original
            committed(bed.save)


def bulk_update(k: int, set_based: bool) -> float:
    """``UPDATE`` the beds with ``id % 10 = k``, then put their names back, untimed; with the
    capture triggers, or (``set_based``) without, rebuilding the touched rooms in one call."""
    from django.db import connection
    from django.db.models.functions import Mod

    from rooms.models import Bed

    bed, links = Bed._meta.db_table, Bed.rooms.through._meta.db_table
    touched = (
        f"SELECT rooms_trigger_table_rebuild(ARRAY(SELECT DISTINCT room_id FROM {links} "
        "WHERE bed_id %% 10 = %s))"
    )
    beds = dict(Bed.objects.alias(k=Mod("id", 10)).filter(k=k).values_list("id", "name"))

    def statement(sql, params):
        def write():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                if set_based:
                    cursor.execute(touched, [k])

        return write

    rename = f"UPDATE {bed} SET name = %s || id WHERE id %% 10 = %s"
    restore = (
        f"UPDATE {bed} bed SET name = o.name FROM unnest(%s::bigint[], %s::text[]) "
        "AS o (id, name) WHERE bed.id = o.id"
    )
    with configuration(NONE if set_based else TRIGGER_TABLE):
        try:
            return committed(statement(rename, [f"~{secrets.token_hex(4)} ", k]))
        finally:
            committed(statement(restore, [list(beds), list(beds.values())]))


def load_beds() -> tuple[dict[int, list[int]], list[int]]:
    """Bed id -> the rooms it stands in (beds in a room), and every room id."""
    from rooms.models import Bed, Room

    beds = {}
    for bed_id, room_id in Bed.rooms.through.objects.values_list("bed_id", "room_id"):
        beds.setdefault(bed_id, []).append(room_id)
    return beds, list(Room.objects.order_by("id").values_list("id", flat=True))


def describe_database() -> tuple[str, str]:
    """The database's name, and what the report says of it."""
    from django.db.models import Count
    from django.db.models.functions import Mod

    from rooms.models import Bed

    name, version = database()
    links, beds = Bed.rooms.through.objects, Bed.objects.count()
    per_k = links.values(k=Mod("bed_id", 10)).annotate(rooms=Count("room_id", distinct=True))
    bulk_rooms = statistics.fmean([row["rooms"] for row in per_k] or [0])
    return name, (
        f"PostgreSQL {version}; {beds:,} beds, {links.count():,} bed-room links; the bulk "
        f"statement renames the beds with `id % 10 = k` (k random per round, the same for both "
        f"variants): about {beds / 10:,.0f} beds in {bulk_rooms:,.0f} rooms."
    )


def measure(args, beds: dict, rooms: list[int]) -> dict[str, list[float]]:
    """The single writes' rounds, then the bulk statements' (one warm-up round)."""
    rng = random.Random(args.seed)

    def single_writes(_):
        renamed, linked = rng.choice(list(beds)), rng.choice(list(beds))
        room = rng.choice([room for room in rooms if room not in beds[linked]])
        return [
            (f"{kind}: {name}", lambda k=kind, n=name, b=bed: single_write(k, n, b, room))
            for name in CONFIGURATIONS
            for kind, bed in zip(WRITES, (renamed, linked), strict=True)
        ]

    def bulk_statements(_):
        k = rng.randrange(10)
        return [
            (BULK_TRIGGERS, lambda: bulk_update(k, set_based=False)),
            (BULK_SET_BASED, lambda: bulk_update(k, set_based=True)),
        ]

    timings = interleave(single_writes, args.rounds, args.warmup, rng)
    return interleave(bulk_statements, args.bulk_rounds, 1, rng, timings)


def run(args) -> int:
    return args.run.emit(benchmark(args))


def benchmark(args) -> str:
    """The report of a run (``replicas`` runs one under its replica's lag sampler)."""
    use_database(args.database_url)
    name, facts = describe_database()
    beds, rooms = load_beds()
    if not beds or len(rooms) < 2:
        raise BenchmarkError(f"{name} needs beds in rooms: run fill_db first")
    print(f"{name}: {len(rooms):,} rooms, {args.rounds} rounds…", file=sys.stderr)
    with refresh_policy("manual") as policy:
        timings = measure(args, beds, rooms)
    median = {task: summarize(values).median_ms for task, values in timings.items()}
    rows = []
    for task, baseline in [
        *((f"{write}: {c}", f"{write}: {NONE}") for write in WRITES for c in CONFIGURATIONS),
        (BULK_SET_BASED, BULK_SET_BASED),
        (BULK_TRIGGERS, BULK_SET_BASED),
    ]:
        versus = f"{median[task] / median[baseline]:.2f}x" if task != baseline else "(baseline)"
        rows.append(timing_row(task, timings[task], versus))
    lines = args.run.header(
        f"Write cost per read model: `{name}`, {len(rooms):,} rooms",
        f"{facts} {args.rounds} interleaved rounds of single writes after {args.warmup} warm-up "
        f"rounds, then {args.bulk_rounds} rounds of the bulk statements after one. Writes "
        "through the Django ORM, each in its own transaction, timed to the end of the commit, "
        "and undone, untimed, under the same configuration. View refresh policy `manual` "
        f"during the run (`{policy}` before and after).",
    )
    lines += table("measurement | n | median ms | p95 ms | median / baseline", rows)
    return "\n".join(lines) + "\n"
