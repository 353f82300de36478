"""Serializer for rows of the stored read models (already room documents)."""

from rest_framework import serializers

from rooms.models import DOCUMENT_COLUMNS, AppTableRoom


class RoomDocumentReadSerializer(serializers.ModelSerializer):
    """Hands the stored JSON columns through unchanged (the browsable API's path)."""

    class Meta:
        model = AppTableRoom
        fields = DOCUMENT_COLUMNS
        read_only_fields = DOCUMENT_COLUMNS
