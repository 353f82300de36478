"""Measure what a committed write costs with each read model, in one interleaved run.

On a migrated and filled database, writes through the Django ORM in this process, each in
its own transaction, commit included, under three configurations doing the same work in a
round (the same bed, room and ``k``): **no read model** (the app table's signals muted, the
capture triggers ignored), **app table only** (triggers ignored: rows rebuilt at commit),
**trigger table only** (signals muted: rows rebuilt in the statement). The writes: rename a
bed, link a bed to one more room; then, in rounds of their own (among the single writes they
left dead rows and generic plans that distorted them), ``UPDATE`` 10 % of the beds with the
capture triggers on, against the same statement with them ignored followed by one set-based
rebuild of exactly the touched rooms. Every write is undone, untimed, under the same
configuration; renamed beds get names new in every sample (``~<hex> <id>``: the column is
unique). The view's refresh policy is ``manual`` meanwhile (its commit only marks the view
stale), and put back afterwards. An ignored trigger still fires and returns at once: that
cost is in the baseline too.
"""

import random
import secrets
import sys
import time
from contextlib import contextmanager

from .harness import BenchmarkError, fmt, interleave, refresh_policy, summarize, table, use_database

NONE, APP_TABLE, TRIGGER_TABLE = "no read model", "app table only", "trigger table only"
CONFIGURATIONS = [NONE, APP_TABLE, TRIGGER_TABLE]
RENAME, LINK = WRITES = ["rename a bed", "link a bed to a room"]
BULK_TRIGGERS = "bulk UPDATE of 10 % of the beds, capture triggers on"
BULK_SET_BASED = "bulk UPDATE of 10 % of the beds, triggers ignored + set-based rebuild"
#: The goals of the issue (medians).
GOAL_WRITE_VS_NONE, GOAL_BULK_VS_SET_BASED = 1.5, 2.0


def add_arguments(parser) -> None:
    parser.add_argument("--database-url", required=True, help="a migrated, filled database")
    parser.add_argument("--rounds", type=int, default=300, help="rounds of single writes (300)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first (default 3)")
    parser.add_argument("--bulk-rounds", type=int, default=30, help="bulk rounds after (30)")
    parser.add_argument("--seed", type=int, help="random seed (beds, rooms, order)")
    parser.add_argument("--output", metavar="FILE.md", help="also write the report here")


@contextmanager
def configuration(name: str):
    """Writes inside keep only the read model(s) of configuration ``name``."""
    import pgtrigger

    from rooms.read_models import signals_muted
    from rooms.read_models.trigger_table import CAPTURE_TRIGGERS

    triggers = pgtrigger.ignore(*CAPTURE_TRIGGERS) if name != TRIGGER_TABLE else nothing()
    with signals_muted() if name != APP_TABLE else nothing(), triggers:
        yield


@contextmanager
def nothing():
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


def describe_database() -> dict:
    from django.db import connection

    from rooms.models import Bed

    links = Bed.rooms.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_database(), split_part(version(), ' ', 2), "
            f"(SELECT avg(n) FROM (SELECT count(DISTINCT room_id) AS n FROM {links} "
            "GROUP BY bed_id % 10) AS per_k)"
        )
        database, version, bulk_rooms = cursor.fetchone()
    return {
        "database": database,
        "version": version,
        "bulk_rooms": float(bulk_rooms or 0),
        "beds": Bed.objects.count(),
        "links": Bed.rooms.through.objects.count(),
    }


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
    database = describe_database()
    beds, rooms = load_beds()
    if not beds or len(rooms) < 2:
        raise BenchmarkError(f"{database['database']} needs beds in rooms: run fill_db first")
    print(f"{database['database']}: {len(rooms):,} rooms, {args.rounds} rounds…", file=sys.stderr)
    with refresh_policy("manual") as policy:
        timings = measure(args, beds, rooms)
    return report(args, database, policy, timings, len(rooms))


def report(args, database: dict, policy: str, timings: dict, rooms: int) -> str:
    stats = {name: summarize(values) for name, values in timings.items()}

    def ratio(name, baseline):
        return stats[name].median_ms / stats[baseline].median_ms

    rows = []
    for name, baseline in [
        *((f"{write}: {c}", f"{write}: {NONE}") for write in WRITES for c in CONFIGURATIONS),
        (BULK_SET_BASED, BULK_SET_BASED),
        (BULK_TRIGGERS, BULK_SET_BASED),
    ]:
        s = stats[name]
        versus = "(baseline)" if name == baseline else f"{ratio(name, baseline):.2f}x"
        rows.append((name, s.n, fmt(s.median_ms), fmt(s.p95_ms), versus))
    lines = args.run.header(
        f"Write cost per read model: `{database['database']}`, {rooms:,} rooms",
        f"PostgreSQL {database['version']}; {rooms:,} rooms, {database['beds']:,} beds, "
        f"{database['links']:,} bed-room links. "
        f"{args.rounds} interleaved rounds of single writes after {args.warmup} warm-up rounds, "
        f"then {args.bulk_rounds} rounds of the bulk statements after one. Writes through the "
        "Django ORM, each in its own transaction, timed to the end of the commit. View refresh "
        f"policy `manual` during the run (`{policy}` before and after).",
    )
    lines += table("measurement | n | median ms | p95 ms | median / baseline", rows)
    lines += ["", "Goals of the issue (medians):", ""]
    for write in WRITES:
        found = ratio(f"{write}: {TRIGGER_TABLE}", f"{write}: {NONE}")
        lines.append(
            f"- {write} with the trigger table at most {GOAL_WRITE_VS_NONE}x the same write "
            f"with no read model: {found:.2f}x, {verdict(found <= GOAL_WRITE_VS_NONE)}"
        )
    found = ratio(BULK_TRIGGERS, BULK_SET_BASED)
    lines += [
        f"- bulk update with the capture triggers at most {GOAL_BULK_VS_SET_BASED:g}x the "
        f"set-based rebuild of the touched rooms: {found:.2f}x, "
        f"{verdict(found <= GOAL_BULK_VS_SET_BASED)}",
        "",
        f"The bulk statement renames the beds with `id % 10 = k` (k random per round, the same "
        f"for both): about {database['beds'] / 10:,.0f} beds in {database['bulk_rooms']:,.0f} "
        "rooms. Every write is undone, "
        "untimed, under the same configuration.",
    ]
    return "\n".join(lines) + "\n"


def verdict(holds: bool) -> str:
    return "holds" if holds else "MISSED"
