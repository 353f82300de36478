"""CRUD serializers for the physical objects (doors, windows, furniture)."""

from django.db.models import Prefetch
from rest_framework import serializers

from rooms.models import PHYSICAL_FIELDS, Bed, Chair, Door, Room, Table, Window, WindowFittings

from .eager_loading import EagerLoadingMixin
from .strict_fields import StrictModelSerializer, StrictPrimaryKeyRelatedField

DIMENSIONS = list(PHYSICAL_FIELDS)


class DimensionedSerializer(StrictModelSerializer):
    """Base of every writable serializer with width, length and height: numbers and
    strings only where the schema says so (``strict_fields``)."""


class DoorSerializer(DimensionedSerializer):
    class Meta:
        model = Door
        fields = DIMENSIONS


class WindowFittingsInWindowSerializer(serializers.ModelSerializer):
    """A fitting as seen from a window: no ``windows`` back-reference."""

    class Meta:
        model = WindowFittings
        fields = DIMENSIONS


class WindowSerializer(EagerLoadingMixin, DimensionedSerializer):
    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all())
    # Read-only nested list: fittings are attached from the fitting's side
    # (``/window_fittings/`` takes ``windows``), so there is one way to write them.
    fittings = WindowFittingsInWindowSerializer(many=True, read_only=True)

    prefetch_related_fields = (
        Prefetch("fittings", queryset=WindowFittings.objects.order_by("id")),
    )

    class Meta:
        model = Window
        fields = [*DIMENSIONS, "room", "fittings"]


class WindowFittingsSerializer(EagerLoadingMixin, DimensionedSerializer):
    windows = StrictPrimaryKeyRelatedField(queryset=Window.objects.all(), many=True, required=False)

    prefetch_related_fields = (Prefetch("windows", queryset=Window.objects.only("id")),)

    class Meta:
        model = WindowFittings
        fields = [*DIMENSIONS, "windows"]


class FurnitureSerializer(EagerLoadingMixin, DimensionedSerializer):
    """Beds, chairs and tables: dimensions, a type and the ids of their rooms."""

    rooms = StrictPrimaryKeyRelatedField(queryset=Room.objects.all(), many=True, required=False)

    prefetch_related_fields = (Prefetch("rooms", queryset=Room.objects.only("id")),)

    class Meta:
        fields = [*DIMENSIONS, "rooms"]


class BedSerializer(FurnitureSerializer):
    class Meta(FurnitureSerializer.Meta):
        model = Bed


class ChairSerializer(FurnitureSerializer):
    class Meta(FurnitureSerializer.Meta):
        model = Chair


class TableSerializer(FurnitureSerializer):
    class Meta(FurnitureSerializer.Meta):
        model = Table
