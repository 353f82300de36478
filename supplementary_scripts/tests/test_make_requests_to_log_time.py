"""``make_requests_to_log_time.py`` against a real server: the Django live server."""

import logging
import random
import re

import numpy as np
import pytest
import requests
from django.conf import settings

from rooms.models import Door, Room
from rooms.tests.browser import chromium
from rooms.tests.compare_page import READ_PATHS, assert_page_shows
from supplementary_scripts import make_requests_to_log_time as script
from supplementary_scripts.harness import free_port


@pytest.mark.parametrize("path", ["/rooms_v2/", "rooms_v2", "/rooms_v2", "rooms_v2/"])
@pytest.mark.parametrize("base_url", ["http://127.0.0.1:8000", "http://127.0.0.1:8000/"])
def test_paths_and_the_base_url_are_normalized(base_url, path):
    args = script.parse_args(["--base-url", base_url, "--paths", path, "--ids-from", path])

    assert args.base == "http://127.0.0.1:8000"
    assert args.paths == [args.ids_from] == ["/rooms_v2/"]


def test_every_chosen_room_is_requested_once_on_every_path():
    paths = ["/rooms/", "/rooms_mat_view/", "/rooms_v2/"]

    planned = script.plan_requests(list(range(1, 101)), paths, 20, random.Random(1))

    rooms = {room_id for _path, room_id in planned}
    assert len(rooms) == 20
    assert sorted(planned) == sorted(
        (path, room_id)
        for room_id in rooms
        for path in ["/rooms/", "/rooms_mat_view/", "/rooms_v2/"]
    )
    assert planned != sorted(planned, key=lambda request: request[1])  # shuffled


def test_fewer_rooms_than_asked_for_are_all_requested():
    planned = script.plan_requests([5, 6], ["/rooms/"], 20, random.Random(1))
    assert sorted(planned) == [("/rooms/", 5), ("/rooms/", 6)]


@pytest.fixture
def timing_log(tmp_path, monkeypatch):
    """The middleware's timing lines, written to a file of this test only.

    The handler gets the production format from ``settings.LOGGING``; the
    logger's own handlers are put back afterwards.
    """
    path = tmp_path / "timing.log"
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter(settings.LOGGING["formatters"]["timing"]["format"]))
    logger = logging.getLogger("rooms.middleware.log_execution_time")
    monkeypatch.setattr(logger, "handlers", [handler])
    yield path
    handler.close()


@pytest.fixture
def serving_log(timing_log, settings):
    """/compare/ reads the file the middleware writes during this test."""
    settings.ROOMS_LOG_FILE = timing_log
    return timing_log


def seconds_logged(log, pattern: str) -> list[float]:
    """Seconds of each successful read in the log whose path matches ``pattern``."""
    fields = [line.split(";") for line in log.read_text().splitlines()]
    return [float(f[2]) for f in fields if len(f) == 3 and re.fullmatch(pattern, f[1])]


def nearest_rank(values) -> dict:
    ms = np.array(values) * 1000
    return {
        f"p{p}_ms": pytest.approx(float(np.percentile(ms, p, method="inverted_cdf")), abs=5e-4)
        for p in (50, 95, 99)
    }


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_compare_shows_what_the_script_requested(live_server, fresh_view, serving_log, capsys):
    """The README's path: the script, then /compare/, as JSON and in a browser."""
    door = Door.objects.create(name="Front door", type="DT1")
    rooms = [Room.objects.create(name=f"Room {n}", type="BDR", door=door) for n in range(6)]

    status = script.main(
        ["--base-url", live_server.url, "--count", "5", "--pages", "2", "--page-sizes", "2"]
    )

    out = capsys.readouterr().out
    assert status == 0, out
    # 5 rooms on each of the 4 read paths (learnt from the server), and 2 pages on each.
    assert "28 requests: 5 random rooms out of 6 on each of 4 read paths, and 8 list pages" in out
    assert f"{live_server.url}/compare/?last=28" in out
    logged = {path: seconds_logged(serving_log, rf"{re.escape(path)}(\d+)/") for path in READ_PATHS}
    assert all(len(seconds) == 5 for seconds in logged.values())
    assert {int(line.split(";")[1].split("/")[2]) for line in serving_log.read_text().splitlines()
            if re.match(r"INFO;/rooms/\d+/;", line)} <= {room.id for room in rooms}  # fmt: skip

    comparison = requests.get(
        f"{live_server.url}/compare/?last=28", headers={"Accept": "application/json"}, timeout=30
    ).json()

    assert comparison["window"] == {"last": 28, "lines": 28, "malformed_lines": 0}
    for row in comparison["single_room"]:
        assert {key: row[key] for key in ("p50_ms", "p95_ms", "p99_ms")} == nearest_rank(
            logged[row["path"]]
        ), row["path"]
    assert [(group["page_size"], [row["count"] for row in group["read_paths"]])
            for group in comparison["lists"]] == [(2, [2, 2, 2, 2])]  # fmt: skip

    with chromium() as browser:  # /compare/'s own requests do not move the window on
        page = browser.new_page()
        page.goto(f"{live_server.url}/compare/?last=28")
        assert_page_shows(page, comparison)


def test_an_unreachable_server_is_reported(capsys):
    status = script.main(["--base-url", f"http://127.0.0.1:{free_port()}", "--timeout", "5"])

    assert status == 2
    assert "Cannot use the server" in capsys.readouterr().err
