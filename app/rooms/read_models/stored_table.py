"""What the two stored tables share: writing room documents into them.

The app table (``/rooms_v2/``) and the trigger table (``/rooms_v3/``) are
filled the same way, by a ``rooms_<name>_rebuild(room_ids bigint[], part text)``
function generated from :func:`rebuild_function`; they differ only in who
calls it (the app at commit, or the database triggers at each statement).

``part`` is the part of the documents that changed: ``room`` rebuilds the
whole documents (and adds or removes rows of rooms that appeared or went);
``beds``, ``door``, ... recompute that one column of the rooms' rows, which
reads only that relation: a bed renamed in five rooms reads their beds, not
their windows, fittings, chairs, tables and souvenirs.
"""

from django.db import connection, transaction

from rooms.models import DOCUMENT_COLUMNS, DOCUMENT_PARTS

from .locks import lock_rooms
from .sql_object import SqlObject

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


#: A rebuild of more rooms than this is planned for its own rooms (see rebuild_function).
BULK_ROOMS = 1000


def _write_part(table: str, part: str, room_ids: str) -> str:
    """Recompute column ``part`` of the rows of ``room_ids`` (rows already equal are left alone).

    The part is selected in a CTE of its own (``MATERIALIZED``): there,
    PostgreSQL drops the document's other relations from the plan, as their
    columns are not used. Joined into the ``UPDATE`` directly, it could not:
    an ``UPDATE``'s other relations are marked for row re-checks, which
    keeps every joined relation in the plan, so a bed's rename also read the
    rooms' windows, fittings, chairs, tables and souvenirs.
    """
    return f"""WITH document AS MATERIALIZED (
            SELECT id, {part} FROM rooms_room_documents({room_ids}))
        UPDATE {table} t SET {part} = document.{part}
          FROM document
         WHERE document.id = t.id AND t.{part}::text IS DISTINCT FROM document.{part}::text"""


def _write_rooms(table: str, room_ids: str, run) -> str:
    """The statement for each ``part``: the rows of ``room_ids``, whole or one column."""
    whole = _write(
        table, f"SELECT * FROM rooms_room_documents({room_ids})", f"t.id = ANY({room_ids})"
    )
    branches = [f"IF part = 'room' THEN\n            {run(whole)};"]
    branches += [
        f"ELSIF part = '{part}' THEN\n            {run(_write_part(table, part, room_ids))};"
        for part in DOCUMENT_PARTS
    ]
    return "\n        ".join(branches) + "\n        END IF;"


def _execute(statement: str) -> str:
    return f"EXECUTE $statement${statement}$statement$ USING room_ids"


def rebuild_function(name: str, table: str, lock_class: int) -> SqlObject:
    """``rooms_<name>_rebuild(room_ids, part)``: rebuild those rooms' rows, or every row (NULL).

    Per room: the room locks first, then the documents, computed in a
    statement that starts after the locks are held. Every row: the table is
    locked against the per-room rebuilds (which write under ROW EXCLUSIVE)
    before the documents are computed.

    Plans: a rebuild is called again and again with a different handful of
    rooms, and planning the document query afresh each time (the default for
    its first calls in a session) cost more than running it, so those keep a
    generic plan. That plan expects a handful of rooms and reads them one by
    one through indexes; a bulk statement's rebuild of thousands of rooms
    (above ``BULK_ROOMS``) is planned for its own rooms instead (``EXECUTE``),
    which hashes and scans the relations once, on statistics brought up to date
    first where the tables grew (``rooms_analyze_grown_tables``).
    """
    known = ", ".join(f"'{part}'" for part in ("room", *DOCUMENT_PARTS))
    return SqlObject(
        "FUNCTION",
        f"rooms_{name}_rebuild(bigint[],text)",
        f"""CREATE OR REPLACE FUNCTION rooms_{
            name
        }_rebuild(room_ids bigint[], part text DEFAULT 'room')
RETURNS void LANGUAGE plpgsql
SET jit = off  -- compiling the all-rooms query costs more than it saves
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    IF part NOT IN ({known}) THEN
        RAISE EXCEPTION 'unknown part of a room document: %', part;
    END IF;
    IF room_ids IS NULL THEN
        LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE;
        {_write(table, "SELECT * FROM rooms_room_document", "TRUE")};
    ELSIF cardinality(room_ids) > {BULK_ROOMS} THEN
        {lock_rooms(lock_class, "room_ids")};
        PERFORM rooms_analyze_grown_tables();
        {_write_rooms(table, "$1", _execute)}
    ELSIF cardinality(room_ids) > 0 THEN
        {lock_rooms(lock_class, "room_ids")};
        {_write_rooms(table, "room_ids", lambda statement: statement)}
    END IF;
END
$$""",
    )


def rebuild(name: str, room_ids=None) -> None:
    """Rebuild the whole rows of ``room_ids`` (every room when None) in table ``name``."""
    ids = None if room_ids is None else sorted({int(room_id) for room_id in room_ids})
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT rooms_{name}_rebuild(%s::bigint[])", [ids])


def rebuild_all(name: str, table: str, online: bool = True) -> None:
    """Rebuild every row of table ``name``.

    ``online`` keeps serving readers meanwhile: only the rows that changed are
    written. Otherwise (a bulk load that replaced all the data in its own
    transaction) the table is emptied and copied from the materialized view,
    which the load has just refreshed: the documents are built once, not once
    per read model.
    """
    if online:
        rebuild(name)
        return
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")
        cursor.execute(f"INSERT INTO {table} SELECT * FROM rooms_related_objects")
