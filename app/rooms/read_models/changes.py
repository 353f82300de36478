"""Record which room documents a transaction changed; apply them at commit.

Signal handlers call :func:`record` as writes happen. It adds the touched
room ids to ``rooms_pending_change`` inside the writing transaction (one
statement, whose ``SELECT`` finds the rooms in the database), and a deferred
constraint trigger applies everything once, just before the transaction
commits: each touched room is rebuilt once, the view refreshed once, however
many rows the transaction wrote. Because the record lives in the
transaction, a rolled-back savepoint or transaction takes its record with it,
and base data and read models commit or roll back together.
"""

import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from .sql import PARTS

_state = threading.local()

_RECORD = """
INSERT INTO rooms_pending_change AS pending (part, view_refresh, room_ids)
SELECT %s, %s, array_agg(DISTINCT room_id) FROM ({rooms}) AS touched (room_id)
HAVING count(room_id) > 0
ON CONFLICT (txid, part) DO UPDATE SET room_ids = pending.room_ids || excluded.room_ids
"""


def record(part: str, rooms: QuerySet | Iterable[int]) -> None:
    """Note that ``part`` of the documents of ``rooms`` changed.

    ``rooms`` is a list of room ids or a one-column queryset that selects
    them; a queryset is evaluated inside the insert, so finding the rooms and
    recording them is a single round trip.
    """
    if signals_are_muted():
        return
    if part not in PARTS:
        raise ValueError(f"unknown document part {part!r}")
    if isinstance(rooms, QuerySet):
        try:
            rooms_sql, params = rooms.query.sql_with_params()
        except EmptyResultSet:  # e.g. ``pk__in=[]``: no room can match
            return
    else:
        ids = sorted({int(room_id) for room_id in rooms if room_id is not None})
        if not ids:
            return
        rooms_sql, params = "SELECT unnest(%s::bigint[])", (ids,)
    with connection.cursor() as cursor:
        cursor.execute(
            _RECORD.format(rooms=rooms_sql), (part, settings.ROOMS_VIEW_REFRESH, *params)
        )


def signals_are_muted() -> bool:
    return getattr(_state, "muted", False)


@contextmanager
def signals_muted():
    """Skip change tracking for bulk loads that rebuild every read model after.

    Used by ``fill_db``: recording millions of rows one signal at a time
    would cost more than rebuilding everything set-based once at the end.
    The caller must call :func:`rooms.read_models.rebuild_all` afterwards.
    """
    previous = signals_are_muted()
    _state.muted = True
    try:
        yield
    finally:
        _state.muted = previous


def apply_now() -> None:
    """Apply what the current transaction recorded without waiting for commit.

    Normally unnecessary; useful inside a long transaction (or a test that
    never commits) that wants to read its own writes from the read models.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS rooms_apply_pending_changes IMMEDIATE")
        cursor.execute("SET CONSTRAINTS rooms_apply_pending_changes DEFERRED")
