"""The trigger table (``/rooms_v3/``) and the view hear every writer, not only Django.

Each test writes the way some client does — the ORM's ``QuerySet.update()``
and ``bulk_create()``, raw SQL on Django's connection, ``COPY``, ``TRUNCATE``,
a ``psql`` session as pgAdmin would run it — and then compares, for every
room, ``/rooms/`` with ``/rooms_v3/`` and ``/rooms_mat_view/`` (refresh
policy ``immediate``). The app table (``/rooms_v2/``) hears only Django's
signals; the refresher worker heals it (last test).
"""

import io
import json
import os
import shutil
import subprocess
import threading
import time

import pytest
from django.db import connection, connections, transaction

from rooms.models import (
    BASE_TABLES,
    Bed,
    Chair,
    Decoration,
    Door,
    Room,
    Souvenir,
    Table,
    TriggerTableRoom,
    Window,
    WindowFittings,
)
from rooms.read_models.affected_rooms import part_of
from rooms.read_models.capture import CAPTURED_MODELS
from rooms.read_models.locks import ROOM_SLOTS
from rooms.read_models.registry import APP_TABLE
from rooms.read_models.stored_table import BULK_ROOMS

from . import waiting
from .factories import make_bed, make_door, make_full_room, make_furnished_rooms, make_room
from .read_paths import assert_every_read_path_agrees, document
from .refresher_thread import RefresherThread

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_view")]

#: The read paths kept by the database, for every writer.
KEPT_BY_THE_DATABASE = ("/rooms_v3/", "/rooms_mat_view/")


@pytest.fixture
def rooms():
    door = make_door()
    return [make_full_room(door=door) for _ in range(4)]


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def agree(gone=()):
    return assert_every_read_path_agrees(paths=KEPT_BY_THE_DATABASE, gone=gone)


def names(items):
    return [item["name"] for item in items]


def test_queryset_update_and_bulk_create(rooms):
    Bed.objects.filter(rooms=rooms[0]).update(name="Updated in bulk")
    Room.objects.filter(pk=rooms[1].pk).update(width=7.5)
    new = Room.objects.bulk_create([Room(name="Bulk room", type="LBB", door=rooms[0].door)])
    Window.objects.bulk_create([Window(name="Bulk window", type="WT2", room=new[0])])
    live = agree()
    assert "Updated in bulk" in names(live[rooms[0].id]["beds"])
    assert live[rooms[1].id]["width"] == 7.5
    assert names(live[new[0].id]["windows"]) == ["Bulk window"]


def test_raw_sql_of_every_kind(rooms):
    first, second, third, fourth = rooms
    bed = first.beds.first()
    window = first.windows.first()
    sql("UPDATE rooms_door SET name = 'Raw door' WHERE id = %s", [first.door_id])
    sql("UPDATE rooms_window SET room_id = %s WHERE id = %s", [second.id, window.id])  # a move
    sql("INSERT INTO rooms_bed_rooms (bed_id, room_id) VALUES (%s, %s)", [bed.id, third.id])
    sql("DELETE FROM rooms_chair_rooms WHERE room_id = %s", [second.id])
    sql("UPDATE rooms_souvenir SET name = 'Raw souvenir ' || id WHERE id IN "
        "(SELECT souvenir_id FROM rooms_decoration_souvenirs WHERE decoration_id = %s)",
        [third.decoration_id])  # fmt: skip
    sql("UPDATE rooms_room SET decoration_id = NULL WHERE id = %s", [fourth.id])
    live = agree()
    assert live[first.id]["door"]["name"] == "Raw door"
    assert window.id not in [w["id"] for w in live[first.id]["windows"]]
    assert window.id in [w["id"] for w in live[second.id]["windows"]]
    assert bed.id in [b["id"] for b in live[third.id]["beds"]]
    assert live[second.id]["chairs"] == []
    souvenirs = names(live[third.id]["decoration"]["souvenirs"])
    assert souvenirs and all(name.startswith("Raw souvenir") for name in souvenirs)
    assert live[fourth.id]["decoration"] is None


def test_a_room_deleted_with_its_links_in_raw_sql_is_gone_everywhere(rooms):
    room = rooms[0]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM rooms_windowfittings_windows WHERE window_id IN "
            "(SELECT id FROM rooms_window WHERE room_id = %s)",
            [room.id],
        )
        for table in ("rooms_window", "rooms_bed_rooms", "rooms_chair_rooms", "rooms_table_rooms"):
            cursor.execute(f"DELETE FROM {table} WHERE room_id = %s", [room.id])
        cursor.execute("DELETE FROM rooms_room WHERE id = %s", [room.id])
    agree(gone=[room.id])


def test_copy_and_truncate(rooms):
    bed = make_bed()
    with connection.cursor() as cursor:
        cursor.copy_expert(
            "COPY rooms_bed_rooms (bed_id, room_id) FROM STDIN",
            io.StringIO("".join(f"{bed.id}\t{room.id}\n" for room in rooms)),
        )
    live = agree()
    assert all(bed.id in [b["id"] for b in live[room.id]["beds"]] for room in rooms)
    sql("TRUNCATE rooms_chair_rooms")
    live = agree()
    assert all(live[room.id]["chairs"] == [] for room in rooms)


def test_insert_before_the_row_it_points_at(rooms):
    """Foreign keys are checked at commit: a room may be inserted before its door."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('rooms_door', 'id'))")
        (door_id,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO rooms_room (name, width, length, height, type, door_id) "
            "VALUES ('Early room', 3, 3, 3, 'BDR', %s) RETURNING id",
            [door_id],
        )
        (room_id,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO rooms_door (id, name, width, length, height, type) "
            "VALUES (%s, 'Late door', 1, 2, 1, 'DT2')",
            [door_id],
        )
    live = agree()
    assert live[room_id]["door"]["name"] == "Late door"


PGADMIN_SESSION = """
BEGIN;
UPDATE rooms_room SET name = 'Renamed in psql' WHERE id = {first};
UPDATE rooms_bed SET width = width + 1 WHERE id IN (SELECT bed_id FROM rooms_bed_rooms WHERE room_id = {second});
INSERT INTO rooms_souvenir (name) VALUES ('Psql souvenir');
INSERT INTO rooms_decoration_souvenirs (decoration_id, souvenir_id)
    SELECT decoration_id, currval(pg_get_serial_sequence('rooms_souvenir', 'id'))
      FROM rooms_room WHERE id = {first};
DELETE FROM rooms_windowfittings_windows WHERE window_id IN (SELECT id FROM rooms_window WHERE room_id = {second});
COMMIT;
UPDATE rooms_window SET room_id = {first} WHERE room_id = {second};
"""  # noqa: E501


def psql_environment():
    settings = connection.settings_dict
    env = dict(os.environ, PGDATABASE=settings["NAME"], PGUSER=settings["USER"] or "postgres")
    if settings["HOST"]:
        env["PGHOST"] = settings["HOST"]
    if settings["PORT"]:
        env["PGPORT"] = str(settings["PORT"])
    if settings["PASSWORD"]:
        env["PGPASSWORD"] = settings["PASSWORD"]
    return env


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("psql") is None, reason="needs the psql client")
def test_a_psql_session_as_pgadmin_would_run_it(rooms):
    first, second = rooms[0], rooms[1]
    moved = [w.id for w in second.windows.all()]
    script = PGADMIN_SESSION.format(first=first.id, second=second.id)
    result = subprocess.run(
        ["psql", "-v", "ON_ERROR_STOP=1", "-X", "-q"],
        input=script,
        text=True,
        capture_output=True,
        env=psql_environment(),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    live = agree()
    assert live[first.id]["name"] == "Renamed in psql"
    assert "Psql souvenir" in names(live[first.id]["decoration"]["souvenirs"])
    assert live[second.id]["windows"] == []
    moved_windows = [w for w in live[first.id]["windows"] if w["id"] in moved]
    assert len(moved_windows) == len(moved) and all(w["fittings"] == [] for w in moved_windows)


def test_a_transaction_reads_its_own_writes_and_a_rollback_takes_them_back(rooms):
    room = rooms[0]
    before = document(None, "/rooms_v3/", room.id)

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        sql("UPDATE rooms_room SET name = 'Not yet committed' WHERE id = %s", [room.id])
        bed = make_bed(name="Uncommitted bed", rooms=[room])
        # Fresh at the end of each statement, inside the transaction.
        stored = TriggerTableRoom.objects.get(pk=room.pk)
        assert stored.name == "Not yet committed"
        assert bed.id in [b["id"] for b in stored.beds]
        raise Abort
    assert document(None, "/rooms_v3/", room.id) == before
    agree()


def rows_written_to_trigger_table() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables "
            "WHERE relname = %s",
            [TriggerTableRoom._meta.db_table],
        )
        return cursor.fetchone()[0]


def test_one_statement_rebuilds_each_touched_room_once():
    """Set-based: 60 beds in 3 rooms renamed by one UPDATE rewrite 3 rows, not 60 or 300."""
    door = make_door()
    rooms = [make_room(door=door) for _ in range(3)]
    beds = [make_bed(rooms=rooms) for _ in range(20)] + [make_bed() for _ in range(40)]
    with transaction.atomic():
        before = rows_written_to_trigger_table()
        sql("UPDATE rooms_bed SET width = width + 0.5 WHERE id = ANY(%s)", [[b.id for b in beds]])
        written = rows_written_to_trigger_table() - before
    assert written == len(rooms)
    agree()


def test_a_statement_that_changes_nothing_rebuilds_nothing(rooms):
    with transaction.atomic():
        before = rows_written_to_trigger_table()
        sql("UPDATE rooms_bed SET name = name")
        assert rows_written_to_trigger_table() == before


def table_reads() -> dict[str, int]:
    """Scans of each table counted by this session (not yet flushed: compare two)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, seq_scan + coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables"
        )
        return dict(cursor.fetchall())


#: Read for the rooms of every part: the rooms themselves, and their door and
#: decoration, each looked up by key (PostgreSQL cannot prove a room has one
#: of each, so it keeps their joins).
READ_FOR_EVERY_PART = {model._meta.db_table for model in (Room, Door, Decoration)}


@pytest.mark.parametrize(
    "model", [Door, Decoration, Souvenir, Window, WindowFittings, Bed, Chair, Table]
)
def test_a_rename_reads_only_the_part_of_the_documents_it_changes(rooms, model):
    """Renaming a bed rebuilds the beds of its rooms from the beds alone: it
    reads neither their windows and fittings nor their chairs, tables and
    souvenirs. (It did read them all: joined into an UPDATE, PostgreSQL keeps
    every relation of the document query in the plan.)"""
    part = part_of(model)
    sources = {m._meta.db_table for m in CAPTURED_MODELS}
    of_the_part = {m._meta.db_table for m in CAPTURED_MODELS if part_of(m) == part}
    table = model._meta.db_table
    row_id = model.objects.order_by("id").values_list("id", flat=True).first()
    with transaction.atomic():
        before = table_reads()
        sql(f"UPDATE {table} SET name = name || ' (renamed)' WHERE id = %s", [row_id])
        after = table_reads()
    read = {name for name in sources if after.get(name, 0) > before.get(name, 0)}
    assert read - of_the_part - READ_FOR_EVERY_PART == set()
    assert table in read
    live = agree()
    assert any("(renamed)" in str(room) for room in live.values())


def advisory_locks_held() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
        return cursor.fetchone()[0]


#: One bulk statement per part of the document, each touching every room of the test.
BULK_STATEMENTS = {
    "beds": "UPDATE rooms_bed SET name = name || ' (bulk)'",
    "chairs": "UPDATE rooms_chair SET width = width + 1",
    "tables": "UPDATE rooms_table SET height = height + 1",
    "door": "UPDATE rooms_door SET name = name || ' (bulk)'",
    "decoration": "UPDATE rooms_souvenir SET name = name || ' (bulk)'",
    "windows": "UPDATE rooms_windowfittings SET name = name || ' (bulk)'",
    "room": "UPDATE rooms_room SET name = name || ' (bulk)'",
}


def test_statements_over_more_rooms_than_lock_slots_hold_a_bounded_number_of_locks():
    """One lock per room ran PostgreSQL's shared lock table out of memory when a
    bulk UPDATE touched 40,000 rooms; the rooms share ROOM_SLOTS locks instead.
    These rebuilds (more than BULK_ROOMS rooms) are also planned for their own
    rooms, a path of their own: every part of the document goes through it."""
    rooms = make_furnished_rooms(max(ROOM_SLOTS, BULK_ROOMS) + 100)
    for statement in BULK_STATEMENTS.values():
        with transaction.atomic():
            sql(statement)
            assert advisory_locks_held() <= ROOM_SLOTS
    live = agree()
    room = live[rooms[-1].id]
    assert room["name"].endswith(" (bulk)") and room["door"]["name"].endswith(" (bulk)")
    assert all(name.endswith(" (bulk)") for name in names(room["beds"]))


class Plans(list):
    """The plans auto_explain sends this client, as JSON (psycopg2 keeps only the last 50
    notices in its own list)."""

    def append(self, notice: str) -> None:
        if "plan:" in notice:
            super().append(json.loads(notice.split("plan:", 1)[1]))


def busiest_step(statement: str) -> int:
    """The most rows one step of a plan handled (its rows times its loops) while ``statement`` ran,
    over every statement its triggers ran too."""

    def steps(node):
        yield node["Actual Rows"] * node["Actual Loops"]
        for child in node.get("Plans", ()):
            yield from steps(child)

    plans, client = Plans(), connection.connection
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOAD 'auto_explain'")
        for setting, value in [("auto_explain.log_min_duration", "0"),
                               ("auto_explain.log_analyze", "on"),
                               ("auto_explain.log_nested_statements", "on"),
                               ("auto_explain.log_format", "json"),
                               ("client_min_messages", "log")]:  # fmt: skip
            cursor.execute("SELECT set_config(%s, %s, true)", [setting, value])
        client.notices, notices = plans, client.notices
        try:
            cursor.execute(statement)
        finally:
            client.notices = notices
    assert plans, "auto_explain sent no plan"
    return max(rows for plan in plans for rows in steps(plan["Plan"]))


def test_a_bulk_statement_after_a_reload_does_work_in_proportion_to_its_rooms():
    """A reload (``TRUNCATE``, then new rows) keeps the statistics of the old data: taken
    while the tables were small, they hold every room id in their lists of most common values,
    so they put a new room's windows at none. Planned on them, the rebuild of a bulk
    statement's rooms recomputed every window's fittings once per window: work growing with the
    square of the rooms (4.8 million rows for 1,100 rooms, 10 s). The tables
    that grew since their statistics are analyzed before such a rebuild is planned."""
    make_furnished_rooms(20)
    sql(f"ANALYZE {', '.join(BASE_TABLES)}")  # committed, as autovacuum would
    sql(f"TRUNCATE {', '.join(BASE_TABLES)}")  # a reload: the statistics stay
    rooms = make_furnished_rooms(BULK_ROOMS + 100)

    for part in ("windows", "room"):
        assert busiest_step(BULK_STATEMENTS[part]) <= 10 * len(rooms), part
    agree()


@pytest.mark.slow
def test_concurrent_writers_on_one_room_lose_no_update():
    """The lost update, on separate connections, in the order that would lose it.

    The first writer renames a bed and keeps its transaction open; the second
    renames another bed of the same room. Had the second rebuilt the room from
    its own snapshot, it would write the room back without the first rename
    once the first committed. It must wait for the first instead, and then
    see it.
    """
    room = make_room()
    first_bed, second_bed = make_bed(rooms=[room]), make_bed(rooms=[room])
    first = connections.create_connection("default")
    first.set_autocommit(False)
    errors = []

    def second_writer():
        try:
            with transaction.atomic():
                sql("UPDATE rooms_bed SET name = 'Second' WHERE id = %s", [second_bed.id])
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    try:
        with first.cursor() as cursor:
            cursor.execute("UPDATE rooms_bed SET name = 'First' WHERE id = %s", [first_bed.id])
        second = threading.Thread(target=second_writer)
        second.start()
        waiting.until_a_session_waits()  # the second writer, for the room
        first.commit()
    finally:
        first.close()
    second.join(timeout=30)
    assert not errors, errors
    live = agree()
    assert sorted(names(live[room.id]["beds"])) == ["First", "Second"]


@pytest.mark.slow
def test_the_worker_heals_the_app_table_after_writes_that_bypass_django(rooms):
    sql("UPDATE rooms_room SET name = 'Behind Django' WHERE id = %s", [rooms[0].id])
    sql("DELETE FROM rooms_chair_rooms WHERE room_id = %s", [rooms[1].id])
    assert document(None, "/rooms_v2/", rooms[0].id)["name"] != "Behind Django"
    with RefresherThread(max_staleness=1.0, heal_interval=0.5):
        deadline = time.monotonic() + 20
        while document(None, "/rooms_v2/", rooms[0].id)["name"] != "Behind Django":
            assert time.monotonic() < deadline, "the app table was not healed"
            time.sleep(0.1)
    assert_every_read_path_agrees()
    assert APP_TABLE.heal() == 0
