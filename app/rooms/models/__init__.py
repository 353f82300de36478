"""The legacy rooms schema, one module per entity, plus the read models.

Table names (``rooms_room``, ``rooms_bed_rooms``, ...) are Django's defaults for
the app label ``rooms`` and are relied on by raw SQL and pgAdmin users.

The lists of models are defined here, once, and everything else derives
from them: :data:`BASE_MODELS` (and from it the link tables, the dimensioned
models, the furniture and the tables a load or a capture covers); the
document's columns are the fields of ``RoomDocumentFields``.
"""

from .app_table import AppTableRoom
from .bed import Bed
from .chair import Chair
from .common import PHYSICAL_FIELDS, CommonInfo
from .decoration import Decoration
from .door import Door
from .links import link_proxies
from .materialized_view import MaterializedViewRoom
from .room import Room
from .room_document import DOCUMENT_COLUMNS, DOCUMENT_PARTS
from .souvenir import Souvenir
from .table import Table
from .trigger_table import TriggerTableRoom
from .window import Window
from .window_fittings import WindowFittings

#: Every model a room document is built from, each before the models that
#: point at it (the order a bulk load fills them in).
BASE_MODELS = (Door, Souvenir, Decoration, Room, Window, WindowFittings, Bed, Chair, Table)

#: A proxy model of each many-to-many link table, in the order of ``BASE_MODELS``.
LINK_MODELS = link_proxies(BASE_MODELS)

#: Every table a room document is read from: the entities', then the links'.
BASE_TABLES = tuple(model._meta.db_table for model in (*BASE_MODELS, *LINK_MODELS))

#: The models with dimensions and a ``type`` (``CommonInfo``): doors, rooms, windows, ...
DIMENSIONED_MODELS = tuple(model for model in BASE_MODELS if issubclass(model, CommonInfo))

#: What stands in rooms (a many-to-many to ``Room``), by the room's name for it,
#: which is also its part of the room document: ``{"beds": Bed, ...}``.
FURNITURE = {
    field.related_query_name(): model
    for model in BASE_MODELS
    for field in model._meta.local_many_to_many
    if field.remote_field.model is Room
}

# The read models' classes under the names they had first: the original
# project's (its tests import them), and the trigger table's first name.
RoomsRelatedObjectsMaterializedView = MaterializedViewRoom
RoomWithRelatedObjsRebuildInApp = AppTableRoom
RoomWithRelatedObjsV3 = TriggerTableRoom

__all__ = [
    "BASE_MODELS",
    "BASE_TABLES",
    "DIMENSIONED_MODELS",
    "DOCUMENT_COLUMNS",
    "DOCUMENT_PARTS",
    "FURNITURE",
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
