"""``build`` end to end on a few rooms of the test database.

Not a performance test: one short run must time every measurement, report each with its
samples and its ratio to the original query, and leave the database exactly as it found it,
without the scratch view, also when it fails.
"""

import re

import pytest
from django.apps import apps
from django.db import DatabaseError, connection

from rooms.read_models import rebuild_all
from rooms.read_models.registry import READ_MODELS
from rooms.tests.factories import make_furnished_rooms
from supplementary_scripts import build
from supplementary_scripts.cli import main

from .helpers import database_url, run, table_rows

pytestmark = pytest.mark.django_db(transaction=True)

NUMBER = r"[0-9]+(?:\.[0-9]+)?(?:e-[0-9]+)?"
#: Every table a run could change: every table of the app's models (base, link, read models,
#: the materialized view), and the view's state and pending changes, kept in SQL alone.
MODELS = apps.get_app_config("rooms").get_models(include_auto_created=True)
TABLES = [
    *sorted({model._meta.db_table for model in MODELS}),
    "rooms_view_state",
    "rooms_pending_change",
]


@pytest.fixture
def rooms():
    """Six rooms with everything attached, and every read model built from them."""
    make_furnished_rooms(6)
    rebuild_all()


def snapshot() -> dict:
    """Every row of ``TABLES``, as JSON text, in one query."""
    sql = " UNION ALL ".join(
        f"SELECT '{table}', (SELECT json_agg(t ORDER BY t::text)::text FROM {table} t)"
        for table in TABLES
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def scratch_views() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT matviewname FROM pg_matviews WHERE matviewname LIKE 'rooms_bench%'")
        return [row[0] for row in cursor.fetchall()]


def test_every_measurement_is_reported_and_nothing_is_kept(rooms, tmp_path, capsys):
    before = snapshot()

    report = run(tmp_path / "build.md", "build", "--database-url", database_url(),
                 "--rounds", "2", "--warmup", "0", "--seed", "1")  # fmt: skip

    assert capsys.readouterr().out == report
    assert f"`{connection.settings_dict['NAME']}`, 6 rooms" in report
    assert re.search(r"PostgreSQL 1[5-9]", report)
    rows = table_rows(report)
    # The original query, the view both ways, each stored table, the check, two per-room sizes.
    stored = [name.replace("_", " ") for name in READ_MODELS if name != "materialized_view"]
    assert [name.split(":")[0] for name in rows][1:] == [
        "original README query", "materialized view", "materialized view", *stored, "check",
        "trigger table", "trigger table"]  # fmt: skip
    for name, (unit, median, samples, ratio) in list(rows.items())[1:]:
        assert unit == ("ms" if name in build.PER_ROOM.values() else "s")
        assert re.fullmatch(rf"{NUMBER}, {NUMBER}", samples), samples
        assert float(median) > 0 and float(ratio) > 0
    assert rows[build.ORIGINAL][3] == "1"
    assert "app_table 0, materialized_view 0, trigger_table 0" in report
    assert scratch_views() == []
    assert snapshot() == before


def test_the_scratch_view_is_dropped_when_the_run_fails(rooms, tmp_path, monkeypatch):
    # A query that makes a view, but fails when the view is refreshed.
    query = tmp_path / "failing.sql"
    query.write_text("SELECT room.id, 1 / (room.id - room.id) AS boom FROM rooms_room room;\n")
    monkeypatch.setattr(build, "ORIGINAL_QUERY", query)

    with pytest.raises(DatabaseError, match="division by zero"):
        main(["build", "--database-url", database_url(), "--rounds", "1"])

    assert scratch_views() == []


def test_another_database_is_refused(capsys):
    assert main(["build", "--database-url", "postgres://127.0.0.1/some_other_db"]) == 1
    assert "not 'some_other_db'" in capsys.readouterr().err
