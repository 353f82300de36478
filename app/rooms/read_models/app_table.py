"""The app table (``/rooms_v2/``): kept by the app, through Django's signals.

This is the original project's "rebuild in the app" approach: the signal
receivers (``rooms.signals``) note which rooms each write touches
(``changes.record``), and the touched rooms' rows are rebuilt once, when
the writing transaction commits (``changes.APPLY``). A write costs in
proportion to the rooms it touched, not to the table.

Its blind spot is every write that sends no Django signal
(``QuerySet.update()``, ``bulk_create()``, raw SQL, psql, pgAdmin): the
refresher worker heals those rows (``ReadModel.heal``) every
``ROOMS_APP_TABLE_HEAL_INTERVAL`` seconds.
"""

from rooms.models import AppTableRoom

from . import changes, stored_table
from .locks import APP_TABLE_LOCK

NAME = "app_table"
TABLE = AppTableRoom._meta.db_table

REBUILD = stored_table.rebuild_function(NAME, TABLE, APP_TABLE_LOCK)

SQL_OBJECTS = [REBUILD, changes.APPLY]
COMMIT_TRIGGER = changes.COMMIT_TRIGGER


def rebuild(room_ids=None) -> None:
    """Rebuild the rows of ``room_ids`` (every room when None), set-based."""
    stored_table.rebuild(NAME, room_ids)


def rebuild_all(online: bool = True) -> None:
    """Rebuild every row (see ``stored_table.rebuild_all``)."""
    stored_table.rebuild_all(NAME, TABLE, online)
