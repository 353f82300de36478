"""Per-room storage and WAL of a filled database, and what a replica must replay.

For ``docs/scaling.md``: the size of the base tables (from the app's models), of each read
model and of the database; the WAL (which every replica replays) of a bed renamed in SQL,
of a concurrent refresh after it, of a plain refresh, of the trigger table rebuilt from
scratch, each rolled back. ``--replica`` (the server must allow replication): a replica's base
backup, and how long it takes to replay that rebuild, committed this time (same documents).
"""

import tempfile
import time
from pathlib import Path

from . import harness
from .harness import BenchmarkError, query, rolled_back, table

REBUILD = "trigger table rebuilt from scratch"
LSN = "SELECT pg_current_wal_insert_lsn()"
WAL_SINCE = "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), %s)"
SIZE = "SELECT pg_total_relation_size(%s::regclass)"
TABLES = (
    "SELECT pg_total_relation_size(oid), relname, reltuples::bigint FROM pg_class "
    "WHERE oid = ANY(%s::regclass[]) ORDER BY 1 DESC, 2 DESC"
)


def add_arguments(parser) -> None:
    harness.add_options(parser)
    parser.add_argument("--replica", action="store_true", help="also make a replica")


def writes() -> dict[str, list[str]]:
    from rooms.models import Bed
    from rooms.read_models.registry import TRIGGER_TABLE

    bed = Bed._meta.db_table
    rename = f"UPDATE {bed} SET name = left(md5(random()::text), 20) "
    rename += f"WHERE id = (SELECT min(id) FROM {bed})"
    return {
        "rename a bed (its row, and its rooms' rows in the trigger table)": [rename],
        "REFRESH … CONCURRENTLY after that rename": [rename, "SELECT rooms_refresh_view(true)"],
        "REFRESH (not concurrently)": ["SELECT rooms_refresh_view(false)"],
        REBUILD: [f"TRUNCATE {TRIGGER_TABLE.relation}", "SELECT rooms_trigger_table_rebuild(NULL)"],
    }


def mb(value: float) -> str:
    return f"{value / 2**10:,.1f} kB" if value < 2**20 else f"{value / 2**20:,.1f} MB"


def replica_catch_up(url: str) -> str:
    """A replica's base backup, and how soon it replays a committed rebuild."""
    from django.db import connection, transaction

    with (
        tempfile.TemporaryDirectory(prefix="rooms-scale-") as workdir,
        harness.local_replica(url, Path(workdir)) as (replica, backup_seconds),
    ):
        backup = sum(f.stat().st_size for f in replica.data.rglob("*") if f.is_file())
        standby = replica.url(connection.settings_dict["NAME"])
        before = query(url, LSN)[0]
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in writes()[REBUILD]:
                cursor.execute(statement)
            committed_at = time.perf_counter()
        target = query(url, "SELECT pg_current_wal_flush_lsn()")[0]
        while not query(standby, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])[0]:
            time.sleep(0.01)
        caught_up = time.perf_counter() - committed_at
    wal = query(url, "SELECT pg_wal_lsn_diff(%s, %s)", [target, before])[0]
    return (
        f"Replica: base backup {backup_seconds:.1f} s for {mb(backup)}; a committed full "
        f"rebuild of the trigger table ({mb(wal)} of WAL) was replayed {caught_up:.2f} s "
        "after its COMMIT was sent."
    )


def run(args) -> int:
    harness.use_database(args.database_url)
    from django.apps import apps
    from django.db import connection

    from rooms.models import Room
    from rooms.read_models.registry import READ_MODELS

    models = apps.get_app_config("rooms").get_models(include_auto_created=True)
    read_models = {model.name.replace("_", " "): model.relation for model in READ_MODELS.values()}
    base = {model._meta.db_table for model in models} - set(read_models.values())
    url = args.database_url
    with connection.cursor() as cursor:  # every base table in one statement
        cursor.execute(TABLES, [sorted(base)])
        tables = cursor.fetchall()
    sizes = {"base tables (entities and links)": sum(size for size, _, _ in tables)}
    sizes |= {name: query(url, SIZE, [relation])[0] for name, relation in read_models.items()}
    sizes["whole database"] = query(url, "SELECT pg_database_size(current_database())")[0]
    wal = {}
    for name, statements in writes().items():
        before = query(url, LSN)[0]
        seconds = rolled_back(*statements)
        wal[name] = query(url, WAL_SINCE, [before])[0], seconds
    rooms, version = Room.objects.count(), harness.database()[1]
    lines = [
        *args.run.header(f"Storage and WAL at {rooms:,} rooms", f"PostgreSQL {version}."),
        *table("what | size | per room",
               [(name, mb(value), f"{value / rooms:,.0f} B") for name, value in sizes.items()]),
        "",
        *table("base table | rows (estimate) | size | per room",
               [(t, f"{n:,}", mb(b), f"{b / rooms:,.0f} B") for b, t, n in tables]),
        "",
        *table("write (rolled back) | WAL | per room | took",
               [(name, mb(nbytes), f"{nbytes / rooms:,.1f} B", f"{seconds:.3f} s")
                for name, (nbytes, seconds) in wal.items()]),
    ]  # fmt: skip
    if args.replica:
        try:
            lines += ["", replica_catch_up(args.database_url)]
        except BenchmarkError as error:
            lines += ["", f"Replica: {error}."]
    return args.run.emit("\n".join(lines) + "\n")
