"""Compare every stored read model with the live room document, and repair.

The live document here is ``rooms_room_document``, the SQL view computed
from the base tables at query time (the tests hold it equal to the DRF
serializers' output), so the comparison is one set-based query per read
model even at a million rooms.
"""

from dataclasses import dataclass

from django.db import connection

from . import materialized_view, rebuilt_table
from .sql import TABLE, document_values

READ_MODELS = {
    "materialized_view": "rooms_related_objects",
    "rebuilt_table": TABLE,
}


@dataclass(frozen=True)
class Drift:
    missing: list[int]
    extra: list[int]
    different: list[int]

    @property
    def total(self) -> int:
        return len(self.missing) + len(self.extra) + len(self.different)


def drift(read_model: str) -> Drift:
    """Room ids missing from, extra in, or different in ``read_model``."""
    relation = READ_MODELS[read_model]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT
                COALESCE(array_agg(live.id ORDER BY live.id)
                         FILTER (WHERE stored.id IS NULL), '{{}}'),
                COALESCE(array_agg(stored.id ORDER BY stored.id)
                         FILTER (WHERE live.id IS NULL), '{{}}'),
                COALESCE(array_agg(live.id ORDER BY live.id)
                         FILTER (WHERE live.id = stored.id
                                 AND ({document_values("live")})
                                     IS DISTINCT FROM ({document_values("stored")})), '{{}}')
            FROM rooms_room_document live
            FULL JOIN {relation} stored ON stored.id = live.id
            """
        )
        return Drift(*cursor.fetchone())


def repair(read_model: str, found: Drift) -> None:
    if not found.total:
        return
    if read_model == "materialized_view":
        materialized_view.refresh()
    else:
        rebuilt_table.rebuild([*found.missing, *found.extra, *found.different])
