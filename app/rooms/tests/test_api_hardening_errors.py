"""Errors a user or an operator would see: ids, logs, 503s, 413s, 415s.

* Every response carries an ``X-Request-ID``; every 5xx is logged with its
  traceback and that id, on stderr and in ``ROOMS_ERROR_LOG_FILE``.
* A write the database gives up on (``lock_timeout``, ``statement_timeout``)
  is a JSON 503 with ``Retry-After`` that changed nothing, a deferred foreign
  key checked at COMMIT included; an unreachable database is a JSON 503 too.
* Bodies: JSON only (415 otherwise, never silently half-read), at most
  ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes (413) and ``MAX_DEPTH`` levels (400).
"""

import json
import logging
import threading

import psycopg2
import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from rooms.middleware.db_timeouts import apply_timeouts
from rooms.models import Decoration, Door, Room
from rooms.parsers import MAX_DEPTH
from rooms.views.rooms import RoomViewSet

from .conftest import basic_auth
from .factories import ENDPOINTS, make_decoration, make_door, unique_name

pytestmark = pytest.mark.django_db


# --- request ids and logging -----------------------------------------------


def test_every_response_has_a_request_id(api_client):
    first = api_client.get("/doors/")
    second = api_client.get("/nowhere/")

    assert len(first["X-Request-ID"]) == 32
    assert second["X-Request-ID"] not in ("", first["X-Request-ID"])


@pytest.mark.parametrize(
    ("sent", "kept"), [("abc-123.proxy:7", True), ("has space", False), ("x" * 129, False)]
)
def test_a_sane_client_request_id_is_kept(api_client, sent, kept):
    response = api_client.get("/doors/", HTTP_X_REQUEST_ID=sent)

    assert (response["X-Request-ID"] == sent) is kept


@pytest.fixture
def error_log(timing_log):
    """A function returning what the error log received since the test started."""
    path = timing_log.with_name("errors.log")
    start = path.stat().st_size if path.exists() else 0

    def read():
        for handler in logging.getLogger("rooms").handlers:
            handler.flush()
        return path.read_text()[start:] if path.exists() else ""

    return read


def test_an_unhandled_error_is_a_json_500_logged_with_traceback_and_id(
    api_client, monkeypatch, error_log, caplog
):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("the kind of bug nobody planned for")

    monkeypatch.setattr(RoomViewSet, "list", broken)

    response = api_client.get("/rooms/")

    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert response.json() == {"detail": "Internal server error.", "request_id": request_id}
    log = error_log()
    assert f"[request {request_id}]" in log
    assert "Traceback" in log and "the kind of bug nobody planned for" in log
    assert log.count("GET /rooms/ answered 500") == 1  # once, not by Django again
    # The same record reaches stderr: the "rooms" loggers' console handler.
    (record,) = [r for r in caplog.records if r.levelname == "ERROR"]
    assert record.request_id == request_id and record.exc_info


def test_errors_go_to_stderr_and_the_error_file(settings):
    handlers = settings.LOGGING["handlers"]

    assert handlers["console"]["class"] == "logging.StreamHandler"  # stderr
    assert "stream" not in handlers["console"]
    assert handlers["error_file"]["filename"] == settings.ROOMS_ERROR_LOG_FILE
    for logger in ("rooms", "django.request"):
        assert {"console", "error_file"} <= set(settings.LOGGING["loggers"][logger]["handlers"])


def test_an_error_response_without_exception_is_logged_too(api_client, monkeypatch, error_log):
    from rest_framework.response import Response

    monkeypatch.setattr(RoomViewSet, "list", lambda *args, **kwargs: Response(status=502))

    response = api_client.get("/rooms/")

    assert f"[request {response['X-Request-ID']}]" in error_log()
    assert "GET /rooms/ answered 502" in error_log()


def test_4xx_answers_are_not_error_log_material(api_client, error_log):
    api_client.get("/rooms/999999/")
    api_client.post("/doors/", {})

    assert error_log() == ""


# --- an unreachable database ------------------------------------------------


@pytest.fixture
def database_down(transactional_db):
    """The default connection points at a port where no PostgreSQL listens."""
    connection.close()
    saved = connection.settings_dict.copy()
    connection.settings_dict.update(PORT="1", HOST="127.0.0.1")
    yield
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


def test_unreachable_database_is_a_json_503_with_retry_after(database_down, error_log):
    client = APIClient()
    for url in ("/rooms/", "/rooms_v2/1/", "/doors/1/"):
        response = client.get(url)

        assert response.status_code == 503, (url, response.content)
        assert response["Content-Type"] == "application/json"
        assert response["Retry-After"] == "3"
        assert "database is unavailable" in response.json()["detail"]
    assert "OperationalError" in error_log()


def test_unreachable_database_is_a_json_503_outside_the_api_too(database_down):
    """The login page is Django's, not DRF's: its failure must be JSON 503 as well."""
    response = APIClient().post(
        "/api-auth/login/", {"username": "u", "password": "p"}, format="multipart"
    )

    assert response.status_code == 503, response.content
    assert response.json()["detail"].startswith("The database is unavailable")


# --- timeouts -----------------------------------------------------------------


@pytest.fixture
def holder(transactional_db):
    """A second connection, to hold row locks as a long transaction would."""
    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"],
        password=settings["PASSWORD"],
    )
    yield other
    other.rollback()
    other.close()


@pytest.fixture
def short_timeouts(settings, transactional_db):
    """Timeouts short enough for a test, set on the test's connection as a server
    sets them on each of its connections."""

    def set_timeouts(lock, statement):
        settings.ROOMS_DB_LOCK_TIMEOUT = lock
        settings.ROOMS_DB_STATEMENT_TIMEOUT = statement
        apply_timeouts(connection=connection)

    yield set_timeouts
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout; RESET statement_timeout")


@pytest.fixture
def writer_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=basic_auth(user.username))
    return client


def lock_row(holder, table, pk):
    with holder.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [pk])


def test_write_blocked_by_a_held_row_is_503_and_changes_nothing(
    holder, short_timeouts, writer_client, db_snapshot
):
    door = make_door()
    short_timeouts(lock=0.2, statement=10)
    lock_row(holder, "rooms_door", door.pk)
    before = db_snapshot()

    response = writer_client.patch(f"/doors/{door.pk}/", {"name": "Renamed"})

    assert response.status_code == 503, response.content
    assert response["Retry-After"] == "3"
    assert "Nothing was changed" in response.json()["detail"]
    holder.rollback()
    assert db_snapshot() == before


def test_deferred_foreign_key_waiting_at_commit_is_503_and_changes_nothing(
    holder, short_timeouts, writer_client
):
    """The room's door is checked at COMMIT; a held door made that COMMIT wait,
    and commit late, after the client had been told the request failed."""
    door = make_door()
    short_timeouts(lock=0.2, statement=10)
    lock_row(holder, "rooms_door", door.pk)

    response = writer_client.post(
        "/rooms/", {"name": unique_name("Room"), "type": "BDR", "door_id": door.pk}
    )

    assert response.status_code == 503, response.content
    holder.rollback()
    assert not Room.objects.exists()


def test_statement_running_too_long_is_503_and_changes_nothing(
    holder, short_timeouts, writer_client, db_snapshot
):
    door = make_door()
    short_timeouts(lock=0, statement=0.3)  # no lock limit: the statement limit must act
    lock_row(holder, "rooms_door", door.pk)
    before = db_snapshot()

    response = writer_client.delete(f"/doors/{door.pk}/")

    assert response.status_code == 503, response.content
    assert "ran too long" in response.json()["detail"]
    holder.rollback()
    assert db_snapshot() == before


def test_web_connections_get_the_configured_timeouts(settings, transactional_db):
    """Every connection a server opens (here: a new thread's) has the limits."""
    settings.ROOMS_DB_LOCK_TIMEOUT = 4
    settings.ROOMS_DB_STATEMENT_TIMEOUT = 50
    APIClient().get("/healthz")  # builds the middleware chain, as a server does
    seen = {}

    def in_new_connection():
        with connections["default"].cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            seen["lock"] = cursor.fetchone()[0]
            cursor.execute("SHOW statement_timeout")
            seen["statement"] = cursor.fetchone()[0]
        connections.close_all()

    thread = threading.Thread(target=in_new_connection)
    thread.start()
    thread.join()

    assert seen == {"lock": "4s", "statement": "50s"}


# --- bodies ----------------------------------------------------------------


def nested(depth):
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 950, 100_000])
def test_deeply_nested_json_is_400(auth_client, db_snapshot, depth):
    before = db_snapshot()

    response = auth_client.post(
        "/decorations/",
        f'{{"name": "Deep", "souvenirs": {nested(depth - 1)}}}',
        content_type="application/json",
    )

    assert response.status_code == 400, response.content
    assert "nested deeper" in response.json()["detail"]
    assert db_snapshot() == before


def test_a_body_at_the_depth_limit_is_judged_on_its_content(auth_client):
    response = auth_client.post(
        "/doors/",
        json.dumps(
            {"name": unique_name("Door"), "type": "DT1", "x": json.loads(nested(MAX_DEPTH - 1))}
        ),
        content_type="application/json",
    )

    assert response.status_code == 201, response.content  # unknown keys are ignored


def test_oversized_body_is_413_before_anything_reads_it(auth_client, settings, db_snapshot):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    before = db_snapshot()
    body = json.dumps({"name": "Big", "type": "DT1", "padding": "x" * 2000})

    response = auth_client.post("/doors/", body, content_type="application/json")

    assert response.status_code == 413, response.content
    assert "larger than 1000 bytes" in response.json()["detail"]
    assert db_snapshot() == before


def test_oversized_anonymous_upload_is_413_too(api_client):
    response = api_client.generic(
        "POST",
        "/decorations/",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(100 * 1024 * 1024),
    )

    assert response.status_code == 413


@pytest.mark.parametrize("fmt", ["multipart", "form"])
def test_form_encoded_nested_write_is_415_not_silently_dropped(auth_client, db_snapshot, fmt):
    before = db_snapshot()
    body = {"name": unique_name("Decoration"), "souvenirs": [{"name": "Lost"}]}
    if fmt == "form":
        response = auth_client.post(
            "/decorations/",
            "name=Deco&souvenirs[0]name=Lost",
            content_type="application/x-www-form-urlencoded",
        )
    else:
        response = auth_client.post("/decorations/", body, format="multipart")

    assert response.status_code == 415, response.content
    assert db_snapshot() == before
    assert not Decoration.objects.filter(souvenirs__name="Lost").exists()


def test_json_nested_write_keeps_its_souvenirs(auth_client):
    response = auth_client.post(
        "/decorations/", {"name": unique_name("Decoration"), "souvenirs": [{"name": "Kept"}]}
    )

    assert response.status_code == 201
    assert [s["name"] for s in response.json()["souvenirs"]] == ["Kept"]
    assert make_decoration().pk and Door.objects.count() == 0


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
@pytest.mark.parametrize("name", [9999999999999, True, 1.5], ids=repr)
def test_a_name_that_is_not_a_string_is_400(auth_client, db_snapshot, endpoint, name):
    """The schema says string; DRF would have stored str(name)."""
    body = {**endpoint.payload(), "name": name}  # makes the rows it refers to
    before = db_snapshot()

    response = auth_client.post(endpoint.url, body)

    assert response.status_code == 400, response.content
    assert response.json()["name"] == ["Not a valid string."]
    assert db_snapshot() == before


def test_a_nested_souvenir_name_that_is_not_a_string_is_400(auth_client, db_snapshot):
    before = db_snapshot()

    response = auth_client.post("/decorations/", {"name": "Deco", "souvenirs": [{"name": 7}]})

    assert response.status_code == 400, response.content
    assert response.json()["souvenirs"] == {"0": {"name": ["Not a valid string."]}}
    assert db_snapshot() == before
