"""``writes`` end to end on a dozen rooms of the test database.

Not a performance test: one short run must time every write under every configuration and
the two bulk variants, report each with a goal verdict, and leave behind the data, the read
models and the view's refresh policy as they were.
"""

import re
import secrets

import pytest
from django.db import connection

from rooms.models import Bed
from rooms.read_models import drift, materialized_view, rebuild_all
from rooms.tests.factories import make_furnished_rooms
from supplementary_scripts import writes
from supplementary_scripts.cli import main
from supplementary_scripts.harness import refresh_policy

from .helpers import database_url, run, table_rows

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 2


@pytest.fixture
def rooms():
    """Twelve rooms (so every ``id % 10`` has beds), every read model built from them."""
    make_furnished_rooms(12)
    rebuild_all()


@pytest.fixture
def deferred_policy():
    """The view under ``deferred`` (not the default, so a restore shows), then ``immediate``."""
    materialized_view.set_refresh_policy("deferred")
    yield
    materialized_view.set_refresh_policy("immediate")


def beds_and_links() -> tuple[list, list]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM rooms_bed ORDER BY id")
        beds = cursor.fetchall()
        cursor.execute("SELECT bed_id, room_id FROM rooms_bed_rooms ORDER BY 1, 2")
        return beds, cursor.fetchall()


def test_every_write_is_reported_and_the_data_and_policy_are_restored(
    rooms, deferred_policy, tmp_path, capsys
):
    before = beds_and_links()

    report = run(tmp_path / "writes.md", "writes", "--database-url", database_url(), "--rounds",
                 str(ROUNDS), "--bulk-rounds", "1", "--warmup", "1", "--seed", "1")  # fmt: skip

    assert capsys.readouterr().out == report
    assert f"`{connection.settings_dict['NAME']}`, 12 rooms" in report
    assert "`manual` during the run (`deferred` before and after)" in report
    rows = table_rows(report)
    names = [f"{write}: {configuration}" for write in writes.WRITES
             for configuration in writes.CONFIGURATIONS]  # fmt: skip
    bulk = [writes.BULK_SET_BASED, writes.BULK_TRIGGERS]
    for name in [*names, *bulk]:
        n, median, p95, ratio = rows[name]
        assert n == ("1" if name in bulk else str(ROUNDS))
        assert 0 < float(median) <= float(p95)
        assert ratio == "(baseline)" or re.fullmatch(r"[0-9]+\.[0-9]{2}x", ratio)
    assert re.search(r"about [0-9]+ beds in [0-9]+ rooms\.", report)
    # Nothing is left changed: names, links, read models, the policy, the view's freshness.
    assert beds_and_links() == before
    assert all(found.total == 0 for found in drift().values()), drift()
    state = materialized_view.state()
    assert state.refresh_policy == "deferred"
    assert state.stale_since is None


def test_each_configuration_keeps_only_its_read_model(rooms, deferred_policy):
    # A rename left in place (not undone) shows which read models each configuration keeps.
    expected = {  # read model -> rooms differing from the live document after the write
        writes.NONE: {"app_table": 1, "trigger_table": 1, "view marked stale": False},
        writes.APP_TABLE: {"app_table": 0, "trigger_table": 1, "view marked stale": False},
        # under manual: marked, not refreshed
        writes.TRIGGER_TABLE: {"app_table": 1, "trigger_table": 0, "view marked stale": True},
    }
    with refresh_policy("manual"):
        for configuration, wanted in expected.items():
            bed = Bed.objects.order_by("?").first()
            bed.name = f"~{secrets.token_hex(4)} {bed.pk}"  # new each time
            writes.committed(configuration, bed.save, undo=lambda: None)
            found = {name: d.total for name, d in drift("app_table", "trigger_table").items()}
            found["view marked stale"] = materialized_view.state().stale_since is not None
            assert found == wanted, configuration
            rebuild_all()


@pytest.mark.parametrize("set_based", [False, True], ids=["capture triggers", "set-based"])
def test_both_bulk_updates_leave_the_trigger_table_current(rooms, monkeypatch, set_based):
    # Only the timed statement runs (the untimed undo is skipped), so its effect can be seen.
    undos = []

    def timed_only(configuration, write, undo):
        write()
        undos.append(undo)
        return 0.0

    monkeypatch.setattr(writes, "committed", timed_only)

    writes.bulk_update(3, set_based=set_based)

    beds, _ = beds_and_links()
    renamed = [bed_id for bed_id, name in beds if name.startswith("~")]
    assert renamed and all(bed_id % 10 == 3 for bed_id in renamed)
    assert drift("trigger_table")["trigger_table"].total == 0
    # The undo puts every name back, and the trigger table follows.
    undos.pop()()
    assert not any(name.startswith("~") for _, name in beds_and_links()[0])
    assert drift("trigger_table")["trigger_table"].total == 0


def test_the_bulk_statements_come_after_every_single_write(rooms, monkeypatch, tmp_path):
    # Dead rows and plans left by the bulk statements would distort single writes after them.
    done = []
    monkeypatch.setattr(writes, "single_write", lambda *args: done.append("single") or 0.001)
    monkeypatch.setattr(writes, "bulk_update", lambda *args, **kw: done.append("bulk") or 0.001)

    run(tmp_path / "writes.md", "writes", "--database-url", database_url(), "--rounds", "5",
        "--bulk-rounds", "3", "--warmup", "1")  # fmt: skip

    singles = 6 * (1 + 5)  # two writes under three configurations, warm-up round included
    assert done == ["single"] * singles + ["bulk"] * 2 * (1 + 3)


def test_a_database_without_beds_in_rooms_is_refused(capsys):
    assert main(["writes", "--database-url", database_url()]) == 1
    assert "needs beds in rooms: run fill_db first" in capsys.readouterr().err
