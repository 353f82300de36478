"""The legacy rooms schema, one module per entity, plus the read models.

Table names (``rooms_room``, ``rooms_bed_rooms``, ...) are Django's defaults for
the app label ``rooms`` and are relied on by raw SQL and pgAdmin users.
"""

from .bed import Bed
from .chair import Chair
from .common import CommonInfo
from .decoration import Decoration
from .door import Door
from .materialized_view import RoomsRelatedObjectsMaterializedView
from .rebuilt_table import RoomWithRelatedObjsRebuildInApp
from .room import Room
from .souvenir import Souvenir
from .table import Table
from .window import Window
from .window_fittings import WindowFittings

__all__ = [
    "Bed",
    "Chair",
    "CommonInfo",
    "Decoration",
    "Door",
    "Room",
    "RoomWithRelatedObjsRebuildInApp",
    "RoomsRelatedObjectsMaterializedView",
    "Souvenir",
    "Table",
    "Window",
    "WindowFittings",
]
