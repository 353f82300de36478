"""CRUD endpoints for everything a room is made of."""

from rooms import serializers
from rooms.models import Bed, Chair, Decoration, Door, Souvenir, Table, Window, WindowFittings

from .base import AtomicModelViewSet


class DoorViewSet(AtomicModelViewSet):
    """Doors. Deleting a door that rooms still use is refused with 409."""

    model = Door
    serializer_class = serializers.DoorSerializer


class SouvenirViewSet(AtomicModelViewSet):
    """Souvenirs; decorations list theirs (`/decorations/` can write them too)."""

    model = Souvenir
    serializer_class = serializers.SouvenirSerializer


class DecorationViewSet(AtomicModelViewSet):
    """Decorations, written with their souvenirs as a nested list.

    Each `souvenirs` item with an `id` updates that souvenir, one without
    creates it; the decoration then holds exactly the listed souvenirs.
    """

    model = Decoration
    serializer_class = serializers.DecorationSerializer


class WindowViewSet(AtomicModelViewSet):
    """Windows; `room` is the room's id, `fittings` is read-only."""

    model = Window
    serializer_class = serializers.WindowSerializer


class WindowFittingsViewSet(AtomicModelViewSet):
    """Window fittings; `windows` is the list of window ids they are on."""

    model = WindowFittings
    serializer_class = serializers.WindowFittingsSerializer


class BedViewSet(AtomicModelViewSet):
    """Beds; `rooms` is the list of room ids they stand in."""

    model = Bed
    serializer_class = serializers.BedSerializer


class ChairViewSet(AtomicModelViewSet):
    """Chairs; `rooms` is the list of room ids they stand in."""

    model = Chair
    serializer_class = serializers.ChairSerializer


class TableViewSet(AtomicModelViewSet):
    """Tables; `rooms` is the list of room ids they stand in."""

    model = Table
    serializer_class = serializers.TableSerializer
