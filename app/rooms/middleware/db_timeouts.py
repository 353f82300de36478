"""Gives every database connection of a web process its lock and statement timeouts.

A write blocked behind a row that another transaction holds, or a statement
that runs away, must fail inside the database, as a 503 the client can act on
(``rooms.exceptions``), before gunicorn kills the worker and the client gets
no answer at all. The limits come from ``settings.ROOMS_DB_LOCK_TIMEOUT`` and
``ROOMS_DB_STATEMENT_TIMEOUT`` (see ``app/timeouts.py``).

Why a middleware: Django builds the middleware chain only where it serves
requests (gunicorn, runserver, the test client), never in management commands,
so ``fill_db`` or a refresh of 100,000 rooms keep running as long as they need.
It sets the limits once per connection (a ``connection_created`` receiver, one
round trip per new connection, not per request) and then removes itself from
the chain (``MiddlewareNotUsed``): requests pay nothing.
"""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db.backends.signals import connection_created

SQL = "SELECT set_config('lock_timeout', %s, false), set_config('statement_timeout', %s, false)"


def milliseconds(seconds: float) -> str:
    return f"{round(seconds * 1000)}ms"


def apply_timeouts(sender=None, connection=None, **kwargs):
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            SQL,
            [
                milliseconds(settings.ROOMS_DB_LOCK_TIMEOUT),
                milliseconds(settings.ROOMS_DB_STATEMENT_TIMEOUT),
            ],
        )


class DatabaseTimeoutsMiddleware:
    def __init__(self, get_response):
        # Servers open their connections after building the chain (each thread or
        # worker its own). A connection opened before it, such as the one a test
        # run shares, keeps the server's defaults.
        connection_created.connect(apply_timeouts, dispatch_uid=__name__)
        raise MiddlewareNotUsed
