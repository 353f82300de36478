"""Operations: finding and repairing drift, rebuilding, refresh policies.

Writes that send no Django signals (``QuerySet.update()``, ``bulk_create``,
raw SQL, pgAdmin) bypass the app table; ``check_rooms_cache`` must find
every such drift, in any read model, and ``--fix`` must repair it.
"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from rooms.models import Bed, MaterializedViewRoom, Room
from rooms.read_models import READ_MODELS, materialized_view

from .factories import make_bed, make_full_room, make_room
from .read_paths import READ_PATHS, assert_every_read_path_agrees

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
    for path in ("/rooms_mat_view/", "/rooms_v2/", "/rooms_v3/"):
        assert f"({path}): 0 rooms differ" in output


def test_check_finds_and_fix_repairs_drift_left_by_writes_without_signals():
    rooms = [make_full_room() for _ in range(3)]
    Bed.objects.filter(rooms=rooms[0]).update(name="Renamed behind Django's back")  # no signal
    Room.objects.bulk_create([Room(name="Bulk room", type="LBB", door=rooms[0].door)])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE rooms_room SET width = 42 WHERE id = %s", [rooms[1].id])

    code, output = check()
    assert code == 1
    # Only the app table missed them: 2 rooms changed in place, 1 room missing.
    assert "app_table (/rooms_v2/): 3 rooms differ (missing 1, extra 0, different 2)" in output
    assert "materialized_view (/rooms_mat_view/): 0 rooms differ" in output
    assert "trigger_table (/rooms_v3/): 0 rooms differ" in output

    code, output = check("--fix")
    assert code == 0, output
    assert "app_table: repaired, 0 rooms differ now" in output
    assert check()[0] == 0
    live = assert_every_read_path_agrees()
    assert live[rooms[1].id]["width"] == 42


def test_check_finds_rooms_deleted_behind_django_s_back():
    room = make_room()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM rooms_room WHERE id = %s", [room.id])
    code, output = check()
    assert code == 1
    assert "app_table (/rooms_v2/): 1 rooms differ (missing 0, extra 1, different 0)" in output
    assert check("--fix")[0] == 0
    assert_every_read_path_agrees(gone=[room.id])


@pytest.mark.parametrize("read_model", ["app_table", "trigger_table", "materialized_view"])
def test_check_finds_and_fix_repairs_a_read_model_changed_by_hand(read_model):
    """Even the read models kept by the database can be broken by hand."""
    rooms = [make_full_room() for _ in range(2)]
    relation = READ_MODELS[read_model].relation
    with connection.cursor() as cursor:
        if read_model == "materialized_view":
            cursor.execute("REFRESH MATERIALIZED VIEW rooms_related_objects WITH NO DATA")
            cursor.execute(f"ALTER MATERIALIZED VIEW {relation} RENAME TO scratch")
            cursor.execute(f"CREATE TABLE {relation} AS SELECT * FROM rooms_room_document")
            cursor.execute(f"UPDATE {relation} SET name = 'Wrong' WHERE id = %s", [rooms[0].id])
        else:
            cursor.execute(f"UPDATE {relation} SET name = 'Wrong' WHERE id = %s", [rooms[0].id])
            cursor.execute(f"DELETE FROM {relation} WHERE id = %s", [rooms[1].id])
    try:
        code, output = check()
        assert code == 1
        assert f"{read_model} ({READ_MODELS[read_model].path}): " in output
        if read_model != "materialized_view":
            assert f"{read_model} ({READ_MODELS[read_model].path}): 2 rooms differ" in output
            assert check("--fix")[0] == 0
            assert_every_read_path_agrees()
    finally:
        if read_model == "materialized_view":
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {relation}")
                cursor.execute(f"ALTER MATERIALIZED VIEW scratch RENAME TO {relation}")
                cursor.execute(f"REFRESH MATERIALIZED VIEW {relation}")


def test_rebuild_rooms_cache_rebuilds_everything():
    make_full_room()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE rooms_roomwithrelatedobjsrebuildinapp, rooms_roomwithrelatedobjsv3"
        )
    assert check()[0] == 1
    out = io.StringIO()
    call_command("rebuild_rooms_cache", stdout=out)
    assert check()[0] == 0
    assert out.getvalue() == (
        "Rebuilt every read model: materialized view, app table, trigger table.\n"
    )


def test_manual_policy_leaves_the_view_to_refresh_rooms_view(refresh_policy):
    room = make_room()
    refresh_policy("manual")
    refreshed_before = materialized_view.state().refresh_count

    make_bed(rooms=[room])

    # The tables are fresh at once; the view waits, and says since when.
    assert MaterializedViewRoom.objects.get(pk=room.pk).beds == []
    state = materialized_view.state()
    assert state.refresh_count == refreshed_before
    assert state.stale_since is not None
    assert_every_read_path_agrees(paths=["/rooms_v2/", "/rooms_v3/"])

    call_command("refresh_rooms_view")
    assert materialized_view.state().stale_since is None
    assert_every_read_path_agrees()


@pytest.mark.parametrize("room_id", ["abc", "0", "-1", "99999999999999999999"])
def test_ids_that_cannot_be_rooms_are_404_on_every_read_path(api_client, room_id):
    make_room()
    for path in READ_PATHS:
        assert api_client.get(f"{path}{room_id}/").status_code == 404, path


@pytest.mark.parametrize("count", [["12"], ["--rooms", "12"]], ids=["positional", "option"])
def test_fill_db_loads_the_data_and_builds_every_read_model(count):
    make_full_room()  # replaced, not kept
    call_command("fill_db", *count, "--seed", "7", stdout=io.StringIO())
    assert Room.objects.count() == 12
    code, output = check()
    assert code == 0, output
    assert len(assert_every_read_path_agrees()) == 12


def test_fill_db_takes_the_count_once():
    with pytest.raises(CommandError, match="not allowed with"):
        call_command("fill_db", "12", "--rooms", "13")
