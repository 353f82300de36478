"""Without ``DATABASE_REPLICA_URLS`` nothing changes; with it, one alias per replica.

The replicas themselves, with real streaming replication: ``test_replicas.py``.
"""

import json

import pytest

from rooms.tests import factories


@pytest.mark.django_db
def test_without_replicas_reads_and_writes_are_as_before(
    api_client, auth_client, django_assert_num_queries
):
    room = factories.make_full_room()
    # One statement for an anonymous stored read, as ever: no replica state, no check.
    with django_assert_num_queries(1):
        response = api_client.get(f"/rooms_v3/{room.pk}/")
    assert response.status_code == 200
    assert "X-DB-Server" not in response
    write = auth_client.patch(f"/rooms/{room.pk}/", {"name": "Plain"})
    assert write.status_code == 200
    assert "X-DB-LSN" not in write
    assert "rooms_db_lsn" not in write.cookies
    assert json.loads(auth_client.get(f"/rooms_v3/{room.pk}/").content)["name"] == "Plain"


def test_replica_urls_become_database_aliases(monkeypatch):
    from replicas import config

    monkeypatch.setenv(
        "DATABASE_REPLICA_URLS",
        " postgres://u:p@replica-a:5432/rooms , ,postgres://u:p@replica-b:6432/rooms",
    )
    databases = config.replica_databases({"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True})
    assert {alias: (db["HOST"], db["PORT"]) for alias, db in databases.items()} == {
        "replica_1": ("replica-a", 5432),
        "replica_2": ("replica-b", 6432),
    }
    assert all(db["CONN_MAX_AGE"] == 60 and db["TEST"] == {"MIRROR": "default"}
               for db in databases.values())  # fmt: skip
    monkeypatch.delenv("DATABASE_REPLICA_URLS")
    assert config.replica_databases({}) == {}
