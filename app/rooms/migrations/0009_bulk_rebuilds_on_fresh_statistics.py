"""Bulk rebuilds are planned on statistics that know the tables' size.

A stored table's rebuild of more than 1,000 rooms is planned for its own
rooms. Statistics taken while the tables were small, which a reload
(``TRUNCATE``, then new rows) keeps, put a new room's windows at none, and
that plan recomputed every window's fittings once per window: work growing
with the square of the rooms. ``rooms_analyze_grown_tables()`` analyzes the
tables that hold more than twice the pages their statistics counted, and
both rebuild functions call it before planning such a rebuild.

All SQL is frozen here, as text.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('rooms', '0008_view_change_capture_of_its_own'),
    ]

    operations = [
    # function rooms_analyze_grown_tables()
    migrations.RunSQL(
        ["""CREATE OR REPLACE FUNCTION rooms_analyze_grown_tables()
RETURNS void LANGUAGE plpgsql
AS $$
DECLARE
    grown text;
BEGIN
    SELECT string_agg(oid::regclass::text, ', ') INTO grown
      FROM pg_class
     WHERE oid = ANY('{rooms_door,rooms_souvenir,rooms_decoration,rooms_room,rooms_window,rooms_windowfittings,rooms_bed,rooms_chair,rooms_table,rooms_decoration_souvenirs,rooms_windowfittings_windows,rooms_bed_rooms,rooms_chair_rooms,rooms_table_rooms}'::regclass[])
       AND pg_relation_size(oid)
           > 2 * greatest(relpages, 4) * current_setting('block_size')::bigint;
    IF grown IS NOT NULL THEN
        EXECUTE 'ANALYZE (SKIP_LOCKED) ' || grown;
    END IF;
END
$$;
COMMENT ON FUNCTION rooms_analyze_grown_tables() IS 'rooms sql 47bd3eafc04aa590';
"""],
    ),
    # function rooms_app_table_rebuild(bigint[],text)
    migrations.RunSQL(
        ["""CREATE OR REPLACE FUNCTION rooms_app_table_rebuild(room_ids bigint[], part text DEFAULT 'room')
RETURNS void LANGUAGE plpgsql
SET jit = off  -- compiling the all-rooms query costs more than it saves
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    IF part NOT IN ('room', 'door', 'decoration', 'windows', 'beds', 'chairs', 'tables') THEN
        RAISE EXCEPTION 'unknown part of a room document: %', part;
    END IF;
    IF room_ids IS NULL THEN
        LOCK TABLE rooms_roomwithrelatedobjsrebuildinapp IN SHARE ROW EXCLUSIVE MODE;
        WITH document AS MATERIALIZED (SELECT * FROM rooms_room_document),
         gone AS (DELETE FROM rooms_roomwithrelatedobjsrebuildinapp t
                   WHERE TRUE AND t.id NOT IN (SELECT id FROM document))
    INSERT INTO rooms_roomwithrelatedobjsrebuildinapp AS t (id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables)
    SELECT id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables FROM document
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, width = excluded.width, length = excluded.length, height = excluded.height, type = excluded.type, door = excluded.door, decoration = excluded.decoration, windows = excluded.windows, beds = excluded.beds, chairs = excluded.chairs, tables = excluded.tables
    WHERE t::text IS DISTINCT FROM excluded::text;
    ELSIF cardinality(room_ids) > 1000 THEN
        PERFORM pg_advisory_xact_lock(1380929357, slot)
       FROM (SELECT DISTINCT (room_id % 1024)::int AS slot
               FROM unnest(room_ids) AS room_id ORDER BY 1) AS touched;
        PERFORM rooms_analyze_grown_tables();
        IF part = 'room' THEN
            EXECUTE $statement$WITH document AS MATERIALIZED (SELECT * FROM rooms_room_documents($1)),
         gone AS (DELETE FROM rooms_roomwithrelatedobjsrebuildinapp t
                   WHERE t.id = ANY($1) AND t.id NOT IN (SELECT id FROM document))
    INSERT INTO rooms_roomwithrelatedobjsrebuildinapp AS t (id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables)
    SELECT id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables FROM document
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, width = excluded.width, length = excluded.length, height = excluded.height, type = excluded.type, door = excluded.door, decoration = excluded.decoration, windows = excluded.windows, beds = excluded.beds, chairs = excluded.chairs, tables = excluded.tables
    WHERE t::text IS DISTINCT FROM excluded::text$statement$ USING room_ids;
        ELSIF part = 'door' THEN
            EXECUTE $statement$WITH document AS MATERIALIZED (
            SELECT id, door FROM rooms_room_documents($1))
        UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET door = document.door
          FROM document
         WHERE document.id = t.id AND t.door::text IS DISTINCT FROM document.door::text$statement$ USING room_ids;
        ELSIF part = 'decoration' THEN
            EXECUTE $statement$WITH document AS MATERIALIZED (
            SELECT id, decoration FROM rooms_room_documents($1))
        UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET decoration = document.decoration
          FROM document
         WHERE document.id = t.id AND t.decoration::text IS DISTINCT FROM document.decoration::text$statement$ USING room_ids;
        ELSIF part = 'windows' THEN
            EXECUTE $statement$WITH document AS MATERIALIZED (
            SELECT id, windows FROM rooms_room_documents($1))
        UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET windows = document.windows
          FROM document
         WHERE document.id = t.id AND t.windows::text IS DISTINCT FROM document.windows::text$statement$ USING room_ids;
        ELSIF part = 'beds' THEN
            EXECUTE $statement$WITH document AS MATERIALIZED (
            SELECT id, beds FROM rooms_room_documents($1))
        UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET beds = document.beds
          FROM document
         WHERE document.id = t.id AND t.beds::text IS DISTINCT FROM document.beds::text$statement$ USING room_ids;
        ELSIF part = 'chairs' THEN
            EXECUTE $statement$WITH document AS MATERIALIZED (
            SELECT id, chairs FROM rooms_room_documents($1))
        UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET chairs = document.chairs
          FROM document
         WHERE document.id = t.id AND t.chairs::text IS DISTINCT FROM document.chairs::text$statement$ USING room_ids;
        ELSIF part = 'tables' THEN
            EXECUTE $statement$WITH document AS MATERIALIZED (
            SELECT id, tables FROM rooms_room_documents($1))
        UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET tables = document.tables
          FROM document
         WHERE document.id = t.id AND t.tables::text IS DISTINCT FROM document.tables::text$statement$ USING room_ids;
        END IF;
    ELSIF cardinality(room_ids) > 0 THEN
        PERFORM pg_advisory_xact_lock(1380929357, slot)
       FROM (SELECT DISTINCT (room_id % 1024)::int AS slot
               FROM unnest(room_ids) AS room_id ORDER BY 1) AS touched;
        IF part = 'room' THEN
            WITH document AS MATERIALIZED (SELECT * FROM rooms_room_documents(room_ids)),
         gone AS (DELETE FROM rooms_roomwithrelatedobjsrebuildinapp t
                   WHERE t.id = ANY(room_ids) AND t.id NOT IN (SELECT id FROM document))
    INSERT INTO rooms_roomwithrelatedobjsrebuildinapp AS t (id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables)
    SELECT id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables FROM document
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, width = excluded.width, length = excluded.length, height = excluded.height, type = excluded.type, door = excluded.door, decoration = excluded.decoration, windows = excluded.windows, beds = excluded.beds, chairs = excluded.chairs, tables = excluded.tables
    WHERE t::text IS DISTINCT FROM excluded::text;
        ELSIF part = 'door' THEN
            WITH document AS MATERIALIZED (
            SELECT id, door FROM rooms_room_documents(room_ids))
        UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET door = document.door
          FROM document
         WHERE document.id = t.id AND t.door::text IS DISTINCT FROM document.door::text;
        ELSIF part = 'decoration' THEN
            WITH document AS MATERIALIZED (
            SELECT id, decoration FROM rooms_room_documents(room_ids))
        UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET decoration = document.decoration
          FROM document
         WHERE document.id = t.id AND t.decoration::text IS DISTINCT FROM document.decoration::text;
        ELSIF part = 'windows' THEN
            WITH document AS MATERIALIZED (
            SELECT id, windows FROM rooms_room_documents(room_ids))
        UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET windows = document.windows
          FROM document
         WHERE document.id = t.id AND t.windows::text IS DISTINCT FROM document.windows::text;
        ELSIF part = 'beds' THEN
            WITH document AS MATERIALIZED (
            SELECT id, beds FROM rooms_room_documents(room_ids))
        UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET beds = document.beds
          FROM document
         WHERE document.id = t.id AND t.beds::text IS DISTINCT FROM document.beds::text;
        ELSIF part = 'chairs' THEN
            WITH document AS MATERIALIZED (
            SELECT id, chairs FROM rooms_room_documents(room_ids))
        UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET chairs = document.chairs
          FROM document
         WHERE document.id = t.id AND t.chairs::text IS DISTINCT FROM document.chairs::text;
        ELSIF part = 'tables' THEN
            WITH document AS MATERIALIZED (
            SELECT id, tables FROM rooms_room_documents(room_ids))
        UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET tables = document.tables
          FROM document
         WHERE document.id = t.id AND t.tables::text IS DISTINCT FROM document.tables::text;
        END IF;
    END IF;
END
$$;
COMMENT ON FUNCTION rooms_app_table_rebuild(bigint[],text) IS 'rooms sql e66c2cc0e82aecb7';
"""],
    ),
    # function rooms_trigger_table_rebuild(bigint[],text)
    migrations.RunSQL(
        ["""CREATE OR REPLACE FUNCTION rooms_trigger_table_rebuild(room_ids bigint[], part text DEFAULT 'room')
RETURNS void LANGUAGE plpgsql
SET jit = off  -- compiling the all-rooms query costs more than it saves
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    IF part NOT IN ('room', 'door', 'decoration', 'windows', 'beds', 'chairs', 'tables') THEN
        RAISE EXCEPTION 'unknown part of a room document: %', part;
    END IF;
    IF room_ids IS NULL THEN
        LOCK TABLE rooms_roomwithrelatedobjsv3 IN SHARE ROW EXCLUSIVE MODE;
        WITH document AS MATERIALIZED (SELECT * FROM rooms_room_document),
         gone AS (DELETE FROM rooms_roomwithrelatedobjsv3 t
                   WHERE TRUE AND t.id NOT IN (SELECT id FROM document))
    INSERT INTO rooms_roomwithrelatedobjsv3 AS t (id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables)
    SELECT id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables FROM document
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, width = excluded.width, length = excluded.length, height = excluded.height, type = excluded.type, door = excluded.door, decoration = excluded.decoration, windows = excluded.windows, beds = excluded.beds, chairs = excluded.chairs, tables = excluded.tables
    WHERE t::text IS DISTINCT FROM excluded::text;
    ELSIF cardinality(room_ids) > 1000 THEN
        PERFORM pg_advisory_xact_lock(1416784231, slot)
       FROM (SELECT DISTINCT (room_id % 1024)::int AS slot
               FROM unnest(room_ids) AS room_id ORDER BY 1) AS touched;
        PERFORM rooms_analyze_grown_tables();
        IF part = 'room' THEN
            EXECUTE $statement$WITH document AS MATERIALIZED (SELECT * FROM rooms_room_documents($1)),
         gone AS (DELETE FROM rooms_roomwithrelatedobjsv3 t
                   WHERE t.id = ANY($1) AND t.id NOT IN (SELECT id FROM document))
    INSERT INTO rooms_roomwithrelatedobjsv3 AS t (id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables)
    SELECT id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables FROM document
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, width = excluded.width, length = excluded.length, height = excluded.height, type = excluded.type, door = excluded.door, decoration = excluded.decoration, windows = excluded.windows, beds = excluded.beds, chairs = excluded.chairs, tables = excluded.tables
    WHERE t::text IS DISTINCT FROM excluded::text$statement$ USING room_ids;
        ELSIF part = 'door' THEN
            EXECUTE $statement$WITH document AS MATERIALIZED (
            SELECT id, door FROM rooms_room_documents($1))
        UPDATE rooms_roomwithrelatedobjsv3 t SET door = document.door
          FROM document
         WHERE document.id = t.id AND t.door::text IS DISTINCT FROM document.door::text$statement$ USING room_ids;
        ELSIF part = 'decoration' THEN
            EXECUTE $statement$WITH document AS MATERIALIZED (
            SELECT id, decoration FROM rooms_room_documents($1))
        UPDATE rooms_roomwithrelatedobjsv3 t SET decoration = document.decoration
          FROM document
         WHERE document.id = t.id AND t.decoration::text IS DISTINCT FROM document.decoration::text$statement$ USING room_ids;
        ELSIF part = 'windows' THEN
            EXECUTE $statement$WITH document AS MATERIALIZED (
            SELECT id, windows FROM rooms_room_documents($1))
        UPDATE rooms_roomwithrelatedobjsv3 t SET windows = document.windows
          FROM document
         WHERE document.id = t.id AND t.windows::text IS DISTINCT FROM document.windows::text$statement$ USING room_ids;
        ELSIF part = 'beds' THEN
            EXECUTE $statement$WITH document AS MATERIALIZED (
            SELECT id, beds FROM rooms_room_documents($1))
        UPDATE rooms_roomwithrelatedobjsv3 t SET beds = document.beds
          FROM document
         WHERE document.id = t.id AND t.beds::text IS DISTINCT FROM document.beds::text$statement$ USING room_ids;
        ELSIF part = 'chairs' THEN
            EXECUTE $statement$WITH document AS MATERIALIZED (
            SELECT id, chairs FROM rooms_room_documents($1))
        UPDATE rooms_roomwithrelatedobjsv3 t SET chairs = document.chairs
          FROM document
         WHERE document.id = t.id AND t.chairs::text IS DISTINCT FROM document.chairs::text$statement$ USING room_ids;
        ELSIF part = 'tables' THEN
            EXECUTE $statement$WITH document AS MATERIALIZED (
            SELECT id, tables FROM rooms_room_documents($1))
        UPDATE rooms_roomwithrelatedobjsv3 t SET tables = document.tables
          FROM document
         WHERE document.id = t.id AND t.tables::text IS DISTINCT FROM document.tables::text$statement$ USING room_ids;
        END IF;
    ELSIF cardinality(room_ids) > 0 THEN
        PERFORM pg_advisory_xact_lock(1416784231, slot)
       FROM (SELECT DISTINCT (room_id % 1024)::int AS slot
               FROM unnest(room_ids) AS room_id ORDER BY 1) AS touched;
        IF part = 'room' THEN
            WITH document AS MATERIALIZED (SELECT * FROM rooms_room_documents(room_ids)),
         gone AS (DELETE FROM rooms_roomwithrelatedobjsv3 t
                   WHERE t.id = ANY(room_ids) AND t.id NOT IN (SELECT id FROM document))
    INSERT INTO rooms_roomwithrelatedobjsv3 AS t (id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables)
    SELECT id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables FROM document
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, width = excluded.width, length = excluded.length, height = excluded.height, type = excluded.type, door = excluded.door, decoration = excluded.decoration, windows = excluded.windows, beds = excluded.beds, chairs = excluded.chairs, tables = excluded.tables
    WHERE t::text IS DISTINCT FROM excluded::text;
        ELSIF part = 'door' THEN
            WITH document AS MATERIALIZED (
            SELECT id, door FROM rooms_room_documents(room_ids))
        UPDATE rooms_roomwithrelatedobjsv3 t SET door = document.door
          FROM document
         WHERE document.id = t.id AND t.door::text IS DISTINCT FROM document.door::text;
        ELSIF part = 'decoration' THEN
            WITH document AS MATERIALIZED (
            SELECT id, decoration FROM rooms_room_documents(room_ids))
        UPDATE rooms_roomwithrelatedobjsv3 t SET decoration = document.decoration
          FROM document
         WHERE document.id = t.id AND t.decoration::text IS DISTINCT FROM document.decoration::text;
        ELSIF part = 'windows' THEN
            WITH document AS MATERIALIZED (
            SELECT id, windows FROM rooms_room_documents(room_ids))
        UPDATE rooms_roomwithrelatedobjsv3 t SET windows = document.windows
          FROM document
         WHERE document.id = t.id AND t.windows::text IS DISTINCT FROM document.windows::text;
        ELSIF part = 'beds' THEN
            WITH document AS MATERIALIZED (
            SELECT id, beds FROM rooms_room_documents(room_ids))
        UPDATE rooms_roomwithrelatedobjsv3 t SET beds = document.beds
          FROM document
         WHERE document.id = t.id AND t.beds::text IS DISTINCT FROM document.beds::text;
        ELSIF part = 'chairs' THEN
            WITH document AS MATERIALIZED (
            SELECT id, chairs FROM rooms_room_documents(room_ids))
        UPDATE rooms_roomwithrelatedobjsv3 t SET chairs = document.chairs
          FROM document
         WHERE document.id = t.id AND t.chairs::text IS DISTINCT FROM document.chairs::text;
        ELSIF part = 'tables' THEN
            WITH document AS MATERIALIZED (
            SELECT id, tables FROM rooms_room_documents(room_ids))
        UPDATE rooms_roomwithrelatedobjsv3 t SET tables = document.tables
          FROM document
         WHERE document.id = t.id AND t.tables::text IS DISTINCT FROM document.tables::text;
        END IF;
    END IF;
END
$$;
COMMENT ON FUNCTION rooms_trigger_table_rebuild(bigint[],text) IS 'rooms sql 4b6a5934bc16912b';
"""],
    ),
    ]
