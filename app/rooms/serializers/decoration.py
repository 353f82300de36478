"""Souvenirs, and decorations that write their souvenirs as a nested list."""

from django.db import transaction
from django.db.models import Prefetch
from rest_framework import serializers

from rooms.models import Decoration, Souvenir

from .eager_loading import EagerLoadingMixin


class SouvenirSerializer(serializers.ModelSerializer):
    class Meta:
        model = Souvenir
        fields = ["id", "name"]


class NestedSouvenirSerializer(serializers.ModelSerializer):
    """A souvenir inside a decoration's payload.

    ``id`` is writable here: an item with an ``id`` updates that souvenir, one
    without creates a new souvenir. The name's uniqueness is checked by
    ``DecorationSerializer`` across the whole list, because the field-level
    unique validator cannot know which souvenir an item is about.
    """

    id = serializers.IntegerField(required=False)
    name = serializers.CharField(max_length=30)

    class Meta:
        model = Souvenir
        fields = ["id", "name"]


class DecorationSerializer(EagerLoadingMixin, serializers.ModelSerializer):
    # Approach 1 of the original: a *writable* nested serializer. DRF cannot
    # guess how nested items map to rows, so ``create``/``update`` below say it
    # explicitly: create or update each souvenir by id, then set the
    # decoration's souvenirs to exactly that list. (The room serializer shows
    # approach 2: nested fields marked read-only.)
    souvenirs = NestedSouvenirSerializer(many=True, required=False)

    prefetch_related_fields = (Prefetch("souvenirs", queryset=Souvenir.objects.order_by("id")),)

    class Meta:
        model = Decoration
        fields = ["id", "name", "souvenirs"]

    def validate_souvenirs(self, items):
        ids = [item["id"] for item in items if "id" in item]
        known = set(Souvenir.objects.filter(pk__in=ids).values_list("pk", flat=True))
        errors = {}
        for index, item in enumerate(items):
            if "id" in item and item["id"] not in known:
                errors[index] = {"id": [f"Souvenir {item['id']} does not exist."]}
        names = [item["name"] for item in items]
        taken = dict(Souvenir.objects.filter(name__in=names).values_list("name", "pk"))
        seen = set()
        for index, item in enumerate(items):
            owner = taken.get(item["name"])
            if item["name"] in seen:
                errors.setdefault(index, {})["name"] = ["This name appears twice in the list."]
            elif owner is not None and owner != item.get("id"):
                errors.setdefault(index, {})["name"] = [
                    f"A souvenir with this name already exists (id {owner})."
                ]
            seen.add(item["name"])
        if errors:
            raise serializers.ValidationError(
                [errors.get(index, {}) for index in range(len(items))]
            )
        return items

    @transaction.atomic
    def create(self, validated_data):
        items = validated_data.pop("souvenirs", [])
        decoration = Decoration.objects.create(**validated_data)
        decoration.souvenirs.set(self._save_souvenirs(items))
        return decoration

    @transaction.atomic
    def update(self, instance, validated_data):
        items = validated_data.pop("souvenirs", None)
        for attr, value in validated_data.items():
            setattr(instance, attr, value)
        instance.save()
        if items is not None:  # a PATCH without "souvenirs" keeps them
            instance.souvenirs.set(self._save_souvenirs(items))
        return instance

    @staticmethod
    def _save_souvenirs(items):
        souvenirs = []
        for item in items:
            if "id" in item:
                souvenir = Souvenir.objects.get(pk=item["id"])
                if souvenir.name != item["name"]:
                    souvenir.name = item["name"]
                    souvenir.save(update_fields=["name"])
            else:
                souvenir = Souvenir.objects.create(name=item["name"])
            souvenirs.append(souvenir)
        return souvenirs
