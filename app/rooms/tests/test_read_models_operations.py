"""Operations: finding and repairing drift, rebuilding, refresh policies.

Writes that send no Django signals (``QuerySet.update()``, ``bulk_create``,
raw SQL, pgAdmin) bypass the read models; ``check_rooms_cache`` must find
every such drift and ``--fix`` must repair it.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from rooms.models import Bed, Room, RoomsRelatedObjectsMaterializedView
from rooms.read_models import materialized_view

from .factories import make_bed, make_full_room, make_room
from .read_paths import assert_every_read_path_agrees

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_view")]


def check(*args):
    """Run check_rooms_cache; return (exit code, output)."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("check_rooms_cache", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def test_check_passes_when_every_read_model_is_fresh():
    make_full_room()
    code, output = check()
    assert code == 0
    assert "materialized_view: 0 rooms differ" in output
    assert "rebuilt_table: 0 rooms differ" in output


def test_check_finds_and_fix_repairs_drift_left_by_writes_without_signals():
    rooms = [make_full_room() for _ in range(3)]
    Bed.objects.filter(rooms=rooms[0]).update(name="Renamed behind Django's back")  # no signal
    Room.objects.bulk_create([Room(name="Bulk room", type="LBB", door=rooms[0].door)])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE rooms_room SET width = 42 WHERE id = %s", [rooms[1].id])

    code, output = check()
    assert code == 1
    # 2 rooms changed in place, 1 room missing from each read model.
    assert "materialized_view: 3 rooms differ (missing 1, extra 0, different 2)" in output
    assert "rebuilt_table: 3 rooms differ (missing 1, extra 0, different 2)" in output

    code, output = check("--fix")
    assert code == 0, output
    assert "rebuilt_table: repaired, 0 rooms differ now" in output
    assert check()[0] == 0
    live = assert_every_read_path_agrees()
    assert live[rooms[1].id]["width"] == 42


def test_check_finds_rooms_deleted_behind_django_s_back():
    room = make_room()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM rooms_room WHERE id = %s", [room.id])
    code, output = check()
    assert code == 1
    assert "rebuilt_table: 1 rooms differ (missing 0, extra 1, different 0)" in output
    assert check("--fix")[0] == 0
    assert_every_read_path_agrees(gone=[room.id])


def test_rebuild_rooms_cache_rebuilds_everything():
    make_full_room()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE rooms_roomwithrelatedobjsrebuildinapp")
    assert check()[0] == 1
    call_command("rebuild_rooms_cache")
    assert check()[0] == 0


def test_manual_policy_leaves_the_view_to_refresh_rooms_view(settings):
    settings.ROOMS_VIEW_REFRESH = "manual"
    room = make_room()
    refreshed_before = materialized_view.state().refresh_count

    bed = make_bed(rooms=[room])

    # The app table is fresh at once; the view waits, and says since when.
    assert not RoomsRelatedObjectsMaterializedView.objects.filter(beds__contains=[{"id": bed.id}])
    state = materialized_view.state()
    assert state.refresh_count == refreshed_before
    assert state.stale_since is not None
    assert_every_read_path_agrees(paths=["/rooms_v2/"])

    call_command("refresh_rooms_view")
    assert materialized_view.state().stale_since is None
    assert_every_read_path_agrees()


@pytest.mark.parametrize("room_id", ["abc", "0", "-1", "99999999999999999999"])
def test_ids_that_cannot_be_rooms_are_404_on_every_read_path(api_client, room_id):
    make_room()
    for path in ("/rooms/", "/rooms_mat_view/", "/rooms_v2/"):
        assert api_client.get(f"{path}{room_id}/").status_code == 404, path
