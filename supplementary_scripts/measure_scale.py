#!/usr/bin/env python
"""Per-room storage and WAL of a filled database, and what a replica must replay.

    python supplementary_scripts/measure_scale.py --database-url postgres://…/rooms_repl_100k
        [--replica] [--output FILE.md]

For ``docs/scaling.md``: the figures that, divided by the number of rooms,
extrapolate to larger tables.

* **Storage**: the size (tables, their indexes and TOAST) of the base tables
  (entities and link tables together), of each read model, and of the database.
* **WAL**: how many bytes of write-ahead log each of these writes (every
  replica receives and replays all of it), each in a transaction that is
  rolled back (WAL is written all the same):
  a bed renamed in SQL (its row, and the trigger table's rebuild of its rooms,
  in the statement; commit-time work does not run in a rolled-back
  transaction); ``REFRESH MATERIALIZED VIEW CONCURRENTLY`` after that one
  rename; the same refresh not concurrently; the trigger table rebuilt from
  scratch (``TRUNCATE`` + ``rooms_trigger_table_rebuild(NULL)``, what
  ``fill_db`` and a repair do, once per stored table).
* **With ``--replica``** (the server must allow replication): a fresh
  replica's base backup (seconds, bytes), and how long the replica takes to
  replay the trigger table's full rebuild, committed this time (it writes
  the same documents again: the data is the same afterwards).

Times are wall-clock on this machine; sizes and WAL bytes do not depend on it.
"""

import argparse
import contextlib
import datetime
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR / "app"))

from local_replica import LocalReplica  # noqa: E402

BASE_TABLES = [
    "rooms_door",
    "rooms_souvenir",
    "rooms_decoration",
    "rooms_decoration_souvenirs",
    "rooms_room",
    "rooms_window",
    "rooms_windowfittings",
    "rooms_windowfittings_windows",
    "rooms_bed",
    "rooms_bed_rooms",
    "rooms_chair",
    "rooms_chair_rooms",
    "rooms_table",
    "rooms_table_rooms",
]
READ_MODELS = {
    "materialized view": "rooms_related_objects",
    "app table": "rooms_roomwithrelatedobjsrebuildinapp",
    "trigger table": "rooms_roomwithrelatedobjsv3",
}
RENAME = "UPDATE rooms_bed SET name = left(md5(random()::text), 20) WHERE id = (SELECT min(id) FROM rooms_bed)"  # noqa: E501
WRITES = {
    "rename a bed (its row, and its rooms' rows in the trigger table)": [RENAME],
    "REFRESH … CONCURRENTLY after that rename": [RENAME, "SELECT rooms_refresh_view(true)"],
    "REFRESH (not concurrently)": ["SELECT rooms_refresh_view(false)"],
    "trigger table rebuilt from scratch": [
        "TRUNCATE rooms_roomwithrelatedobjsv3",
        "SELECT rooms_trigger_table_rebuild(NULL)",
    ],
}
LSN = "SELECT pg_current_wal_insert_lsn()"


def connect(url: str):
    connection = psycopg2.connect(url)
    connection.autocommit = True
    return connection


def one(cursor, sql: str, params=()):
    cursor.execute(sql, params)
    return cursor.fetchone()[0]


def size(cursor, tables: list[str]) -> int:
    return one(
        cursor, "SELECT sum(pg_total_relation_size(t::regclass)) FROM unnest(%s) t", [tables]
    )


def wal_of(connection, statements: list[str]) -> tuple[int, float]:
    """WAL bytes and seconds of ``statements`` in one transaction, rolled back."""
    with connection.cursor() as cursor:
        before = one(cursor, LSN)
        started = time.perf_counter()
        cursor.execute("BEGIN")
        for statement in statements:
            cursor.execute(statement)
        elapsed = time.perf_counter() - started
        cursor.execute("ROLLBACK")
        after = one(cursor, LSN)
        return one(cursor, "SELECT pg_wal_lsn_diff(%s, %s)", [after, before]), elapsed


def replica_figures(url: str) -> dict:
    directory = Path(tempfile.mkdtemp(prefix="rooms-scale-replica-"))
    replica = LocalReplica(url, directory)
    if reason := replica.refusal():
        shutil.rmtree(directory, ignore_errors=True)
        return {"refused": reason}
    try:
        started = time.perf_counter()
        replica.create()
        backup_seconds = time.perf_counter() - started
        backup_bytes = sum(f.stat().st_size for f in replica.data.rglob("*") if f.is_file())
        replica.start()
        database = psycopg2.connect(url).get_dsn_parameters()["dbname"]
        primary, standby = connect(url), connect(replica.url(database))
        with primary.cursor() as cursor:
            before = one(cursor, LSN)
            cursor.execute("BEGIN")
            cursor.execute(WRITES["trigger table rebuilt from scratch"][0])
            cursor.execute(WRITES["trigger table rebuilt from scratch"][1])
            committed_at = time.perf_counter()
            cursor.execute("COMMIT")
            target = one(cursor, "SELECT pg_current_wal_flush_lsn()")
            wal = one(cursor, "SELECT pg_wal_lsn_diff(%s, %s)", [target, before])
        with standby.cursor() as cursor:
            while not one(cursor, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]):
                time.sleep(0.01)
        caught_up = time.perf_counter() - committed_at
        primary.close()
        standby.close()
        return {
            "backup_seconds": backup_seconds,
            "backup_bytes": backup_bytes,
            "rebuild_wal": wal,
            "catch_up_seconds": caught_up,
        }
    finally:
        replica.stop()
        shutil.rmtree(directory, ignore_errors=True)


def mb(value: float) -> str:
    if value < 2**20:
        return f"{value / 2**10:,.1f} kB"
    return f"{value / 2**20:,.1f} MB"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--replica", action="store_true")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)

    connection = connect(args.database_url)
    with connection.cursor() as cursor:
        rooms = one(cursor, "SELECT count(*) FROM rooms_room")
        version = one(cursor, "SHOW server_version").split()[0]
        sizes = {"base tables (entities and links)": size(cursor, BASE_TABLES)}
        sizes.update({name: size(cursor, [table]) for name, table in READ_MODELS.items()})
        sizes["whole database"] = one(cursor, "SELECT pg_database_size(current_database())")
        cursor.execute(
            "SELECT t, (SELECT reltuples::bigint FROM pg_class WHERE oid = t::regclass), "
            "pg_total_relation_size(t::regclass) FROM unnest(%s) t ORDER BY 3 DESC",
            [BASE_TABLES],
        )
        tables = cursor.fetchall()
    wal = {name: wal_of(connection, statements) for name, statements in WRITES.items()}
    connection.close()
    replica = replica_figures(args.database_url) if args.replica else None

    lines = [
        f"## Storage and WAL at {rooms:,} rooms",
        "",
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, PostgreSQL {version}, "
        "this project's shared 2-core machine.",
        "",
        "| what | size | per room |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {name} | {mb(value)} | {value / rooms:,.0f} B |" for name, value in sizes.items()]
    lines += ["", "| base table | rows (estimate) | size | per room |"]
    lines += ["| --- | ---: | ---: | ---: |"]
    lines += [f"| {t} | {n:,} | {mb(b)} | {b / rooms:,.0f} B |" for t, n, b in tables]
    lines += ["", "| write (rolled back) | WAL | per room | took |", "| --- | ---: | ---: | ---: |"]
    lines += [
        f"| {name} | {mb(nbytes)} | {nbytes / rooms:,.1f} B | {seconds:.3f} s |"
        for name, (nbytes, seconds) in wal.items()
    ]
    if replica is not None:
        lines.append("")
        if "refused" in replica:
            lines.append(f"No replica: {replica['refused']}")
        else:
            lines += [
                f"Replica: base backup {replica['backup_seconds']:.1f} s for "
                f"{mb(replica['backup_bytes'])}; a committed full rebuild of the trigger table "
                f"({mb(replica['rebuild_wal'])} of WAL) was replayed "
                f"{replica['catch_up_seconds']:.2f} s after its COMMIT was sent.",
            ]
    text = "\n".join(lines) + "\n"
    if args.output:
        args.output.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
