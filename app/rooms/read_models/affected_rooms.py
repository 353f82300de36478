"""Selectors: which rooms' documents show a given row. Declared once, used twice.

* The app table's signal receivers (``rooms.signals``) ask, after a save or
  before a delete, which rooms show an object: :data:`DEPENDENCIES`.
* The trigger table's capture triggers (``trigger_table``) ask the same of
  the rows a statement changed, in SQL generated from the same declarations
  (:func:`rooms_of_rows`), with the changed rows as a sub-query.

Supporting a new relation means adding a line here, not another handler or
trigger.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL

from rooms.models import (
    FURNITURE,
    Decoration,
    Door,
    Room,
    Souvenir,
    Window,
    WindowFittings,
)

#: Ids of one model: a list, or a sub-query selecting them.
Ids = list[int] | RawSQL


def rooms(ids: Ids) -> QuerySet:
    """A room's own document: the ids are the rooms."""
    return Room.objects.filter(pk__in=ids).values("pk")


def rooms_with_door(ids: Ids) -> QuerySet:
    return Room.objects.filter(door__in=ids).values("pk")


def rooms_with_decoration(ids: Ids) -> QuerySet:
    return Room.objects.filter(decoration__in=ids).values("pk")


def rooms_with_souvenir(ids: Ids) -> QuerySet:
    return Room.objects.filter(decoration__souvenirs__in=ids).values("pk")


def rooms_with_window(ids: Ids) -> QuerySet:
    return Window.objects.filter(pk__in=ids).values("room_id")


def rooms_with_fitting(ids: Ids) -> QuerySet:
    return Window.objects.filter(fittings__in=ids).values("room_id")


def rooms_with_furniture(model: type[Model]) -> Callable[[Ids], QuerySet]:
    through = model.rooms.through
    column = f"{model._meta.model_name}_id"

    def select(ids: Ids) -> QuerySet:
        return through.objects.filter(**{f"{column}__in": ids}).values("room_id")

    return select


def evaluate(rooms: QuerySet) -> list[int]:
    """The room ids a selector's result stands for, read now."""
    return [value for row in rooms for value in row.values()]


@dataclass(frozen=True)
class Dependency:
    #: The part of the document its rows appear in (``room``: the room itself).
    part: str
    #: Ids of this model -> the rooms showing them, in the current data.
    rooms_of: Callable[[Ids], QuerySet]
    #: The column of this model's rows that holds the room id, if one does:
    #: such rows can move between rooms, and say themselves which room they
    #: were in (the old room of a move, the room of a deleted row).
    room_column: str | None = None

    @property
    def can_move(self) -> bool:
        """Whether a save can move a row to another room (both rooms change)."""
        return self.room_column not in (None, "id")


DEPENDENCIES: dict[type[Model], Dependency] = {
    Room: Dependency("room", rooms, room_column="id"),
    Door: Dependency("door", rooms_with_door),
    Decoration: Dependency("decoration", rooms_with_decoration),
    Souvenir: Dependency("decoration", rooms_with_souvenir),
    Window: Dependency("windows", rooms_with_window, room_column="room_id"),
    WindowFittings: Dependency("windows", rooms_with_fitting),
    **{model: Dependency(part, rooms_with_furniture(model)) for part, model in FURNITURE.items()},
}

#: Link tables -> the side of the relation whose rows the document is about:
#: linking a bed to a room changes that room; a souvenir to a decoration, the
#: decoration's rooms; a fitting to a window, the window's room.
MANY_TO_MANY: dict[type[Model], type[Model]] = {
    Decoration.souvenirs.through: Decoration,
    WindowFittings.windows.through: Window,
    **{model.rooms.through: Room for model in FURNITURE.values()},
}


def link_column(through: type[Model], side: type[Model]) -> str:
    """The column of link table ``through`` that points at ``side`` (e.g. ``room_id``)."""
    (field,) = (f for f in through._meta.fields if f.related_model is side)
    return field.column


def project_model(model: type[Model]) -> type[Model]:
    """The project's own class for ``model`` (migrations pass copies), proxies resolved."""
    return apps.get_model(model._meta.label_lower)._meta.concrete_model


def part_of(model: type[Model]) -> str:
    """The part of the document rows of ``model`` appear in (a link: its owner's part)."""
    model = project_model(model)
    if model in MANY_TO_MANY:
        (owner,) = {
            field.model
            for candidate in DEPENDENCIES
            for field in candidate._meta.local_many_to_many
            if field.remote_field.through is model
        }
        return DEPENDENCIES[owner].part
    return DEPENDENCIES[model].part


def rooms_of_rows(model: type[Model], select: Callable[[str], RawSQL]) -> QuerySet | str:
    """The rooms whose documents show some rows of ``model``, as SQL or a queryset.

    ``select(column)`` is a sub-query reading ``column`` of those rows. Rows
    that hold a room id are read directly (they may be gone from the table);
    the others are followed through the current data.
    """
    model = project_model(model)
    if model in MANY_TO_MANY:
        side = MANY_TO_MANY[model]
        column = link_column(model, side)
        if side is Room:
            return select(column).sql
        return DEPENDENCIES[side].rooms_of(select(column))
    dependency = DEPENDENCIES[model]
    if dependency.room_column:
        return select(dependency.room_column).sql
    return dependency.rooms_of(select("id"))
