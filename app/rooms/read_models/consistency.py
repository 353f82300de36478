"""Compare every stored read model with the live room document, and repair.

The live document here is ``rooms_room_document``, the SQL view computed
from the base tables at query time (the tests hold it equal to the DRF
serializers' output). It is computed once per check, into a temporary
table, and every read model is compared with it row by row as text: both
come from the same SQL definition, so equal documents are equal text.
"""

from dataclasses import dataclass

from django.db import connection, transaction

from . import app_table, materialized_view, trigger_table
from .registry import READ_MODELS


@dataclass(frozen=True)
class Drift:
    missing: list[int]
    extra: list[int]
    different: list[int]

    @property
    def total(self) -> int:
        return len(self.missing) + len(self.extra) + len(self.different)

    @property
    def rooms(self) -> list[int]:
        return sorted({*self.missing, *self.extra, *self.different})

    def __str__(self) -> str:
        return (
            f"{self.total} rooms differ (missing {len(self.missing)}, extra {len(self.extra)}, "
            f"different {len(self.different)})"
        )


def drift(*names: str) -> dict[str, Drift]:
    """Room ids missing from, extra in, or different in each read model (all by default)."""
    names = names or tuple(READ_MODELS)
    found = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(
            "CREATE TEMPORARY TABLE rooms_live_document ON COMMIT DROP AS "
            "SELECT live.id, live::text AS document FROM rooms_room_document live"
        )
        cursor.execute("ANALYZE rooms_live_document")
        for name in names:
            cursor.execute(
                f"""
                SELECT
                    COALESCE(array_agg(live.id ORDER BY live.id)
                             FILTER (WHERE stored.id IS NULL), '{{}}'),
                    COALESCE(array_agg(stored.id ORDER BY stored.id)
                             FILTER (WHERE live.id IS NULL), '{{}}'),
                    COALESCE(array_agg(live.id ORDER BY live.id)
                             FILTER (WHERE live.document <> stored::text), '{{}}')
                FROM rooms_live_document live
                FULL JOIN {READ_MODELS[name].relation} stored ON stored.id = live.id
                """
            )
            found[name] = Drift(*cursor.fetchone())
    return found


def repair(name: str, found: Drift) -> None:
    if not found.total:
        return
    if name == "materialized_view":
        materialized_view.refresh()
    elif name == "app_table":
        app_table.rebuild(found.rooms)
    else:
        trigger_table.rebuild(found.rooms)
