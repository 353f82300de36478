"""Bounded room locks and bulk plans for the stored tables' rebuild functions.

* A rebuild locks its rooms' slots (room id % 1024) instead of one advisory
  lock per room: a bulk UPDATE touching tens of thousands of rooms ran
  PostgreSQL's shared lock table out of memory ("out of shared memory").
* A rebuild of more than 1000 rooms is planned for its own rooms (EXECUTE)
  instead of with the generic plan made for a handful.

All SQL is frozen here, as text.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('rooms', '0004_part_rebuilds_and_generic_plans'),
    ]

    operations = [
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
        IF part = 'room' THEN
            EXECUTE $statement$WITH document AS MATERIALIZED (SELECT * FROM rooms_room_documents($1)),
         gone AS (DELETE FROM rooms_roomwithrelatedobjsrebuildinapp t
                   WHERE t.id = ANY($1) AND t.id NOT IN (SELECT id FROM document))
    INSERT INTO rooms_roomwithrelatedobjsrebuildinapp AS t (id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables)
    SELECT id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables FROM document
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, width = excluded.width, length = excluded.length, height = excluded.height, type = excluded.type, door = excluded.door, decoration = excluded.decoration, windows = excluded.windows, beds = excluded.beds, chairs = excluded.chairs, tables = excluded.tables
    WHERE t::text IS DISTINCT FROM excluded::text$statement$ USING room_ids;
        ELSIF part = 'door' THEN
            EXECUTE $statement$UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET door = document.door
          FROM (SELECT id, door FROM rooms_room_documents($1)) document
         WHERE document.id = t.id AND t.door::text IS DISTINCT FROM document.door::text$statement$ USING room_ids;
        ELSIF part = 'decoration' THEN
            EXECUTE $statement$UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET decoration = document.decoration
          FROM (SELECT id, decoration FROM rooms_room_documents($1)) document
         WHERE document.id = t.id AND t.decoration::text IS DISTINCT FROM document.decoration::text$statement$ USING room_ids;
        ELSIF part = 'windows' THEN
            EXECUTE $statement$UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET windows = document.windows
          FROM (SELECT id, windows FROM rooms_room_documents($1)) document
         WHERE document.id = t.id AND t.windows::text IS DISTINCT FROM document.windows::text$statement$ USING room_ids;
        ELSIF part = 'beds' THEN
            EXECUTE $statement$UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET beds = document.beds
          FROM (SELECT id, beds FROM rooms_room_documents($1)) document
         WHERE document.id = t.id AND t.beds::text IS DISTINCT FROM document.beds::text$statement$ USING room_ids;
        ELSIF part = 'chairs' THEN
            EXECUTE $statement$UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET chairs = document.chairs
          FROM (SELECT id, chairs FROM rooms_room_documents($1)) document
         WHERE document.id = t.id AND t.chairs::text IS DISTINCT FROM document.chairs::text$statement$ USING room_ids;
        ELSIF part = 'tables' THEN
            EXECUTE $statement$UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET tables = document.tables
          FROM (SELECT id, tables FROM rooms_room_documents($1)) document
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
            UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET door = document.door
          FROM (SELECT id, door FROM rooms_room_documents(room_ids)) document
         WHERE document.id = t.id AND t.door::text IS DISTINCT FROM document.door::text;
        ELSIF part = 'decoration' THEN
            UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET decoration = document.decoration
          FROM (SELECT id, decoration FROM rooms_room_documents(room_ids)) document
         WHERE document.id = t.id AND t.decoration::text IS DISTINCT FROM document.decoration::text;
        ELSIF part = 'windows' THEN
            UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET windows = document.windows
          FROM (SELECT id, windows FROM rooms_room_documents(room_ids)) document
         WHERE document.id = t.id AND t.windows::text IS DISTINCT FROM document.windows::text;
        ELSIF part = 'beds' THEN
            UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET beds = document.beds
          FROM (SELECT id, beds FROM rooms_room_documents(room_ids)) document
         WHERE document.id = t.id AND t.beds::text IS DISTINCT FROM document.beds::text;
        ELSIF part = 'chairs' THEN
            UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET chairs = document.chairs
          FROM (SELECT id, chairs FROM rooms_room_documents(room_ids)) document
         WHERE document.id = t.id AND t.chairs::text IS DISTINCT FROM document.chairs::text;
        ELSIF part = 'tables' THEN
            UPDATE rooms_roomwithrelatedobjsrebuildinapp t SET tables = document.tables
          FROM (SELECT id, tables FROM rooms_room_documents(room_ids)) document
         WHERE document.id = t.id AND t.tables::text IS DISTINCT FROM document.tables::text;
        END IF;
    END IF;
END
$$;
COMMENT ON FUNCTION rooms_app_table_rebuild(bigint[],text) IS 'rooms sql 9ff8bb3aec363882';
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
        IF part = 'room' THEN
            EXECUTE $statement$WITH document AS MATERIALIZED (SELECT * FROM rooms_room_documents($1)),
         gone AS (DELETE FROM rooms_roomwithrelatedobjsv3 t
                   WHERE t.id = ANY($1) AND t.id NOT IN (SELECT id FROM document))
    INSERT INTO rooms_roomwithrelatedobjsv3 AS t (id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables)
    SELECT id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables FROM document
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, width = excluded.width, length = excluded.length, height = excluded.height, type = excluded.type, door = excluded.door, decoration = excluded.decoration, windows = excluded.windows, beds = excluded.beds, chairs = excluded.chairs, tables = excluded.tables
    WHERE t::text IS DISTINCT FROM excluded::text$statement$ USING room_ids;
        ELSIF part = 'door' THEN
            EXECUTE $statement$UPDATE rooms_roomwithrelatedobjsv3 t SET door = document.door
          FROM (SELECT id, door FROM rooms_room_documents($1)) document
         WHERE document.id = t.id AND t.door::text IS DISTINCT FROM document.door::text$statement$ USING room_ids;
        ELSIF part = 'decoration' THEN
            EXECUTE $statement$UPDATE rooms_roomwithrelatedobjsv3 t SET decoration = document.decoration
          FROM (SELECT id, decoration FROM rooms_room_documents($1)) document
         WHERE document.id = t.id AND t.decoration::text IS DISTINCT FROM document.decoration::text$statement$ USING room_ids;
        ELSIF part = 'windows' THEN
            EXECUTE $statement$UPDATE rooms_roomwithrelatedobjsv3 t SET windows = document.windows
          FROM (SELECT id, windows FROM rooms_room_documents($1)) document
         WHERE document.id = t.id AND t.windows::text IS DISTINCT FROM document.windows::text$statement$ USING room_ids;
        ELSIF part = 'beds' THEN
            EXECUTE $statement$UPDATE rooms_roomwithrelatedobjsv3 t SET beds = document.beds
          FROM (SELECT id, beds FROM rooms_room_documents($1)) document
         WHERE document.id = t.id AND t.beds::text IS DISTINCT FROM document.beds::text$statement$ USING room_ids;
        ELSIF part = 'chairs' THEN
            EXECUTE $statement$UPDATE rooms_roomwithrelatedobjsv3 t SET chairs = document.chairs
          FROM (SELECT id, chairs FROM rooms_room_documents($1)) document
         WHERE document.id = t.id AND t.chairs::text IS DISTINCT FROM document.chairs::text$statement$ USING room_ids;
        ELSIF part = 'tables' THEN
            EXECUTE $statement$UPDATE rooms_roomwithrelatedobjsv3 t SET tables = document.tables
          FROM (SELECT id, tables FROM rooms_room_documents($1)) document
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
            UPDATE rooms_roomwithrelatedobjsv3 t SET door = document.door
          FROM (SELECT id, door FROM rooms_room_documents(room_ids)) document
         WHERE document.id = t.id AND t.door::text IS DISTINCT FROM document.door::text;
        ELSIF part = 'decoration' THEN
            UPDATE rooms_roomwithrelatedobjsv3 t SET decoration = document.decoration
          FROM (SELECT id, decoration FROM rooms_room_documents(room_ids)) document
         WHERE document.id = t.id AND t.decoration::text IS DISTINCT FROM document.decoration::text;
        ELSIF part = 'windows' THEN
            UPDATE rooms_roomwithrelatedobjsv3 t SET windows = document.windows
          FROM (SELECT id, windows FROM rooms_room_documents(room_ids)) document
         WHERE document.id = t.id AND t.windows::text IS DISTINCT FROM document.windows::text;
        ELSIF part = 'beds' THEN
            UPDATE rooms_roomwithrelatedobjsv3 t SET beds = document.beds
          FROM (SELECT id, beds FROM rooms_room_documents(room_ids)) document
         WHERE document.id = t.id AND t.beds::text IS DISTINCT FROM document.beds::text;
        ELSIF part = 'chairs' THEN
            UPDATE rooms_roomwithrelatedobjsv3 t SET chairs = document.chairs
          FROM (SELECT id, chairs FROM rooms_room_documents(room_ids)) document
         WHERE document.id = t.id AND t.chairs::text IS DISTINCT FROM document.chairs::text;
        ELSIF part = 'tables' THEN
            UPDATE rooms_roomwithrelatedobjsv3 t SET tables = document.tables
          FROM (SELECT id, tables FROM rooms_room_documents(room_ids)) document
         WHERE document.id = t.id AND t.tables::text IS DISTINCT FROM document.tables::text;
        END IF;
    END IF;
END
$$;
COMMENT ON FUNCTION rooms_trigger_table_rebuild(bigint[],text) IS 'rooms sql 13d81cc38d863d56';
"""],
    ),
    ]
