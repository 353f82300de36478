"""The live room document served by ``/rooms/`` (``docs/room-document.md``).

The shape is checked key by key, in order, because API clients and the read
models compare documents as JSON values; the query counts are checked because
a nested serializer without eager loading turns one page into hundreds of
queries, which no functional test would notice.
"""

import pytest

from rooms.models import DOCUMENT_COLUMNS, PHYSICAL_FIELDS, Window

from .factories import (
    make_bed,
    make_chair,
    make_decoration,
    make_door,
    make_fitting,
    make_furnished_rooms,
    make_room,
    make_souvenir,
    make_table,
    make_window,
)

pytestmark = pytest.mark.django_db

DIMENSION_KEYS = list(PHYSICAL_FIELDS)
ROOM_KEYS = list(DOCUMENT_COLUMNS)


def dimensions(obj):
    """The document of a door, fitting or piece of furniture, as the spec shows it."""
    return {key: getattr(obj, key) for key in DIMENSION_KEYS}


def get_room(client, room):
    response = client.get(f"/rooms/{room.pk}/")
    assert response.status_code == 200, response.content
    return response.json()


def test_full_document_has_exact_keys_values_and_order(api_client):
    """Every level carries exactly the spec's keys in the spec's order, the
    lists are ordered by id although attached in another order, and nothing
    points back at the room."""
    door = make_door(width=1.0, length=2.1, height=1.0, type="DT2")
    shells = [make_souvenir(name=f"Shell {i}") for i in range(3)]
    # Attached out of id order: the document must still list them by id.
    decoration = make_decoration(souvenirs=[shells[2], shells[0], shells[1]])
    room = make_room(door=door, decoration=decoration, width=4.5, length=6.0, height=2.7)

    other_room = make_room()
    windows = [make_window(other_room, type="WT2") for _ in range(3)]
    for window in reversed(windows):  # moved in, last created first
        window.room = room
        window.save()
    fittings = [make_fitting(type="WFT2") for _ in range(3)]
    windows[0].fittings.add(fittings[1], fittings[2], fittings[0])
    beds = [make_bed(type="BT3") for _ in range(3)]
    room.beds.add(beds[2], beds[0], beds[1])
    table = make_table(rooms=[room], type="TBLT3")

    document = get_room(api_client, room)

    assert list(document) == ROOM_KEYS
    assert document == {
        "id": room.pk,
        "name": room.name,
        "width": 4.5,
        "length": 6.0,
        "height": 2.7,
        "type": "BDR",
        "door": dimensions(door),
        "decoration": {
            "id": decoration.pk,
            "name": decoration.name,
            "souvenirs": [{"id": s.pk, "name": s.name} for s in shells],
        },
        "windows": [
            {**dimensions(window), "fittings": [dimensions(f) for f in fittings] if i == 0 else []}
            for i, window in enumerate(windows)
        ],
        "beds": [dimensions(bed) for bed in beds],
        "chairs": [],
        "tables": [dimensions(table)],
    }
    # Same values could come in another key order; the order is part of the spec.
    assert list(document["door"]) == DIMENSION_KEYS
    assert list(document["decoration"]) == ["id", "name", "souvenirs"]
    assert list(document["decoration"]["souvenirs"][0]) == ["id", "name"]
    assert list(document["windows"][0]) == [*DIMENSION_KEYS, "fittings"]
    assert list(document["windows"][0]["fittings"][0]) == DIMENSION_KEYS
    assert list(document["beds"][0]) == DIMENSION_KEYS
    assert list(document["tables"][0]) == DIMENSION_KEYS
    assert all(isinstance(document[key], float) for key in ("width", "length", "height"))


def test_bare_room_has_null_decoration_and_empty_lists(api_client):
    room = make_room()

    document = get_room(api_client, room)

    assert list(document) == ROOM_KEYS
    assert document["decoration"] is None
    assert [document[key] for key in ("windows", "beds", "chairs", "tables")] == [[]] * 4


def test_decoration_without_souvenirs_has_empty_list(api_client):
    room = make_room(decoration=make_decoration())

    assert get_room(api_client, room)["decoration"]["souvenirs"] == []


def test_list_serves_the_same_documents_as_detail(api_client):
    rooms = make_furnished_rooms(3)

    results = api_client.get("/rooms/").json()["results"]

    assert results == [get_room(api_client, room) for room in rooms]


def test_room_is_in_list_once_whatever_its_relations(api_client):
    """Joins must not duplicate or drop a room: bare, decorated and furnished
    rooms each appear exactly once."""
    rooms = [make_room(), make_room(decoration=make_decoration()), *make_furnished_rooms(2)]
    chair = make_chair(rooms=rooms[:2])
    assert chair.rooms.count() == 2

    ids = [doc["id"] for doc in api_client.get("/rooms/").json()["results"]]

    assert ids == sorted(room.pk for room in rooms)


def test_room_list_query_count_does_not_grow_with_page_size(
    api_client, django_assert_max_num_queries
):
    """One page of 100 furnished rooms costs what a page of 1 costs."""
    make_furnished_rooms(100)
    counts = {}
    for page_size in (1, 10, 100):
        with django_assert_max_num_queries(20) as captured:
            response = api_client.get(f"/rooms/?page_size={page_size}")
        results = response.json()["results"]
        assert len(results) == page_size
        # The relations are really there, so a lazy load would have shown up.
        assert all(len(doc["windows"]) == 2 and doc["windows"][0]["fittings"] for doc in results)
        assert all(doc["beds"] and doc["decoration"]["souvenirs"] for doc in results)
        counts[page_size] = len(captured)

    assert counts[1] == counts[10] == counts[100], counts


def test_room_detail_query_count_does_not_grow_with_relations(
    api_client, django_assert_num_queries, django_assert_max_num_queries
):
    small = make_furnished_rooms(1)[0]
    big = make_furnished_rooms(1)[0]
    for _ in range(10):
        window = make_window(big, fittings=[make_fitting(), make_fitting()])
        assert window.fittings.count() == 2
        make_bed(rooms=[big])
        make_chair(rooms=[big])
        make_table(rooms=[big])
    big.decoration.souvenirs.add(*[make_souvenir() for _ in range(10)])

    with django_assert_max_num_queries(20) as small_queries:
        get_room(api_client, small)
    with django_assert_num_queries(len(small_queries)):
        document = get_room(api_client, big)

    assert len(document["windows"]) == 12
    assert len(document["decoration"]["souvenirs"]) == 12


def test_write_takes_ids_and_answers_with_document(auth_client):
    """Rooms are written with ``door_id``/``decoration_id``; the answer is the document."""
    door, decoration = make_door(), make_decoration()

    response = auth_client.post(
        "/rooms/",
        {
            "name": "Sunny kitchen",
            "width": 3,
            "length": 4,
            "height": 2.5,
            "type": "KTCH",
            "door_id": door.pk,
            "decoration_id": decoration.pk,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    document = response.json()
    assert list(document) == ROOM_KEYS
    assert document["door"]["id"] == door.pk
    assert document["decoration"] == {"id": decoration.pk, "name": decoration.name, "souvenirs": []}
    assert document["type"] == "KTCH"
    assert "door_id" not in document and "decoration_id" not in document


def test_move_room_to_other_door_and_drop_decoration(auth_client):
    room = make_room(decoration=make_decoration())
    new_door = make_door()

    response = auth_client.patch(
        f"/rooms/{room.pk}/", {"door_id": new_door.pk, "decoration_id": None}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["door"]["id"] == new_door.pk
    assert response.json()["decoration"] is None
    room.refresh_from_db()
    assert (room.door_id, room.decoration_id) == (new_door.pk, None)


def test_deleting_room_deletes_its_windows(auth_client):
    room = make_room()
    window = make_window(room)

    assert auth_client.delete(f"/rooms/{room.pk}/").status_code == 204

    assert not Window.objects.filter(pk=window.pk).exists()


def test_deleting_decoration_leaves_rooms_undecorated(auth_client, api_client):
    decoration = make_decoration()
    room = make_room(decoration=decoration)

    assert auth_client.delete(f"/decorations/{decoration.pk}/").status_code == 204

    assert get_room(api_client, room)["decoration"] is None
