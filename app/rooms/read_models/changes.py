"""What a transaction changed, applied once, when it commits.

Two writers record here, inside the writing transaction:

* the app table's signal receivers (:func:`record`): the rooms each write
  touched, found by a ``SELECT`` inside the insert (one round trip);
* the capture triggers (``rooms_documents_changed``): that the materialized
  view changed.

A deferred constraint trigger applies everything once, just before the
transaction commits: each touched room's app-table row is rebuilt once,
however many writes touched it, and the view's refresh policy is applied
once. Because the records live in the transaction, a rolled-back savepoint
or transaction takes them with it: base data and read models commit or roll
back together. App-table room locks are always taken before the view's
lock, so two committing transactions never wait for each other in a cycle.
"""

import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from .sql_object import SqlObject

_state = threading.local()

_RECORD = """
INSERT INTO rooms_pending_change AS pending (read_model, room_ids)
SELECT 'app_table', array_agg(DISTINCT room_id) FROM ({rooms}) AS touched (room_id)
HAVING count(room_id) > 0
ON CONFLICT (txid, read_model) DO UPDATE SET room_ids = pending.room_ids || excluded.room_ids
"""

APPLY = SqlObject(
    "FUNCTION",
    "rooms_apply_pending_changes()",
    """CREATE OR REPLACE FUNCTION rooms_apply_pending_changes()
RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    app_table_rooms bigint[];
    view_changed boolean;
BEGIN
    -- Fired once per recorded row at commit; the first firing applies them all.
    IF NOT EXISTS (SELECT 1 FROM rooms_pending_change WHERE txid = txid_current()) THEN
        RETURN NULL;
    END IF;
    SELECT ARRAY(SELECT DISTINCT unnest(room_ids) FROM rooms_pending_change
                  WHERE txid = txid_current() AND read_model = 'app_table'),
           EXISTS (SELECT 1 FROM rooms_pending_change
                    WHERE txid = txid_current() AND read_model = 'materialized_view')
      INTO app_table_rooms, view_changed;
    DELETE FROM rooms_pending_change WHERE txid = txid_current();
    PERFORM rooms_app_table_rebuild(app_table_rooms);
    IF view_changed THEN
        PERFORM rooms_view_changed();
    END IF;
    RETURN NULL;
END
$$""",
)

SQL_OBJECTS = [APPLY]


def record(rooms: QuerySet | Iterable[int]) -> None:
    """Note that the app-table rows of ``rooms`` must be rebuilt at commit.

    ``rooms`` is a list of room ids or a one-column queryset that selects
    them; a queryset is evaluated inside the insert, so finding the rooms and
    recording them is a single round trip.
    """
    if signals_are_muted():
        return
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
        cursor.execute(_RECORD.format(rooms=rooms_sql), params)


def signals_are_muted() -> bool:
    return getattr(_state, "muted", False)


@contextmanager
def signals_muted():
    """Skip the app table's change tracking, for bulk loads that rebuild everything after.

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

    Normally unnecessary (the trigger table needs no such thing); useful
    inside a long transaction, or a test that never commits, that wants to
    read its own writes from the app table.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS rooms_apply_pending_changes IMMEDIATE")
        cursor.execute("SET CONSTRAINTS rooms_apply_pending_changes DEFERRED")
