"""Serializer fields that take only the JSON type the schema documents.

DRF coerces: ``float(True)`` is ``1.0``, so ``"width": true`` was stored as one
metre; ``str(123)`` is ``"123"``, so ``"name": 123`` was stored as a name. The
schema says number and string, and a client sending something else has made a
mistake it should hear about (schemathesis, in CI, checks exactly that). Lists
of ids likewise: DRF takes anything iterable, so ``"rooms": {}`` (an object)
was read as no rooms at all and unlinked every room.
"""

from django.db import models
from rest_framework import relations, serializers


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


class StrictManyRelatedField(relations.ManyRelatedField):
    """A JSON array of related ids, never an object or a string."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id; with ``many=True``, a list of them (``StrictManyRelatedField``)."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        child_relation = cls(*args, **kwargs)
        return StrictManyRelatedField(
            child_relation=child_relation,
            **{
                key: value for key, value in kwargs.items() if key in relations.MANY_RELATION_KWARGS
            },
        )


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose text and float model fields are the strict ones."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.FloatField: StrictFloatField,
        models.CharField: StrictCharField,
    }
