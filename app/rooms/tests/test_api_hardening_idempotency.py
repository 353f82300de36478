"""Writes with an ``Idempotency-Key``: a retry returns the first outcome, never a second write.

A client told "failed" (a timeout, a dropped connection) can retry with the
same key: if the first attempt committed, it gets that attempt's answer; if
not, the write is applied now; either way it is applied once. The record
lives in PostgreSQL, per user and key, and expires.
"""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from idempotency.models import IdempotencyRecord
from rest_framework.test import APIClient

from rooms.models import Bed, Door, Room
from rooms.services.editors import editor_permissions

from .conftest import PASSWORD, basic_auth
from .factories import make_bed, make_door, make_room, unique_name

pytestmark = pytest.mark.django_db


def keyed(client, method, url, body=None, key="key-1"):
    return getattr(client, method)(url, body, HTTP_IDEMPOTENCY_KEY=key)


def room_body(door):
    return {"name": unique_name("Room"), "type": "BDR", "door_id": door.pk}


def test_a_retried_post_returns_the_first_answer_and_creates_once(auth_client):
    body = room_body(make_door())

    first = keyed(auth_client, "post", "/rooms/", body)
    retry = keyed(auth_client, "post", "/rooms/", body)

    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content  # the same room, same key order
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Room.objects.count() == 1


def test_a_retried_patch_and_delete_apply_once(auth_client):
    bed = make_bed(rooms=[make_room()])

    patched = [keyed(auth_client, "patch", f"/beds/{bed.pk}/", {"width": 2.0}, "p") for _ in "12"]
    bed.refresh_from_db()
    auth_client.patch(f"/beds/{bed.pk}/", {"width": 3.0})  # someone changes it meanwhile
    late_retry = keyed(auth_client, "patch", f"/beds/{bed.pk}/", {"width": 2.0}, "p")
    deleted = [keyed(auth_client, "delete", f"/beds/{bed.pk}/", key="d") for _ in "12"]

    assert [r.status_code for r in patched] == [200, 200]
    assert late_retry.json()["width"] == 2.0  # the first answer ...
    assert Bed.objects.filter(pk=bed.pk).exists() is False
    assert [r.status_code for r in deleted] == [204, 204]  # not 404 on the retry


def test_the_same_key_for_a_different_request_is_422(auth_client, db_snapshot):
    door = make_door()
    keyed(auth_client, "post", "/rooms/", room_body(door))
    before = db_snapshot()

    response = keyed(auth_client, "post", "/rooms/", room_body(door))

    assert response.status_code == 422, response.content
    assert "different request" in response.json()["detail"]
    assert db_snapshot() == before


def test_a_failed_write_leaves_the_key_free_for_the_corrected_retry(auth_client):
    door = make_door()

    refused = keyed(auth_client, "post", "/rooms/", {**room_body(door), "width": 0})
    accepted = keyed(auth_client, "post", "/rooms/", room_body(door))

    assert (refused.status_code, accepted.status_code) == (400, 201)
    assert "Idempotent-Replayed" not in accepted
    assert Room.objects.count() == 1


def test_keys_belong_to_their_user(auth_client, django_user_model):
    other = django_user_model.objects.create_user("other", password=PASSWORD)
    other.user_permissions.set(editor_permissions())
    other_client = APIClient()
    other_client.credentials(HTTP_AUTHORIZATION=basic_auth("other"))
    door = make_door()

    mine = keyed(auth_client, "post", "/doors/", {"name": "Mine", "type": "DT1"})
    theirs = keyed(other_client, "post", "/doors/", {"name": "Theirs", "type": "DT1"})

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in theirs
    assert Door.objects.exclude(pk=door.pk).count() == 2


def test_an_expired_key_is_a_new_key(auth_client, settings):
    settings.ROOMS_IDEMPOTENCY_TTL = 0
    body = {"name": unique_name("Door"), "type": "DT1"}

    first = keyed(auth_client, "post", "/doors/", body)
    body["name"] = unique_name("Door")
    second = keyed(auth_client, "post", "/doors/", body)  # same key, other body: fine now

    assert (first.status_code, second.status_code) == (201, 201)
    assert Door.objects.count() == 2


def test_purge_command_deletes_expired_records(auth_client, settings):
    settings.ROOMS_IDEMPOTENCY_TTL = 0
    keyed(auth_client, "post", "/doors/", {"name": unique_name("Door"), "type": "DT1"}, "old")
    settings.ROOMS_IDEMPOTENCY_TTL = 3600
    keyed(auth_client, "post", "/doors/", {"name": unique_name("Door"), "type": "DT1"}, "new")
    out = io.StringIO()

    call_command("purge_idempotency_keys", stdout=out)

    assert out.getvalue().startswith("1 expired")
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.parametrize("key", ["", "x" * 256, "clé", "tab\there", "with space"])
def test_a_malformed_key_is_400(auth_client, db_snapshot, key):
    before = db_snapshot()

    response = keyed(auth_client, "post", "/doors/", {"name": "D", "type": "DT1"}, key)

    assert response.status_code == 400, response.content
    assert "Idempotency-Key" in response.json()
    assert db_snapshot() == before


def test_reads_ignore_the_key(api_client):
    make_door()

    assert api_client.get("/doors/", HTTP_IDEMPOTENCY_KEY="k").status_code == 200


@pytest.mark.slow
def test_concurrent_retries_with_one_key_write_once(transactional_db, user):
    """Three copies of one POST in flight at once (a client retrying while the
    first attempt still waits): one write, three equal answers.

    The room's door is held by another transaction, so the first attempt waits
    at COMMIT (deferred foreign key) while the others arrive and wait on its key.
    """
    door = make_door()
    body = room_body(door)
    holder = connections.create_connection("default")
    holder.set_autocommit(False)
    with holder.cursor() as cursor:
        cursor.execute("SELECT 1 FROM rooms_door WHERE id = %s FOR UPDATE", [door.pk])
    answers = []

    def post():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=basic_auth(user.username))
        answers.append(keyed(client, "post", "/rooms/", body, "same"))
        connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(3)]
    for thread in threads:
        thread.start()
    threading.Event().wait(0.5)
    holder.rollback()
    holder.close()
    for thread in threads:
        thread.join()

    assert [a.status_code for a in answers] == [201, 201, 201], [a.content for a in answers]
    assert len({a.content for a in answers}) == 1
    assert sum("Idempotent-Replayed" in a for a in answers) == 2
    assert Room.objects.count() == 1
    assert connection.vendor == "postgresql"
