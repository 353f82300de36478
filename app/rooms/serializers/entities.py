"""CRUD serializers for the physical objects (doors, windows, furniture)."""

from django.db import models
from django.db.models import Prefetch
from rest_framework import serializers

from rooms.models import PHYSICAL_FIELDS, Bed, Chair, Door, Room, Table, Window, WindowFittings

from .eager_loading import EagerLoadingMixin

DIMENSIONS = list(PHYSICAL_FIELDS)


class StrictFloatField(serializers.FloatField):
    """A number, never a boolean.

    ``float(True)`` is ``1.0``, so DRF's own field would store
    ``"width": true`` as one metre instead of telling the client it is wrong.
    """

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class DimensionedSerializer(serializers.ModelSerializer):
    """Base of every writable serializer with width, length and height."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.FloatField: StrictFloatField,
    }


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
    windows = serializers.PrimaryKeyRelatedField(
        queryset=Window.objects.all(), many=True, required=False
    )

    prefetch_related_fields = (Prefetch("windows", queryset=Window.objects.only("id")),)

    class Meta:
        model = WindowFittings
        fields = [*DIMENSIONS, "windows"]


class FurnitureSerializer(EagerLoadingMixin, DimensionedSerializer):
    """Beds, chairs and tables: dimensions, a type and the ids of their rooms."""

    rooms = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.all(), many=True, required=False
    )

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
