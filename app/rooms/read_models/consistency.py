"""Compare stored room documents with the live ones.

The live document here is ``rooms_room_document``, the SQL view computed
from the base tables at query time (the tests hold it equal to the DRF
serializers' output). It is computed once per comparison, into a temporary
table, and every stored relation is compared with it row by row as text:
both come from the same SQL definition, so equal documents are equal text.
What to do about a difference is each read model's own business
(``registry.ReadModel.repair``).
"""

from dataclasses import dataclass

from django.db import connection, transaction


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


def compare(*relations: str) -> dict[str, Drift]:
    """Room ids missing from, extra in, or different in each of ``relations``."""
    found = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(
            "CREATE TEMPORARY TABLE rooms_live_document ON COMMIT DROP AS "
            "SELECT live.id, live::text AS document FROM rooms_room_document live"
        )
        cursor.execute("ANALYZE rooms_live_document")
        for relation in relations:
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
                FULL JOIN {relation} stored ON stored.id = live.id
                """
            )
            found[relation] = Drift(*cursor.fetchone())
    return found
