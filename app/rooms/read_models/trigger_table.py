"""The trigger table (``/rooms_v3/``): kept by PostgreSQL, for every writer.

Change capture happens in the database: every table a room document is
built from (the nine entity tables and the five link tables) has
statement-level triggers, declared with django-pgtrigger
(:class:`CaptureTrigger`) and installed by migrations, for INSERT, UPDATE,
DELETE (with transition tables: all rows of the statement at once) and
TRUNCATE. Each finds the rooms whose documents show the rows the statement
changed (for an UPDATE, both the old and the new images, so a moved window
or a changed door counts for the old and the new room) and calls
``rooms_documents_changed(room_ids, part)``, which

* rebuilds those rooms' rows in the trigger table at once, inside the
  statement: the writing transaction reads its own writes, and a rollback
  takes them back;
* notes that the materialized view changed, so that its refresh policy is
  applied once, at commit (``changes``).

So ``UPDATE rooms_bed SET ...`` on 10,000 rows rebuilds each touched room
once, for that statement, and it makes no difference who sent it: the
ORM, ``QuerySet.update()``, ``bulk_create()``, raw SQL, psql, pgAdmin,
``COPY``. (Blind spot: sessions that switch triggers off, e.g.
``session_replication_role = replica`` during a restore; ``check_rooms_cache``
finds what they leave.)
"""

import pgtrigger
from django.db.models.expressions import RawSQL

from rooms.models import BASE_MODELS, LINK_MODELS, TriggerTableRoom

from . import stored_table
from .locks import TRIGGER_TABLE_LOCK
from .sql_object import SqlObject

NAME = "trigger_table"
TABLE = TriggerTableRoom._meta.db_table

REBUILD = stored_table.rebuild_function(NAME, TABLE, TRIGGER_TABLE_LOCK)

CHANGED = SqlObject(
    "FUNCTION",
    "rooms_documents_changed(bigint[],text)",
    """CREATE OR REPLACE FUNCTION rooms_documents_changed(room_ids bigint[], part text)
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
$$""",
)

SQL_OBJECTS = [REBUILD, CHANGED]

#: The models whose tables are captured.
CAPTURED_MODELS = (*BASE_MODELS, *LINK_MODELS)


def rooms_showing(model, rows: str) -> str:
    """SQL selecting the ids of the rooms whose documents show the rows of relation ``rows``.

    Which rooms a row feeds is declared once, in ``affected_rooms``: rows that
    carry the room id themselves (rooms, windows, furniture links) are read
    from ``rows`` (so deleted rows and the old room of a move count); the
    others are followed through the current data.
    """
    from .affected_rooms import rooms_of_rows

    query = rooms_of_rows(model, lambda column: RawSQL(f"SELECT {column} FROM {rows}", ()))
    if isinstance(query, str):
        return query
    sql, params = query.query.sql_with_params()
    assert not params, params
    return sql


class CaptureTrigger(pgtrigger.Trigger):
    """A statement-level trigger telling ``rooms_documents_changed`` which rooms changed."""

    when = pgtrigger.After
    level = pgtrigger.Statement

    def get_func(self, model):
        from .affected_rooms import MANY_TO_MANY, part_of, project_model

        if self.operation == pgtrigger.Truncate:
            rooms = "NULL"
        else:
            rooms = f"ARRAY({rooms_showing(model, self._changed_rows())})"
        # An entity row that appears or goes may make rooms appear or go (a
        # room inserted before its door): whole documents. Otherwise only the
        # part the rows feed changes.
        appears_or_goes = self.operation in (pgtrigger.Insert, pgtrigger.Delete)
        is_link = project_model(model) in MANY_TO_MANY
        part = "room" if appears_or_goes and not is_link else part_of(model)
        return f"PERFORM rooms_documents_changed({rooms}, '{part}');\nRETURN NULL;"

    def _changed_rows(self) -> str:
        if self.operation == pgtrigger.Insert:
            return "new_rows"
        if self.operation == pgtrigger.Delete:
            return "old_rows"
        # An UPDATE: both images of every row that really changed (a
        # statement that rewrote rows as they were changes nothing).
        return (
            "((TABLE new_rows EXCEPT ALL TABLE old_rows) "
            "UNION ALL (TABLE old_rows EXCEPT ALL TABLE new_rows)) AS changed_rows"
        )


def capture_triggers() -> list[CaptureTrigger]:
    new, old = pgtrigger.Referencing(new="new_rows"), pgtrigger.Referencing(old="old_rows")
    both = pgtrigger.Referencing(old="old_rows", new="new_rows")
    return [
        CaptureTrigger(name="capture_insert", operation=pgtrigger.Insert, referencing=new),
        CaptureTrigger(name="capture_update", operation=pgtrigger.Update, referencing=both),
        CaptureTrigger(name="capture_delete", operation=pgtrigger.Delete, referencing=old),
        CaptureTrigger(name="capture_truncate", operation=pgtrigger.Truncate),
    ]


def register_capture_triggers() -> None:
    """Declare the capture triggers on every captured model (at app start-up)."""
    for model in CAPTURED_MODELS:
        pgtrigger.register(*capture_triggers())(model)


#: Their URIs, e.g. for ``pgtrigger.ignore(*CAPTURE_TRIGGERS)`` around a bulk load
#: that rebuilds every read model afterwards.
CAPTURE_TRIGGERS = tuple(
    f"{model._meta.label}:{trigger.name}"
    for model in CAPTURED_MODELS
    for trigger in capture_triggers()
)


def rebuild(room_ids=None) -> None:
    """Rebuild the rows of ``room_ids`` (every room when None), set-based.

    Never needed for freshness; used after bulk loads and by repairs.
    """
    stored_table.rebuild(NAME, room_ids)


def rebuild_all(online: bool = True) -> None:
    """Rebuild every row (see ``stored_table.rebuild_all``)."""
    stored_table.rebuild_all(NAME, TABLE, online)
