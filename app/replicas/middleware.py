"""Serves the read paths from a replica, and gives every write's answer its WAL position.

Read paths are GET and HEAD requests under the read models' URLs and the live
``/rooms/`` (``rooms.read_models.registry``). For each, ``choice`` picks the
server; the request is served with its reads there (``context``), and the
answer says which kind of server it was (``X-DB-Server: replica`` or
``primary``) and, for a replica, its lag in seconds as last checked
(``X-DB-Replica-Lag``).

A replica that fails while serving a read (it stopped, it restarted, a
query was cancelled by a replay conflict) must not cost the client a 5xx:
the replica is marked down (``health``) and the same read is served again by
the primary. Its connection is checked before the request (the check Django
would make on first use anyway, so nothing extra), and any database error
on it during the request is noted and raised as ``ReplicaFailed``; whatever
the code below made of that error (this middleware's own 503, which keeps
it out of the error log, or anything else), the answer is thrown away.

Every successful write (a request with an unsafe method answered below 400)
gets, once its transaction has committed, the primary's WAL position
(``positions``): a header and a cookie that its client's next reads present.

Without replicas the middleware removes itself from the chain.
"""

import functools

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, connections
from django.http import HttpResponse

from rooms.read_models.registry import LIVE_PATH, READ_MODELS

from . import health, positions
from .choice import PRIMARY_CHOICE, Choice, choose
from .context import reading_from

READ_METHODS = {"GET", "HEAD"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
SERVER_HEADER = "X-DB-Server"
LAG_HEADER = "X-DB-Replica-Lag"


class ReplicaFailed(DatabaseError):
    """A query on a replica failed while it served a read (to be served again by the primary)."""


def _fail_over(failures: list, execute, sql, params, many, context):
    try:
        return execute(sql, params, many, context)
    except DatabaseError as error:
        failures.append(error)
        raise ReplicaFailed(error) from error


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.aliases = list(settings.ROOMS_REPLICA_ALIASES)
        if not self.aliases:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.read_prefixes = tuple(
            [read_model.path for read_model in READ_MODELS.values()] + [LIVE_PATH]
        )

    def __call__(self, request):
        if request.method in READ_METHODS and request.path_info.startswith(self.read_prefixes):
            return self.read(request)
        response = self.get_response(request)
        # A refused write (4xx, 5xx) committed nothing: no position to read back.
        if request.method not in SAFE_METHODS and response.status_code < 400:
            position = positions.primary_position()
            if position is not None:
                positions.attach(response, position, secure=settings.SESSION_COOKIE_SECURE)
        return response

    def read(self, request):
        choice = choose(self.aliases, positions.presented(request))
        if choice.on_replica:
            response = self.on_replica(request, choice)
            if response is not None:
                return self.labelled(response, choice)
        return self.labelled(self.get_response(request), PRIMARY_CHOICE)

    def on_replica(self, request, choice: Choice):
        """The answer served from the replica, or None if the replica failed."""
        connection = connections[choice.alias]
        try:
            connection.close_if_health_check_failed()
            connection.ensure_connection()
        except DatabaseError as error:
            health.mark_down(choice.alias, error)
            return None
        failures = []
        with (
            reading_from(choice.alias),
            connection.execute_wrapper(functools.partial(_fail_over, failures)),
        ):
            response = self.get_response(request)
        if failures:
            health.mark_down(choice.alias, failures[0])
            return None
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, ReplicaFailed):
            return HttpResponse(status=503)  # thrown away: the primary serves the read again
        return None

    @staticmethod
    def labelled(response, choice: Choice):
        response[SERVER_HEADER] = "replica" if choice.on_replica else "primary"
        if choice.on_replica:
            response[LAG_HEADER] = f"{choice.lag:.3f}"
        return response
