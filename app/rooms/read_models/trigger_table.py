"""The trigger table (``/rooms_v3/``): kept by PostgreSQL, for every writer.

The database's change capture (``capture``) tells it, at the end of every
statement, which rooms the statement changed, and it rebuilds those rooms'
rows at once (:data:`ON_CAPTURE`), inside the statement: the writing
transaction reads its own writes, and a rollback takes them back. So
``UPDATE rooms_bed SET ...`` on 10,000 rows rebuilds each touched room once,
for that statement, whoever sent it.
"""

from rooms.models import TriggerTableRoom

from . import stored_table
from .locks import TRIGGER_TABLE_LOCK

NAME = "trigger_table"
TABLE = TriggerTableRoom._meta.db_table

REBUILD = stored_table.rebuild_function(NAME, TABLE, TRIGGER_TABLE_LOCK)

SQL_OBJECTS = [REBUILD]

#: What it does with every statement's changed rooms (``capture.documents_changed``).
ON_CAPTURE = f"PERFORM rooms_{NAME}_rebuild(room_ids, part)"


def rebuild(room_ids=None) -> None:
    """Rebuild the rows of ``room_ids`` (every room when None), set-based.

    Never needed for freshness; used after bulk loads and by repairs.
    """
    stored_table.rebuild(NAME, room_ids)


def rebuild_all(online: bool = True) -> None:
    """Rebuild every row (see ``stored_table.rebuild_all``)."""
    stored_table.rebuild_all(NAME, TABLE, online)
