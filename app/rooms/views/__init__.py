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
from .read_models import (
    RoomsAppTableViewSet,
    RoomsMaterializedViewViewSet,
    RoomsTriggerTableViewSet,
)
from .rooms import RoomViewSet

__all__ = [
    "BedViewSet",
    "ChairViewSet",
    "DecorationViewSet",
    "DoorViewSet",
    "RoomViewSet",
    "RoomsAppTableViewSet",
    "RoomsMaterializedViewViewSet",
    "RoomsTriggerTableViewSet",
    "SouvenirViewSet",
    "TableViewSet",
    "WindowFittingsViewSet",
    "WindowViewSet",
    "healthz",
]
