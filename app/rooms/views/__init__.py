from .entities import (
    BedViewSet,
    ChairViewSet,
    DecorationViewSet,
    DoorViewSet,
    SouvenirViewSet,
    TableViewSet,
    WindowFittingsViewSet,
    WindowViewSet,
)
from .health import healthz
from .read_models import RoomsMaterializedViewViewSet, RoomsRebuiltTableViewSet
from .rooms import RoomViewSet

__all__ = [
    "BedViewSet",
    "ChairViewSet",
    "DecorationViewSet",
    "DoorViewSet",
    "RoomViewSet",
    "RoomsMaterializedViewViewSet",
    "RoomsRebuiltTableViewSet",
    "SouvenirViewSet",
    "TableViewSet",
    "WindowFittingsViewSet",
    "WindowViewSet",
    "healthz",
]
