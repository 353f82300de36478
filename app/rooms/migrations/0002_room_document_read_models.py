"""The room document view, the materialized view, and the refresh plumbing.

The SQL is frozen here, as it was when this migration was first applied:
later changes to the installed SQL arrive as new migrations (see
``docs/maintaining.md``), never as edits of this text.
"""

from django.db import migrations

ROOM_DOCUMENT_VIEW = """CREATE VIEW rooms_room_document AS 
SELECT
    room.id,
    room.name,
    room.width,
    room.length,
    room.height,
    room.type,
    jsonb_build_object('id', door.id, 'name', door.name, 'width', door.width, 'length', door.length, 'height', door.height, 'type', door.type) AS door,
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
     WHERE TRUE
     GROUP BY link.decoration_id
) souvenirs ON souvenirs.decoration_id = room.decoration_id
LEFT JOIN (
    SELECT w.room_id,
           jsonb_agg(jsonb_build_object('id', w.id, 'name', w.name, 'width', w.width, 'length', w.length, 'height', w.height, 'type', w.type, 'fittings', COALESCE(fittings.items, '[]'::jsonb))
                     ORDER BY w.id) AS items
      FROM rooms_window w
      LEFT JOIN (
          SELECT link.window_id, jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'width', f.width, 'length', f.length, 'height', f.height, 'type', f.type) ORDER BY f.id) AS items
            FROM rooms_windowfittings_windows link
            JOIN rooms_windowfittings f ON f.id = link.windowfittings_id
           WHERE TRUE
           GROUP BY link.window_id
      ) fittings ON fittings.window_id = w.id
     WHERE TRUE
     GROUP BY w.room_id
) windows ON windows.room_id = room.id
LEFT JOIN (
        SELECT link.room_id, jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'width', f.width, 'length', f.length, 'height', f.height, 'type', f.type) ORDER BY f.id) AS items
          FROM rooms_bed_rooms link
          JOIN rooms_bed f ON f.id = link.bed_id
         WHERE TRUE
         GROUP BY link.room_id) beds ON beds.room_id = room.id
LEFT JOIN (
        SELECT link.room_id, jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'width', f.width, 'length', f.length, 'height', f.height, 'type', f.type) ORDER BY f.id) AS items
          FROM rooms_chair_rooms link
          JOIN rooms_chair f ON f.id = link.chair_id
         WHERE TRUE
         GROUP BY link.room_id) chairs ON chairs.room_id = room.id
LEFT JOIN (
        SELECT link.room_id, jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'width', f.width, 'length', f.length, 'height', f.height, 'type', f.type) ORDER BY f.id) AS items
          FROM rooms_table_rooms link
          JOIN rooms_table f ON f.id = link.table_id
         WHERE TRUE
         GROUP BY link.room_id) tables ON tables.room_id = room.id
WHERE TRUE
"""

DROP_ROOM_DOCUMENT_VIEW = """DROP VIEW IF EXISTS rooms_room_document"""

MATERIALIZED_VIEW = """
CREATE MATERIALIZED VIEW rooms_related_objects AS
SELECT * FROM rooms_room_document
WITH DATA;
-- A unique index is what REFRESH ... CONCURRENTLY needs to diff old and new rows.
CREATE UNIQUE INDEX rooms_related_objects_id ON rooms_related_objects (id);
"""

DROP_MATERIALIZED_VIEW = """DROP MATERIALIZED VIEW IF EXISTS rooms_related_objects"""

PLUMBING = """
-- What a transaction changed, recorded by the signal handlers as it goes and
-- applied once, at commit, by the deferred trigger below. Rows live only
-- inside their transaction: the trigger deletes them before the commit ends.
CREATE TABLE rooms_pending_change (
    txid bigint NOT NULL DEFAULT txid_current(),
    part text NOT NULL CHECK (part IN ('room', 'door', 'decoration', 'windows', 'beds', 'chairs', 'tables')),
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
    PERFORM pg_advisory_xact_lock(1447642487, 0);
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
    PERFORM pg_advisory_xact_lock(1380929357, (room_id % 2147483647)::int)
       FROM (SELECT DISTINCT unnest(room_ids) AS room_id
               FROM rooms_pending_change WHERE txid = txid_current()
              ORDER BY 1) AS touched;

    -- Rooms rebuilt whole: the room itself changed or is gone, or more than one
    -- part changed (one write per row beats one per part).
    SELECT COALESCE(array_agg(id), '{}') INTO whole
      FROM (SELECT id FROM rooms_pending_change, unnest(room_ids) AS id
             WHERE txid = txid_current()
             GROUP BY id
            HAVING bool_or(part = 'room') OR count(DISTINCT part) > 1) AS rebuilt;

    -- Whole documents: rooms that are gone leave, the others are upserted.
    DELETE FROM rooms_roomwithrelatedobjsrebuildinapp t WHERE t.id = ANY(whole) AND NOT EXISTS (SELECT 1 FROM rooms_room r WHERE r.id = t.id);
    INSERT INTO rooms_roomwithrelatedobjsrebuildinapp AS t (id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables)
SELECT id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables FROM (
SELECT
    room.id,
    room.name,
    room.width,
    room.length,
    room.height,
    room.type,
    jsonb_build_object('id', door.id, 'name', door.name, 'width', door.width, 'length', door.length, 'height', door.height, 'type', door.type) AS door,
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
     WHERE link.decoration_id IN (SELECT decoration_id FROM rooms_room WHERE id = ANY(whole))
     GROUP BY link.decoration_id
) souvenirs ON souvenirs.decoration_id = room.decoration_id
LEFT JOIN (
    SELECT w.room_id,
           jsonb_agg(jsonb_build_object('id', w.id, 'name', w.name, 'width', w.width, 'length', w.length, 'height', w.height, 'type', w.type, 'fittings', COALESCE(fittings.items, '[]'::jsonb))
                     ORDER BY w.id) AS items
      FROM rooms_window w
      LEFT JOIN (
          SELECT link.window_id, jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'width', f.width, 'length', f.length, 'height', f.height, 'type', f.type) ORDER BY f.id) AS items
            FROM rooms_windowfittings_windows link
            JOIN rooms_windowfittings f ON f.id = link.windowfittings_id
           WHERE link.window_id IN (SELECT id FROM rooms_window WHERE room_id = ANY(whole))
           GROUP BY link.window_id
      ) fittings ON fittings.window_id = w.id
     WHERE w.room_id = ANY(whole)
     GROUP BY w.room_id
) windows ON windows.room_id = room.id
LEFT JOIN (
        SELECT link.room_id, jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'width', f.width, 'length', f.length, 'height', f.height, 'type', f.type) ORDER BY f.id) AS items
          FROM rooms_bed_rooms link
          JOIN rooms_bed f ON f.id = link.bed_id
         WHERE link.room_id = ANY(whole)
         GROUP BY link.room_id) beds ON beds.room_id = room.id
LEFT JOIN (
        SELECT link.room_id, jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'width', f.width, 'length', f.length, 'height', f.height, 'type', f.type) ORDER BY f.id) AS items
          FROM rooms_chair_rooms link
          JOIN rooms_chair f ON f.id = link.chair_id
         WHERE link.room_id = ANY(whole)
         GROUP BY link.room_id) chairs ON chairs.room_id = room.id
LEFT JOIN (
        SELECT link.room_id, jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'width', f.width, 'length', f.length, 'height', f.height, 'type', f.type) ORDER BY f.id) AS items
          FROM rooms_table_rooms link
          JOIN rooms_table f ON f.id = link.table_id
         WHERE link.room_id = ANY(whole)
         GROUP BY link.room_id) tables ON tables.room_id = room.id
WHERE room.id = ANY(whole)
) AS document
ON CONFLICT (id) DO UPDATE SET name = excluded.name, width = excluded.width, length = excluded.length, height = excluded.height, type = excluded.type, door = excluded.door, decoration = excluded.decoration, windows = excluded.windows, beds = excluded.beds, chairs = excluded.chairs, tables = excluded.tables
WHERE (t.name, t.width, t.length, t.height, t.type, t.door, t.decoration, t.windows, t.beds, t.chairs, t.tables) IS DISTINCT FROM (excluded.name, excluded.width, excluded.length, excluded.height, excluded.type, excluded.door, excluded.decoration, excluded.windows, excluded.beds, excluded.chairs, excluded.tables);

    -- Single parts: recompute just that column of the rooms not already rebuilt.
    FOR change IN
        DELETE FROM rooms_pending_change WHERE txid = txid_current() RETURNING *
    LOOP
        policy := change.view_refresh;
        CONTINUE WHEN change.part = 'room';
        EXECUTE format($update$
            UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET %1$I = document.%1$I
              FROM (
SELECT
    room.id,
    room.name,
    room.width,
    room.length,
    room.height,
    room.type,
    jsonb_build_object('id', door.id, 'name', door.name, 'width', door.width, 'length', door.length, 'height', door.height, 'type', door.type) AS door,
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
     WHERE link.decoration_id IN (SELECT decoration_id FROM rooms_room WHERE id = ANY($1))
     GROUP BY link.decoration_id
) souvenirs ON souvenirs.decoration_id = room.decoration_id
LEFT JOIN (
    SELECT w.room_id,
           jsonb_agg(jsonb_build_object('id', w.id, 'name', w.name, 'width', w.width, 'length', w.length, 'height', w.height, 'type', w.type, 'fittings', COALESCE(fittings.items, '[]'::jsonb))
                     ORDER BY w.id) AS items
      FROM rooms_window w
      LEFT JOIN (
          SELECT link.window_id, jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'width', f.width, 'length', f.length, 'height', f.height, 'type', f.type) ORDER BY f.id) AS items
            FROM rooms_windowfittings_windows link
            JOIN rooms_windowfittings f ON f.id = link.windowfittings_id
           WHERE link.window_id IN (SELECT id FROM rooms_window WHERE room_id = ANY($1))
           GROUP BY link.window_id
      ) fittings ON fittings.window_id = w.id
     WHERE w.room_id = ANY($1)
     GROUP BY w.room_id
) windows ON windows.room_id = room.id
LEFT JOIN (
        SELECT link.room_id, jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'width', f.width, 'length', f.length, 'height', f.height, 'type', f.type) ORDER BY f.id) AS items
          FROM rooms_bed_rooms link
          JOIN rooms_bed f ON f.id = link.bed_id
         WHERE link.room_id = ANY($1)
         GROUP BY link.room_id) beds ON beds.room_id = room.id
LEFT JOIN (
        SELECT link.room_id, jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'width', f.width, 'length', f.length, 'height', f.height, 'type', f.type) ORDER BY f.id) AS items
          FROM rooms_chair_rooms link
          JOIN rooms_chair f ON f.id = link.chair_id
         WHERE link.room_id = ANY($1)
         GROUP BY link.room_id) chairs ON chairs.room_id = room.id
LEFT JOIN (
        SELECT link.room_id, jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'width', f.width, 'length', f.length, 'height', f.height, 'type', f.type) ORDER BY f.id) AS items
          FROM rooms_table_rooms link
          JOIN rooms_table f ON f.id = link.table_id
         WHERE link.room_id = ANY($1)
         GROUP BY link.room_id) tables ON tables.room_id = room.id
WHERE room.id = ANY($1)
) AS document
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

FILL_TABLE = """
INSERT INTO rooms_roomwithrelatedobjsrebuildinapp AS t (id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables)
SELECT id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables FROM (
SELECT
    room.id,
    room.name,
    room.width,
    room.length,
    room.height,
    room.type,
    jsonb_build_object('id', door.id, 'name', door.name, 'width', door.width, 'length', door.length, 'height', door.height, 'type', door.type) AS door,
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
     WHERE TRUE
     GROUP BY link.decoration_id
) souvenirs ON souvenirs.decoration_id = room.decoration_id
LEFT JOIN (
    SELECT w.room_id,
           jsonb_agg(jsonb_build_object('id', w.id, 'name', w.name, 'width', w.width, 'length', w.length, 'height', w.height, 'type', w.type, 'fittings', COALESCE(fittings.items, '[]'::jsonb))
                     ORDER BY w.id) AS items
      FROM rooms_window w
      LEFT JOIN (
          SELECT link.window_id, jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'width', f.width, 'length', f.length, 'height', f.height, 'type', f.type) ORDER BY f.id) AS items
            FROM rooms_windowfittings_windows link
            JOIN rooms_windowfittings f ON f.id = link.windowfittings_id
           WHERE TRUE
           GROUP BY link.window_id
      ) fittings ON fittings.window_id = w.id
     WHERE TRUE
     GROUP BY w.room_id
) windows ON windows.room_id = room.id
LEFT JOIN (
        SELECT link.room_id, jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'width', f.width, 'length', f.length, 'height', f.height, 'type', f.type) ORDER BY f.id) AS items
          FROM rooms_bed_rooms link
          JOIN rooms_bed f ON f.id = link.bed_id
         WHERE TRUE
         GROUP BY link.room_id) beds ON beds.room_id = room.id
LEFT JOIN (
        SELECT link.room_id, jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'width', f.width, 'length', f.length, 'height', f.height, 'type', f.type) ORDER BY f.id) AS items
          FROM rooms_chair_rooms link
          JOIN rooms_chair f ON f.id = link.chair_id
         WHERE TRUE
         GROUP BY link.room_id) chairs ON chairs.room_id = room.id
LEFT JOIN (
        SELECT link.room_id, jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'width', f.width, 'length', f.length, 'height', f.height, 'type', f.type) ORDER BY f.id) AS items
          FROM rooms_table_rooms link
          JOIN rooms_table f ON f.id = link.table_id
         WHERE TRUE
         GROUP BY link.room_id) tables ON tables.room_id = room.id
WHERE TRUE
) AS document
ON CONFLICT (id) DO UPDATE SET name = excluded.name, width = excluded.width, length = excluded.length, height = excluded.height, type = excluded.type, door = excluded.door, decoration = excluded.decoration, windows = excluded.windows, beds = excluded.beds, chairs = excluded.chairs, tables = excluded.tables
WHERE (t.name, t.width, t.length, t.height, t.type, t.door, t.decoration, t.windows, t.beds, t.chairs, t.tables) IS DISTINCT FROM (excluded.name, excluded.width, excluded.length, excluded.height, excluded.type, excluded.door, excluded.decoration, excluded.windows, excluded.beds, excluded.chairs, excluded.tables)
"""


class Migration(migrations.Migration):
    dependencies = [("rooms", "0001_initial")]

    # Each script is a one-item list: sent to PostgreSQL whole, never split
    # into statements by sqlparse (which need not understand PL/pgSQL bodies).
    operations = [
        migrations.RunSQL([ROOM_DOCUMENT_VIEW], reverse_sql=[DROP_ROOM_DOCUMENT_VIEW]),
        migrations.RunSQL([MATERIALIZED_VIEW], reverse_sql=[DROP_MATERIALIZED_VIEW]),
        migrations.RunSQL([PLUMBING], reverse_sql=[DROP_PLUMBING]),
        # Rooms that exist before this migration get their documents at once.
        migrations.RunSQL([FILL_TABLE], reverse_sql=migrations.RunSQL.noop),
    ]
