"""Client mistakes get a clear 4xx and change nothing.

Every refused write is followed by a check that the database holds exactly
what it held before (all base tables and link tables, values included):
a 400 that still wrote half of the request is worse than a 500.
"""

import pytest

from rooms.models import Door, Room

from .factories import ENDPOINTS, make_decoration, make_door, make_room, unique_name

pytestmark = pytest.mark.django_db

MISSING = 10**9  # an id no test creates
TOO_BIG = 10**20  # beyond bigint: must be "not found", not a database error

DIMENSIONED = [e for e in ENDPOINTS if e.url not in ("/souvenirs/", "/decorations/")]
WRITES = [("post", ""), ("put", "{pk}/"), ("patch", "{pk}/")]

#: (field, bad value) pairs refused for every object with dimensions.
BAD_VALUES = [
    ("width", 0.5),
    ("length", 100.5),
    ("height", 0.99),
    ("width", -3),
    ("width", "wide"),
    ("length", ""),
    ("height", None),
    ("width", "NaN"),
    ("length", "Infinity"),
    ("height", "-inf"),
    ("width", "1e400"),
    ("width", 10**400),
    ("width", True),
    ("width", [2]),
    ("name", "x" * 31),
    ("name", ""),
    ("name", None),
    ("type", "NOPE"),
    ("type", ""),
    ("type", "Bedroom"),  # a label, not a code
]
#: Tried together on every endpoint with every write method.
BAD_VALUES_EVERYWHERE = {"length": 100.5, "type": "NOPE"}


def write(client, method, url, body):
    return getattr(client, method)(url, body, format="json")


def assert_refused(response, status, *fields):
    """``status``, a JSON body, and a message under each named field."""
    assert response.status_code == status, response.content
    body = response.json()
    for field in fields:
        assert body.get(field), body
        assert all(isinstance(message, str) and message for message in body[field]), body
    return body


@pytest.fixture
def target(request):
    """(endpoint, method, URL): for PUT/PATCH the URL of a row made for the test."""
    endpoint, method, suffix = request.param
    pk = endpoint.make().pk if suffix else None
    return endpoint, method, endpoint.url + suffix.format(pk=pk)


def targets(endpoints, methods=WRITES):
    params = [(e, method, suffix) for e in endpoints for method, suffix in methods]
    return pytest.mark.parametrize(
        "target", params, ids=[f"{m.upper()} {e.url}" for e, m, _ in params], indirect=True
    )


def assert_bad_values_refused(client, db_snapshot, target, bad):
    endpoint, method, url = target
    body = {**endpoint.payload(), **bad}
    before = db_snapshot()

    response = write(client, method, url, body)

    assert_refused(response, 400, *bad)
    assert db_snapshot() == before


@targets([e for e in ENDPOINTS if e.url == "/rooms/"], methods=WRITES[:1])
@pytest.mark.parametrize(("field", "value"), BAD_VALUES, ids=repr)
def test_bad_value_is_400_and_writes_nothing(auth_client, db_snapshot, target, field, value):
    assert_bad_values_refused(auth_client, db_snapshot, target, {field: value})


@targets(DIMENSIONED)
def test_bad_values_are_400_on_every_endpoint(auth_client, db_snapshot, target):
    assert_bad_values_refused(auth_client, db_snapshot, target, BAD_VALUES_EVERYWHERE)


@targets(ENDPOINTS, methods=WRITES[:1])
@pytest.mark.parametrize("name", ["x" * 31, " "], ids=["31 chars", "blank"])
def test_bad_name_is_400_on_every_endpoint(auth_client, db_snapshot, target, name):
    assert_bad_values_refused(auth_client, db_snapshot, target, {"name": name})


# PUT and PATCH share the validation; PATCH is the one that skips absent fields.
@targets(ENDPOINTS, methods=[WRITES[0], WRITES[2]])
def test_name_taken_is_400(auth_client, db_snapshot, target):
    endpoint, method, url = target
    body = {**endpoint.payload(), "name": endpoint.make().name}
    before = db_snapshot()

    response = write(auth_client, method, url, body)

    assert "already exists" in assert_refused(response, 400, "name")["name"][0]
    assert db_snapshot() == before


@pytest.mark.parametrize(
    ("url", "field", "value"),
    [
        ("/rooms/", "door_id", MISSING),
        ("/rooms/", "door_id", TOO_BIG),
        ("/rooms/", "door_id", "front"),
        ("/rooms/", "door_id", None),
        ("/rooms/", "decoration_id", MISSING),
        ("/rooms/", "decoration_id", "nice"),
        ("/windows/", "room", MISSING),
        ("/windows/", "room", TOO_BIG),
        ("/windows/", "room", None),
        ("/window_fittings/", "windows", [MISSING]),
        ("/window_fittings/", "windows", [TOO_BIG]),
        ("/window_fittings/", "windows", MISSING),
        ("/beds/", "rooms", [MISSING]),
        ("/chairs/", "rooms", ["one"]),
        ("/tables/", "rooms", [TOO_BIG]),
        ("/tables/", "rooms", "not a list"),
        ("/beds/", "rooms", {}),  # an object: DRF read it as no rooms
        ("/window_fittings/", "windows", {}),
    ],
)
@pytest.mark.parametrize("method", ["post", "patch"])
def test_unknown_related_id_is_400(auth_client, db_snapshot, url, field, value, method):
    endpoint = next(e for e in ENDPOINTS if e.url == url)
    if method == "patch":
        url = f"{url}{endpoint.make().pk}/"
    body = {**endpoint.payload(), field: value}
    before = db_snapshot()

    response = write(auth_client, method, url, body)

    assert_refused(response, 400, field)
    assert db_snapshot() == before


def test_unknown_related_id_among_good_ones_writes_nothing(auth_client, db_snapshot):
    """One bad id in a list refuses the whole list, not just that id."""
    good = make_room()
    endpoint = next(e for e in ENDPOINTS if e.url == "/beds/")
    bed = endpoint.make()
    before = db_snapshot()

    response = auth_client.patch(f"/beds/{bed.pk}/", {"rooms": [good.pk, MISSING]}, format="json")

    assert_refused(response, 400, "rooms")
    assert db_snapshot() == before


@pytest.mark.parametrize(
    "raw",
    [
        '{"name": "Broken door", ',
        '{"name": "Nan door", "type": "DT1", "width": NaN}',
        "not json at all",
        "",
    ],
    ids=["truncated", "NaN literal", "garbage", "empty"],
)
def test_malformed_json_is_400(auth_client, db_snapshot, raw):
    before = db_snapshot()

    response = auth_client.post("/doors/", raw, content_type="application/json")

    assert response.status_code == 400, response.content
    assert response.json()  # a JSON answer naming the problem, not an HTML page
    assert db_snapshot() == before


@pytest.mark.parametrize("body", ['["a", "list"]', '"a string"', "42", "null"])
def test_json_that_is_not_an_object_is_400(auth_client, db_snapshot, body):
    before = db_snapshot()

    response = auth_client.post("/rooms/", body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert db_snapshot() == before


def test_unsupported_media_type_is_415(auth_client):
    response = auth_client.post("/doors/", "<door/>", content_type="application/xml")

    assert response.status_code == 415, response.content


def test_missing_required_fields_are_each_named(auth_client, db_snapshot):
    before = db_snapshot()

    response = auth_client.post("/rooms/", {}, format="json")

    assert_refused(response, 400, "name", "type", "door_id")
    assert db_snapshot() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
@pytest.mark.parametrize("pk", [MISSING, "abc"])
def test_unknown_or_malformed_id_is_404(auth_client, db_snapshot, endpoint, pk):
    for method in ("get", "put", "patch", "delete"):
        assert_not_found(auth_client, db_snapshot, method, f"{endpoint.url}{pk}/")


@pytest.mark.parametrize("pk", [TOO_BIG, -1, "1.5", "1e3"])
def test_out_of_range_id_is_404(auth_client, db_snapshot, pk):
    make_room()
    for method in ("get", "patch", "delete"):
        assert_not_found(auth_client, db_snapshot, method, f"/rooms/{pk}/")


def assert_not_found(client, db_snapshot, method, url):
    before = db_snapshot()

    response = getattr(client, method)(url, {}, format="json")

    assert response.status_code == 404, (method, response.content)
    assert response.json()["detail"]
    assert db_snapshot() == before


def test_deleting_door_with_rooms_is_409_and_says_why(auth_client, db_snapshot):
    door = make_door()
    rooms = [make_room(door=door) for _ in range(2)]
    before = db_snapshot()

    response = auth_client.delete(f"/doors/{door.pk}/")

    assert response.status_code == 409, response.content
    body = response.json()
    assert "door" in body["detail"] and "2 rooms" in body["detail"]
    assert body["blocked_by"] == {"count": 2, "ids": [room.pk for room in rooms]}
    assert db_snapshot() == before


def test_door_can_be_deleted_once_its_rooms_moved(auth_client):
    door, other = make_door(), make_door()
    room = make_room(door=door)
    auth_client.patch(f"/rooms/{room.pk}/", {"door_id": other.pk}, format="json")

    assert auth_client.delete(f"/doors/{door.pk}/").status_code == 204

    assert not Door.objects.filter(pk=door.pk).exists()


def test_room_rename_to_taken_name_keeps_old_values(auth_client):
    taken = make_room().name
    room = make_room(decoration=make_decoration())
    before = Room.objects.filter(pk=room.pk).values().get()

    response = auth_client.put(
        f"/rooms/{room.pk}/",
        {"name": taken, "type": "LRM", "width": 9, "door_id": make_door().pk},
        format="json",
    )

    assert_refused(response, 400, "name")
    assert Room.objects.filter(pk=room.pk).values().get() == before


def test_error_messages_are_readable(auth_client):
    """The messages say what is wrong and what is allowed, in words."""
    body = auth_client.post(
        "/rooms/",
        {"name": unique_name("Room"), "type": "XYZ", "width": 0.5, "door_id": MISSING},
        format="json",
    ).json()

    assert body["type"] == ['"XYZ" is not a valid choice.']
    assert body["width"] == ["Ensure this value is greater than or equal to 1.0."]
    assert "does not exist" in body["door_id"][0]
