"""Once per transaction, and right under concurrency.

* Many writes in one transaction rebuild each touched room once and refresh
  the view once, at commit.
* Concurrent transactions changing the same rooms never leave a stale
  document behind (the lost update), and never fail with a deadlock.
* The view's capture is its own: it follows writes whatever the app table
  does, and its lock comes after the app table's room locks at commit.
"""

import contextlib
import threading

import pytest
from django.db import connection, connections, transaction

from rooms.models import Room
from rooms.read_models import apply_now, materialized_view
from rooms.read_models.app_table import TABLE
from rooms.read_models.locks import APP_TABLE_LOCK, VIEW_LOCK, slot_of

from . import waiting
from .factories import make_bed, make_chair, make_door, make_room, make_window
from .read_paths import assert_every_read_path_agrees

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_view")]


def rows_written_to_table_in_this_transaction() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables "
            "WHERE relname = %s",
            [TABLE],
        )
        return cursor.fetchone()[0]


def test_many_writes_in_one_transaction_rebuild_each_room_once_and_refresh_once():
    first, second, untouched = make_room(), make_room(), make_room()
    bed = make_bed(rooms=[first])
    refreshes_before = materialized_view.state().refresh_count

    with transaction.atomic():
        # The counter also holds writes of earlier transactions not yet
        # reported to the statistics system: count the difference.
        written_before = rows_written_to_table_in_this_transaction()
        first.name = "First, renamed"
        first.save()
        bed.name = "Bed, renamed"
        bed.save()  # first's beds again
        make_window(first)  # first's windows
        make_chair(rooms=[first, second])  # both rooms' chairs
        second.beds.add(bed)  # second's beds
        bed.rooms.add(untouched)
        bed.rooms.remove(untouched)  # untouched's beds, twice
        assert rows_written_to_table_in_this_transaction() == written_before  # nothing yet
        apply_now()
        written = rows_written_to_table_in_this_transaction() - written_before

    # One row write per changed room, however many writes touched it; the
    # third room was touched twice but ends as it was, so it is not rewritten.
    assert written == 2
    assert materialized_view.state().refresh_count == refreshes_before + 1
    live = assert_every_read_path_agrees()
    assert live[first.id]["name"] == "First, renamed"
    assert [b["name"] for b in live[second.id]["beds"]] == ["Bed, renamed"]


def test_a_write_that_touches_no_room_does_not_refresh_the_view():
    refreshes_before = materialized_view.state().refresh_count
    make_bed()  # in no room: no document changes
    assert materialized_view.state().refresh_count == refreshes_before


def test_an_api_write_of_many_rows_refreshes_the_view_once(auth_client):
    rooms = [make_room() for _ in range(3)]
    refreshes_before = materialized_view.state().refresh_count
    response = auth_client.post(
        "/beds/",
        {"name": "Shared bed", "type": "BT1", "rooms": [r.id for r in rooms]},
        format="json",
    )
    assert response.status_code == 201
    assert materialized_view.state().refresh_count == refreshes_before + 1
    live = assert_every_read_path_agrees(auth_client)
    assert all(live[r.id]["beds"][0]["name"] == "Shared bed" for r in rooms)


def run_together(writers):
    """Run each writer in its own thread and connection, committing together where they can.

    Every writer does its writes inside a transaction, then waits at a barrier
    until all the others have written too, so that they commit (and the app
    table rebuilds) at the same moment: the interleaving in which a lost
    update would show. A writer blocked by another's room lock (the trigger
    table takes them at each statement) never reaches the barrier: the others
    stop waiting after a moment and commit, which lets it go on.
    """
    barrier = threading.Barrier(len(writers))
    errors = []

    def run(write):
        try:
            with transaction.atomic():
                write()
                with contextlib.suppress(threading.BrokenBarrierError):
                    barrier.wait(timeout=2)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(write,)) for write in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


@pytest.mark.slow
def test_concurrent_writers_on_the_same_rooms_leave_no_stale_document():
    door = make_door()
    rooms = [make_room(door=door) for _ in range(3)]
    for round_number in range(4):
        beds = [make_bed() for _ in range(6)]

        def link(bed, order):
            return lambda: bed.rooms.add(*order)

        # Half link the rooms in one order, half in the reverse order: the
        # per-room locks are taken in id order, so neither can deadlock.
        def unlink_first_bed(bed=beds[0]):
            # Races with that bed's own link: the outcome for rooms[0] may go
            # either way, but must be the same on every read path.
            Room.objects.get(pk=rooms[0].pk).beds.remove(bed)

        run_together(
            [link(bed, rooms if i % 2 else rooms[::-1]) for i, bed in enumerate(beds)]
            + [unlink_first_bed]
        )
        live = assert_every_read_path_agrees(details=False)
        for room in rooms[1:]:
            assert len(live[room.id]["beds"]) == 6 * (round_number + 1)


@pytest.mark.slow
def test_concurrent_renames_and_links_of_the_same_room_leave_no_stale_document():
    room = make_room()
    beds = [make_bed(rooms=[room]) for _ in range(4)]

    def rename(bed, name):
        def write():
            bed.name = name
            bed.save()

        return write

    for round_number in range(3):
        run_together(
            [rename(bed, f"Bed {i} round {round_number}") for i, bed in enumerate(beds)]
            + [lambda: make_chair(rooms=[room]), lambda: make_window(room)]
        )
        live = assert_every_read_path_agrees(details=False)
        assert {b["name"] for b in live[room.id]["beds"]} == {
            f"Bed {i} round {round_number}" for i in range(4)
        }


@contextlib.contextmanager
def app_table_lock_held(room_id: int):
    """Another session, in a transaction, holding room ``room_id``'s app-table lock."""
    other = connections.create_connection("default")
    other.set_autocommit(False)
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [APP_TABLE_LOCK, slot_of(room_id)]
            )
        yield other
    finally:
        other.close()


def patch_in_a_thread(client, url: str, body: dict) -> tuple[threading.Thread, list]:
    """``client.patch(url, body)`` started in a thread of its own; its responses, once joined."""
    responses = []

    def write():
        try:
            responses.append(client.patch(url, body, format="json"))
        finally:
            connections.close_all()

    thread = threading.Thread(target=write)
    thread.start()
    return thread, responses


@pytest.mark.slow
def test_an_api_write_aborted_by_a_deadlock_is_retried_not_shown(auth_client):
    """A real deadlock: the API's commit waits for a room lock held here, while
    this connection waits for the bed row the API updated. PostgreSQL aborts
    the API's transaction (it waited first); the view must run it again."""
    room = make_room()
    bed = make_bed(rooms=[room])
    with app_table_lock_held(room.id) as other:
        api, responses = patch_in_a_thread(
            auth_client, f"/beds/{bed.id}/", {"name": "From the API"}
        )
        waiting.until_a_session_waits(waiting.ADVISORY_LOCK)
        with other.cursor() as cursor:  # closes the cycle; PostgreSQL breaks it
            cursor.execute("UPDATE rooms_bed SET name = 'From elsewhere' WHERE id = %s", [bed.id])
        other.commit()
    api.join(timeout=60)

    assert [r.status_code for r in responses] == [200], responses
    live = assert_every_read_path_agrees(auth_client)
    assert live[room.id]["beds"][0]["name"] == "From the API"


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_the_view_follows_writes_without_the_app_table():
    """The view's change capture owes nothing to the app table's queue or commit trigger."""
    room = make_room()
    refreshes_before = materialized_view.state().refresh_count
    sql("ALTER TABLE rooms_pending_change DISABLE TRIGGER rooms_apply_pending_changes")
    try:
        sql("UPDATE rooms_room SET name = 'Heard by the view' WHERE id = %s", [room.id])
        room.name = "Saved by Django"
        room.save()  # the app table records it; nothing applies it
    finally:
        sql("DELETE FROM rooms_pending_change")
        sql("ALTER TABLE rooms_pending_change ENABLE TRIGGER rooms_apply_pending_changes")

    assert materialized_view.state().refresh_count == refreshes_before + 2
    live = assert_every_read_path_agrees(paths=["/rooms_mat_view/", "/rooms_v3/"])
    assert live[room.id]["name"] == "Saved by Django"


@pytest.mark.slow
def test_at_commit_the_view_waits_for_the_app_table_not_the_other_way(auth_client):
    """A commit takes the app table's room locks before the view's lock.

    A room saved by the API is heard by the view first (its capture runs at
    the end of the UPDATE, the app table's receiver after it). Here another
    session holds the room's app-table lock, so the API's commit waits for it:
    while it waits, it must not hold the view's lock (nor its state row), or
    a commit that took them the other way round would deadlock with it.
    """
    room = make_room()
    with app_table_lock_held(room.id) as other:
        api, responses = patch_in_a_thread(auth_client, f"/rooms/{room.id}/", {"name": "Waited"})
        waiting.until_a_session_waits(waiting.ADVISORY_LOCK)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND classid = %s AND objid = 0",
                [VIEW_LOCK],
            )
            assert cursor.fetchone()[0] == 0, "the view's lock was taken first"
            cursor.execute("SELECT 1 FROM rooms_view_state FOR UPDATE SKIP LOCKED")
            assert cursor.fetchone() is not None, "the view's state row was taken first"
        other.rollback()
    api.join(timeout=60)

    assert [r.status_code for r in responses] == [200], responses
    assert assert_every_read_path_agrees(auth_client)[room.id]["name"] == "Waited"
