"""Selectors: which rooms' documents depend on a given row.

Each function takes ids of one model and returns a one-column queryset of
the ids of the rooms whose document shows those rows; ``DEPENDENCIES`` names,
per model, the selector and the part of the document it feeds. The signal
handlers are generic over this table, so supporting a new relation means
adding a line here, not another handler.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model, QuerySet

from rooms.models import Bed, Chair, Decoration, Door, Room, Souvenir, Table, Window, WindowFittings


def rooms(ids: Iterable[int]) -> list[int]:
    """A room's own document: the ids are the rooms."""
    return list(ids)


def rooms_with_door(ids: Iterable[int]) -> QuerySet:
    return Room.objects.filter(door__in=list(ids)).values("pk")


def rooms_with_decoration(ids: Iterable[int]) -> QuerySet:
    return Room.objects.filter(decoration__in=list(ids)).values("pk")


def rooms_with_souvenir(ids: Iterable[int]) -> QuerySet:
    return Room.objects.filter(decoration__souvenirs__in=list(ids)).values("pk")


def rooms_with_window(ids: Iterable[int]) -> QuerySet:
    return Window.objects.filter(pk__in=list(ids)).values("room_id")


def rooms_with_fitting(ids: Iterable[int]) -> QuerySet:
    return Window.objects.filter(fittings__in=list(ids)).values("room_id")


def rooms_with_furniture(model: type[Model]) -> Callable[[Iterable[int]], QuerySet]:
    through = model.rooms.through
    column = f"{model._meta.model_name}_id"

    def select(ids: Iterable[int]) -> QuerySet:
        return through.objects.filter(**{f"{column}__in": list(ids)}).values("room_id")

    return select


def evaluate(rooms: QuerySet | list[int]) -> list[int]:
    """The room ids a selector's result stands for, read now."""
    if isinstance(rooms, QuerySet):
        return [value for row in rooms for value in row.values()]
    return list(rooms)


@dataclass(frozen=True)
class Dependency:
    #: The part of the document rows of this model appear in.
    part: str
    #: Ids of this model -> the rooms showing them.
    rooms_of: Callable[[Iterable[int]], QuerySet | list[int]]
    #: Whether a save can move the row to other rooms (its old rooms change too).
    can_move: bool = False


DEPENDENCIES: dict[type[Model], Dependency] = {
    Room: Dependency("room", rooms),
    Door: Dependency("door", rooms_with_door),
    Decoration: Dependency("decoration", rooms_with_decoration),
    Souvenir: Dependency("decoration", rooms_with_souvenir),
    Window: Dependency("windows", rooms_with_window, can_move=True),
    WindowFittings: Dependency("windows", rooms_with_fitting),
    Bed: Dependency("beds", rooms_with_furniture(Bed)),
    Chair: Dependency("chairs", rooms_with_furniture(Chair)),
    Table: Dependency("tables", rooms_with_furniture(Table)),
}


@dataclass(frozen=True)
class ManyToManyDependency:
    #: The part of the document a link or unlink changes.
    part: str
    #: The side of the relation whose rows the document is about: linking a
    #: bed to a room changes that room; a souvenir to a decoration, the
    #: decoration's rooms; a fitting to a window, the window's room.
    room_side: type[Model]


MANY_TO_MANY: dict[type[Model], ManyToManyDependency] = {
    Bed.rooms.through: ManyToManyDependency("beds", Room),
    Chair.rooms.through: ManyToManyDependency("chairs", Room),
    Table.rooms.through: ManyToManyDependency("tables", Room),
    Decoration.souvenirs.through: ManyToManyDependency("decoration", Decoration),
    WindowFittings.windows.through: ManyToManyDependency("windows", Window),
}
