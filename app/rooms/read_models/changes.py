"""The app table's change capture: what a transaction changed, applied once, when it commits.

The app table's signal receivers (``rooms.signals``) call :func:`record`
inside the writing transaction with the rooms each write touched, found by a
``SELECT`` inside the insert into ``rooms_pending_change`` (one round trip).
A deferred constraint trigger on that table (:data:`APPLY`) rebuilds each
touched room's row once, just before the transaction commits, however many
writes touched it. Because the records live in the transaction, a
rolled-back savepoint or transaction takes them with it: base data and read
models commit or roll back together.
"""

import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from .sql_object import CommitTrigger, SqlObject

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
    touched bigint[];
BEGIN
    -- A transaction's records are one row (later ones merge into it): fired at commit.
    DELETE FROM rooms_pending_change
     WHERE txid = NEW.txid AND read_model = NEW.read_model
    RETURNING room_ids INTO touched;
    PERFORM rooms_app_table_rebuild(ARRAY(SELECT DISTINCT unnest(touched)));
    RETURN NULL;
END
$$""",
)


#: Fires ``APPLY`` at commit, once per transaction's record (migration 0003 made it).
COMMIT_TRIGGER = CommitTrigger(
    "rooms_apply_pending_changes", "rooms_pending_change", "rooms_apply_pending_changes()"
)


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
