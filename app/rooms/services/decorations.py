"""Writing a decoration together with its souvenirs (the API's nested write).

The serializer validates the payload as a whole; these functions write it:
each souvenir item with an ``id`` updates that souvenir, one without creates
a new one, and the decoration then holds exactly the listed souvenirs. They
run in one transaction, so a failure half-way keeps nothing.
"""

from collections.abc import Iterable, Mapping

from django.db import transaction

from rooms.models import Decoration, Souvenir


@transaction.atomic
def create_decoration(*, name: str, souvenirs: Iterable[Mapping] = ()) -> Decoration:
    decoration = Decoration.objects.create(name=name)
    decoration.souvenirs.set(_saved_souvenirs(souvenirs))
    return decoration


@transaction.atomic
def update_decoration(
    decoration: Decoration, *, name: str | None = None, souvenirs: Iterable[Mapping] | None = None
) -> Decoration:
    """Change what is given: ``souvenirs=None`` keeps the decoration's souvenirs as they are."""
    if name is not None and name != decoration.name:
        decoration.name = name
        decoration.save(update_fields=["name"])
    if souvenirs is not None:
        decoration.souvenirs.set(_saved_souvenirs(souvenirs))
    return decoration


def _saved_souvenirs(items: Iterable[Mapping]) -> list[Souvenir]:
    saved = []
    for item in items:
        if "id" in item:
            souvenir = Souvenir.objects.get(pk=item["id"])
            if souvenir.name != item["name"]:
                souvenir.name = item["name"]
                souvenir.save(update_fields=["name"])
        else:
            souvenir = Souvenir.objects.create(name=item["name"])
        saved.append(souvenir)
    return saved
