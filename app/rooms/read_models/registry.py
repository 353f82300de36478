"""The read models: each under one name, with everything the rest of the code needs of it.

Code and docs call each read model by one name; this table is the one place
that says which URL, table, Django model, SQL objects and keeper each name
stands for, and how each is rebuilt, repaired and checked
(``docs/read-models.md`` shows the same table to users). Everything that
concerns every read model loops over :data:`READ_MODELS`: the installed-SQL
check, ``rebuild_all``, ``check_rooms_cache``, the refresher's healing, the
URLs and the admin.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model

from rooms.models import AppTableRoom, MaterializedViewRoom, TriggerTableRoom

from . import app_table, capture, materialized_view, trigger_table
from .consistency import Drift, compare
from .sql_object import CommitTrigger, SqlObject

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadModel:
    #: The one name used in code, docs and command output.
    name: str
    #: The URL that serves it.
    path: str
    model: type[Model]
    #: Who keeps it fresh.
    kept_by: str
    #: Its views and functions, in the order they can be created in.
    sql_objects: tuple[SqlObject, ...]
    #: ``rebuild(online=True)``: every row, from the base tables. ``online=False``
    #: is for a bulk load that replaced all the data in its own transaction.
    rebuild: Callable[..., None]
    #: ``repair(room_ids)``: bring those rooms' documents up to date.
    repair: Callable[[list[int]], None]
    #: What it does when the database's capture reports changed rooms: a
    #: PL/pgSQL statement (``capture.documents_changed``); None: it does not listen.
    on_capture: str | None = None
    #: Whether the refresher worker heals it: it misses some writers.
    healed: bool = False
    #: The trigger that applies its queued changes at commit (None: none is queued).
    commit_trigger: CommitTrigger | None = None

    @property
    def relation(self) -> str:
        return self.model._meta.db_table

    @property
    def prefix(self) -> str:
        """The API router's prefix for its URLs (``rooms_v2``)."""
        return self.path.strip("/")

    def check(self) -> Drift:
        """The rooms whose stored document is not the live one."""
        return compare(self.relation)[self.relation]

    def heal(self) -> int:
        """Repair the rooms whose document differs from the live one; return how many."""
        found = self.check()
        if found.total:
            self.repair(found.rooms)
            logger.info("healed %d rooms of the %s (%s)", found.total, self, found)
        return found.total

    def __str__(self) -> str:
        return self.name.replace("_", " ")


MATERIALIZED_VIEW = ReadModel(
    name="materialized_view",
    path="/rooms_mat_view/",
    model=MaterializedViewRoom,
    kept_by="REFRESH MATERIALIZED VIEW, per ROOMS_VIEW_REFRESH",
    sql_objects=tuple(materialized_view.SQL_OBJECTS),
    rebuild=materialized_view.rebuild_all,
    repair=materialized_view.repair,
    on_capture=materialized_view.ON_CAPTURE,
    commit_trigger=materialized_view.COMMIT_TRIGGER,
)
APP_TABLE = ReadModel(
    name="app_table",
    path="/rooms_v2/",
    model=AppTableRoom,
    kept_by="Django signal receivers, rows rebuilt at commit",
    sql_objects=tuple(app_table.SQL_OBJECTS),
    rebuild=app_table.rebuild_all,
    repair=app_table.rebuild,
    healed=True,
    commit_trigger=app_table.COMMIT_TRIGGER,
)
TRIGGER_TABLE = ReadModel(
    name="trigger_table",
    path="/rooms_v3/",
    model=TriggerTableRoom,
    kept_by="PostgreSQL triggers, rows rebuilt at each statement",
    sql_objects=tuple(trigger_table.SQL_OBJECTS),
    rebuild=trigger_table.rebuild_all,
    repair=trigger_table.rebuild,
    on_capture=trigger_table.ON_CAPTURE,
)

#: Every read model, by name. The view comes first: a bulk load's rebuild
#: refreshes it, then copies it into the tables (``stored_table.rebuild_all``).
READ_MODELS = {
    read_model.name: read_model for read_model in (MATERIALIZED_VIEW, APP_TABLE, TRIGGER_TABLE)
}

#: ``rooms_documents_changed``: what every capture trigger calls, for each read model that listens.
DOCUMENTS_CHANGED = capture.documents_changed(
    read_model.on_capture for read_model in READ_MODELS.values() if read_model.on_capture
)

#: The live document, for comparison: the serializers at ``/rooms/``, and the
#: ``rooms_room_document`` view in SQL.
LIVE_PATH = "/rooms/"


def drift(*names: str) -> dict[str, Drift]:
    """Room ids missing from, extra in, or different in each read model (all by default).

    The live documents are computed once for all of them.
    """
    chosen = [READ_MODELS[name] for name in names or READ_MODELS]
    found = compare(*(read_model.relation for read_model in chosen))
    return {read_model.name: found[read_model.relation] for read_model in chosen}
