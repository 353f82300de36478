"""``make_requests_to_log_time.py`` against a real server: the Django live server."""

import logging
import random
import socket

import pytest
from django.conf import settings

from rooms.models import Door, Room
from supplementary_scripts import make_requests_to_log_time as script
from supplementary_scripts import process_logs


@pytest.mark.parametrize("path", ["/rooms_v2/", "rooms_v2", "/rooms_v2", "rooms_v2/"])
@pytest.mark.parametrize("base_url", ["http://127.0.0.1:8000", "http://127.0.0.1:8000/"])
def test_room_url(base_url, path):
    assert script.room_url(base_url, path, 311) == "http://127.0.0.1:8000/rooms_v2/311/"


def test_every_chosen_room_is_requested_once_on_every_path():
    paths = ["/rooms/", "/rooms_mat_view/", "rooms_v2"]

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


@pytest.mark.django_db(transaction=True)
def test_requests_reach_the_server_and_are_logged(live_server, timing_log, capsys):
    door = Door.objects.create(name="Front door", type="DT1")
    rooms = [Room.objects.create(name=f"Room {n}", type="BDR", door=door) for n in range(5)]

    status = script.main(
        ["--base-url", live_server.url, "--paths", "/rooms/", "--count", "3", "--seed", "1"]
    )

    assert status == 0, capsys.readouterr()
    with timing_log.open() as log:
        logged = [process_logs.parse_line(line) for line in log]
    requested = [path for path, _seconds in logged if process_logs.group_of(path) == "/rooms/<id>/"]
    assert len(requested) == 3
    assert {path for path in requested} <= {f"/rooms/{room.id}/" for room in rooms}
    assert len(set(requested)) == 3
    out = capsys.readouterr().out
    assert "3 requests for 3 random rooms out of 5" in out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_server_is_reported(capsys):
    status = script.main(["--base-url", f"http://127.0.0.1:{free_port()}", "--timeout", "5"])

    assert status == 2
    assert "Cannot reach the server" in capsys.readouterr().err
