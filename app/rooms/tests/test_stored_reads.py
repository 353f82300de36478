"""A stored room's read: what it costs the database, and that its short path keeps every promise.

An anonymous JSON client's single stored room is answered by
``rooms.middleware.stored_reads`` without DRF; everything else takes the
ordinary path. These tests serve requests through Django's WSGI handler, as
gunicorn calls it: with the signals that check connections at each request's
start (Django's test client leaves those out), so the statements counted are
the ones a served request sends, health check included.
"""

import json

import psycopg2
import psycopg2.extensions
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from rest_framework.authtoken.models import Token
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from rooms.middleware.db_timeouts import apply_timeouts
from rooms.read_models.registry import READ_MODELS
from rooms.views.read_models import TriggerTableRoomViewSet

from .factories import make_full_room

pytestmark = pytest.mark.django_db(transaction=True)

STORED = [read_model.path for read_model in READ_MODELS.values()]


class Served:
    """One answer of the WSGI application."""

    def __init__(self, environ):
        chunks = WSGIHandler()(environ, self.start_response)
        self.body = b"".join(chunks)
        chunks.close()

    def start_response(self, status, headers, exc_info=None):
        self.status = int(status.split()[0])
        self.headers = dict(headers)


def serve(path, headers=None, **extra) -> Served:
    return Served(RequestFactory().get(path, headers=headers, **extra).environ)


@pytest.fixture
def drf_dispatches(monkeypatch):
    """The paths DRF's views were called for."""
    called = []
    dispatch = APIView.dispatch

    def spy(self, request, *args, **kwargs):
        called.append(request.path)
        return dispatch(self, request, *args, **kwargs)

    monkeypatch.setattr(APIView, "dispatch", spy)
    return called


@pytest.fixture
def sent():
    """The statements the request's connection sends from now on (every one of them:
    psycopg2 builds Django's cursors and Django's health check's alike)."""
    statements = []

    class Recording(psycopg2.extensions.cursor):
        def execute(self, query, params=None):
            statements.append(query)
            return super().execute(query, params)

    connection.ensure_connection()
    connection.connection.cursor_factory = Recording
    yield statements
    if connection.connection is not None:
        connection.connection.cursor_factory = psycopg2.extensions.cursor


@pytest.fixture
def room(fresh_view):
    return make_full_room()


@pytest.mark.parametrize("path", STORED)
def test_a_stored_read_sends_one_statement(room, path, sent):
    serve(f"{path}{room.pk}/")  # a first request may open the connection
    sent.clear()

    answer = serve(f"{path}{room.pk}/")

    assert answer.status == 200
    assert len(sent) == 1, sent


def test_a_connection_the_server_dropped_is_opened_anew_before_the_read(room):
    path = f"{STORED[0]}{room.pk}/"
    serve(path)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (dropped,) = cursor.fetchone()
    killer = psycopg2.connect(**connection.get_connection_params())
    try:
        killer.autocommit = True
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [dropped])
    finally:
        killer.close()

    answer = serve(path)

    assert answer.status == 200, answer.body
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != dropped


# --- the short path -------------------------------------------------------------------


@pytest.mark.parametrize("path", STORED)
def test_an_anonymous_json_read_is_answered_as_drf_answers_it_without_drf(
    room, path, drf_dispatches
):
    url = f"{path}{room.pk}/"
    ordinary = serve(url, QUERY_STRING="format=json")  # ?format= leaves the short path
    assert drf_dispatches == [url]

    for accept in (None, "*/*", "application/json"):
        short = serve(url, headers={"Accept": accept} if accept else None)

        assert drf_dispatches == [url]  # not called again
        assert (short.status, short.body) == (ordinary.status, ordinary.body)
        assert json.loads(short.body)["id"] == room.pk
        # The same headers (the request id aside), but "Vary: Cookie": DRF's session
        # authentication looked at the session, which the answer does not depend on.
        headers, expected = dict(short.headers), dict(ordinary.headers)
        assert headers.pop("X-Request-ID") != expected.pop("X-Request-ID")
        assert expected.pop("Vary") == "Accept, Cookie"
        assert headers.pop("Vary") == "Accept"
        assert headers == expected
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_short_path_keeps_the_request_id_and_the_timing_log(room, timing_log):
    url = f"{STORED[0]}{room.pk}/"
    before = timing_log.stat().st_size if timing_log.exists() else 0

    answer = serve(url, headers={"X-Request-ID": "client-id-42"})

    assert answer.status == 200
    assert answer.headers["X-Request-ID"] == "client-id-42"
    with timing_log.open() as log:
        log.seek(before)
        (line,) = log.read().splitlines()
    level, logged_path, seconds = line.split(";")
    assert (level, logged_path) == ("INFO", url)
    assert 0 <= float(seconds) < 60


def test_a_browser_gets_the_browsable_api(room, drf_dispatches):
    url = f"{STORED[0]}{room.pk}/"
    answer = serve(url, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})

    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/html")
    assert drf_dispatches == [url]


def test_credentials_are_still_checked(room, django_user_model):
    url = f"{STORED[0]}{room.pk}/"
    user = django_user_model.objects.create_user("reader", password="unused-here")
    key = Token.objects.create(user=user).key

    assert serve(url, headers={"Authorization": "Token not-a-key"}).status == 401
    assert serve(url, headers={"Authorization": f"Token {key}"}).status == 200


@pytest.mark.parametrize("path", STORED)
def test_a_room_that_is_not_there_gets_the_ordinary_404(room, path):
    missing = serve(f"{path}{room.pk + 1000}/")
    ordinary = serve(f"{path}{room.pk + 1000}/", QUERY_STRING="format=json")

    assert missing.status == ordinary.status == 404
    assert missing.body == ordinary.body


def test_a_host_outside_allowed_hosts_is_refused(room):
    assert serve(f"{STORED[0]}{room.pk}/", SERVER_NAME="attacker.example").status == 400


def test_a_throttled_read_model_goes_the_ordinary_way(room, monkeypatch):
    class OnePerMinute(AnonRateThrottle):
        rate = "1/min"

    monkeypatch.setattr(TriggerTableRoomViewSet, "throttle_classes", [OnePerMinute])
    url = f"{TriggerTableRoomViewSet.read_model.path}{room.pk}/"

    assert serve(url).status == 200
    assert serve(url).status == 429


@pytest.fixture
def locked_table():
    """Another session holding the trigger table in ACCESS EXCLUSIVE mode (reads wait)."""
    holder = psycopg2.connect(**connection.get_connection_params())
    with holder.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TriggerTableRoomViewSet.read_model.relation}")
    yield
    holder.rollback()
    holder.close()


def test_a_database_error_gets_the_ordinary_503(room, settings, locked_table):
    settings.ROOMS_DB_LOCK_TIMEOUT = 0.2
    apply_timeouts(connection=connection)
    try:
        answer = serve(f"{TriggerTableRoomViewSet.read_model.path}{room.pk}/")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    assert answer.status == 503, answer.body
    assert answer.headers["Retry-After"] == str(settings.ROOMS_RETRY_AFTER)
    assert "waited too long" in json.loads(answer.body)["detail"]
