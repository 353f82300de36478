"""The app-maintained table ``RoomWithRelatedObjsRebuildInApp``.

Rows are rebuilt per touched room at commit (see ``changes``), so a write
costs in proportion to the rooms it touched, not to the table. The
functions here rebuild rows on demand: all of them after a bulk load, or the
ones ``check_rooms_cache --fix`` found drifted.
"""

from collections.abc import Iterable

from django.db import connection, transaction

from .sql import TABLE, delete_gone_documents, upsert_documents


def rebuild(room_ids: Iterable[int] | None = None, from_scratch: bool = False) -> None:
    """Rebuild the documents of ``room_ids`` (every room when None), set-based.

    Rooms that no longer exist are removed; rows already equal are left
    untouched. The table is locked against the commit-time rebuilds of
    concurrent writers meanwhile, so the two cannot interleave.
    ``from_scratch`` empties the table first and skips the comparisons: for
    bulk loads, which replaced every document anyway.
    """
    ids = None if room_ids is None else sorted(set(room_ids))
    scope = None if ids is None else "%(ids)s"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE")
        if from_scratch:
            cursor.execute(f"TRUNCATE {TABLE}")
        else:
            cursor.execute(delete_gone_documents(scope), {"ids": ids})
        cursor.execute(upsert_documents(scope), {"ids": ids})
