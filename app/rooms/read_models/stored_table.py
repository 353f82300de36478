"""What the two stored tables share: writing room documents into them.

The app table (``/rooms_v2/``) and the trigger table (``/rooms_v3/``) are
filled the same way, by a ``rooms_<name>_rebuild(room_ids bigint[])``
function generated from :func:`rebuild_function`; they differ only in who
calls it (the app at commit, or the database triggers at each statement).
"""

from django.db import connection, transaction

from rooms.models import DOCUMENT_COLUMNS

from .installed import SqlObject
from .locks import lock_rooms

_COLUMNS = ", ".join(DOCUMENT_COLUMNS)
_UPDATE = ", ".join(
    f"{column} = excluded.{column}" for column in DOCUMENT_COLUMNS if column != "id"
)


def _write(table: str, documents: str, scope: str) -> str:
    """Write ``documents`` into ``table``; remove its rows ``scope`` has no document for.

    Rows already equal are left alone (no dead tuple, no write): a rebuild
    of a room that ended as it was costs no write.
    """
    return f"""WITH document AS MATERIALIZED ({documents}),
         gone AS (DELETE FROM {table} t
                   WHERE {scope} AND t.id NOT IN (SELECT id FROM document))
    INSERT INTO {table} AS t ({_COLUMNS})
    SELECT {_COLUMNS} FROM document
    ON CONFLICT (id) DO UPDATE SET {_UPDATE}
    WHERE t::text IS DISTINCT FROM excluded::text"""


def rebuild_function(name: str, table: str, lock_class: int) -> SqlObject:
    """``rooms_<name>_rebuild(room_ids)``: rebuild those rooms' rows, or every row (NULL).

    Per room: the room locks first, then the documents, computed in a
    statement that starts after the locks are held. Every row: the table is
    locked against the per-room rebuilds (which write under ROW EXCLUSIVE)
    before the documents are computed.
    """
    return SqlObject(
        "FUNCTION",
        f"rooms_{name}_rebuild(bigint[])",
        f"""CREATE OR REPLACE FUNCTION rooms_{name}_rebuild(room_ids bigint[])
RETURNS void LANGUAGE plpgsql
SET jit = off  -- compiling the all-rooms query costs more than it saves
AS $$
BEGIN
    IF room_ids IS NULL THEN
        LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE;
        {_write(table, "SELECT * FROM rooms_room_document", "TRUE")};
    ELSIF cardinality(room_ids) > 0 THEN
        {lock_rooms(lock_class, "room_ids")};
        {_write(table, "SELECT * FROM rooms_room_documents(room_ids)", "t.id = ANY(room_ids)")};
    END IF;
END
$$""",
    )


def rebuild(name: str, room_ids=None) -> None:
    """Rebuild the rows of ``room_ids`` (every room when None) in table ``name``."""
    ids = None if room_ids is None else sorted({int(room_id) for room_id in room_ids})
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT rooms_{name}_rebuild(%s::bigint[])", [ids])


def copy_from_view(table: str) -> None:
    """Replace every row with the materialized view's (just refreshed by a bulk load)."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")
        cursor.execute(f"INSERT INTO {table} SELECT * FROM rooms_related_objects")
