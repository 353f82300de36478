"""DRF serializers: the CRUD entities, the live room document and the read models."""

from .decoration import DecorationSerializer, SouvenirSerializer
from .entities import (
    BedSerializer,
    ChairSerializer,
    DoorSerializer,
    TableSerializer,
    WindowFittingsSerializer,
    WindowSerializer,
)
from .read_models import RoomDocumentReadSerializer
from .room import RoomSerializer

__all__ = [
    "BedSerializer",
    "ChairSerializer",
    "DecorationSerializer",
    "DoorSerializer",
    "RoomDocumentReadSerializer",
    "RoomSerializer",
    "SouvenirSerializer",
    "TableSerializer",
    "WindowFittingsSerializer",
    "WindowSerializer",
]
