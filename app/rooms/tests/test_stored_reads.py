"""A stored room's read: what it costs the database.

These tests serve requests through Django's WSGI handler, as gunicorn calls
it: with the signals that check connections at each request's start
(Django's test client leaves those out), so the statements counted are the
ones a served request sends, health check included.
"""

import psycopg2
import psycopg2.extensions
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

from rooms.read_models.registry import READ_MODELS

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
