"""``benchmark_build.py`` end to end on a few rooms of the test database.

Not a performance test: one short run must time every measurement, report
each with its samples and its ratio to the original query, and leave the
database exactly as it found it, without the scratch view, also when it fails.
"""

import re
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import DatabaseError, connection

from rooms.read_models import rebuild_all
from rooms.tests.factories import make_furnished_rooms
from supplementary_scripts import benchmark_build

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


def database_url() -> str:
    """The test database, as the script's ``--database-url``."""
    db = connection.settings_dict
    # A socket directory as the host is percent-encoded (it holds slashes).
    host = quote(str(db["HOST"]), safe="")
    return f"postgres://{db['USER']}@{host}:{db['PORT']}/{db['NAME']}"


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


def table_rows(text: str) -> dict[str, list[str]]:
    """Markdown table rows by their first cell (the measurement)."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows[cells[0]] = cells[1:]
    return rows


def test_every_measurement_is_reported_and_nothing_is_kept(rooms, tmp_path, capsys):
    before = snapshot()
    output = tmp_path / "build.md"

    status = benchmark_build.main(
        [
            "--database-url",
            database_url(),
            "--rounds",
            "2",
            "--warmup",
            "0",
            "--seed",
            "1",
            "--output",
            str(output),
        ]
    )

    assert status == 0
    report = output.read_text()
    assert capsys.readouterr().out == report
    assert f"`{connection.settings_dict['NAME']}`, 6 rooms" in report
    assert re.search(r"PostgreSQL 1[5-9]", report)
    rows = table_rows(report)
    for name in benchmark_build.MEASUREMENTS:
        unit, median, samples, ratio = rows[name]
        assert unit == ("ms" if name in benchmark_build.IN_MS else "s")
        assert re.fullmatch(rf"{NUMBER}, {NUMBER}", samples), samples
        assert float(median) > 0 and float(ratio) > 0
    assert rows[benchmark_build.ORIGINAL][3] == "1"
    assert "app_table 0, materialized_view 0, trigger_table 0" in report
    assert scratch_views() == []
    assert snapshot() == before


def test_the_scratch_view_is_dropped_when_the_run_fails(rooms, tmp_path, monkeypatch):
    # A query that makes a view, but fails when the view is refreshed.
    query = tmp_path / "failing.sql"
    query.write_text("SELECT room.id, 1 / (room.id - room.id) AS boom FROM rooms_room room;\n")
    monkeypatch.setattr(benchmark_build, "ORIGINAL_QUERY", query)

    with pytest.raises(DatabaseError, match="division by zero"):
        benchmark_build.main(["--database-url", database_url(), "--rounds", "1"])

    assert scratch_views() == []


def test_another_database_is_refused(capsys):
    status = benchmark_build.main(["--database-url", "postgres://127.0.0.1/some_other_db"])

    assert status == 1
    assert "not 'some_other_db'" in capsys.readouterr().err
