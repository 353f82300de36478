"""Every ORM write path keeps every stored read model equal to the live document.

Each scenario performs one kind of write (committed, as these tests use real
transactions) and the test then compares, for every room, ``/rooms/`` with
``/rooms_mat_view/``, ``/rooms_v2/`` and ``/rooms_v3/``, in one pass. A
scenario also checks the live document shows the write, so a write that did
nothing cannot pass.
"""

import pytest
from django.db import transaction
from django.db.models import ProtectedError

from rooms.models import (
    Door,
    Window,
)

from .factories import (
    make_bed,
    make_chair,
    make_decoration,
    make_door,
    make_fitting,
    make_room,
    make_souvenir,
    make_table,
    make_window,
    unique_name,
)
from .read_paths import STORED, assert_every_read_path_agrees, document

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_view")]

FURNITURE = {"beds": make_bed, "chairs": make_chair, "tables": make_table}


@pytest.fixture
def world():
    """Two furnished rooms sharing a door, and a spare room, all committed."""
    door = make_door()
    decoration = make_decoration(souvenirs=[make_souvenir(), make_souvenir()])
    first = make_room(door=door, decoration=decoration)
    second = make_room(door=door, decoration=decoration)
    spare = make_room()
    window = make_window(first, fittings=[make_fitting()])
    make_window(second, fittings=[make_fitting()])
    furniture = {kind: make(rooms=[first, second]) for kind, make in FURNITURE.items()}
    return {
        "door": door,
        "decoration": decoration,
        "rooms": [first, second, spare],
        "window": window,
        **furniture,
    }


def names(items):
    return [item["name"] for item in items]


# Each scenario writes, then returns (room id, check on its live document) pairs
# and the ids of rooms that must be gone.


def create_room(w):
    room = make_room(door=w["door"])
    return [(room.id, lambda d: d["windows"] == [] and d["decoration"] is None)], ()


def rename_room(w):
    room = w["rooms"][0]
    room.name = "Renamed room"
    room.save()
    return [(room.id, lambda d: d["name"] == "Renamed room")], ()


def room_gets_another_door(w):
    room, door = w["rooms"][0], make_door(name="Other door")
    room.door = door
    room.save()
    return [(room.id, lambda d: d["door"]["name"] == "Other door")], ()


def room_gets_another_decoration(w):
    room = w["rooms"][2]
    room.decoration = make_decoration(name="New decoration", souvenirs=[make_souvenir()])
    room.save()
    return [(room.id, lambda d: d["decoration"]["name"] == "New decoration")], ()


def room_loses_its_decoration(w):
    room = w["rooms"][0]
    room.decoration = None
    room.save()
    return [(room.id, lambda d: d["decoration"] is None)], ()


def rename_door(w):
    w["door"].name = "Renamed door"
    w["door"].save()
    return [(r.id, lambda d: d["door"]["name"] == "Renamed door") for r in w["rooms"][:2]], ()


def delete_unused_door(w):
    door = make_door()
    door_id = door.id
    door.delete()
    assert not Door.objects.filter(pk=door_id).exists()
    # The rooms keep their own door.
    return [(r.id, lambda d: d["door"]["id"] == w["door"].id) for r in w["rooms"][:2]], ()


def rename_decoration(w):
    w["decoration"].name = "Renamed decoration"
    w["decoration"].save()
    return [
        (r.id, lambda d: d["decoration"]["name"] == "Renamed decoration") for r in w["rooms"][:2]
    ], ()


def delete_decoration(w):
    w["decoration"].delete()
    return [(r.id, lambda d: d["decoration"] is None) for r in w["rooms"][:2]], ()


def rename_souvenir(w):
    souvenir = w["decoration"].souvenirs.first()
    souvenir.name = "Renamed souvenir"
    souvenir.save()
    return [
        (r.id, lambda d: "Renamed souvenir" in names(d["decoration"]["souvenirs"]))
        for r in w["rooms"][:2]
    ], ()


def delete_souvenir(w):
    w["decoration"].souvenirs.first().delete()
    return [(r.id, lambda d: len(d["decoration"]["souvenirs"]) == 1) for r in w["rooms"][:2]], ()


def decoration_adds_souvenir(w):
    w["decoration"].souvenirs.add(make_souvenir(name="Added"))
    return [(w["rooms"][0].id, lambda d: "Added" in names(d["decoration"]["souvenirs"]))], ()


def souvenir_adds_decoration(w):
    souvenir = make_souvenir(name="Reverse added")
    souvenir.decorations.add(w["decoration"])
    return [
        (w["rooms"][1].id, lambda d: "Reverse added" in names(d["decoration"]["souvenirs"]))
    ], ()


def decoration_removes_souvenir(w):
    w["decoration"].souvenirs.remove(w["decoration"].souvenirs.first())
    return [(w["rooms"][0].id, lambda d: len(d["decoration"]["souvenirs"]) == 1)], ()


def souvenir_removes_decoration(w):
    w["decoration"].souvenirs.first().decorations.remove(w["decoration"])
    return [(w["rooms"][0].id, lambda d: len(d["decoration"]["souvenirs"]) == 1)], ()


def decoration_clears_souvenirs(w):
    w["decoration"].souvenirs.clear()
    return [(w["rooms"][0].id, lambda d: d["decoration"]["souvenirs"] == [])], ()


def souvenir_clears_decorations(w):
    w["decoration"].souvenirs.first().decorations.clear()
    return [(w["rooms"][1].id, lambda d: len(d["decoration"]["souvenirs"]) == 1)], ()


def create_window(w):
    room = w["rooms"][2]
    make_window(room, name="New window")
    return [(room.id, lambda d: names(d["windows"]) == ["New window"])], ()


def rename_window(w):
    w["window"].name = "Renamed window"
    w["window"].save()
    return [(w["rooms"][0].id, lambda d: names(d["windows"]) == ["Renamed window"])], ()


def move_window(w):
    window, old, new = w["window"], w["rooms"][0], w["rooms"][2]
    window.room = new
    window.save()
    return [
        (old.id, lambda d: d["windows"] == []),
        (new.id, lambda d: [x["id"] for x in d["windows"]] == [window.id]),
    ], ()


def delete_window(w):
    w["window"].delete()
    return [(w["rooms"][0].id, lambda d: d["windows"] == [])], ()


def fitting_adds_window(w):
    make_fitting(name="Added fitting").windows.add(w["window"])
    return [(w["rooms"][0].id, lambda d: "Added fitting" in names(d["windows"][0]["fittings"]))], ()


def window_adds_fitting(w):
    w["window"].fittings.add(make_fitting(name="Reverse fitting"))
    return [
        (w["rooms"][0].id, lambda d: "Reverse fitting" in names(d["windows"][0]["fittings"]))
    ], ()


def fitting_removes_window(w):
    w["window"].fittings.first().windows.remove(w["window"])
    return [(w["rooms"][0].id, lambda d: d["windows"][0]["fittings"] == [])], ()


def window_removes_fitting(w):
    w["window"].fittings.remove(w["window"].fittings.first())
    return [(w["rooms"][0].id, lambda d: d["windows"][0]["fittings"] == [])], ()


def fitting_clears_windows(w):
    w["window"].fittings.first().windows.clear()
    return [(w["rooms"][0].id, lambda d: d["windows"][0]["fittings"] == [])], ()


def window_clears_fittings(w):
    w["window"].fittings.clear()
    return [(w["rooms"][0].id, lambda d: d["windows"][0]["fittings"] == [])], ()


def rename_fitting(w):
    fitting = w["window"].fittings.first()
    fitting.name = "Renamed fitting"
    fitting.save()
    return [
        (w["rooms"][0].id, lambda d: names(d["windows"][0]["fittings"]) == ["Renamed fitting"])
    ], ()


def delete_fitting(w):
    w["window"].fittings.first().delete()
    return [(w["rooms"][0].id, lambda d: d["windows"][0]["fittings"] == [])], ()


def delete_room(w):
    room = w["rooms"][0]
    room_id = room.id
    room.delete()
    assert not Window.objects.filter(room_id=room_id).exists()  # the cascade
    # The other room keeps its window, and the furniture it shared with the deleted one.
    return [
        (w["rooms"][1].id, lambda d: len(d["windows"]) == 1 and all(d[k] for k in FURNITURE))
    ], (room_id,)


def room_set_for_each_kind_of_furniture(w):
    room = w["rooms"][2]
    for kind, make in FURNITURE.items():
        getattr(room, kind).set([make(), make()])
    return [(room.id, lambda d: all(len(d[k]) == 2 for k in FURNITURE))], ()


WRITES = [
    create_room,
    rename_room,
    room_gets_another_door,
    room_gets_another_decoration,
    room_loses_its_decoration,
    rename_door,
    delete_unused_door,
    rename_decoration,
    delete_decoration,
    rename_souvenir,
    delete_souvenir,
    decoration_adds_souvenir,
    souvenir_adds_decoration,
    decoration_removes_souvenir,
    souvenir_removes_decoration,
    decoration_clears_souvenirs,
    souvenir_clears_decorations,
    create_window,
    rename_window,
    move_window,
    delete_window,
    fitting_adds_window,
    window_adds_fitting,
    fitting_removes_window,
    window_removes_fitting,
    fitting_clears_windows,
    window_clears_fittings,
    rename_fitting,
    delete_fitting,
    delete_room,
    room_set_for_each_kind_of_furniture,
]


def check(api_client, expectations, gone):
    live = assert_every_read_path_agrees(api_client, gone=gone)
    for room_id, expectation in expectations:
        assert expectation(live[room_id]), live[room_id]


@pytest.mark.parametrize("write", WRITES, ids=lambda f: f.__name__)
def test_read_models_follow_write(api_client, world, write):
    check(api_client, *write(world))


# Furniture: the same six writes for beds, chairs and tables, from both sides.


def furniture_writes(kind):
    """(name, write) pairs for one kind of furniture, ``kind`` being e.g. "beds"."""
    make = FURNITURE[kind]

    def item_adds_room(w):
        item = make(name="Added item")
        item.rooms.add(w["rooms"][2])
        return [(w["rooms"][2].id, lambda d: names(d[kind]) == ["Added item"])]

    def room_adds_item(w):
        getattr(w["rooms"][2], kind).add(make(name="Reverse item"))
        return [(w["rooms"][2].id, lambda d: names(d[kind]) == ["Reverse item"])]

    def item_removes_room(w):
        w[kind].rooms.remove(w["rooms"][0])
        return [(w["rooms"][0].id, lambda d: d[kind] == []), (w["rooms"][1].id, lambda d: d[kind])]

    def room_removes_item(w):
        getattr(w["rooms"][1], kind).remove(w[kind])
        return [(w["rooms"][1].id, lambda d: d[kind] == []), (w["rooms"][0].id, lambda d: d[kind])]

    def item_clears_rooms(w):
        w[kind].rooms.clear()
        return [(r.id, lambda d: d[kind] == []) for r in w["rooms"][:2]]

    def room_clears_items(w):
        getattr(w["rooms"][0], kind).clear()
        return [(w["rooms"][0].id, lambda d: d[kind] == []), (w["rooms"][1].id, lambda d: d[kind])]

    def rename_item(w):
        w[kind].name = "Renamed item"
        w[kind].save()
        return [(r.id, lambda d: names(d[kind]) == ["Renamed item"]) for r in w["rooms"][:2]]

    def delete_item(w):
        w[kind].delete()
        return [(r.id, lambda d: d[kind] == []) for r in w["rooms"][:2]]

    writes = [
        item_adds_room,
        room_adds_item,
        item_removes_room,
        room_removes_item,
        item_clears_rooms,
        room_clears_items,
        rename_item,
        delete_item,
    ]
    return [pytest.param(kind, write, id=f"{kind}-{write.__name__}") for write in writes]


@pytest.mark.parametrize(
    ("kind", "write"), [p for kind in FURNITURE for p in furniture_writes(kind)]
)
def test_read_models_follow_furniture_write(api_client, world, kind, write):
    check(api_client, write(world), gone=())


def test_door_with_rooms_cannot_be_deleted_and_nothing_changes(api_client, world):
    before = assert_every_read_path_agrees(api_client)
    with pytest.raises(ProtectedError):
        world["door"].delete()
    assert Door.objects.filter(pk=world["door"].pk).exists()
    assert assert_every_read_path_agrees(api_client) == before


def test_rolled_back_transaction_leaves_read_models_as_they_were(api_client, world):
    before = assert_every_read_path_agrees(api_client)

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        world["beds"].name = "Never committed"
        world["beds"].save()
        world["rooms"][0].delete()
        raise Abort

    assert assert_every_read_path_agrees(api_client) == before


def test_rolled_back_savepoint_is_not_applied_but_the_rest_is(api_client, world):
    room = world["rooms"][2]
    with transaction.atomic():
        make_bed(name="Kept bed", rooms=[room])
        try:
            with transaction.atomic():
                make_chair(name="Dropped chair", rooms=[room])
                raise RuntimeError
        except RuntimeError:
            pass
    live = assert_every_read_path_agrees(api_client)
    assert names(live[room.id]["beds"]) == ["Kept bed"]
    assert live[room.id]["chairs"] == []


def test_api_write_is_fresh_on_every_read_path_when_it_returns(auth_client, world):
    room = world["rooms"][2]
    response = auth_client.post(
        "/beds/", {"name": unique_name("Api bed"), "type": "BT2", "rooms": [room.id]}, format="json"
    )
    assert response.status_code == 201, response.content
    for path in STORED:
        assert names(document(auth_client, path, room.id)["beds"]) == [response.json()["name"]]
    response = auth_client.delete(f"/rooms/{room.id}/")
    assert response.status_code == 204
    assert_every_read_path_agrees(auth_client, gone=[room.id])


def test_every_model_a_document_reads_is_tracked():
    """Guard: a model added to the app must be declared in affected_rooms, and captured.

    The list comes from the app registry, not from the code under test: every
    concrete model of the app but the read models themselves.
    """
    from django.apps import apps

    from rooms.read_models.affected_rooms import DEPENDENCIES, MANY_TO_MANY
    from rooms.read_models.capture import CAPTURED_MODELS
    from rooms.read_models.registry import READ_MODELS

    stored = {read_model.model for read_model in READ_MODELS.values()}
    models = {
        model
        for model in apps.get_app_config("rooms").get_models(include_auto_created=True)
        if not model._meta.proxy and model not in stored
    }
    links = {model for model in models if model._meta.auto_created}
    assert set(DEPENDENCIES) == models - links
    assert set(MANY_TO_MANY) == links
    captured = {model._meta.concrete_model for model in CAPTURED_MODELS}
    assert captured == models
