"""The legacy rooms schema, one module per entity, plus the read models.

Table names (``rooms_room``, ``rooms_bed_rooms``, ...) are Django's defaults for
the app label ``rooms`` and are relied on by raw SQL and pgAdmin users.
"""

from .app_table import AppTableRoom
from .bed import Bed
from .chair import Chair
from .common import PHYSICAL_FIELDS, CommonInfo
from .decoration import Decoration
from .door import Door
from .links import LINK_MODELS
from .materialized_view import MaterializedViewRoom
from .room import Room
from .room_document import DOCUMENT_COLUMNS
from .souvenir import Souvenir
from .table import Table
from .trigger_table import TriggerTableRoom
from .window import Window
from .window_fittings import WindowFittings

#: Every model a room document is built from, each before the models that
#: point at it (the order a bulk load fills them in).
BASE_MODELS = (Door, Souvenir, Decoration, Room, Window, WindowFittings, Bed, Chair, Table)

# The read models' classes under the names they had first: the original
# project's (its tests import them), and the trigger table's first name.
RoomsRelatedObjectsMaterializedView = MaterializedViewRoom
RoomWithRelatedObjsRebuildInApp = AppTableRoom
RoomWithRelatedObjsV3 = TriggerTableRoom

__all__ = [
    "BASE_MODELS",
    "DOCUMENT_COLUMNS",
    "LINK_MODELS",
    "PHYSICAL_FIELDS",
    "AppTableRoom",
    "Bed",
    "Chair",
    "CommonInfo",
    "Decoration",
    "Door",
    "MaterializedViewRoom",
    "Room",
    "RoomWithRelatedObjsRebuildInApp",
    "RoomWithRelatedObjsV3",
    "RoomsRelatedObjectsMaterializedView",
    "Souvenir",
    "Table",
    "TriggerTableRoom",
    "Window",
    "WindowFittings",
]
