"""Time how fast every read model builds room documents, against the original project's query.

In one interleaved run, through the installed SQL functions as in production: the original
README's query (``original_readme_query.sql`` as a scratch materialized view, refreshed: the
baseline), the view's plain and concurrent refresh, each stored table rebuilt from scratch, the
check of every read model, the trigger table's rebuild of 1 and 100 random rooms made stale
first (untimed). Every operation is rolled back; the scratch view is dropped, also on failure.
"""

import random
import statistics
import sys
from functools import partial
from pathlib import Path

from . import harness
from .harness import fmt, rolled_back

ORIGINAL_QUERY = Path(__file__).resolve().parent / "original_readme_query.sql"
SCRATCH_VIEW = "rooms_bench_original_readme_query"
ORIGINAL = "original README query: REFRESH MATERIALIZED VIEW (scratch view)"
CHECK = "check: consistency.drift() of every read model"
#: The per-room rebuilds, reported in ms (the rest in seconds).
PER_ROOM = {
    1: "trigger table: rooms_trigger_table_rebuild(1 room)",
    100: "trigger table: rooms_trigger_table_rebuild(100 rooms)",
}


def add_arguments(parser) -> None:
    harness.add_options(parser, rounds=3, warmup=1, seed=True)


def run(args) -> int:
    harness.use_database(args.database_url)
    from django.db import connection

    from rooms.models import FURNITURE, Room, Window
    from rooms.read_models import drift
    from rooms.read_models.registry import TRIGGER_TABLE

    name, version = harness.database()
    room_ids = list(Room.objects.order_by("id").values_list("id", flat=True))
    if not room_ids:
        raise harness.BenchmarkError(f"no rooms in {name}: run fill_db first")
    print(f"{name}: {len(room_ids):,} rooms, {args.rounds} rounds…", file=sys.stderr)
    drift_found, rng = {}, random.Random(args.seed)

    def rebuild_rooms(count: int) -> float:
        ids = rng.sample(room_ids, min(count, len(room_ids)))
        stale = f"UPDATE {TRIGGER_TABLE.relation} SET width = -1 WHERE id = ANY(%s::bigint[])"
        rebuild = "SELECT rooms_trigger_table_rebuild(%s::bigint[])"
        return rolled_back(rebuild, params=[ids], prepare=[stale])

    statements = [(ORIGINAL, f"REFRESH MATERIALIZED VIEW {SCRATCH_VIEW}")]  # (name, *statements)
    for flag, how in [("false", "plain"), ("true", "concurrent")]:
        refresh = f"rooms_refresh_view({flag})"
        statements.append((f"materialized view: {refresh}, {how}", f"SELECT {refresh}"))
    for model in harness.stored_tables():
        rebuild = f"rooms_{model.name}_rebuild(NULL)"
        task = f"{model.name.replace('_', ' ')}: TRUNCATE + {rebuild}"
        statements.append((task, f"TRUNCATE {model.relation}", f"SELECT {rebuild}"))
    statements.append((CHECK, lambda cursor: drift_found.update(drift())))
    tasks = [(task, partial(rolled_back, *steps)) for task, *steps in statements]
    tasks += [(task, partial(rebuild_rooms, count)) for count, task in PER_ROOM.items()]
    query = ORIGINAL_QUERY.read_text(encoding="utf-8").strip().rstrip(";")
    drop = f"DROP MATERIALIZED VIEW IF EXISTS {SCRATCH_VIEW}"
    with connection.cursor() as cursor:
        cursor.execute(drop)
        cursor.execute(f"CREATE MATERIALIZED VIEW {SCRATCH_VIEW} AS\n{query}\nWITH NO DATA")
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        try:  # each round a copy of the tasks: interleave() shuffles it
            timings = harness.interleave(lambda _: list(tasks), args.rounds, args.warmup, rng)
        finally:
            cursor.execute(drop)
    baseline, rows = statistics.median(timings[ORIGINAL]), []
    for task, _ in tasks:
        median = statistics.median(timings[task])
        scale, unit = (1000, "ms") if task in PER_ROOM.values() else (1, "s")
        samples = ", ".join(fmt(value * scale) for value in timings[task])
        rows.append((task, unit, fmt(median * scale), samples, fmt(median / baseline)))
    links = sum(furniture.rooms.through.objects.count() for furniture in FURNITURE.values())
    lines = args.run.header(
        f"Building room documents: `{name}`, {len(room_ids):,} rooms",
        f"PostgreSQL {version} (`jit` {jit}), {len(room_ids):,} rooms, "
        f"{Window.objects.count():,} windows, {links:,} furniture-room links. {args.rounds} "
        f"interleaved rounds after {args.warmup} warm-up round(s); every operation in its own "
        "transaction, rolled back.",
    )
    lines += harness.table("measurement | unit | median | samples | median / original query", rows)
    differing = ", ".join(f"{model} {found.total}" for model, found in sorted(drift_found.items()))
    lines += ["", f"Rooms the check found differing (last sample): {differing}.", ""]
    lines.append(
        "The original query is the original project's README view, unchanged (`jsonb`, "
        "whole rows as objects). The per-room rebuilds rewrite rows made stale first "
        "(untimed), as after a write; new random rooms in every sample."
    )
    return args.run.emit("\n".join(lines) + "\n")
