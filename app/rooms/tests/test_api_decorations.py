"""Decorations written together with their souvenirs (a writable nested list).

Each ``souvenirs`` item with an ``id`` updates that souvenir, one without
creates it, and the decoration then holds exactly the listed souvenirs. The
write is all-or-nothing: one bad item refuses the request and no souvenir is
created, renamed or unlinked.
"""

import pytest

from rooms.models import Decoration, Souvenir

from .factories import make_decoration, make_souvenir

pytestmark = pytest.mark.django_db


def held(decoration):
    """The decoration's souvenirs as the API shows them, read from the database."""
    return [{"id": s.pk, "name": s.name} for s in decoration.souvenirs.order_by("id")]


def test_create_with_new_souvenirs(auth_client):
    response = auth_client.post(
        "/decorations/",
        {"name": "Sea shells", "souvenirs": [{"name": "Star"}, {"name": "Shell"}]},
        format="json",
    )

    assert response.status_code == 201, response.content
    decoration = Decoration.objects.get(pk=response.json()["id"])
    assert [s["name"] for s in held(decoration)] == ["Star", "Shell"]
    assert response.json() == {
        "id": decoration.pk,
        "name": "Sea shells",
        "souvenirs": held(decoration),
    }


def test_create_without_souvenirs(auth_client):
    response = auth_client.post("/decorations/", {"name": "Bare walls"}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["souvenirs"] == []


def test_update_renames_keeps_adds_and_drops(auth_client):
    renamed, kept, dropped = make_souvenir(), make_souvenir(), make_souvenir()
    decoration = make_decoration(souvenirs=[renamed, kept, dropped])

    response = auth_client.put(
        f"/decorations/{decoration.pk}/",
        {
            "name": decoration.name,
            "souvenirs": [
                {"id": kept.pk, "name": kept.name},
                {"name": "Brand new"},
                {"id": renamed.pk, "name": "Polished"},
            ],
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    new = Souvenir.objects.get(name="Brand new")
    assert held(decoration) == [
        {"id": renamed.pk, "name": "Polished"},
        {"id": kept.pk, "name": kept.name},
        {"id": new.pk, "name": "Brand new"},
    ]
    assert response.json()["souvenirs"] == held(decoration)
    # Unlinked, not deleted: another decoration may still show it.
    assert Souvenir.objects.filter(pk=dropped.pk).exists()


def test_souvenir_can_join_a_second_decoration(auth_client):
    shared = make_souvenir()
    first = make_decoration(souvenirs=[shared])
    second = make_decoration()

    response = auth_client.patch(
        f"/decorations/{second.pk}/",
        {"souvenirs": [{"id": shared.pk, "name": shared.name}]},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert held(first) == held(second) == [{"id": shared.pk, "name": shared.name}]


def test_patch_without_souvenirs_keeps_them(auth_client):
    decoration = make_decoration(souvenirs=[make_souvenir(), make_souvenir()])
    before = held(decoration)

    response = auth_client.patch(
        f"/decorations/{decoration.pk}/", {"name": "Renamed only"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert held(decoration) == before
    assert response.json() == {"id": decoration.pk, "name": "Renamed only", "souvenirs": before}


def test_patch_with_empty_list_unlinks_all(auth_client):
    decoration = make_decoration(souvenirs=[make_souvenir()])

    response = auth_client.patch(f"/decorations/{decoration.pk}/", {"souvenirs": []}, format="json")

    assert response.status_code == 200, response.content
    assert held(decoration) == []


@pytest.fixture
def scene():
    """A decoration holding one souvenir, and a souvenir of another decoration."""
    mine = make_souvenir(name="Mine")
    other = make_souvenir(name="Other")
    make_decoration(souvenirs=[other])
    return make_decoration(souvenirs=[mine]), mine, other


CLASHES = {
    "new item named like another souvenir": lambda mine, other: [
        {"id": mine.pk, "name": "Mine renamed"},
        {"name": "Other"},
    ],
    "renamed to another souvenir's name": lambda mine, other: [{"id": mine.pk, "name": "Other"}],
    "same name twice": lambda mine, other: [{"name": "Twin"}, {"name": "Twin"}],
    "same name twice, one existing": lambda mine, other: [
        {"id": mine.pk, "name": "Twin"},
        {"name": "Twin"},
    ],
    "unknown id": lambda mine, other: [{"name": "Fresh"}, {"id": 10**9, "name": "Ghost"}],
    "id beyond bigint": lambda mine, other: [{"id": 10**20, "name": "Ghost"}],
    "same id twice": lambda mine, other: [
        {"id": mine.pk, "name": "First"},
        {"id": mine.pk, "name": "Second"},
    ],
    "id that is not a number": lambda mine, other: [{"id": "one", "name": "Fresh"}],
    "name too long": lambda mine, other: [{"name": "Fresh"}, {"name": "x" * 31}],
    "blank name": lambda mine, other: [{"name": "Fresh"}, {"name": " "}],
    "missing name": lambda mine, other: [{"name": "Fresh"}, {"id": mine.pk}],
    "item not an object": lambda mine, other: ["Fresh"],
    "not a list": lambda mine, other: {"name": "Fresh"},
    "null": lambda mine, other: None,
}


# PUT and PATCH share the update path; PATCH is the one that relaxes
# required fields (nested ones included), so it is the one tried.
@pytest.mark.parametrize("method", ["post", "patch"])
@pytest.mark.parametrize("souvenirs", CLASHES.values(), ids=CLASHES.keys())
def test_bad_souvenir_list_is_400_and_writes_nothing(
    auth_client, db_snapshot, scene, method, souvenirs
):
    decoration, mine, other = scene
    url = "/decorations/" if method == "post" else f"/decorations/{decoration.pk}/"
    before = db_snapshot()

    response = getattr(auth_client, method)(
        url, {"name": "New name", "souvenirs": souvenirs(mine, other)}, format="json"
    )

    assert response.status_code == 400, response.content
    assert response.json()["souvenirs"], response.json()
    assert db_snapshot() == before


def test_clash_message_points_at_the_item(auth_client, scene):
    decoration, _, other = scene

    response = auth_client.put(
        f"/decorations/{decoration.pk}/",
        {"name": decoration.name, "souvenirs": [{"name": "Fine"}, {"name": "Other"}]},
        format="json",
    )

    assert response.json() == {
        "souvenirs": [{}, {"name": [f"A souvenir with this name already exists (id {other.pk})."]}]
    }
