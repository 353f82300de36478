"""Serializer fields that take only the JSON type the schema documents.

DRF coerces: ``float(True)`` is ``1.0``, so ``"width": true`` was stored as one
metre; ``str(123)`` is ``"123"``, so ``"name": 123`` was stored as a name. The
schema says number and string, and a client sending something else has made a
mistake it should hear about (schemathesis, in CI, checks exactly that).
"""

from django.db import models
from rest_framework import serializers


class StrictFloatField(serializers.FloatField):
    """A number, never a boolean."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(serializers.CharField):
    """A string, never a number or a boolean."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose text and float model fields are the strict ones."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.FloatField: StrictFloatField,
        models.CharField: StrictCharField,
    }
