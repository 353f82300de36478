"""Plain functions that create valid rows, for any test module.

Every ``make_*`` function saves one row through the ORM (so signal receivers
run as they would for any write) and returns it. Names are unique thanks to a
process-wide counter, because every ``name`` column is unique; pass ``name=``
to choose one. Any other model field can be overridden by keyword, e.g.
``make_room(width=4.5, type="BDR")``. Many-to-many helpers take the related
objects as a list::

    door = make_door()
    room = make_room(door=door, decoration=make_decoration(souvenirs=[make_souvenir()]))
    window = make_window(room, fittings=[make_fitting()])
    bed = make_bed(rooms=[room])

``make_full_room()`` builds a room with one of everything, the shape most
read tests need; ``make_furnished_rooms(n)`` bulk-builds many (no signals).

``ENDPOINTS`` describes every CRUD endpoint for parametrized API tests: its
URL, model, a ``make`` function for an existing row and a ``payload``
function returning a valid, new request body (creating what it refers to).
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from rooms.models import (
    Bed,
    Chair,
    Decoration,
    Door,
    Room,
    Souvenir,
    Table,
    Window,
    WindowFittings,
)

_counter = itertools.count(1)


def unique_name(prefix: str) -> str:
    """``prefix`` plus a number never handed out before in this process (<= 30 chars)."""
    return f"{prefix} {next(_counter)}"


def _dimensioned(model, prefix, type_code, **kwargs):
    kwargs.setdefault("name", unique_name(prefix))
    kwargs.setdefault("type", type_code)
    return model.objects.create(**kwargs)


def _with_many(obj, attr, related):
    if related:
        getattr(obj, attr).add(*related)
    return obj


def make_door(**kwargs) -> Door:
    return _dimensioned(Door, "Door", "DT1", **kwargs)


def make_souvenir(**kwargs) -> Souvenir:
    kwargs.setdefault("name", unique_name("Souvenir"))
    return Souvenir.objects.create(**kwargs)


def make_decoration(souvenirs=(), **kwargs) -> Decoration:
    kwargs.setdefault("name", unique_name("Decoration"))
    return _with_many(Decoration.objects.create(**kwargs), "souvenirs", souvenirs)


def make_room(door=None, **kwargs) -> Room:
    """A room; a new door is made for it unless ``door`` is given."""
    return _dimensioned(Room, "Room", "BDR", door=door or make_door(), **kwargs)


def make_window(room=None, fittings=(), **kwargs) -> Window:
    """A window in ``room`` (a new room when omitted), with ``fittings`` attached."""
    window = _dimensioned(Window, "Window", "WT1", room=room or make_room(), **kwargs)
    return _with_many(window, "fittings", fittings)


def make_fitting(windows=(), **kwargs) -> WindowFittings:
    return _with_many(_dimensioned(WindowFittings, "Fitting", "WFT1", **kwargs), "windows", windows)


def make_bed(rooms=(), **kwargs) -> Bed:
    return _with_many(_dimensioned(Bed, "Bed", "BT1", **kwargs), "rooms", rooms)


def make_chair(rooms=(), **kwargs) -> Chair:
    return _with_many(_dimensioned(Chair, "Chair", "CHT1", **kwargs), "rooms", rooms)


def make_table(rooms=(), **kwargs) -> Table:
    return _with_many(_dimensioned(Table, "Table", "TBLT1", **kwargs), "rooms", rooms)


def make_full_room(door=None, **kwargs) -> Room:
    """A room with a decoration of two souvenirs, two windows with a fitting each,
    and a bed, a chair and a table."""
    decoration = make_decoration(souvenirs=[make_souvenir(), make_souvenir()])
    room = make_room(door=door, decoration=decoration, **kwargs)
    for _ in range(2):
        make_window(room, fittings=[make_fitting()])
    make_bed(rooms=[room])
    make_chair(rooms=[room])
    make_table(rooms=[room])
    return room


def make_furnished_rooms(count: int) -> list[Room]:
    """``count`` rooms, each with its own door, a decoration with two souvenirs,
    two windows with two fittings each, and a bed, a chair and a table.

    Built with ``bulk_create`` in a few dozen queries whatever ``count`` is,
    which is what makes hundreds of rooms affordable in a test. The price:
    **no signals fire**, so read models are not updated; use it for tests of
    the live endpoints, or rebuild the read models afterwards.
    """

    def bulk(model, prefix, n, **fields):
        rows = [model(name=unique_name(prefix), **fields) for _ in range(n)]
        return model.objects.bulk_create(rows)

    def link(field, pairs):
        through = field.remote_field.through
        source = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [through(**{f"{source}_id": a.pk, f"{target}_id": b.pk}) for a, b in pairs]
        )

    doors = bulk(Door, "Door", count, type="DT1")
    souvenirs = bulk(Souvenir, "Souvenir", 2 * count)
    decorations = bulk(Decoration, "Decoration", count)
    link(
        Decoration.souvenirs.field,
        [(d, souvenirs[2 * i + k]) for i, d in enumerate(decorations) for k in (0, 1)],
    )
    rooms = Room.objects.bulk_create(
        [
            Room(name=unique_name("Room"), type="BDR", door=door, decoration=decoration)
            for door, decoration in zip(doors, decorations, strict=True)
        ]
    )
    windows = Window.objects.bulk_create(
        [
            Window(name=unique_name("Window"), type="WT1", room=room)
            for room in rooms
            for _ in (0, 1)
        ]
    )
    fittings = bulk(WindowFittings, "Fitting", 2 * len(windows), type="WFT1")
    link(WindowFittings.windows.field, [(f, windows[i // 2]) for i, f in enumerate(fittings)])
    for model, prefix, type_code in [
        (Bed, "Bed", "BT1"),
        (Chair, "Chair", "CHT1"),
        (Table, "Table", "TBLT1"),
    ]:
        items = bulk(model, prefix, count, type=type_code)
        link(model.rooms.field, zip(items, rooms, strict=True))
    return rooms


def door_body() -> dict:
    """The smallest valid body for a new door (its dimensions default to 1 m)."""
    return {"name": unique_name("Door"), "type": "DT1"}


def dimensions_payload(prefix: str, type_code: str) -> dict:
    """A valid request body for the fields every dimensioned object has."""
    return {
        "name": unique_name(prefix),
        "width": 2.5,
        "length": 3.0,
        "height": 1.5,
        "type": type_code,
    }


@dataclass(frozen=True)
class Endpoint:
    url: str  # the list URL, e.g. "/doors/"
    model: type
    make: Callable  # make() -> a saved row
    payload: Callable[[], dict]  # payload() -> a valid body for POST or PUT

    def __str__(self):  # readable test ids: test_create[/doors/]
        return self.url


def _furniture_endpoint(url, model, make, type_code):
    return Endpoint(
        url,
        model,
        lambda: make(rooms=[make_room()]),
        lambda: {
            **dimensions_payload(model.__name__, type_code),
            "rooms": [make_room().pk, make_room().pk],
        },
    )


ENDPOINTS = [
    Endpoint("/doors/", Door, make_door, lambda: dimensions_payload("Door", "DT3")),
    Endpoint("/souvenirs/", Souvenir, make_souvenir, lambda: {"name": unique_name("Souvenir")}),
    Endpoint(
        "/decorations/",
        Decoration,
        lambda: make_decoration(souvenirs=[make_souvenir()]),
        lambda: {
            "name": unique_name("Decoration"),
            "souvenirs": [{"name": unique_name("Souvenir")}, {"name": unique_name("Souvenir")}],
        },
    ),
    Endpoint(
        "/windows/",
        Window,
        lambda: make_window(fittings=[make_fitting()]),
        lambda: {**dimensions_payload("Window", "WT2"), "room": make_room().pk},
    ),
    Endpoint(
        "/window_fittings/",
        WindowFittings,
        lambda: make_fitting(windows=[make_window()]),
        lambda: {
            **dimensions_payload("Fitting", "WFT2"),
            "windows": [make_window().pk, make_window().pk],
        },
    ),
    _furniture_endpoint("/beds/", Bed, make_bed, "BT2"),
    _furniture_endpoint("/chairs/", Chair, make_chair, "CHT2"),
    _furniture_endpoint("/tables/", Table, make_table, "TBLT2"),
    Endpoint(
        "/rooms/",
        Room,
        make_full_room,
        lambda: {
            **dimensions_payload("Room", "LBB"),
            "door_id": make_door().pk,
            "decoration_id": make_decoration().pk,
        },
    ),
]
