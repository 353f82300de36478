"""The materialized view's change capture, independent of the app table.

Until now the capture triggers noted a change of the view in the app
table's queue (``rooms_pending_change``), and the app table's commit trigger
applied the view's refresh policy: the view depended on the app table. The
view now has its own record, ``rooms_view_change`` (one row per writing
transaction), and its own deferred constraint trigger, which applies the
refresh policy at commit, after the transaction's other commit-time work
(the app table's room locks, then the view's). The app table's queue holds
the app table's rooms only.

All SQL is frozen here, as text.
"""

from django.db import migrations

PREPARE = """-- Wait for transactions still using the app table's queue for the view
-- (they hold locks on it), then keep it to the app table.
ALTER TABLE rooms_pending_change
    DROP CONSTRAINT rooms_pending_change_read_model_check,
    ADD CONSTRAINT rooms_pending_change_read_model_check CHECK (read_model = 'app_table');

-- The view's own record: the transactions that changed some room. A row
-- only ever lives inside its transaction (deleted at its commit).
CREATE TABLE rooms_view_change (
    txid bigint PRIMARY KEY DEFAULT txid_current(),
    requeued boolean NOT NULL DEFAULT false
);
"""

CONSTRAINT_TRIGGER = """CREATE CONSTRAINT TRIGGER rooms_apply_view_change
    AFTER INSERT OR UPDATE ON rooms_view_change
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION rooms_apply_view_change();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('rooms', '0007_one_name_per_read_model'),
    ]

    operations = [
    migrations.RunSQL([PREPARE]),
    # function rooms_apply_view_change()
    migrations.RunSQL(
        ["""CREATE OR REPLACE FUNCTION rooms_apply_view_change()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- First firing, among the commit's other deferred work: step to the
        -- back of the queue (the update fires this again, after the rest), so
        -- that the view's lock always follows the room locks the app table's
        -- rebuild takes at commit.
        UPDATE rooms_view_change SET requeued = true WHERE txid = NEW.txid;
    ELSE
        DELETE FROM rooms_view_change WHERE txid = NEW.txid;
        PERFORM rooms_view_changed();
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION rooms_apply_view_change() IS 'rooms sql 4b885bbb23b11ebd';
"""],
    ),
    migrations.RunSQL([CONSTRAINT_TRIGGER]),
    # function rooms_apply_pending_changes()
    migrations.RunSQL(
        ["""CREATE OR REPLACE FUNCTION rooms_apply_pending_changes()
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
$$;
COMMENT ON FUNCTION rooms_apply_pending_changes() IS 'rooms sql f50cd7f678cb0a40';
"""],
    ),
    # function rooms_documents_changed(bigint[],text)
    migrations.RunSQL(
        ["""CREATE OR REPLACE FUNCTION rooms_documents_changed(room_ids bigint[], part text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- NULL: every room may have changed (a TRUNCATE).
    IF room_ids IS NULL OR cardinality(room_ids) > 0 THEN
        INSERT INTO rooms_view_change DEFAULT VALUES ON CONFLICT (txid) DO NOTHING;
        PERFORM rooms_trigger_table_rebuild(room_ids, part);
    END IF;
END
$$;
COMMENT ON FUNCTION rooms_documents_changed(bigint[],text) IS 'rooms sql 49db80393676558c';
"""],
    ),
    ]
