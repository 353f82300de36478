"""Per-part rebuilds and generic plans for the stored tables' rebuild functions.

* ``rooms_<table>_rebuild(room_ids, part)``: a write that changed one part of
  some documents (a bed renamed: their ``beds``) recomputes that column only.
* The rebuild functions keep generic plans: planning the document query
  afresh on each call cost more than running it.
* The capture triggers pass the part their table feeds.

All SQL is frozen here, as text.
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('rooms', '0003_trigger_table_and_json_documents'),
    ]

    operations = [
    # The functions that take a part too replace the ones that did not.
    migrations.RunSQL(
        ["""DROP FUNCTION rooms_documents_changed(bigint[]);
DROP FUNCTION rooms_trigger_table_rebuild(bigint[]);
DROP FUNCTION rooms_app_table_rebuild(bigint[]);
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
    IF room_ids IS NULL THEN
        LOCK TABLE rooms_roomwithrelatedobjsrebuildinapp IN SHARE ROW EXCLUSIVE MODE;
        WITH document AS MATERIALIZED (SELECT * FROM rooms_room_document),
         gone AS (DELETE FROM rooms_roomwithrelatedobjsrebuildinapp t
                   WHERE TRUE AND t.id NOT IN (SELECT id FROM document))
    INSERT INTO rooms_roomwithrelatedobjsrebuildinapp AS t (id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables)
    SELECT id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables FROM document
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, width = excluded.width, length = excluded.length, height = excluded.height, type = excluded.type, door = excluded.door, decoration = excluded.decoration, windows = excluded.windows, beds = excluded.beds, chairs = excluded.chairs, tables = excluded.tables
    WHERE t::text IS DISTINCT FROM excluded::text;
    ELSIF cardinality(room_ids) > 0 THEN
        PERFORM pg_advisory_xact_lock(1380929357, (room_id % 2147483647)::int)
       FROM (SELECT DISTINCT unnest(room_ids) AS room_id ORDER BY 1) AS touched;
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
        ELSE
            RAISE EXCEPTION 'unknown part of a room document: %', part;
        END IF;
    END IF;
END
$$;
COMMENT ON FUNCTION rooms_app_table_rebuild(bigint[],text) IS 'rooms sql eeb1bdbfb0a36579';
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
    IF room_ids IS NULL THEN
        LOCK TABLE rooms_roomwithrelatedobjsv3 IN SHARE ROW EXCLUSIVE MODE;
        WITH document AS MATERIALIZED (SELECT * FROM rooms_room_document),
         gone AS (DELETE FROM rooms_roomwithrelatedobjsv3 t
                   WHERE TRUE AND t.id NOT IN (SELECT id FROM document))
    INSERT INTO rooms_roomwithrelatedobjsv3 AS t (id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables)
    SELECT id, name, width, length, height, type, door, decoration, windows, beds, chairs, tables FROM document
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, width = excluded.width, length = excluded.length, height = excluded.height, type = excluded.type, door = excluded.door, decoration = excluded.decoration, windows = excluded.windows, beds = excluded.beds, chairs = excluded.chairs, tables = excluded.tables
    WHERE t::text IS DISTINCT FROM excluded::text;
    ELSIF cardinality(room_ids) > 0 THEN
        PERFORM pg_advisory_xact_lock(1416784231, (room_id % 2147483647)::int)
       FROM (SELECT DISTINCT unnest(room_ids) AS room_id ORDER BY 1) AS touched;
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
        ELSE
            RAISE EXCEPTION 'unknown part of a room document: %', part;
        END IF;
    END IF;
END
$$;
COMMENT ON FUNCTION rooms_trigger_table_rebuild(bigint[],text) IS 'rooms sql 685bb2ea81ea0d2b';
"""],
    ),
    # function rooms_documents_changed(bigint[],text)
    migrations.RunSQL(
        ["""CREATE OR REPLACE FUNCTION rooms_documents_changed(room_ids bigint[], part text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- NULL: every room may have changed (a TRUNCATE).
    IF room_ids IS NULL OR cardinality(room_ids) > 0 THEN
        PERFORM rooms_trigger_table_rebuild(room_ids, part);
        INSERT INTO rooms_pending_change (read_model, room_ids)
        VALUES ('materialized_view', '{}')
        ON CONFLICT (txid, read_model) DO NOTHING;
    END IF;
END
$$;
COMMENT ON FUNCTION rooms_documents_changed(bigint[],text) IS 'rooms sql 13af9fbfa7f34bbd';
"""],
    ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='bed',
            name='capture_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='bed',
            name='capture_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='bed',
            name='capture_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='bed',
            name='capture_truncate',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='bedroomslink',
            name='capture_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='bedroomslink',
            name='capture_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='bedroomslink',
            name='capture_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='bedroomslink',
            name='capture_truncate',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='chair',
            name='capture_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='chair',
            name='capture_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='chair',
            name='capture_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='chair',
            name='capture_truncate',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='chairroomslink',
            name='capture_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='chairroomslink',
            name='capture_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='chairroomslink',
            name='capture_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='chairroomslink',
            name='capture_truncate',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='decoration',
            name='capture_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='decoration',
            name='capture_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='decoration',
            name='capture_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='decoration',
            name='capture_truncate',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='decorationsouvenirslink',
            name='capture_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='decorationsouvenirslink',
            name='capture_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='decorationsouvenirslink',
            name='capture_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='decorationsouvenirslink',
            name='capture_truncate',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='door',
            name='capture_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='door',
            name='capture_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='door',
            name='capture_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='door',
            name='capture_truncate',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='room',
            name='capture_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='room',
            name='capture_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='room',
            name='capture_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='room',
            name='capture_truncate',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='souvenir',
            name='capture_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='souvenir',
            name='capture_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='souvenir',
            name='capture_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='souvenir',
            name='capture_truncate',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='table',
            name='capture_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='table',
            name='capture_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='table',
            name='capture_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='table',
            name='capture_truncate',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='tableroomslink',
            name='capture_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='tableroomslink',
            name='capture_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='tableroomslink',
            name='capture_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='tableroomslink',
            name='capture_truncate',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='window',
            name='capture_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='window',
            name='capture_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='window',
            name='capture_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='window',
            name='capture_truncate',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='windowfittings',
            name='capture_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='windowfittings',
            name='capture_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='windowfittings',
            name='capture_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='windowfittings',
            name='capture_truncate',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='windowfittingswindowslink',
            name='capture_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='windowfittingswindowslink',
            name='capture_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='windowfittingswindowslink',
            name='capture_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='windowfittingswindowslink',
            name='capture_truncate',
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='bed',
            trigger=pgtrigger.compiler.Trigger(name='capture_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_bed_rooms"."room_id" AS "room_id" FROM "rooms_bed_rooms" WHERE "rooms_bed_rooms"."bed_id" IN (SELECT id FROM new_rows)), \'room\');\nRETURN NULL;', hash='6261c1b40e83a31c32364555abb119b08e9bae7c', level='STATEMENT', operation='INSERT', pgid='pgtrigger_capture_insert_fcca5', referencing='REFERENCING NEW TABLE AS new_rows ', table='rooms_bed', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='bed',
            trigger=pgtrigger.compiler.Trigger(name='capture_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_bed_rooms"."room_id" AS "room_id" FROM "rooms_bed_rooms" WHERE "rooms_bed_rooms"."bed_id" IN (SELECT id FROM ((TABLE new_rows EXCEPT ALL TABLE old_rows) UNION ALL (TABLE old_rows EXCEPT ALL TABLE new_rows)) AS changed_rows)), \'beds\');\nRETURN NULL;', hash='dd419ead81295881d8341ae813937cd05af4ad60', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_capture_update_f22e2', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='rooms_bed', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='bed',
            trigger=pgtrigger.compiler.Trigger(name='capture_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_bed_rooms"."room_id" AS "room_id" FROM "rooms_bed_rooms" WHERE "rooms_bed_rooms"."bed_id" IN (SELECT id FROM old_rows)), \'room\');\nRETURN NULL;', hash='177d3f86a266d0974dbf037f61597d224df0523a', level='STATEMENT', operation='DELETE', pgid='pgtrigger_capture_delete_d5555', referencing='REFERENCING OLD TABLE AS old_rows ', table='rooms_bed', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='bed',
            trigger=pgtrigger.compiler.Trigger(name='capture_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(NULL, 'beds');\nRETURN NULL;", hash='2f32d6164e169c7c1d5e1a94940547f84dc5b44f', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_capture_truncate_8746e', table='rooms_bed', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='bedroomslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(ARRAY(SELECT room_id FROM new_rows), 'beds');\nRETURN NULL;", hash='ddd039355b2889bb1969217d71e06f25b59170bb', level='STATEMENT', operation='INSERT', pgid='pgtrigger_capture_insert_d634b', referencing='REFERENCING NEW TABLE AS new_rows ', table='rooms_bed_rooms', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='bedroomslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(ARRAY(SELECT room_id FROM ((TABLE new_rows EXCEPT ALL TABLE old_rows) UNION ALL (TABLE old_rows EXCEPT ALL TABLE new_rows)) AS changed_rows), 'beds');\nRETURN NULL;", hash='12293414faa36cd3df6e011b6ed8d02db0b0f17c', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_capture_update_48c80', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='rooms_bed_rooms', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='bedroomslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(ARRAY(SELECT room_id FROM old_rows), 'beds');\nRETURN NULL;", hash='662bdb5b0a285790af62d4aa618cc2427319392d', level='STATEMENT', operation='DELETE', pgid='pgtrigger_capture_delete_1a4d4', referencing='REFERENCING OLD TABLE AS old_rows ', table='rooms_bed_rooms', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='bedroomslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(NULL, 'beds');\nRETURN NULL;", hash='f1c4ff8703ec7ce823db5988b01e28462c44ed7c', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_capture_truncate_9b3a7', table='rooms_bed_rooms', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='chair',
            trigger=pgtrigger.compiler.Trigger(name='capture_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_chair_rooms"."room_id" AS "room_id" FROM "rooms_chair_rooms" WHERE "rooms_chair_rooms"."chair_id" IN (SELECT id FROM new_rows)), \'room\');\nRETURN NULL;', hash='062ae9a88b83fb605f8080b24bb6df62140becc6', level='STATEMENT', operation='INSERT', pgid='pgtrigger_capture_insert_e50ae', referencing='REFERENCING NEW TABLE AS new_rows ', table='rooms_chair', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='chair',
            trigger=pgtrigger.compiler.Trigger(name='capture_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_chair_rooms"."room_id" AS "room_id" FROM "rooms_chair_rooms" WHERE "rooms_chair_rooms"."chair_id" IN (SELECT id FROM ((TABLE new_rows EXCEPT ALL TABLE old_rows) UNION ALL (TABLE old_rows EXCEPT ALL TABLE new_rows)) AS changed_rows)), \'chairs\');\nRETURN NULL;', hash='fe42e92c8f2a466d69f56ce53f18a5691c2537e4', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_capture_update_26ed3', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='rooms_chair', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='chair',
            trigger=pgtrigger.compiler.Trigger(name='capture_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_chair_rooms"."room_id" AS "room_id" FROM "rooms_chair_rooms" WHERE "rooms_chair_rooms"."chair_id" IN (SELECT id FROM old_rows)), \'room\');\nRETURN NULL;', hash='7fe1d5f544cb20619c5b03739f297f882009922f', level='STATEMENT', operation='DELETE', pgid='pgtrigger_capture_delete_52bc9', referencing='REFERENCING OLD TABLE AS old_rows ', table='rooms_chair', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='chair',
            trigger=pgtrigger.compiler.Trigger(name='capture_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(NULL, 'chairs');\nRETURN NULL;", hash='3c1eecde37766419f20ea36c336d8da124a96713', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_capture_truncate_f9401', table='rooms_chair', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='chairroomslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(ARRAY(SELECT room_id FROM new_rows), 'chairs');\nRETURN NULL;", hash='18807eca169d734a7dc23ca1fd433e3cf7a33de1', level='STATEMENT', operation='INSERT', pgid='pgtrigger_capture_insert_9e787', referencing='REFERENCING NEW TABLE AS new_rows ', table='rooms_chair_rooms', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='chairroomslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(ARRAY(SELECT room_id FROM ((TABLE new_rows EXCEPT ALL TABLE old_rows) UNION ALL (TABLE old_rows EXCEPT ALL TABLE new_rows)) AS changed_rows), 'chairs');\nRETURN NULL;", hash='18b096f86181e3254fa2a6542b8205cf6ac13cbd', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_capture_update_39741', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='rooms_chair_rooms', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='chairroomslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(ARRAY(SELECT room_id FROM old_rows), 'chairs');\nRETURN NULL;", hash='91c30d6c6ce9a791333c8f2846dc05d365274795', level='STATEMENT', operation='DELETE', pgid='pgtrigger_capture_delete_3114d', referencing='REFERENCING OLD TABLE AS old_rows ', table='rooms_chair_rooms', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='chairroomslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(NULL, 'chairs');\nRETURN NULL;", hash='1248bb65d6f8924db5471f7330208251d1017271', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_capture_truncate_be83b', table='rooms_chair_rooms', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='decoration',
            trigger=pgtrigger.compiler.Trigger(name='capture_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_room"."id" AS "pk" FROM "rooms_room" WHERE "rooms_room"."decoration_id" IN (SELECT id FROM new_rows) ORDER BY "rooms_room"."id" ASC), \'room\');\nRETURN NULL;', hash='2bcc8f002bc5e0040961bb4c403f1346a10d6934', level='STATEMENT', operation='INSERT', pgid='pgtrigger_capture_insert_40cfa', referencing='REFERENCING NEW TABLE AS new_rows ', table='rooms_decoration', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='decoration',
            trigger=pgtrigger.compiler.Trigger(name='capture_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_room"."id" AS "pk" FROM "rooms_room" WHERE "rooms_room"."decoration_id" IN (SELECT id FROM ((TABLE new_rows EXCEPT ALL TABLE old_rows) UNION ALL (TABLE old_rows EXCEPT ALL TABLE new_rows)) AS changed_rows) ORDER BY "rooms_room"."id" ASC), \'decoration\');\nRETURN NULL;', hash='ffea0ac0ede9773fd549acef9561bf25ac257a49', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_capture_update_961f2', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='rooms_decoration', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='decoration',
            trigger=pgtrigger.compiler.Trigger(name='capture_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_room"."id" AS "pk" FROM "rooms_room" WHERE "rooms_room"."decoration_id" IN (SELECT id FROM old_rows) ORDER BY "rooms_room"."id" ASC), \'room\');\nRETURN NULL;', hash='01b521320ccee2db0759f42d26fdcb59715a7d95', level='STATEMENT', operation='DELETE', pgid='pgtrigger_capture_delete_1c9d2', referencing='REFERENCING OLD TABLE AS old_rows ', table='rooms_decoration', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='decoration',
            trigger=pgtrigger.compiler.Trigger(name='capture_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(NULL, 'decoration');\nRETURN NULL;", hash='b8790426f64de5d5e4b6befd4b61b254d29645a8', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_capture_truncate_4b6f5', table='rooms_decoration', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='decorationsouvenirslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_room"."id" AS "pk" FROM "rooms_room" WHERE "rooms_room"."decoration_id" IN (SELECT decoration_id FROM new_rows) ORDER BY "rooms_room"."id" ASC), \'decoration\');\nRETURN NULL;', hash='8e104609cfc821436412f78128180c698b871180', level='STATEMENT', operation='INSERT', pgid='pgtrigger_capture_insert_220f7', referencing='REFERENCING NEW TABLE AS new_rows ', table='rooms_decoration_souvenirs', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='decorationsouvenirslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_room"."id" AS "pk" FROM "rooms_room" WHERE "rooms_room"."decoration_id" IN (SELECT decoration_id FROM ((TABLE new_rows EXCEPT ALL TABLE old_rows) UNION ALL (TABLE old_rows EXCEPT ALL TABLE new_rows)) AS changed_rows) ORDER BY "rooms_room"."id" ASC), \'decoration\');\nRETURN NULL;', hash='d0e4512ae8b44eae005194eb14e81cb04278a59f', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_capture_update_c643e', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='rooms_decoration_souvenirs', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='decorationsouvenirslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_room"."id" AS "pk" FROM "rooms_room" WHERE "rooms_room"."decoration_id" IN (SELECT decoration_id FROM old_rows) ORDER BY "rooms_room"."id" ASC), \'decoration\');\nRETURN NULL;', hash='923522700cc7a7a7f7fe785cf7c603085de83d72', level='STATEMENT', operation='DELETE', pgid='pgtrigger_capture_delete_79db1', referencing='REFERENCING OLD TABLE AS old_rows ', table='rooms_decoration_souvenirs', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='decorationsouvenirslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(NULL, 'decoration');\nRETURN NULL;", hash='6cfef16504c0711a5b7c04ebbb2b8b5ae15c9713', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_capture_truncate_6db0a', table='rooms_decoration_souvenirs', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='door',
            trigger=pgtrigger.compiler.Trigger(name='capture_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_room"."id" AS "pk" FROM "rooms_room" WHERE "rooms_room"."door_id" IN (SELECT id FROM new_rows) ORDER BY "rooms_room"."id" ASC), \'room\');\nRETURN NULL;', hash='38b60ce44a04708d937e7d126a252b07c579ef81', level='STATEMENT', operation='INSERT', pgid='pgtrigger_capture_insert_322a4', referencing='REFERENCING NEW TABLE AS new_rows ', table='rooms_door', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='door',
            trigger=pgtrigger.compiler.Trigger(name='capture_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_room"."id" AS "pk" FROM "rooms_room" WHERE "rooms_room"."door_id" IN (SELECT id FROM ((TABLE new_rows EXCEPT ALL TABLE old_rows) UNION ALL (TABLE old_rows EXCEPT ALL TABLE new_rows)) AS changed_rows) ORDER BY "rooms_room"."id" ASC), \'door\');\nRETURN NULL;', hash='49149c803377aae101fcfbd28aeb61a077ca13ff', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_capture_update_933b3', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='rooms_door', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='door',
            trigger=pgtrigger.compiler.Trigger(name='capture_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_room"."id" AS "pk" FROM "rooms_room" WHERE "rooms_room"."door_id" IN (SELECT id FROM old_rows) ORDER BY "rooms_room"."id" ASC), \'room\');\nRETURN NULL;', hash='b5c999911905de44af100f6d6eb38cf58b95f7c2', level='STATEMENT', operation='DELETE', pgid='pgtrigger_capture_delete_64615', referencing='REFERENCING OLD TABLE AS old_rows ', table='rooms_door', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='door',
            trigger=pgtrigger.compiler.Trigger(name='capture_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(NULL, 'door');\nRETURN NULL;", hash='69a5cbb2b6817da5a84df058edef3c911bb53bff', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_capture_truncate_475ba', table='rooms_door', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='room',
            trigger=pgtrigger.compiler.Trigger(name='capture_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(ARRAY(SELECT id FROM new_rows), 'room');\nRETURN NULL;", hash='35e07b086c249b26d9a94d2d39ffd8891930c0f1', level='STATEMENT', operation='INSERT', pgid='pgtrigger_capture_insert_ee598', referencing='REFERENCING NEW TABLE AS new_rows ', table='rooms_room', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='room',
            trigger=pgtrigger.compiler.Trigger(name='capture_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(ARRAY(SELECT id FROM ((TABLE new_rows EXCEPT ALL TABLE old_rows) UNION ALL (TABLE old_rows EXCEPT ALL TABLE new_rows)) AS changed_rows), 'room');\nRETURN NULL;", hash='beb04e2e283bd69baf451c0443301d4c5d13f2cd', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_capture_update_e7e25', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='rooms_room', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='room',
            trigger=pgtrigger.compiler.Trigger(name='capture_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(ARRAY(SELECT id FROM old_rows), 'room');\nRETURN NULL;", hash='9f90549338f7080f4e56d1852fef83f5b9193657', level='STATEMENT', operation='DELETE', pgid='pgtrigger_capture_delete_5aa34', referencing='REFERENCING OLD TABLE AS old_rows ', table='rooms_room', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='room',
            trigger=pgtrigger.compiler.Trigger(name='capture_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(NULL, 'room');\nRETURN NULL;", hash='fb12eba29cf549eb2845428d649a57eb663548e6', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_capture_truncate_b897f', table='rooms_room', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='souvenir',
            trigger=pgtrigger.compiler.Trigger(name='capture_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_room"."id" AS "pk" FROM "rooms_room" INNER JOIN "rooms_decoration" ON ("rooms_room"."decoration_id" = "rooms_decoration"."id") INNER JOIN "rooms_decoration_souvenirs" ON ("rooms_decoration"."id" = "rooms_decoration_souvenirs"."decoration_id") WHERE "rooms_decoration_souvenirs"."souvenir_id" IN (SELECT id FROM new_rows) ORDER BY "rooms_room"."id" ASC), \'room\');\nRETURN NULL;', hash='41bf1ec63f2f9bdbb174f34a7c24c4cc3cfb5149', level='STATEMENT', operation='INSERT', pgid='pgtrigger_capture_insert_e3059', referencing='REFERENCING NEW TABLE AS new_rows ', table='rooms_souvenir', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='souvenir',
            trigger=pgtrigger.compiler.Trigger(name='capture_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_room"."id" AS "pk" FROM "rooms_room" INNER JOIN "rooms_decoration" ON ("rooms_room"."decoration_id" = "rooms_decoration"."id") INNER JOIN "rooms_decoration_souvenirs" ON ("rooms_decoration"."id" = "rooms_decoration_souvenirs"."decoration_id") WHERE "rooms_decoration_souvenirs"."souvenir_id" IN (SELECT id FROM ((TABLE new_rows EXCEPT ALL TABLE old_rows) UNION ALL (TABLE old_rows EXCEPT ALL TABLE new_rows)) AS changed_rows) ORDER BY "rooms_room"."id" ASC), \'decoration\');\nRETURN NULL;', hash='8a759a41fad4483bd445826d6fed1827525631a1', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_capture_update_ee7e0', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='rooms_souvenir', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='souvenir',
            trigger=pgtrigger.compiler.Trigger(name='capture_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_room"."id" AS "pk" FROM "rooms_room" INNER JOIN "rooms_decoration" ON ("rooms_room"."decoration_id" = "rooms_decoration"."id") INNER JOIN "rooms_decoration_souvenirs" ON ("rooms_decoration"."id" = "rooms_decoration_souvenirs"."decoration_id") WHERE "rooms_decoration_souvenirs"."souvenir_id" IN (SELECT id FROM old_rows) ORDER BY "rooms_room"."id" ASC), \'room\');\nRETURN NULL;', hash='5f4bdc01757dfdbcf60ca16d34ed9c678c17dd3e', level='STATEMENT', operation='DELETE', pgid='pgtrigger_capture_delete_77f11', referencing='REFERENCING OLD TABLE AS old_rows ', table='rooms_souvenir', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='souvenir',
            trigger=pgtrigger.compiler.Trigger(name='capture_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(NULL, 'decoration');\nRETURN NULL;", hash='91dc028669926387ef321ddd0ee2faf87747c2e1', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_capture_truncate_6a247', table='rooms_souvenir', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='table',
            trigger=pgtrigger.compiler.Trigger(name='capture_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_table_rooms"."room_id" AS "room_id" FROM "rooms_table_rooms" WHERE "rooms_table_rooms"."table_id" IN (SELECT id FROM new_rows)), \'room\');\nRETURN NULL;', hash='98aef7e1624678a28f5d0e42fad4d19e8b8fd32d', level='STATEMENT', operation='INSERT', pgid='pgtrigger_capture_insert_5e805', referencing='REFERENCING NEW TABLE AS new_rows ', table='rooms_table', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='table',
            trigger=pgtrigger.compiler.Trigger(name='capture_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_table_rooms"."room_id" AS "room_id" FROM "rooms_table_rooms" WHERE "rooms_table_rooms"."table_id" IN (SELECT id FROM ((TABLE new_rows EXCEPT ALL TABLE old_rows) UNION ALL (TABLE old_rows EXCEPT ALL TABLE new_rows)) AS changed_rows)), \'tables\');\nRETURN NULL;', hash='185d26914bf78aba74e43379050b94705639e9f8', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_capture_update_7c8f2', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='rooms_table', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='table',
            trigger=pgtrigger.compiler.Trigger(name='capture_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_table_rooms"."room_id" AS "room_id" FROM "rooms_table_rooms" WHERE "rooms_table_rooms"."table_id" IN (SELECT id FROM old_rows)), \'room\');\nRETURN NULL;', hash='a78b70f36cc6982c52fae005dcc45250c81d4601', level='STATEMENT', operation='DELETE', pgid='pgtrigger_capture_delete_3793b', referencing='REFERENCING OLD TABLE AS old_rows ', table='rooms_table', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='table',
            trigger=pgtrigger.compiler.Trigger(name='capture_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(NULL, 'tables');\nRETURN NULL;", hash='4bddec37eb05c9e9799d14438eec101e5e539d40', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_capture_truncate_ec9c7', table='rooms_table', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='tableroomslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(ARRAY(SELECT room_id FROM new_rows), 'tables');\nRETURN NULL;", hash='0c8bb564849ecc823db6592f018862a0d7b17f62', level='STATEMENT', operation='INSERT', pgid='pgtrigger_capture_insert_35ce5', referencing='REFERENCING NEW TABLE AS new_rows ', table='rooms_table_rooms', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='tableroomslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(ARRAY(SELECT room_id FROM ((TABLE new_rows EXCEPT ALL TABLE old_rows) UNION ALL (TABLE old_rows EXCEPT ALL TABLE new_rows)) AS changed_rows), 'tables');\nRETURN NULL;", hash='12aabee6a7219f7b66d488638a2c912fb602bee1', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_capture_update_3deaf', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='rooms_table_rooms', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='tableroomslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(ARRAY(SELECT room_id FROM old_rows), 'tables');\nRETURN NULL;", hash='450eb560ecfd8b2b90f63d2df74b2b07c3f719b4', level='STATEMENT', operation='DELETE', pgid='pgtrigger_capture_delete_ba36c', referencing='REFERENCING OLD TABLE AS old_rows ', table='rooms_table_rooms', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='tableroomslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(NULL, 'tables');\nRETURN NULL;", hash='97b1992d8b72055553f9b77d9b9e4d782f9dedfb', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_capture_truncate_935f5', table='rooms_table_rooms', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='window',
            trigger=pgtrigger.compiler.Trigger(name='capture_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(ARRAY(SELECT room_id FROM new_rows), 'room');\nRETURN NULL;", hash='8ddcddc4b0d4524fd5572d54d9cb049c2fc16533', level='STATEMENT', operation='INSERT', pgid='pgtrigger_capture_insert_efa97', referencing='REFERENCING NEW TABLE AS new_rows ', table='rooms_window', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='window',
            trigger=pgtrigger.compiler.Trigger(name='capture_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(ARRAY(SELECT room_id FROM ((TABLE new_rows EXCEPT ALL TABLE old_rows) UNION ALL (TABLE old_rows EXCEPT ALL TABLE new_rows)) AS changed_rows), 'windows');\nRETURN NULL;", hash='661d2b1018052332a6da680df84be2d596cb21ac', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_capture_update_e8b45', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='rooms_window', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='window',
            trigger=pgtrigger.compiler.Trigger(name='capture_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(ARRAY(SELECT room_id FROM old_rows), 'room');\nRETURN NULL;", hash='825e994e3a22d6f9d7a007d97f317239147cee5e', level='STATEMENT', operation='DELETE', pgid='pgtrigger_capture_delete_2b5cb', referencing='REFERENCING OLD TABLE AS old_rows ', table='rooms_window', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='window',
            trigger=pgtrigger.compiler.Trigger(name='capture_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(NULL, 'windows');\nRETURN NULL;", hash='fe8645d2bcf5468c2fe5df9bb56a58d577984b94', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_capture_truncate_2081b', table='rooms_window', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='windowfittings',
            trigger=pgtrigger.compiler.Trigger(name='capture_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_window"."room_id" AS "room_id" FROM "rooms_window" INNER JOIN "rooms_windowfittings_windows" ON ("rooms_window"."id" = "rooms_windowfittings_windows"."window_id") WHERE "rooms_windowfittings_windows"."windowfittings_id" IN (SELECT id FROM new_rows) ORDER BY "rooms_window"."id" ASC), \'room\');\nRETURN NULL;', hash='fc490fbb1c7241d555d8291873e0c602f9788e7d', level='STATEMENT', operation='INSERT', pgid='pgtrigger_capture_insert_9e39b', referencing='REFERENCING NEW TABLE AS new_rows ', table='rooms_windowfittings', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='windowfittings',
            trigger=pgtrigger.compiler.Trigger(name='capture_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_window"."room_id" AS "room_id" FROM "rooms_window" INNER JOIN "rooms_windowfittings_windows" ON ("rooms_window"."id" = "rooms_windowfittings_windows"."window_id") WHERE "rooms_windowfittings_windows"."windowfittings_id" IN (SELECT id FROM ((TABLE new_rows EXCEPT ALL TABLE old_rows) UNION ALL (TABLE old_rows EXCEPT ALL TABLE new_rows)) AS changed_rows) ORDER BY "rooms_window"."id" ASC), \'windows\');\nRETURN NULL;', hash='71c2c8822a906310bc8bc8c84437df625089ead7', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_capture_update_37cb7', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='rooms_windowfittings', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='windowfittings',
            trigger=pgtrigger.compiler.Trigger(name='capture_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_window"."room_id" AS "room_id" FROM "rooms_window" INNER JOIN "rooms_windowfittings_windows" ON ("rooms_window"."id" = "rooms_windowfittings_windows"."window_id") WHERE "rooms_windowfittings_windows"."windowfittings_id" IN (SELECT id FROM old_rows) ORDER BY "rooms_window"."id" ASC), \'room\');\nRETURN NULL;', hash='896d091085ba24c613c8afcd79f2fcf510293a64', level='STATEMENT', operation='DELETE', pgid='pgtrigger_capture_delete_d14f0', referencing='REFERENCING OLD TABLE AS old_rows ', table='rooms_windowfittings', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='windowfittings',
            trigger=pgtrigger.compiler.Trigger(name='capture_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(NULL, 'windows');\nRETURN NULL;", hash='c14a602522cf06bda7101d4809d40a8407a2e881', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_capture_truncate_cfb48', table='rooms_windowfittings', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='windowfittingswindowslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_window"."room_id" AS "room_id" FROM "rooms_window" WHERE "rooms_window"."id" IN (SELECT window_id FROM new_rows) ORDER BY "rooms_window"."id" ASC), \'windows\');\nRETURN NULL;', hash='c72f568be6794fa71684448f2b8292cc1633f70d', level='STATEMENT', operation='INSERT', pgid='pgtrigger_capture_insert_2ba1c', referencing='REFERENCING NEW TABLE AS new_rows ', table='rooms_windowfittings_windows', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='windowfittingswindowslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_window"."room_id" AS "room_id" FROM "rooms_window" WHERE "rooms_window"."id" IN (SELECT window_id FROM ((TABLE new_rows EXCEPT ALL TABLE old_rows) UNION ALL (TABLE old_rows EXCEPT ALL TABLE new_rows)) AS changed_rows) ORDER BY "rooms_window"."id" ASC), \'windows\');\nRETURN NULL;', hash='a935c51d762e17d17dff0dc90b7c069b36fc0209', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_capture_update_76e01', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='rooms_windowfittings_windows', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='windowfittingswindowslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM rooms_documents_changed(ARRAY(SELECT "rooms_window"."room_id" AS "room_id" FROM "rooms_window" WHERE "rooms_window"."id" IN (SELECT window_id FROM old_rows) ORDER BY "rooms_window"."id" ASC), \'windows\');\nRETURN NULL;', hash='1b0839413395b152fb0a7c7a6e96386d3ae6aea7', level='STATEMENT', operation='DELETE', pgid='pgtrigger_capture_delete_7a1a8', referencing='REFERENCING OLD TABLE AS old_rows ', table='rooms_windowfittings_windows', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='windowfittingswindowslink',
            trigger=pgtrigger.compiler.Trigger(name='capture_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM rooms_documents_changed(NULL, 'windows');\nRETURN NULL;", hash='8116521cfb85e5b1d98ccfc24375698063076017', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_capture_truncate_b60fa', table='rooms_windowfittings_windows', when='AFTER')),
        ),
    ]
