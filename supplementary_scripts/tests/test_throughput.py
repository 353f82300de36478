"""``throughput.py`` end to end on a dozen rooms: real gunicorn servers, a real load, one round.

Not a performance test: a short run must start the app and the bare server on
the test database, find that they answer the same rooms, measure every
request it promises and report each as numbers, with a ratio for each stored
path. Slow: it starts servers.
"""

import re
import shutil

import pytest
from django.db import connection

from rooms.read_models import rebuild_all
from rooms.tests.factories import make_furnished_rooms
from rooms.tests.test_startup_script import database_url
from supplementary_scripts import throughput

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

NUMBER = r"[\d,]+(?:\.\d+)?"


@pytest.fixture
def rooms(fresh_view):
    make_furnished_rooms(12)
    rebuild_all()


def run(tmp_path, *extra) -> str:
    output = tmp_path / "throughput.md"
    url = database_url(connection.settings_dict, connection.settings_dict["NAME"])
    status = throughput.main(
        ["--database-url", url, "--rounds", "1", "--warmup", "0", "--workers", "1",
         "--connections", "2", "--threads", "1", "--page-size", "5",
         "--output", str(output), *extra]
    )  # fmt: skip
    assert status == 0
    return output.read_text()


def requests_measured(report: str) -> dict[str, list[str]]:
    rows = {}
    for line in report.splitlines():
        if line.startswith("| GET "):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows[cells[0]] = cells[1:]
    return rows


def assert_every_request_measured(report: str, columns: int) -> None:
    rows = requests_measured(report)
    expected = [
        name(path)
        for path in throughput.STORED_PATHS
        for name in (throughput.single_name, lambda p: throughput.page_name(p, 5))
    ]
    assert set(rows) == {*expected, f"{throughput.HEALTH} (the stack's floor)"}
    for name in expected:
        assert len(rows[name]) == columns, rows[name]
        assert all(re.fullmatch(NUMBER, cell) for cell in rows[name]), (name, rows[name])
        assert float(rows[name][2]) > 0  # the ratio: the app over the bare server


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_a_run_with_wrk_reports_every_request(rooms, tmp_path):
    report = run(tmp_path, "--seconds", "1")  # wrk's least

    assert "- load: wrk, 1 threads, 2 connections" in report
    assert "- data: 12 rooms" in report
    assert_every_request_measured(report, columns=3)


def test_the_python_load_and_a_compared_app_are_reported_too(rooms, tmp_path):
    # The same checkout as the "before" app: a third server in the same rounds.
    report = run(
        tmp_path, "--seconds", "0.3", "--load", "python", "--compare-app", str(throughput.APP_DIR)
    )

    assert "- load: Python load generator" in report
    assert_every_request_measured(report, columns=5)
