"""The room document in SQL, defined once.

:func:`room_documents` is the one definition of the room document in SQL.
It is installed twice, from the same template:

* ``rooms_room_document``, a view of every room's document: the
  materialized view selects it, the check compares with it, and full
  rebuilds read it;
* ``rooms_room_documents(room_ids bigint[])``, a function returning the
  documents of the given rooms, for the per-room rebuilds of the stored
  tables. It is a plain SQL function, so PostgreSQL inlines it into the
  calling query and plans it like the query itself.

Both render exactly the same JSON text for a room (a test holds them to it),
so stored rows can be compared with the live view as text.

How the SQL is shaped, and why (measured at 100,000 rooms, see
``docs/benchmarks.md``):

* Driven by ``rooms_room``: one row per room, always, also for rooms
  without windows, furniture or decoration (the original CTE chain split
  window-less rooms into rows with a NULL id).
* Each relation is aggregated per room in a grouped sub-query joined by
  room id: set-based, a few hash joins and sorts for all rooms at once.
* Every door, souvenir, fitting and piece of furniture is turned into JSON
  once, not once per link row: in the all-rooms form its sub-query is kept
  apart (``OFFSET 0``), so that PostgreSQL cannot fold it into the join and
  build a bed's JSON for each of its five rooms. The per-room form lets it
  fold, since there only the linked rows are read.
* ``json``, not ``jsonb``, built with ``row_to_json``: about half the cost,
  and the API hands out text anyway.
* Lists are ordered by id, ``[]`` when empty; a room without decoration has
  SQL NULL (JSON ``null``); nested objects carry exactly the live API's keys.
"""

from rooms.models import BASE_TABLES, DOCUMENT_COLUMNS, DOCUMENT_PARTS, FURNITURE, PHYSICAL_FIELDS

from .sql_object import SqlObject

_PHYSICAL = ", ".join(PHYSICAL_FIELDS)


def _as_json(table: str, columns: str, all_rooms: bool) -> str:
    """(id, doc) for every row of ``table``: its ``columns`` as a JSON object."""
    apart = " OFFSET 0" if all_rooms else ""
    rows = f"(SELECT {columns} FROM {table}) item"
    return f"(SELECT item.id, row_to_json(item) AS doc FROM {rows}{apart})"


def room_documents(ids: str | None = None) -> str:
    """SELECT the documents of all rooms, or of the rooms in the bigint[] SQL expression ``ids``."""
    all_rooms = ids is None

    def only(column: str, of_rooms: str | None = None) -> str:
        """The filter that keeps a sub-query to the requested rooms (none for all rooms)."""
        if all_rooms:
            return ""
        if of_rooms is None:
            return f"\n     WHERE {column} = ANY({ids})"
        return f"\n     WHERE {column} IN ({of_rooms} = ANY({ids}))"

    decorations_of_rooms = "SELECT decoration_id FROM rooms_room WHERE id"
    windows_of_rooms = "SELECT id FROM rooms_window WHERE room_id"

    def furniture(part: str) -> str:
        """``beds``: each room's beds, through ``rooms_bed_rooms``."""
        model = FURNITURE[part]
        link = model._meta.get_field("rooms")
        return f"""LEFT JOIN (
    SELECT link.{link.m2m_reverse_name()}, json_agg(item.doc ORDER BY item.id) AS items
      FROM {link.m2m_db_table()} link
      JOIN {_as_json(model._meta.db_table, _PHYSICAL, all_rooms)} item ON item.id = link.{
            link.m2m_column_name()
        }{only(f"link.{link.m2m_reverse_name()}")}
     GROUP BY link.{link.m2m_reverse_name()}
) {part} ON {part}.{link.m2m_reverse_name()} = room.id"""

    # The document's columns, in their order: the room's own, then each part.
    parts = {
        "door": "door.doc",
        "decoration": "decoration.doc",
        "windows": "COALESCE(windows.items, '[]')",
        **{part: f"COALESCE({part}.items, '[]')" for part in FURNITURE},
    }
    columns = ",\n    ".join(
        [
            ", ".join(f"room.{field}" for field in PHYSICAL_FIELDS),
            *(f"{parts[part]} AS {part}" for part in DOCUMENT_PARTS),
        ]
    )
    furniture_joins = "\n".join(furniture(part) for part in FURNITURE)

    return f"""SELECT
    {columns}
FROM rooms_room room
JOIN {_as_json("rooms_door", _PHYSICAL, all_rooms)} door ON door.id = room.door_id
LEFT JOIN (
    SELECT decoration.id,
           json_build_object('id', decoration.id, 'name', decoration.name,
                             'souvenirs', COALESCE(souvenirs.items, '[]')) AS doc
      FROM rooms_decoration decoration
      LEFT JOIN (
          SELECT link.decoration_id, json_agg(item.doc ORDER BY item.id) AS items
            FROM rooms_decoration_souvenirs link
            JOIN {
        _as_json("rooms_souvenir", "id, name", all_rooms)
    } item ON item.id = link.souvenir_id{only("link.decoration_id", decorations_of_rooms)}
           GROUP BY link.decoration_id
      ) souvenirs ON souvenirs.decoration_id = decoration.id{
        only("decoration.id", decorations_of_rooms)
    }
) decoration ON decoration.id = room.decoration_id
LEFT JOIN (
    SELECT w.room_id,
           json_agg(json_build_object('id', w.id, 'name', w.name, 'width', w.width,
                                      'length', w.length, 'height', w.height, 'type', w.type,
                                      'fittings', COALESCE(fittings.items, '[]'))
                    ORDER BY w.id) AS items
      FROM rooms_window w
      LEFT JOIN (
          SELECT link.window_id, json_agg(item.doc ORDER BY item.id) AS items
            FROM rooms_windowfittings_windows link
            JOIN {_as_json("rooms_windowfittings", _PHYSICAL, all_rooms)} item
              ON item.id = link.windowfittings_id{only("link.window_id", windows_of_rooms)}
           GROUP BY link.window_id
      ) fittings ON fittings.window_id = w.id{only("w.room_id")}
     GROUP BY w.room_id
) windows ON windows.room_id = room.id
{furniture_joins}{only("room.id")}"""


def as_json_text(alias: str) -> str:
    """One stored row as the document's JSON text, keys in the document's order.

    The stored parts are ``json`` already, so this only joins text: what the
    read endpoints hand to clients without decoding anything.
    """
    pairs = ", ".join(f"'{column}', {alias}.{column}" for column in DOCUMENT_COLUMNS)
    return f"json_build_object({pairs})::text"


#: Every room's document.
VIEW = SqlObject(
    "VIEW",
    "rooms_room_document",
    f"CREATE VIEW rooms_room_document AS\n{room_documents()}",
    query=room_documents(),
)

#: The documents of the given rooms (an inlinable SQL function).
FUNCTION = SqlObject(
    "FUNCTION",
    "rooms_room_documents(bigint[])",
    f"""CREATE OR REPLACE FUNCTION rooms_room_documents(room_ids bigint[])
RETURNS SETOF rooms_room_document
LANGUAGE sql STABLE PARALLEL SAFE
AS $document$
{room_documents("room_ids")}
$document$""",
)

#: Before a rebuild is planned for its own rooms: fresh statistics for the tables that grew.
#:
#: Such a plan is made for the rooms' ids, on the tables' statistics. Statistics
#: taken while the tables were small hold every room id in their lists of most
#: common values, and a reload (``TRUNCATE``, then new rows) keeps them: they put
#: a new room's windows at none, and the plan made on them recomputed every
#: window's fittings once per window, work growing with the square of the rooms
#: (45 s at 2,000 rooms; by the square, some 20 minutes at 10,000). Autovacuum
#: analyzes a table once a minute at best, and never sees rows its transaction
#: has not committed: a bulk job that loads and then updates in one transaction
#: would never be helped.
#: A table "grew" when it holds more than twice the pages its statistics counted
#: (and more than 8): a handful of size lookups, and an ``ANALYZE`` only then,
#: in the calling transaction (which sees its own new rows), skipping a table
#: another session is analyzing. Statements of this size are rare and large, so
#: the check costs nothing noticeable; a table the caller may not analyze is
#: skipped with PostgreSQL's warning.
ANALYZE_GROWN_TABLES = SqlObject(
    "FUNCTION",
    "rooms_analyze_grown_tables()",
    f"""CREATE OR REPLACE FUNCTION rooms_analyze_grown_tables()
RETURNS void LANGUAGE plpgsql
AS $$
DECLARE
    grown text;
BEGIN
    SELECT string_agg(oid::regclass::text, ', ') INTO grown
      FROM pg_class
     WHERE oid = ANY('{{{",".join(BASE_TABLES)}}}'::regclass[])
       AND pg_relation_size(oid)
           > 2 * greatest(relpages, 4) * current_setting('block_size')::bigint;
    IF grown IS NOT NULL THEN
        EXECUTE 'ANALYZE (SKIP_LOCKED) ' || grown;
    END IF;
END
$$""",
)

SQL_OBJECTS = [VIEW, FUNCTION, ANALYZE_GROWN_TABLES]
