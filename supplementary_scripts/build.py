"""Time how fast every read model builds room documents, against the original project's query.

In one interleaved run: the original README's query (``original_readme_query.sql``, made a
scratch materialized view and refreshed: the baseline); the view's plain and concurrent refresh;
each stored table rebuilt from scratch; the check of every read model; the trigger table's
per-room rebuild of 1 and 100 random rooms, their rows first made stale (untimed). The
installed SQL functions run, as in production; every operation is rolled back, and the
scratch view dropped, also on failure.
"""

import random
import statistics
import sys
from pathlib import Path

from .harness import (
    BenchmarkError,
    add_options,
    database,
    fmt,
    interleave,
    rolled_back,
    stored_tables,
    table,
    use_database,
)

ORIGINAL_QUERY = Path(__file__).resolve().parent / "original_readme_query.sql"
SCRATCH_VIEW = "rooms_bench_original_readme_query"
ORIGINAL = "original README query: REFRESH MATERIALIZED VIEW (scratch view)"
CHECK = "check: consistency.drift() of every read model"
#: The per-room rebuilds, reported in ms (the rest in seconds).
PER_ROOM = {
    count: f"trigger table: rooms_trigger_table_rebuild({count} room{'s' * (count > 1)})"
    for count in (1, 100)
}


def add_arguments(parser) -> None:
    add_options(parser, rounds=3, warmup=1, seed=True)


def refresh(concurrently: bool) -> str:
    return f"SELECT rooms_refresh_view({str(concurrently).lower()})"


def tasks(room_ids: list[int], rng: random.Random, drift_found: dict) -> list:
    """The measurements, each a function that returns the seconds it took."""
    from rooms.read_models import drift
    from rooms.read_models.registry import TRIGGER_TABLE

    def rebuild_rooms(count: int) -> float:
        ids = rng.sample(room_ids, min(count, len(room_ids)))
        stale = f"UPDATE {TRIGGER_TABLE.relation} SET width = -1 WHERE id = ANY(%s::bigint[])"
        rebuild = "SELECT rooms_trigger_table_rebuild(%s::bigint[])"
        return rolled_back(rebuild, params=[ids], prepare=[stale])

    def rebuild_table(model) -> tuple:
        rebuild = f"rooms_{model.name}_rebuild(NULL)"
        return (
            f"{model.name.replace('_', ' ')}: TRUNCATE + {rebuild}",
            lambda: rolled_back(f"TRUNCATE {model.relation}", f"SELECT {rebuild}"),
        )

    return [
        (ORIGINAL, lambda: rolled_back(f"REFRESH MATERIALIZED VIEW {SCRATCH_VIEW}")),
        (f"materialized view: {refresh(False)[7:]}, plain", lambda: rolled_back(refresh(False))),
        (f"materialized view: {refresh(True)[7:]}, concurrent", lambda: rolled_back(refresh(True))),
        *map(rebuild_table, stored_tables()),
        (CHECK, lambda: rolled_back(lambda cursor: drift_found.update(drift()))),
        *((name, lambda count=count: rebuild_rooms(count)) for count, name in PER_ROOM.items()),
    ]


def run(args) -> int:
    use_database(args.database_url)
    from django.db import connection

    from rooms.models import Room, Window

    name, version = database()
    room_ids = list(Room.objects.order_by("id").values_list("id", flat=True))
    if not room_ids:
        raise BenchmarkError(f"no rooms in {name}: run fill_db first")
    print(f"{name}: {len(room_ids):,} rooms, {args.rounds} rounds…", file=sys.stderr)
    query = ORIGINAL_QUERY.read_text(encoding="utf-8").strip().rstrip(";")
    drift_found, rng = {}, random.Random(args.seed)
    names = [task for task, _ in tasks(room_ids, rng, drift_found)]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP MATERIALIZED VIEW IF EXISTS {SCRATCH_VIEW}")
        cursor.execute(f"CREATE MATERIALIZED VIEW {SCRATCH_VIEW} AS\n{query}\nWITH NO DATA")
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    try:
        timings = interleave(lambda _: tasks(room_ids, rng, drift_found), args.rounds,
                             args.warmup, rng)  # fmt: skip
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP MATERIALIZED VIEW IF EXISTS {SCRATCH_VIEW}")
    baseline, rows = statistics.median(timings[ORIGINAL]), []
    for task in names:
        median = statistics.median(timings[task])
        scale, unit = (1000, "ms") if task in PER_ROOM.values() else (1, "s")
        samples = ", ".join(fmt(value * scale) for value in timings[task])
        rows.append((task, unit, fmt(median * scale), samples, fmt(median / baseline)))
    # The furniture-room links: the beds', chairs' and tables' many-to-many tables.
    links = sum(rel.through.objects.count() for rel in Room._meta.related_objects
                if rel.many_to_many)  # fmt: skip
    lines = args.run.header(
        f"Building room documents: `{name}`, {len(room_ids):,} rooms",
        f"PostgreSQL {version} (`jit` {jit}), {len(room_ids):,} rooms, "
        f"{Window.objects.count():,} windows, {links:,} furniture-room links. {args.rounds} "
        f"interleaved rounds after {args.warmup} warm-up round(s); every operation in its own "
        "transaction, rolled back.",
    )
    lines += table("measurement | unit | median | samples | median / original query", rows)
    differing = ", ".join(f"{model} {found.total}" for model, found in sorted(drift_found.items()))
    lines += [
        "",
        f"Rooms the check found differing (last sample): {differing}.",
        "",
        "The original query is the original project's README view, unchanged (`jsonb`, "
        "whole rows as objects). The per-room rebuilds rewrite rows made stale first "
        "(untimed), as after a write; new random rooms in every sample.",
    ]
    return args.run.emit("\n".join(lines) + "\n")
