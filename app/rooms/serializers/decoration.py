"""Souvenirs, and decorations that write their souvenirs as a nested list."""

from django.db.models import Prefetch
from rest_framework import serializers

from rooms.models import Decoration, Souvenir
from rooms.services import decorations

from .eager_loading import EagerLoadingMixin
from .strict_fields import StrictCharField, StrictModelSerializer


class SouvenirSerializer(StrictModelSerializer):
    class Meta:
        model = Souvenir
        fields = ["id", "name"]


class NestedSouvenirSerializer(StrictModelSerializer):
    """A souvenir inside a decoration's payload.

    ``id`` is writable here: an item with an ``id`` updates that souvenir, one
    without creates a new souvenir. The name's uniqueness is checked by
    ``DecorationSerializer`` across the whole list, because the field-level
    unique validator cannot know which souvenir an item is about.
    """

    id = serializers.IntegerField(required=False)
    name = StrictCharField(max_length=30)

    class Meta:
        model = Souvenir
        fields = ["id", "name"]


class DecorationSerializer(EagerLoadingMixin, StrictModelSerializer):
    # Approach 1 of the original: a *writable* nested serializer. DRF cannot
    # guess how nested items map to rows; the service says it explicitly:
    # create or update each souvenir by id, then set the decoration's
    # souvenirs to exactly that list. (The room serializer shows approach 2:
    # nested fields marked read-only.)
    souvenirs = NestedSouvenirSerializer(many=True, required=False)

    prefetch_related_fields = (Prefetch("souvenirs", queryset=Souvenir.objects.order_by("id")),)

    class Meta:
        model = Decoration
        fields = ["id", "name", "souvenirs"]

    def validate_souvenirs(self, items):
        """Checks the list as a whole, before anything is written.

        Field validation sees one item at a time; only here can a name be
        compared with the other items and with the souvenirs already stored.
        Errors come back per item, at the item's index, ``{}`` for good ones.
        """
        ids = [item["id"] for item in items if "id" in item]
        known = set(Souvenir.objects.filter(pk__in=ids).values_list("pk", flat=True))
        names = [item["name"] for item in items if "name" in item]
        taken = dict(Souvenir.objects.filter(name__in=names).values_list("name", "pk"))
        errors = [{} for _ in items]
        seen_ids, seen_names = set(), set()
        for item, error in zip(items, errors, strict=True):
            pk, name = item.get("id"), item.get("name")
            if pk is not None:
                if pk not in known:
                    error["id"] = [f"Souvenir {pk} does not exist."]
                elif pk in seen_ids:
                    error["id"] = ["This souvenir appears twice in the list."]
                seen_ids.add(pk)
            if name is None:
                # A PATCH makes nested fields optional; an item still needs its name.
                error["name"] = ["This field is required."]
            elif name in seen_names:
                error["name"] = ["This name appears twice in the list."]
            elif taken.get(name, pk) != pk:
                error["name"] = [f"A souvenir with this name already exists (id {taken[name]})."]
            seen_names.add(name)
        if any(errors):
            raise serializers.ValidationError(errors)
        return items

    # Writing is the service's job (``rooms.services.decorations``); the
    # serializer only validates and hands it the validated data.
    def create(self, validated_data):
        return decorations.create_decoration(**validated_data)

    def update(self, instance, validated_data):
        return decorations.update_decoration(instance, **validated_data)
