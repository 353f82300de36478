"""The deferred policy: a worker keeps the view within its staleness bound.

Workers run in threads here, each with its own database connection, exactly
the code ``manage.py run_view_refresher`` runs.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from rooms.read_models import materialized_view, view_refresher
from rooms.read_models.locks import VIEW_LOCK

from . import waiting
from .factories import make_bed, make_room
from .read_paths import all_documents, assert_every_read_path_agrees
from .refresher_thread import RefresherThread

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BOUND = 1.0  # seconds; the tests allow generous extra time on a loaded machine


@pytest.fixture(autouse=True)
def deferred(refresh_policy):
    refresh_policy("deferred")


def wait_for_view_to_match_live(timeout=20.0) -> float:
    """Poll until the view equals the live documents; return how long it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if all_documents(None, "/rooms_mat_view/") == all_documents(None, "/rooms/"):
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"the view did not catch up within {timeout} s")


def test_a_write_only_marks_the_view_stale_and_the_worker_catches_up():
    room = make_room()
    assert materialized_view.state().stale_since is not None  # marked, not refreshed
    with RefresherThread(max_staleness=BOUND):
        make_bed(rooms=[room])
        wait_for_view_to_match_live()
        assert view_refresher.wait_until_fresh(timeout=10)
    assert_every_read_path_agrees()


def test_a_worker_started_after_the_writes_catches_up():
    rooms = [make_room() for _ in range(3)]
    make_bed(rooms=rooms)
    assert materialized_view.state().stale_since is not None
    with RefresherThread(max_staleness=BOUND):
        wait_for_view_to_match_live()
    assert materialized_view.state().stale_since is None


def test_two_workers_never_refresh_at_once():
    """A refresh waits for the one in progress (held here by its lock)."""
    make_room()
    refreshes_before = materialized_view.state().refresh_count
    holder = connections.create_connection("default")
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:  # a refresh "in progress" on another connection
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [VIEW_LOCK])
        second = threading.Thread(
            target=lambda: (materialized_view.refresh_if_stale(), connection.close())
        )
        second.start()
        second.join(timeout=1.5)
        assert second.is_alive(), "a second refresh ran while the first held the lock"
        assert materialized_view.state().refresh_count == refreshes_before
    finally:
        holder.rollback()
        holder.close()
    second.join(timeout=30)
    assert not second.is_alive()
    assert materialized_view.state().refresh_count == refreshes_before + 1


def test_a_write_committed_during_a_refresh_is_not_lost():
    room = make_room()
    holder = connections.create_connection("default")
    holder.set_autocommit(False)
    try:
        with holder.cursor() as cursor:  # holds the worker's refresh in its REFRESH statement
            cursor.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY rooms_related_objects")
        with RefresherThread(max_staleness=BOUND):
            waiting.until_a_session_waits(waiting.THE_VIEW)
            refreshes_before = materialized_view.state().refresh_count
            bed = make_bed(rooms=[room])  # commits while that refresh is under way
            holder.rollback()
            wait_for_view_to_match_live()
            assert view_refresher.wait_until_fresh(timeout=10)
    finally:
        holder.rollback()
        holder.close()
    # The refresh under way could not know whether it saw the write, so it
    # left the mark, and another refresh followed.
    assert materialized_view.state().refresh_count >= refreshes_before + 2
    assert [b["id"] for b in all_documents(None, "/rooms_mat_view/")[room.id]["beds"]] == [bed.id]


def test_a_burst_of_writes_costs_one_or_two_refreshes_not_one_each():
    """Writes made while a refresh is under way share the next refresh."""
    room = make_room()
    holder = connections.create_connection("default")
    holder.set_autocommit(False)
    try:
        with RefresherThread(max_staleness=BOUND):
            assert view_refresher.wait_until_fresh(timeout=10)
            refreshes_before = materialized_view.state().refresh_count
            with holder.cursor() as cursor:  # the worker's next refresh waits for this one
                cursor.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY rooms_related_objects")
            make_bed(rooms=[room])
            waiting.until_a_session_waits(waiting.THE_VIEW)
            for _ in range(19):
                make_bed(rooms=[room])
            holder.rollback()
            wait_for_view_to_match_live()
            assert view_refresher.wait_until_fresh(timeout=10)
            refreshes = materialized_view.state().refresh_count - refreshes_before
    finally:
        holder.rollback()
        holder.close()
    # The refresh that waited, then one for the writes it could not know it saw.
    assert refreshes <= 2, refreshes


def test_run_view_refresher_once_refreshes_only_when_stale(capsys):
    from django.core.management import call_command

    make_room()
    call_command("run_view_refresher", "--once")
    assert "Refreshed the view." in capsys.readouterr().out
    call_command("run_view_refresher", "--once")
    assert "The view was fresh." in capsys.readouterr().out
    assert_every_read_path_agrees()


def test_the_view_says_how_fresh_it_is(api_client):
    room = make_room()
    response = api_client.get(f"/rooms_mat_view/{room.id}/")
    assert response.status_code == 404  # not refreshed yet: deferred
    response = api_client.get("/rooms_mat_view/")
    assert response["X-View-Refresh-Policy"] == "deferred"
    assert "X-View-Stale-Since" in response
    with transaction.atomic():
        materialized_view.refresh()
    response = api_client.get(f"/rooms_mat_view/{room.id}/")
    assert response.status_code == 200
    assert "X-View-Stale-Since" not in response
    assert response["X-View-Refreshed-At"] == materialized_view.state().refreshed_at.isoformat()
