"""Change capture in the database: which rooms each statement changed, told to the read models.

Every table a room document is built from (the nine entity tables and the
five link tables) has statement-level triggers, declared with
django-pgtrigger (:class:`CaptureTrigger`) and installed by migrations, for
INSERT, UPDATE, DELETE (with transition tables: all rows of the statement at
once) and TRUNCATE. Each finds the rooms whose documents show the rows the
statement changed (for an UPDATE, both the old and the new images, so a
moved window or a changed door counts for the old and the new room) and
calls ``rooms_documents_changed(room_ids, part)``, which runs each read
model's own reaction (``ReadModel.on_capture``, see ``registry``): the
trigger table rebuilds those rooms' rows at once; the materialized view
notes that it changed, for its refresh policy at commit.

It makes no difference who sent the statement: the ORM,
``QuerySet.update()``, ``bulk_create()``, raw SQL, psql, pgAdmin, ``COPY``.
(Blind spot: sessions that switch triggers off, e.g.
``session_replication_role = replica`` during a restore; ``check_rooms_cache``
finds what they leave.) The app table keeps its own, application-level
capture (Django's signals, ``changes``), to compare the two ways.
"""

from collections.abc import Iterable

import pgtrigger
from django.db.models.expressions import RawSQL

from rooms.models import BASE_MODELS, LINK_MODELS

from .affected_rooms import MANY_TO_MANY, part_of, project_model, rooms_of_rows
from .sql_object import SqlObject

#: The models whose tables are captured.
CAPTURED_MODELS = (*BASE_MODELS, *LINK_MODELS)


def documents_changed(reactions: Iterable[str]) -> SqlObject:
    """``rooms_documents_changed(room_ids, part)``, running each of ``reactions``.

    A reaction is a PL/pgSQL statement that may read ``room_ids`` (NULL:
    every room may have changed, after a TRUNCATE) and ``part`` (the part of
    their documents that changed, or ``room`` for whole documents).
    """
    statements = "".join(f"\n        {reaction};" for reaction in reactions)
    return SqlObject(
        "FUNCTION",
        "rooms_documents_changed(bigint[],text)",
        f"""CREATE OR REPLACE FUNCTION rooms_documents_changed(room_ids bigint[], part text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- NULL: every room may have changed (a TRUNCATE).
    IF room_ids IS NULL OR cardinality(room_ids) > 0 THEN{statements}
    END IF;
END
$$""",
    )


def rooms_showing(model, rows: str) -> str:
    """SQL selecting the ids of the rooms whose documents show the rows of relation ``rows``.

    Which rooms a row feeds is declared once, in ``affected_rooms``: rows that
    carry the room id themselves (rooms, windows, furniture links) are read
    from ``rows`` (so deleted rows and the old room of a move count); the
    others are followed through the current data.
    """
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
