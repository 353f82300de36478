"""The read models, each under one name, and the public names that map to it.

Code and docs call each read model by one name; this table is the one
place that says which URL, table, Django model and keeper each name stands
for (``docs/read-models.md`` shows the same table to users).
"""

from dataclasses import dataclass

from django.db.models import Model

from rooms.models import (
    RoomsRelatedObjectsMaterializedView,
    RoomWithRelatedObjsRebuildInApp,
    RoomWithRelatedObjsV3,
)


@dataclass(frozen=True)
class ReadModel:
    #: The one name used in code, docs and command output.
    name: str
    #: The URL prefix that serves it.
    path: str
    model: type[Model]
    #: Who keeps it fresh.
    kept_by: str

    @property
    def relation(self) -> str:
        return self.model._meta.db_table


MATERIALIZED_VIEW = ReadModel(
    "materialized_view",
    "/rooms_mat_view/",
    RoomsRelatedObjectsMaterializedView,
    "REFRESH MATERIALIZED VIEW, per ROOMS_VIEW_REFRESH",
)
APP_TABLE = ReadModel(
    "app_table",
    "/rooms_v2/",
    RoomWithRelatedObjsRebuildInApp,
    "Django signal receivers, rows rebuilt at commit",
)
TRIGGER_TABLE = ReadModel(
    "trigger_table",
    "/rooms_v3/",
    RoomWithRelatedObjsV3,
    "PostgreSQL triggers, rows rebuilt at each statement",
)

READ_MODELS = {
    read_model.name: read_model for read_model in (MATERIALIZED_VIEW, APP_TABLE, TRIGGER_TABLE)
}

#: The live document, for comparison: the serializers at ``/rooms/``, and the
#: ``rooms_room_document`` view in SQL.
LIVE_PATH = "/rooms/"
