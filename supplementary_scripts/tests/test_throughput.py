"""``throughput`` end to end on a dozen rooms: real gunicorn servers, a real load, one round.

Not a performance test: a short run must start the app and the bare server on the test
database, find that they answer the same rooms, measure every request it promises (one room and
one page per stored path of the registry, and the floor) and report each as numbers, with a
ratio for each stored path; with wrk, and with locust where wrk is not found. Slow: it starts
servers.
"""

import re
import shutil
import sys
from pathlib import Path

import pytest

from rooms.read_models import rebuild_all
from rooms.read_models.registry import READ_MODELS
from rooms.tests.factories import make_furnished_rooms
from supplementary_scripts.cli import main
from supplementary_scripts.harness import APP_DIR

from .helpers import database_url, run, table_rows

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

NUMBER = r"[\d,]+(?:\.\d+)?"
ONE_ROUND = ["--rounds", "1", "--warmup", "0", "--workers", "1", "--seconds", "1",
             "--connections", "2", "--threads", "1", "--page-size", "5"]  # fmt: skip


@pytest.fixture
def rooms(fresh_view):
    make_furnished_rooms(12)
    rebuild_all()


def measure(tmp_path, *extra) -> str:
    argv = ["throughput", "--database-url", database_url(), *ONE_ROUND, *extra]
    return run(tmp_path / "throughput.md", *argv)


def assert_every_request_measured(report: str, columns: int) -> None:
    rows = {name: cells for name, cells in table_rows(report).items() if name.startswith("GET ")}
    stored = [f"GET {model.path}{suffix}" for model in READ_MODELS.values()
              for suffix in ("{id}/", "?page_size=5")]  # fmt: skip
    assert set(rows) == {*stored, "GET /healthz (the stack's floor)"}
    for name in stored:
        assert len(rows[name]) == columns, rows[name]
        assert all(re.fullmatch(NUMBER, cell) for cell in rows[name]), (name, rows[name])
        app, bare, ratio = (float(cell.replace(",", "")) for cell in rows[name][:3])
        assert ratio == pytest.approx(app / bare, abs=0.01)  # one round: the app over the bare
    floor = rows["GET /healthz (the stack's floor)"]
    assert re.fullmatch(NUMBER, floor[0]) and floor[1:3] == ["", ""], floor


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_a_run_with_wrk_reports_every_request(rooms, tmp_path):
    report = measure(tmp_path)

    assert "Load: wrk, 1 threads, 2 connections; 1 rounds of 1 s" in report
    assert "12 rooms; room " in report and "1 sync workers each" in report
    assert_every_request_measured(report, columns=3)


def test_without_wrk_locust_loads_the_app_the_bare_server_and_a_compared_app(
    rooms, tmp_path, monkeypatch
):
    # No wrk on the PATH (the servers and locust run with this Python, by its full path).
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))
    # The same checkout as the "before" app: a third server in the same rounds.
    report = measure(tmp_path, "--compare-app", str(APP_DIR), "--seconds", "0.3")

    assert "Load: locust, 1 processes of 2 users; 1 rounds of 0.3 s" in report
    assert f"before: the app of `{APP_DIR}`" in report
    assert_every_request_measured(report, columns=5)
    assert "- before: GET /healthz: " in report


def test_what_cannot_be_measured_is_an_error(rooms, tmp_path, capsys):
    base = ["throughput", "--database-url", database_url(), *ONE_ROUND]

    assert main([*base, "--page-size", "7"]) == 1
    assert "12 rooms: fill the database with 14 at least" in capsys.readouterr().err
    assert main([*base, "--compare-app", str(tmp_path)]) == 1
    assert "not a checkout's app/" in capsys.readouterr().err
    assert main([*base, "--load", "wrk", "--seconds", "0.5"]) == 1
    assert "--load wrk: wrk loads for whole seconds, not 0.5" in capsys.readouterr().err
