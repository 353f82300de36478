"""Serializer for rows of the stored read models (already room documents)."""

from rest_framework import serializers

from rooms.models import RoomWithRelatedObjsRebuildInApp

from .entities import DIMENSIONS

DOCUMENT_FIELDS = [*DIMENSIONS, "door", "decoration", "windows", "beds", "chairs", "tables"]


class RoomDocumentReadSerializer(serializers.ModelSerializer):
    """Hands the stored JSON columns through unchanged."""

    class Meta:
        model = RoomWithRelatedObjsRebuildInApp
        fields = DOCUMENT_FIELDS
        read_only_fields = DOCUMENT_FIELDS
