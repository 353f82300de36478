"""``benchmark_writes.py`` end to end on a dozen rooms of the test database.

Not a performance test: one short run must time every write under every
configuration and the two bulk variants, report each with a goal verdict,
and leave behind the data, the read models and the view's refresh policy
as they were.
"""

import contextlib
import re
from urllib.parse import quote

import pytest
from django.db import connection

from rooms.read_models import drift, materialized_view, rebuild_all
from rooms.tests.factories import make_furnished_rooms
from supplementary_scripts import benchmark_writes

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


def database_url() -> str:
    """The test database, as the script's ``--database-url``."""
    db = connection.settings_dict
    # A socket directory as the host is percent-encoded (it holds slashes).
    host = quote(str(db["HOST"]), safe="")
    return f"postgres://{db['USER']}@{host}:{db['PORT']}/{db['NAME']}"


def beds_and_links() -> tuple[list, list]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM rooms_bed ORDER BY id")
        beds = cursor.fetchall()
        cursor.execute("SELECT bed_id, room_id FROM rooms_bed_rooms ORDER BY 1, 2")
        return beds, cursor.fetchall()


def table_rows(text: str) -> dict[str, list[str]]:
    """Markdown table rows by their first cell (the measurement)."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows[cells[0]] = cells[1:]
    return rows


def test_every_write_is_reported_and_the_data_and_policy_are_restored(
    rooms, deferred_policy, tmp_path, capsys
):
    before = beds_and_links()
    output = tmp_path / "writes.md"

    status = benchmark_writes.main(
        [
            "--database-url",
            database_url(),
            "--rounds",
            str(ROUNDS),
            "--bulk-rounds",
            "1",
            "--warmup",
            "1",
            "--seed",
            "1",
            "--output",
            str(output),
        ]
    )

    assert status == 0
    report = output.read_text()
    assert capsys.readouterr().out == report
    assert f"`{connection.settings_dict['NAME']}`, 12 rooms" in report
    assert "`manual` during the run (`deferred` before and after)" in report
    rows = table_rows(report)
    names = [
        benchmark_writes.name_of(write, configuration)
        for write in benchmark_writes.WRITES
        for configuration in benchmark_writes.CONFIGURATIONS
    ] + [benchmark_writes.BULK_SET_BASED, benchmark_writes.BULK_TRIGGERS]

    bulk = {benchmark_writes.BULK_SET_BASED, benchmark_writes.BULK_TRIGGERS}
    for name in names:
        n, median, p95, ratio = rows[name]
        assert n == ("1" if name in bulk else str(ROUNDS))
        assert 0 < float(median) <= float(p95)
        assert ratio == "(baseline)" or re.fullmatch(r"[0-9]+\.[0-9]{2}x", ratio)
    assert len(re.findall(r"^- .*: [0-9.]+x, (holds|MISSED)$", report, re.M)) == 3
    # Nothing is left changed: names, links, read models, the policy, the view's freshness.
    assert beds_and_links() == before
    assert all(found.total == 0 for found in drift().values()), drift()
    state = materialized_view.state()
    assert state.refresh_policy == "deferred"
    assert state.stale_since is None


def test_each_configuration_keeps_only_its_read_model(rooms, deferred_policy):
    # A rename left in place (not undone) shows which read models each configuration keeps.
    from rooms.models import Bed

    expected = {
        # read model -> rooms differing from the live document after the write
        benchmark_writes.NONE: {"app_table": 1, "trigger_table": 1, "view marked stale": False},
        benchmark_writes.APP_TABLE: {
            "app_table": 0,
            "trigger_table": 1,
            "view marked stale": False,
        },
        benchmark_writes.TRIGGER_TABLE: {
            "app_table": 1,
            "trigger_table": 0,
            "view marked stale": True,  # under manual: marked, not refreshed
        },
    }
    with benchmark_writes.manual_policy():
        for configuration, wanted in expected.items():
            bed = Bed.objects.order_by("?").first()
            bed.name = benchmark_writes.new_name(bed.pk)
            with benchmark_writes.configuration(configuration):
                benchmark_writes.committed(bed.save)
            found = {name: d.total for name, d in drift("app_table", "trigger_table").items()}
            found["view marked stale"] = materialized_view.state().stale_since is not None
            assert found == wanted, configuration
            rebuild_all()


@pytest.mark.parametrize("set_based", [False, True], ids=["capture triggers", "set-based"])
def test_both_bulk_updates_leave_the_trigger_table_current(rooms, monkeypatch, set_based):
    # Only the timed statement runs (the untimed undo is skipped), so its effect can be seen.
    writes = []

    def timed_only(write):
        writes.append(write)
        if len(writes) == 1:
            write()
        return 0.0

    monkeypatch.setattr(benchmark_writes, "committed", timed_only)

    benchmark_writes.bulk_update(3, set_based=set_based)

    beds, _ = beds_and_links()
    renamed = [bed_id for bed_id, name in beds if name.startswith("~")]
    assert renamed and all(bed_id % 10 == 3 for bed_id in renamed)
    assert len(writes) == 2  # the timed statement and the undo
    assert drift("trigger_table")["trigger_table"].total == 0


def test_the_bulk_statements_come_after_every_single_write(monkeypatch, capsys):
    # Dead rows and plans left by the bulk statements would distort single writes after them.
    done = []

    def fake(kind):
        def write(*args, **kwargs):
            done.append(kind)
            return 0.001

        return write

    monkeypatch.setattr(benchmark_writes, "rename_bed", fake("single"))
    monkeypatch.setattr(benchmark_writes, "link_bed", fake("single"))
    monkeypatch.setattr(benchmark_writes, "bulk_update", fake("bulk"))
    monkeypatch.setattr(benchmark_writes, "manual_policy", contextlib.nullcontext)
    monkeypatch.setattr(benchmark_writes, "load_beds", lambda: ({1: [1]}, [1, 2]))
    describe = {"database": "db", "version": "15", "rooms": 2, "beds": 1}
    describe |= {"bed_links": 1, "bulk_rooms": 1}
    monkeypatch.setattr(benchmark_writes, "describe_database", lambda: describe)
    monkeypatch.setattr(benchmark_writes, "use_database", lambda url: None)

    args = ["--database-url", "postgres:///db", "--rounds", "5", "--bulk-rounds", "3"]
    assert benchmark_writes.main([*args, "--warmup", "1"]) == 0

    singles = 6 * (1 + 5)  # two writes under three configurations, warm-up round included
    assert done == ["single"] * singles + ["bulk"] * 2 * (1 + 3)
