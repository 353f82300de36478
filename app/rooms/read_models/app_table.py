"""The app table (``/rooms_v2/``): kept by the app, through Django's signals.

This is the original project's "rebuild in the app" approach: the signal
receivers (``rooms.signals``) note which rooms each write touches
(``changes.record``), and the touched rooms' rows are rebuilt once, when
the writing transaction commits. A write costs in proportion to the rooms it
touched, not to the table.

Its blind spot is every write that sends no Django signal
(``QuerySet.update()``, ``bulk_create()``, raw SQL, psql, pgAdmin): the
refresher worker heals those rows (:func:`heal`) every
``ROOMS_APP_TABLE_HEAL_INTERVAL`` seconds.
"""

import logging

from rooms.models import RoomWithRelatedObjsRebuildInApp

from . import stored_table
from .locks import APP_TABLE_LOCK

logger = logging.getLogger(__name__)

NAME = "app_table"
TABLE = RoomWithRelatedObjsRebuildInApp._meta.db_table

REBUILD = stored_table.rebuild_function(NAME, TABLE, APP_TABLE_LOCK)

SQL_OBJECTS = [REBUILD]


def rebuild(room_ids=None) -> None:
    """Rebuild the rows of ``room_ids`` (every room when None), set-based."""
    stored_table.rebuild(NAME, room_ids)


def heal() -> int:
    """Find the rooms whose row differs from the live document and rebuild them.

    Returns how many rooms were wrong.
    """
    from .consistency import drift

    found = drift(NAME)[NAME]
    if found.total:
        rebuild(found.rooms)
        logger.info("healed %d rooms of the app table (%s)", found.total, found)
    return found.total
