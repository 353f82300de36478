"""The timing middleware's log, read by ``supplementary_scripts/process_logs.py``.

Each request adds one ``<level>;<path with query>;<seconds>`` line to the file
at ``settings.ROOMS_LOG_FILE``. The ``timing_log`` fixture (conftest) rebuilds
that handler from ``settings.LOGGING`` with a temporary file name, so these
tests read what production would write, without touching the real log.
"""

import pytest

from .factories import make_door, make_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_lines(timing_log):
    """A function returning the lines written since the test started."""
    start = timing_log.stat().st_size if timing_log.exists() else 0

    def read():
        with timing_log.open() as log:
            log.seek(start)
            return log.read().splitlines()

    return read


def parse(line):
    level, path, seconds = line.split(";")[:3]
    return level, path, float(seconds)


def test_each_request_is_one_line_with_level_path_query_and_seconds(api_client, new_lines):
    api_client.get("/doors/?page_size=2&name=x")
    api_client.get("/healthz")

    lines = [parse(line) for line in new_lines()]

    assert [(level, path) for level, path, _ in lines] == [
        ("INFO", "/doors/?page_size=2&name=x"),
        ("INFO", "/healthz"),
    ]
    assert all(0 <= seconds < 60 for *_, seconds in lines)


def test_semicolon_in_query_cannot_add_a_field(api_client, new_lines):
    api_client.get("/doors/?note=a;b")

    (line,) = new_lines()
    assert line.split(";")[:2] == ["INFO", "/doors/?note=a%3Bb"]
    assert len(line.split(";")) == 3


def test_failed_and_refused_requests_are_logged_too(api_client, new_lines):
    door = make_door()

    api_client.get("/rooms/999999999/")
    api_client.delete(f"/doors/{door.pk}/")

    assert [parse(line)[1] for line in new_lines()] == ["/rooms/999999999/", f"/doors/{door.pk}/"]


def test_only_successful_reads_have_the_original_three_fields(api_client, auth_client, new_lines):
    """So that a summary of the read paths never averages a write or a 404 into them."""
    room = make_room()
    api_client.get(f"/rooms/{room.pk}/")
    api_client.get("/rooms/999999999/")
    auth_client.patch(f"/rooms/{room.pk}/", {"name": "Renamed"}, format="json")

    read, missing, write = (line.split(";") for line in new_lines())
    assert len(read) == 3
    assert missing[3:] == ["GET", "404"]
    assert write[3:] == ["PATCH", "200"]


def test_log_file_is_the_configured_one(settings):
    handler = settings.LOGGING["handlers"]["timing_file"]

    assert handler["filename"] == settings.ROOMS_LOG_FILE
    assert settings.LOGGING["formatters"][handler["formatter"]]["format"].startswith(
        "%(levelname)s;"
    )
    assert (
        settings.MIDDLEWARE[0] == "rooms.middleware.log_execution_time.ExecutionTimeLogMiddleware"
    )
