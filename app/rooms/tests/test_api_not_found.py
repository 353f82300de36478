"""A missing object reads the same on every path: 404, ``{"detail": "Not found."}``.

Django's ``get_object_or_404`` words it after the model ("No Room matches
the given query."); the stored read paths and unknown URLs said "Not
found.", so the same missing room looked different depending on where it
was asked for.
"""

from urllib.parse import quote

import pytest

from .compare_page import READ_PATHS
from .factories import ENDPOINTS, make_full_room

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Not found."}
MISSING = 10**9  # an id no test creates


@pytest.mark.parametrize("path", READ_PATHS + [e.url for e in ENDPOINTS if e.url != "/rooms/"])
@pytest.mark.parametrize("pk", [MISSING, 10**20, "abc"])
def test_a_missing_object_is_the_same_404_on_every_path(api_client, path, pk):
    response = api_client.get(f"{path}{pk}/", HTTP_ACCEPT="application/json")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def other_writings(pk: int) -> list[str]:
    """``pk`` written as ``int()`` would still read it, but not as an id is written."""
    arabic_indic = str(pk).translate({ord(d): 0x0660 + int(d) for d in "0123456789"})
    return [f"+{pk}", f"%20{pk}", f"0_{pk}", quote(arabic_indic)]


@pytest.mark.parametrize("path", READ_PATHS + [e.url for e in ENDPOINTS if e.url != "/rooms/"])
def test_an_id_is_written_in_ascii_digits_on_every_path(api_client, fresh_view, path):
    """``int()`` reads "+5", " 5", "0_5" and an Arabic-Indic 5 as 5: none is how the id is
    written, and none is answered as if it were."""
    endpoint = next((e for e in ENDPOINTS if e.url == path), ENDPOINTS[0])
    pk = (make_full_room() if path in READ_PATHS else endpoint.make()).pk
    assert api_client.get(f"{path}{pk}/", HTTP_ACCEPT="application/json").status_code == 200

    for written in other_writings(pk):
        response = api_client.get(f"{path}{written}/", HTTP_ACCEPT="application/json")

        assert (response.status_code, response.json()) == (404, NOT_FOUND), written


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_write_to_a_missing_object_is_the_same_404(auth_client, method):
    response = getattr(auth_client, method)(f"/rooms/{MISSING}/", {}, format="json")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_an_unknown_url_is_the_same_404(api_client):
    response = api_client.get("/no/such/thing/")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
