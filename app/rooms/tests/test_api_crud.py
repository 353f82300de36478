"""Create, read, update and delete through every CRUD endpoint.

One parametrized test per operation runs against all nine endpoints, with the
endpoint table (URL, model, valid payload) from ``factories.ENDPOINTS``. Each
test checks both the answer and what the database now holds, since an API
that answers 2xx without storing the change is the bug users notice last.
"""

import pytest

from rooms.models import DOCUMENT_COLUMNS, PHYSICAL_FIELDS

from .factories import ENDPOINTS, make_room, make_souvenir, unique_name

pytestmark = pytest.mark.django_db

DIMENSION_KEYS = list(PHYSICAL_FIELDS)
ROOM_KEYS = list(DOCUMENT_COLUMNS)
FURNITURE_KEYS = [*DIMENSION_KEYS, "rooms"]

#: The fields each endpoint answers with, in order (interfaces.md).
RESPONSE_KEYS = {
    "/doors/": DIMENSION_KEYS,
    "/souvenirs/": ["id", "name"],
    "/decorations/": ["id", "name", "souvenirs"],
    "/windows/": [*DIMENSION_KEYS, "room", "fittings"],
    "/window_fittings/": [*DIMENSION_KEYS, "windows"],
    "/beds/": FURNITURE_KEYS,
    "/chairs/": FURNITURE_KEYS,
    "/tables/": FURNITURE_KEYS,
    "/rooms/": ROOM_KEYS,
}

endpoints = pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)


def stored(obj, key):
    """What the database holds for payload field ``key`` of ``obj``, in the
    payload's terms: ids for relations, sorted id lists for many-to-many,
    souvenir names for a decoration's nested souvenirs."""
    obj.refresh_from_db()
    if key == "souvenirs":
        return [{"name": s.name} for s in obj.souvenirs.order_by("id")]
    field = obj._meta.get_field(key)  # also finds "door_id" (the attname)
    if field.many_to_many:
        return sorted(getattr(obj, key).values_list("pk", flat=True))
    return getattr(obj, field.attname)


def assert_stored(obj, payload):
    for key, value in payload.items():
        if key == "souvenirs":
            value = [{"name": item["name"]} for item in value]
        assert stored(obj, key) == value, key


def test_every_writable_endpoint_is_covered():
    """Every endpoint the URLconf routes to a writable viewset is exercised here."""
    from rest_framework import mixins

    from app.urls import router

    writable = {
        f"/{prefix}/"
        for prefix, viewset, _basename in router.registry
        if issubclass(viewset, mixins.CreateModelMixin)
    }
    assert {str(endpoint) for endpoint in ENDPOINTS} == writable


@endpoints
def test_create(auth_client, endpoint):
    payload = endpoint.payload()

    response = auth_client.post(endpoint.url, payload, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert list(body) == RESPONSE_KEYS[endpoint.url]
    assert_stored(endpoint.model.objects.get(pk=body["id"]), payload)
    assert auth_client.get(f"{endpoint.url}{body['id']}/").json() == body


@endpoints
def test_retrieve(api_client, endpoint):
    obj = endpoint.make()

    response = api_client.get(f"{endpoint.url}{obj.pk}/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert list(body) == RESPONSE_KEYS[endpoint.url]
    assert (body["id"], body["name"]) == (obj.pk, obj.name)


@endpoints
def test_list_is_ordered_by_id(api_client, endpoint):
    created = sorted(endpoint.make().pk for _ in range(3))

    response = api_client.get(endpoint.url)

    assert response.status_code == 200, response.content
    ids = [item["id"] for item in response.json()["results"]]
    assert ids == sorted(ids)
    assert set(created) <= set(ids)


@endpoints
def test_update_replaces_every_field(auth_client, endpoint):
    obj = endpoint.make()
    payload = endpoint.payload()

    response = auth_client.put(f"{endpoint.url}{obj.pk}/", payload, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["id"] == obj.pk
    assert_stored(obj, payload)


@endpoints
def test_partial_update_changes_only_given_field(auth_client, endpoint):
    obj = endpoint.make()
    url = f"{endpoint.url}{obj.pk}/"
    before = auth_client.get(url).json()
    new_name = unique_name("Renamed")

    response = auth_client.patch(url, {"name": new_name}, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == {**before, "name": new_name}
    assert auth_client.get(url).json() == {**before, "name": new_name}


@endpoints
def test_delete(auth_client, endpoint):
    obj = endpoint.make()
    url = f"{endpoint.url}{obj.pk}/"

    response = auth_client.delete(url)

    assert response.status_code == 204, response.content
    assert not endpoint.model.objects.filter(pk=obj.pk).exists()
    assert auth_client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("url", "type_code"), [("/beds/", "BT1"), ("/chairs/", "CHT1"), ("/tables/", "TBLT1")]
)
def test_furniture_rooms_can_be_emptied_and_moved(auth_client, url, type_code):
    """Both directions of the many-to-many: the room documents follow the
    furniture's ``rooms`` list."""
    first, second = make_room(), make_room()
    kind = url.strip("/")
    body = {"name": unique_name(kind), "type": type_code, "rooms": [first.pk]}
    item = auth_client.post(url, body, format="json").json()

    moved = auth_client.patch(f"{url}{item['id']}/", {"rooms": [second.pk]}, format="json")
    assert moved.json()["rooms"] == [second.pk]
    assert [x["id"] for x in auth_client.get(f"/rooms/{first.pk}/").json()[kind]] == []
    assert [x["id"] for x in auth_client.get(f"/rooms/{second.pk}/").json()[kind]] == [item["id"]]

    emptied = auth_client.patch(f"{url}{item['id']}/", {"rooms": []}, format="json")
    assert emptied.json()["rooms"] == []
    assert auth_client.get(f"/rooms/{second.pk}/").json()[kind] == []


def test_window_moves_to_another_room(auth_client):
    first, second = make_room(), make_room()
    window = auth_client.post(
        "/windows/", {"name": unique_name("Window"), "type": "WT3", "room": first.pk}, format="json"
    ).json()

    response = auth_client.patch(f"/windows/{window['id']}/", {"room": second.pk}, format="json")

    assert response.status_code == 200, response.content
    assert auth_client.get(f"/rooms/{first.pk}/").json()["windows"] == []
    assert [w["id"] for w in auth_client.get(f"/rooms/{second.pk}/").json()["windows"]] == [
        window["id"]
    ]


def test_fitting_windows_show_in_window_and_room(auth_client):
    room = make_room()
    window = auth_client.post(
        "/windows/", {"name": unique_name("Window"), "type": "WT1", "room": room.pk}, format="json"
    ).json()

    fitting = auth_client.post(
        "/window_fittings/",
        {"name": unique_name("Fitting"), "type": "WFT3", "windows": [window["id"]]},
        format="json",
    ).json()

    shown = {key: fitting[key] for key in DIMENSION_KEYS}
    assert auth_client.get(f"/windows/{window['id']}/").json()["fittings"] == [shown]
    assert auth_client.get(f"/rooms/{room.pk}/").json()["windows"][0]["fittings"] == [shown]


def test_dimensions_default_to_one_metre(auth_client):
    """Only name and type are required; the legacy schema's default is 1.0."""
    response = auth_client.post("/doors/", {"name": unique_name("Door"), "type": "DT1"})

    assert response.status_code == 201, response.content
    assert [response.json()[key] for key in ("width", "length", "height")] == [1.0, 1.0, 1.0]


def test_souvenir_rename_shows_in_its_decorations(auth_client):
    souvenir = make_souvenir()
    decoration = auth_client.post(
        "/decorations/",
        {
            "name": unique_name("Decoration"),
            "souvenirs": [{"id": souvenir.pk, "name": souvenir.name}],
        },
        format="json",
    ).json()

    auth_client.patch(f"/souvenirs/{souvenir.pk}/", {"name": "Renamed shell"}, format="json")

    assert auth_client.get(f"/decorations/{decoration['id']}/").json()["souvenirs"] == [
        {"id": souvenir.pk, "name": "Renamed shell"}
    ]
