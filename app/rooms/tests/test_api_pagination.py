"""Every list is cursor-paginated on ``id``: ``next``/``previous`` links, no count.

Following the links must visit every row once, in id order; the page size is
chosen with ``page_size`` from 1 to 1000 (anything else is a 400), so no request
can ask for the whole table; a cursor the client made up or mangled is "not found", not a crash.
"""

import base64
from urllib.parse import parse_qs, urlsplit

import pytest

from rooms.models import Door

from .factories import ENDPOINTS, make_room, unique_name

pytestmark = pytest.mark.django_db


def make_doors(count):
    """``count`` doors in one query (pagination needs rows, not signals)."""
    doors = [Door(name=unique_name("Door"), type="DT1") for _ in range(count)]
    return [door.pk for door in Door.objects.bulk_create(doors)]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_every_list_has_cursor_page_shape(api_client, endpoint):
    endpoint.make()

    body = page(api_client, endpoint.url)

    assert list(body) == ["next", "previous", "results"]
    assert body["results"]


def test_following_next_visits_every_row_once_in_id_order(api_client):
    ids = make_doors(7)

    seen, url, pages = [], "/doors/?page_size=3", 0
    while url:
        body = page(api_client, url)
        seen += [door["id"] for door in body["results"]]
        url, pages = body["next"], pages + 1

    assert seen == ids
    assert pages == 3


def test_previous_leads_back(api_client):
    ids = make_doors(5)
    first = page(api_client, "/doors/?page_size=2")
    second = page(api_client, first["next"])

    back = page(api_client, second["previous"])

    assert first["previous"] is None
    assert [d["id"] for d in second["results"]] == ids[2:4]
    assert back["results"] == first["results"]


def test_links_keep_page_size(api_client):
    make_doors(3)

    next_url = page(api_client, "/doors/?page_size=1")["next"]

    assert parse_qs(urlsplit(next_url).query)["page_size"] == ["1"]


def test_new_rows_do_not_shift_pages(api_client):
    """A cursor remembers the last id seen, so rows added meanwhile cannot
    repeat or skip items, as offsets would."""
    ids = make_doors(4)
    first = page(api_client, "/doors/?page_size=2")
    make_doors(1)

    second = page(api_client, first["next"])

    assert [d["id"] for d in second["results"]] == ids[2:4]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", 100), ("?page_size=1000", 1000), ("?page_size=7", 7)],
)
def test_page_size_default_and_cap(api_client, query, expected):
    make_doors(1001)

    body = page(api_client, f"/doors/{query}")

    assert len(body["results"]) == expected
    assert body["next"]


@pytest.mark.parametrize(
    "value", ["0", "-5", "abc", "", "null", "1001", "5000", "1.5", "+5", "5_0", "\u0665"]
)
def test_nonsense_page_size_is_400_naming_the_parameter(api_client, value):
    """The schema says 1 to 1000; anything else is refused, not quietly replaced."""
    make_doors(3)

    response = api_client.get("/doors/", {"page_size": value})

    assert response.status_code == 400, response.content
    assert response.json() == {"page_size": ["Must be a whole number from 1 to 1000."]}


@pytest.mark.parametrize(
    "cursor",
    ["zzz", "cD0xMjM", "cD1hYmM%3D", "cD0xLjU%3D", "bz1hYmM%3D", "cj14"],
    ids=["not base64", "unpadded", "p=abc", "p=1.5", "o=abc", "r=x"],
)
def test_invalid_cursor_is_404(api_client, cursor):
    make_room()

    response = api_client.get(f"/rooms/?cursor={cursor}")

    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "Invalid cursor"}


@pytest.mark.parametrize("position", ["-5", "99999999999999999999999"])
def test_cursor_beyond_any_id_is_an_empty_page(api_client, position):
    """A well-formed cursor past either end is not an error, just no rows."""
    ids = make_doors(2)
    cursor = base64.b64encode(f"p={position}".encode()).decode()

    body = page(api_client, f"/doors/?cursor={cursor}")

    assert [d["id"] for d in body["results"]] == (ids if position == "-5" else [])
