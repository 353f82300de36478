"""The Django admin: every model is there, and lists can be searched by name."""

import pytest
from django.apps import apps
from django.contrib import admin

from rooms.models import LINK_MODELS

from .factories import ENDPOINTS, make_room, make_window

pytestmark = pytest.mark.django_db

endpoints = pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)


def changelist(model):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


def test_every_rooms_model_is_registered():
    """Every model but the link-table proxies (links are edited from either side)."""
    missing = [
        m.__name__
        for m in apps.get_app_config("rooms").get_models()
        if not admin.site.is_registered(m) and m not in LINK_MODELS
    ]

    assert missing == []


@endpoints
def test_search_by_name_finds_only_matches(admin_client, endpoint):
    wanted, other = endpoint.make(), endpoint.make()
    wanted.name = "Blue lagoon"
    wanted.save()

    response = admin_client.get(changelist(endpoint.model), {"q": "LAGOON"})

    assert response.status_code == 200
    shown = [obj.pk for obj in response.context["cl"].result_list]
    assert wanted.pk in shown and other.pk not in shown


@endpoints
def test_change_and_add_pages_render(admin_client, endpoint):
    obj = endpoint.make()

    assert admin_client.get(f"{changelist(endpoint.model)}{obj.pk}/change/").status_code == 200
    assert admin_client.get(f"{changelist(endpoint.model)}add/").status_code == 200


def test_room_page_shows_its_windows_inline(admin_client):
    room = make_room()
    window = make_window(room)

    response = admin_client.get(f"{changelist(type(room))}{room.pk}/change/")

    assert window.name in response.content.decode()


def test_autocomplete_finds_doors_by_name(admin_client):
    """The room form picks its door with an autocomplete searching door names."""
    room = make_room()

    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "rooms", "model_name": "room", "field_name": "door", "term": room.door.name},
    )

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(room.door_id)]


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/rooms/room/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
