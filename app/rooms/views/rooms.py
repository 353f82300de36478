from rooms.models import Room
from rooms.serializers import RoomSerializer

from .base import AtomicModelViewSet


class RoomViewSet(AtomicModelViewSet):
    """Rooms with everything attached, built live from the base tables.

    Writes take ``name``, ``width``, ``length``, ``height``, ``type``,
    ``door_id`` and ``decoration_id``; windows and furniture are attached from
    their own endpoints.
    """

    model = Room
    serializer_class = RoomSerializer
