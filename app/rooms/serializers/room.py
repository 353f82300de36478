"""The live room document, built by nested serializers."""

from django.db.models import Prefetch
from rest_framework import serializers

from rooms.models import (
    DOCUMENT_COLUMNS,
    FURNITURE,
    Decoration,
    Door,
    Room,
    Souvenir,
    Window,
    WindowFittings,
)

from .decoration import SouvenirSerializer
from .eager_loading import EagerLoadingMixin
from .entities import (
    DIMENSIONS,
    DimensionedSerializer,
    DoorSerializer,
    WindowFittingsInWindowSerializer,
)


class DecorationInRoomSerializer(serializers.ModelSerializer):
    souvenirs = SouvenirSerializer(many=True, read_only=True)

    class Meta:
        model = Decoration
        fields = ["id", "name", "souvenirs"]


class WindowInRoomSerializer(serializers.ModelSerializer):
    fittings = WindowFittingsInWindowSerializer(many=True, read_only=True)

    class Meta:
        model = Window
        fields = [*DIMENSIONS, "fittings"]


class FurnitureInRoomSerializer(serializers.ModelSerializer):
    """A bed, chair or table as seen from a room: no ``rooms`` back-reference."""

    class Meta:
        fields = DIMENSIONS


def furniture_in_room(model):
    meta = type("Meta", (FurnitureInRoomSerializer.Meta,), {"model": model})
    return type(f"{model.__name__}InRoomSerializer", (FurnitureInRoomSerializer,), {"Meta": meta})


def ordered(lookup, model):
    """Prefetch ``lookup`` ordered by id, as the room document requires."""
    return Prefetch(lookup, queryset=model.objects.order_by("id"))


#: A room's furniture lists (``beds``, ``chairs``, ``tables``), one read-only field per kind.
RoomFurnitureFields = type(
    "RoomFurnitureFields",
    (serializers.Serializer,),
    {
        part: furniture_in_room(model)(many=True, read_only=True)
        for part, model in FURNITURE.items()
    },
)


class RoomSerializer(EagerLoadingMixin, RoomFurnitureFields, DimensionedSerializer):
    """The room document (``docs/room-document.md``), live.

    Approach 2 of the original: the nested relations are *read-only*; a room
    is written with plain ids (``door_id``, ``decoration_id``) and its
    furniture and windows are attached from their own endpoints.
    """

    door = DoorSerializer(read_only=True)
    # null for a room without decoration; allow_null makes the schema say so.
    decoration = DecorationInRoomSerializer(read_only=True, allow_null=True)
    windows = WindowInRoomSerializer(many=True, read_only=True)

    door_id = serializers.PrimaryKeyRelatedField(
        source="door", queryset=Door.objects.all(), write_only=True
    )
    decoration_id = serializers.PrimaryKeyRelatedField(
        source="decoration",
        queryset=Decoration.objects.all(),
        write_only=True,
        allow_null=True,
        required=False,
    )

    select_related_fields = ("door", "decoration")
    prefetch_related_fields = (
        ordered("decoration__souvenirs", Souvenir),
        ordered("windows", Window),
        ordered("windows__fittings", WindowFittings),
        *(ordered(part, model) for part, model in FURNITURE.items()),
    )

    class Meta:
        model = Room
        # The document, then the ids a write takes.
        fields = [*DOCUMENT_COLUMNS, "door_id", "decoration_id"]
