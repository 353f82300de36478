"""The room document in SQL, written once, and the plumbing around it.

``room_documents(ids)`` is the one definition of the room document in SQL,
for every room (``ids=None``) or for the rooms whose ids the SQL expression
``ids`` gives (an array). Everything SQL-built uses it:

* ``rooms_room_document``, an ordinary view over all rooms: the materialized
  view is ``SELECT *`` of it, ``check_rooms_cache`` compares with it;
* the app-maintained table is filled from it, for all rooms after a bulk
  load and for just the touched rooms at each commit.

Why this shape (and not the original README's CTE chain):

* The query is driven by ``rooms_room``: one row per room, always, with a
  non-null ``id``, whether or not the room has windows, furniture or a
  decoration. (The original FULL OUTER JOINed CTEs keyed on the windows CTE,
  which split window-less rooms into rows with a NULL id.)
* Each relation is aggregated per room in a grouped sub-query, LEFT JOINed
  by room id: set-based, so building a million documents is a few hash
  joins, not a million index look-ups per relation. Each sub-query carries
  the same room filter as the outer query, so rebuilding a handful of rooms
  reads only their rows; and a column nobody selects is a LEFT JOIN to a
  unique key that PostgreSQL removes, so rebuilding only ``beds`` reads only
  beds.
* ``COALESCE(..., '[]')`` gives ``[]`` for an empty relation (``jsonb_agg``
  over a LEFT JOIN gives ``[null]``); a room without a decoration gets SQL
  NULL (JSON ``null``), not an object of nulls.
* Nested objects are built key by key, with exactly the keys of the live
  API (no ``room`` inside a window, no ``rooms`` inside a bed), and every
  list is ordered by id.

If the document changes, add a new version of these statements and a
migration that applies it; migrations import the constants by name.
"""

# Keys and JSON of one physical object (door, window, fitting, furniture).
_DIMENSIONS = (
    "'id', {t}.id, 'name', {t}.name, 'width', {t}.width, 'length', {t}.length, "
    "'height', {t}.height, 'type', {t}.type"
)


def _object(alias: str, *extra: str) -> str:
    keys = _DIMENSIONS.format(t=alias)
    return f"jsonb_build_object({', '.join([keys, *extra])})"


def _furniture(kind: str, in_scope) -> str:
    """Beds, chairs or tables of each room in scope, as (room_id, items)."""
    return f"""(
        SELECT link.room_id, jsonb_agg({_object("f")} ORDER BY f.id) AS items
          FROM rooms_{kind}_rooms link
          JOIN rooms_{kind} f ON f.id = link.{kind}_id
         WHERE {in_scope("link.room_id")}
         GROUP BY link.room_id)"""


def room_documents(ids: str | None = None) -> str:
    """SELECT the room documents of all rooms, or of the rooms in array ``ids``.

    ``ids`` is a SQL expression, e.g. ``"%(ids)s"`` or a PL/pgSQL variable.
    """

    def in_scope(room_id: str) -> str:
        return "TRUE" if ids is None else f"{room_id} = ANY({ids})"

    return f"""
SELECT
    room.id,
    room.name,
    room.width,
    room.length,
    room.height,
    room.type,
    {_object("door")} AS door,
    CASE WHEN decoration.id IS NOT NULL THEN
        jsonb_build_object('id', decoration.id, 'name', decoration.name,
                           'souvenirs', COALESCE(souvenirs.items, '[]'::jsonb))
    END AS decoration,
    COALESCE(windows.items, '[]'::jsonb) AS windows,
    COALESCE(beds.items, '[]'::jsonb) AS beds,
    COALESCE(chairs.items, '[]'::jsonb) AS chairs,
    COALESCE(tables.items, '[]'::jsonb) AS tables
FROM rooms_room room
JOIN rooms_door door ON door.id = room.door_id
LEFT JOIN rooms_decoration decoration ON decoration.id = room.decoration_id
LEFT JOIN (
    SELECT link.decoration_id,
           jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name) ORDER BY s.id) AS items
      FROM rooms_decoration_souvenirs link
      JOIN rooms_souvenir s ON s.id = link.souvenir_id
     WHERE {
        in_scope("link.decoration_id")
        if ids is None
        else f"link.decoration_id IN (SELECT decoration_id FROM rooms_room WHERE id = ANY({ids}))"
    }
     GROUP BY link.decoration_id
) souvenirs ON souvenirs.decoration_id = room.decoration_id
LEFT JOIN (
    SELECT w.room_id,
           jsonb_agg({_object("w", "'fittings'", "COALESCE(fittings.items, '[]'::jsonb)")}
                     ORDER BY w.id) AS items
      FROM rooms_window w
      LEFT JOIN (
          SELECT link.window_id, jsonb_agg({_object("f")} ORDER BY f.id) AS items
            FROM rooms_windowfittings_windows link
            JOIN rooms_windowfittings f ON f.id = link.windowfittings_id
           WHERE {
        in_scope("link.window_id")
        if ids is None
        else f"link.window_id IN (SELECT id FROM rooms_window WHERE room_id = ANY({ids}))"
    }
           GROUP BY link.window_id
      ) fittings ON fittings.window_id = w.id
     WHERE {in_scope("w.room_id")}
     GROUP BY w.room_id
) windows ON windows.room_id = room.id
LEFT JOIN {_furniture("bed", in_scope)} beds ON beds.room_id = room.id
LEFT JOIN {_furniture("chair", in_scope)} chairs ON chairs.room_id = room.id
LEFT JOIN {_furniture("table", in_scope)} tables ON tables.room_id = room.id
WHERE {in_scope("room.id")}
"""


ROOM_DOCUMENT_VIEW = f"CREATE VIEW rooms_room_document AS {room_documents()}"

DROP_ROOM_DOCUMENT_VIEW = "DROP VIEW IF EXISTS rooms_room_document"

#: The columns of a room document, in the order of the view and the tables.
DOCUMENT_COLUMNS = (
    "id", "name", "width", "length", "height", "type",
    "door", "decoration", "windows", "beds", "chairs", "tables",
)  # fmt: skip

#: The parts of a document a write can invalidate without touching the rest:
#: "room" means the whole document (its own columns, or the room is gone).
PARTS = ("room", "door", "decoration", "windows", "beds", "chairs", "tables")

MATERIALIZED_VIEW = """
CREATE MATERIALIZED VIEW rooms_related_objects AS
SELECT * FROM rooms_room_document
WITH DATA;
-- A unique index is what REFRESH ... CONCURRENTLY needs to diff old and new rows.
CREATE UNIQUE INDEX rooms_related_objects_id ON rooms_related_objects (id);
"""

DROP_MATERIALIZED_VIEW = "DROP MATERIALIZED VIEW IF EXISTS rooms_related_objects"

#: Advisory lock keys (two-int form): (ROOM_LOCK, room id) serializes the
#: rebuild of one room, (VIEW_LOCK, 0) the refreshes of the materialized view.
ROOM_LOCK = 1380929357  # 'Room'
VIEW_LOCK = 1447642487  # 'View'

TABLE = "rooms_roomwithrelatedobjsrebuildinapp"


def document_values(alias: str) -> str:
    """``alias.name, alias.width, …``: a row's document columns but ``id``, to compare rows."""
    return ", ".join(f"{alias}.{column}" for column in DOCUMENT_COLUMNS if column != "id")


_UPSERT_SET = ", ".join(f"{c} = excluded.{c}" for c in DOCUMENT_COLUMNS if c != "id")


def delete_gone_documents(ids: str | None = None) -> str:
    """Remove the rows of rooms that no longer exist (all, or those in array ``ids``)."""
    scope = "" if ids is None else f"t.id = ANY({ids}) AND "
    return (
        f"DELETE FROM {TABLE} t WHERE {scope}"
        "NOT EXISTS (SELECT 1 FROM rooms_room r WHERE r.id = t.id)"
    )


def upsert_documents(ids: str | None = None) -> str:
    """Write the documents of all rooms (or of array ``ids``) into the table.

    Rows already equal are left alone (no dead tuple, no write).
    """
    return f"""
INSERT INTO {TABLE} AS t ({", ".join(DOCUMENT_COLUMNS)})
SELECT {", ".join(DOCUMENT_COLUMNS)} FROM ({room_documents(ids)}) AS document
ON CONFLICT (id) DO UPDATE SET {_UPSERT_SET}
WHERE ({document_values("t")}) IS DISTINCT FROM ({document_values("excluded")})
"""


PLUMBING = f"""
-- What a transaction changed, recorded by the signal handlers as it goes and
-- applied once, at commit, by the deferred trigger below. Rows live only
-- inside their transaction: the trigger deletes them before the commit ends.
CREATE TABLE rooms_pending_change (
    txid bigint NOT NULL DEFAULT txid_current(),
    part text NOT NULL CHECK (part IN ({", ".join(f"'{p}'" for p in PARTS)})),
    room_ids bigint[] NOT NULL,
    view_refresh text NOT NULL CHECK (view_refresh IN ('immediate', 'deferred', 'manual')),
    PRIMARY KEY (txid, part)
);

-- One row: when the materialized view was last refreshed, and since when it
-- has been stale (deferred and manual policies).
CREATE TABLE rooms_view_state (
    id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    refreshed_at timestamptz,
    refresh_count bigint NOT NULL DEFAULT 0,
    stale_since timestamptz
);
INSERT INTO rooms_view_state (refreshed_at) VALUES (clock_timestamp());

-- CONCURRENTLY (the default) never blocks readers but diffs old and new rows;
-- a bulk load that replaced everything anyway refreshes plainly, much faster.
CREATE FUNCTION rooms_refresh_view(concurrent boolean DEFAULT true)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- The lock is taken in its own statement so that the REFRESH below gets a
    -- snapshot taken *after* any refresh that held it has committed.
    PERFORM pg_advisory_xact_lock({VIEW_LOCK}, 0);
    IF concurrent THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY rooms_related_objects;
    ELSE
        REFRESH MATERIALIZED VIEW rooms_related_objects;
    END IF;
    UPDATE rooms_view_state
       SET refreshed_at = clock_timestamp(), refresh_count = refresh_count + 1;
END
$$;

CREATE FUNCTION rooms_apply_pending_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    change record;
    whole bigint[];
    policy text;
BEGIN
    -- Fired once per recorded part at commit; the first firing applies them all.
    IF NOT EXISTS (SELECT 1 FROM rooms_pending_change WHERE txid = txid_current()) THEN
        RETURN NULL;
    END IF;

    -- Serialize per room: lock every touched room, in id order (no deadlock
    -- between two transactions touching overlapping rooms). Statements after
    -- this one see whatever a previous holder committed, so the rebuild below
    -- never works from a snapshot that misses a concurrent write.
    PERFORM pg_advisory_xact_lock({ROOM_LOCK}, (room_id % 2147483647)::int)
       FROM (SELECT DISTINCT unnest(room_ids) AS room_id
               FROM rooms_pending_change WHERE txid = txid_current()
              ORDER BY 1) AS touched;

    -- Rooms rebuilt whole: the room itself changed or is gone, or more than one
    -- part changed (one write per row beats one per part).
    SELECT COALESCE(array_agg(id), '{{}}') INTO whole
      FROM (SELECT id FROM rooms_pending_change, unnest(room_ids) AS id
             WHERE txid = txid_current()
             GROUP BY id
            HAVING bool_or(part = 'room') OR count(DISTINCT part) > 1) AS rebuilt;

    -- Whole documents: rooms that are gone leave, the others are upserted.
    {delete_gone_documents("whole")};
    {upsert_documents("whole").strip()};

    -- Single parts: recompute just that column of the rooms not already rebuilt.
    FOR change IN
        DELETE FROM rooms_pending_change WHERE txid = txid_current() RETURNING *
    LOOP
        policy := change.view_refresh;
        CONTINUE WHEN change.part = 'room';
        EXECUTE format($update$
            UPDATE {TABLE} t SET %1$I = document.%1$I
              FROM ({room_documents("$1")}) AS document
             WHERE document.id = t.id AND NOT t.id = ANY($2)
               AND t.%1$I IS DISTINCT FROM document.%1$I
            $update$, change.part)
        USING change.room_ids, whole;
    END LOOP;

    IF policy = 'immediate' THEN
        PERFORM rooms_refresh_view();
    ELSE
        UPDATE rooms_view_state SET stale_since = COALESCE(stale_since, clock_timestamp());
        IF policy = 'deferred' THEN
            PERFORM pg_notify('rooms_view_stale', '');
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER rooms_apply_pending_changes
    AFTER INSERT ON rooms_pending_change
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION rooms_apply_pending_changes();
"""

DROP_PLUMBING = """
DROP TABLE IF EXISTS rooms_pending_change;
DROP FUNCTION IF EXISTS rooms_apply_pending_changes();
DROP FUNCTION IF EXISTS rooms_refresh_view(boolean);
DROP TABLE IF EXISTS rooms_view_state;
"""

#: One stored row as the room document's JSON text, keys in the document's
#: order, for handing straight to the response (no decode, walk, re-encode).
DOCUMENT_AS_JSON_TEXT = (
    "json_build_object("
    + ", ".join(f"'{column}', {{table}}.{column}" for column in DOCUMENT_COLUMNS)
    + ")::text"
)

#: The view's freshness, selected alongside its rows (one round trip).
VIEW_REFRESHED_AT = "(SELECT refreshed_at FROM rooms_view_state)"
VIEW_STALE_SINCE = "(SELECT stale_since FROM rooms_view_state)"
