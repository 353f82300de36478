"""Reading stored room documents as JSON text, ready to hand to a client.

The stored rows already *are* room documents, so they are selected as JSON
text in SQL (``document.as_json_text``) and never decoded: DRF's generic path
(decode the stored JSON to Python, walk a serializer, encode again) was most
of the cost of the stored read paths. Alongside the documents, a read model
may select more columns (the materialized view: how fresh it is) in the
same round trip.

The single-room statements run on the connection that the request's reads
use (``replicas.context``): the primary, or the replica the request was
given to; querysets (the lists) are sent there by the database router.
"""

import functools

from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from replicas.context import read_alias

from rooms.read_models.document import as_json_text
from rooms.read_models.registry import MATERIALIZED_VIEW, ReadModel

#: How fresh the materialized view is, selected with its rows.
VIEW_FRESHNESS = {
    "refreshed_at": "(SELECT refreshed_at FROM rooms_view_state)",
    "stale_since": "(SELECT stale_since FROM rooms_view_state)",
    "refresh_policy": "(SELECT refresh_policy FROM rooms_view_state)",
}


def columns(read_model: ReadModel) -> dict[str, str]:
    """What a JSON read selects per row: name -> SQL expression."""
    extra = VIEW_FRESHNESS if read_model is MATERIALIZED_VIEW else {}
    return {"document": as_json_text(read_model.relation), **extra}


def with_documents(read_model: ReadModel, rows: QuerySet) -> QuerySet:
    """``rows`` of ``read_model`` as dicts: ``id``, ``document`` (text) and the extra columns."""
    selected = columns(read_model)
    annotations = {name: RawSQL(sql, ()) for name, sql in selected.items()}
    return rows.annotate(**annotations).values("id", *selected)


@functools.cache
def _detail_statement(read_model: ReadModel) -> tuple[str, list[str]]:
    table = read_model.relation
    selected = columns(read_model)
    select = ", ".join(f"{sql} AS {name}" for name, sql in selected.items())
    return f"SELECT {select} FROM {table} WHERE {table}.id = %s", list(selected)


def document(read_model: ReadModel, room_id: int) -> dict | None:
    """One room's ``document`` (text) and extra columns, or None if there is no such room.

    One statement on a plain cursor (prepared once per process): building
    the equivalent queryset on every request cost as much as running it.
    """
    sql, names = _detail_statement(read_model)
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, [room_id])
        row = cursor.fetchone()
    return None if row is None else dict(zip(names, row, strict=True))


def view_freshness() -> dict:
    """The materialized view's freshness columns, for an answer with no rows."""
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"{sql} AS {name}" for name, sql in VIEW_FRESHNESS.items())
        )
        return dict(zip(VIEW_FRESHNESS, cursor.fetchone(), strict=True))
