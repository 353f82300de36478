"""Read replicas, with real PostgreSQL streaming replication.

A streaming replica of the test server is made for this module
(``local_replica.py``: ``pg_basebackup -R`` and a second ``postgres``), and a
real gunicorn server (``docker/start.sh``) is started with
``DATABASE_REPLICA_URLS`` pointing at it. Replay is paused on the replica
with ``pg_wal_replay_pause()`` where a test needs it behind, and the replica
is stopped and started again where it needs it gone.

Where the server does not allow replication connections (such as the
system PostgreSQL, whose ``pg_hba.conf`` has no ``replication`` line, and
which is not ours to change), the module is skipped and says why; CI runs it
on the embedded PostgreSQL, which allows replication.

Without ``DATABASE_REPLICA_URLS`` nothing changes: ``test_replicas_off.py``.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest
import requests
from django.db import connection
from local_replica import LocalReplica
from rest_framework.authtoken.models import Token

from rooms.models import Room
from rooms.read_models.document import as_json_text
from rooms.read_models.registry import READ_MODELS
from rooms.tests import factories
from rooms.tests.project import REPO_DIR, database_url, free_port, manage
from rooms.tests.read_paths import READ_PATHS

#: Short bounds, so that lag and recovery show within a test.
MAX_LAG = 1.0
CHECK_INTERVAL = 0.1
RETRY_INTERVAL = 0.5
READ_WAIT = 0.2

pytestmark = pytest.mark.slow


# --- the servers --------------------------------------------------------------------
@pytest.fixture(scope="module")
def primary_url(django_db_setup):
    return database_url(connection.settings_dict, connection.settings_dict["NAME"])


@pytest.fixture(scope="module")
def replica(primary_url):
    directory = Path(tempfile.mkdtemp(prefix="rooms-replica-"))
    replica = LocalReplica(primary_url, directory)
    if reason := replica.refusal():
        shutil.rmtree(directory, ignore_errors=True)
        pytest.skip(
            f"no streaming replica of the test server can be made: {reason}. "
            "CI runs these tests on the embedded PostgreSQL, which allows replication"
        )
    try:
        replica.create()
        replica.start()
        yield replica
    finally:
        replica.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def replica_url(replica):
    return replica.url(connection.settings_dict["NAME"])


def server_environment(primary_url, replica_url, **extra):
    return {
        **os.environ,
        "DATABASE_URL": primary_url,
        "DATABASE_REPLICA_URLS": replica_url,
        "DJANGO_SECRET_KEY": "test-replicas-not-a-secret",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "ROOMS_VIEW_REFRESH": "immediate",
        "ROOMS_REPLICA_MAX_LAG": str(MAX_LAG),
        "ROOMS_REPLICA_CHECK_INTERVAL": str(CHECK_INTERVAL),
        "ROOMS_REPLICA_RETRY_INTERVAL": str(RETRY_INTERVAL),
        "ROOMS_REPLICA_READ_WAIT": str(READ_WAIT),
        **extra,
    }


@contextlib.contextmanager
def running_server(primary_url, replica_url, logs: Path, **extra):
    """A gunicorn server (one worker, so one process's view of the replica) on the test
    database, whose read paths use the replica; yields its base URL."""
    port = free_port()
    env = server_environment(
        primary_url,
        replica_url,
        PYTHON=sys.executable,
        PORT=str(port),
        GUNICORN_WORKERS="1",
        ROOMS_SKIP_STARTUP_TASKS="1",
        ROOMS_LOG_FILE=str(logs / "requests.log"),
        **extra,
    )
    output = logs / "server.out"
    with output.open("w") as log:
        process = subprocess.Popen(
            ["sh", str(REPO_DIR / "docker" / "start.sh")],
            env=env,
            cwd="/tmp",
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(requests.ConnectionError):
                if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            assert process.poll() is None and time.monotonic() < deadline, output.read_text()
            time.sleep(0.2)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    # A replica's failure is a warning in the log, never an error answered to a client.
    assert " ERROR " not in output.read_text(), output.read_text()


@pytest.fixture(scope="module")
def server(primary_url, replica_url, tmp_path_factory):
    with running_server(primary_url, replica_url, tmp_path_factory.mktemp("server")) as base:
        yield base


def connect(url):
    raw = psycopg2.connect(url)
    raw.autocommit = True
    return raw


def query(url, sql, params=()):
    raw = connect(url)
    try:
        with raw.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        raw.close()


def wait_for_replay(primary_url, replica_url, timeout=30.0):
    """Until the replica has replayed everything the primary has committed so far."""
    ((position,),) = query(primary_url, "SELECT pg_current_wal_flush_lsn()")
    deadline = time.monotonic() + timeout
    while not query(replica_url, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])[0][0]:
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.02)


@pytest.fixture
def paused_replay(replica_url, primary_url):
    """Replay paused on the replica (what it receives waits), resumed afterwards."""
    wait_for_replay(primary_url, replica_url)
    query(replica_url, "SELECT pg_wal_replay_pause()")
    yield
    query(replica_url, "SELECT pg_wal_replay_resume()")
    wait_for_replay(primary_url, replica_url)


# --- data and clients -----------------------------------------------------------------
@pytest.fixture
def room(fresh_view, primary_url, replica_url):
    """A committed room with everything attached, on the replica too."""
    room = factories.make_full_room(name="Before")
    wait_for_replay(primary_url, replica_url)
    return room


@pytest.fixture
def writer(transactional_db, django_user_model):
    user = django_user_model.objects.create_superuser("replica-writer", password="unused-here")
    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


def get(server, path, **headers):
    response = requests.get(f"{server}{path}", headers=headers, timeout=10)
    assert response.status_code == 200, (path, response.status_code, response.text)
    return response


def name_and_server(server, path, **headers):
    response = get(server, path, **headers)
    return response.json()["name"], response.headers["X-DB-Server"]


def rename(server, writer, room, name):
    response = requests.patch(
        f"{server}/rooms/{room.pk}/", json={"name": name}, headers=writer, timeout=10
    )
    assert response.status_code == 200, response.text
    return response


# --- reads on the replica ---------------------------------------------------------------
def test_every_read_path_is_served_by_the_replica(server, room, paused_replay):
    # Behind the primary's back (replay paused), the room is renamed: only a
    # read served by the replica can still show the old name.
    Room.objects.filter(pk=room.pk).update(name="Renamed on the primary")
    for path in READ_PATHS:
        assert name_and_server(server, f"{path}{room.pk}/") == ("Before", "replica"), path
        page = get(server, f"{path}?page_size=10")
        assert page.headers["X-DB-Server"] == "replica", path
        assert [document["name"] for document in page.json()["results"]] == ["Before"], path
        assert float(page.headers["X-DB-Replica-Lag"]) <= MAX_LAG


def test_a_client_reads_its_own_write_while_replay_is_paused(server, room, writer, paused_replay):
    response = rename(server, writer, room, "Mine")
    position = response.headers["X-DB-LSN"]
    assert response.cookies["rooms_db_lsn"] == position

    forged = {"X-DB-LSN": "FFFFFFFFFF:" + position.split(":")[1]}
    # Without its position, or with one it did not get from us: any fresh replica,
    # here behind (first: the replica counts as fresh for MAX_LAG seconds only).
    for path in READ_PATHS:
        assert name_and_server(server, f"{path}{room.pk}/") == ("Before", "replica"), path
        assert name_and_server(server, f"{path}{room.pk}/", **forged) == ("Before", "replica")
    # With it (the header, or the cookie a browser sends back by itself): its write.
    for path in READ_PATHS:
        assert name_and_server(server, f"{path}{room.pk}/", **{"X-DB-LSN": position}) == (
            "Mine",
            "primary",
        ), path
        with requests.Session() as browser:
            browser.cookies.set("rooms_db_lsn", position)
            assert browser.get(f"{server}{path}{room.pk}/", timeout=10).json()["name"] == "Mine"


def test_once_the_replica_has_replayed_a_write_it_serves_its_writer(
    server, room, writer, primary_url, replica_url
):
    position = rename(server, writer, room, "Replayed").headers["X-DB-LSN"]
    wait_for_replay(primary_url, replica_url)
    for path in READ_PATHS:
        assert name_and_server(server, f"{path}{room.pk}/", **{"X-DB-LSN": position}) == (
            "Replayed",
            "replica",
        ), path


def test_a_refused_write_carries_no_position(server, writer, room):
    response = requests.patch(
        f"{server}/rooms/{room.pk}/", json={"width": "wide"}, headers=writer, timeout=10
    )
    assert response.status_code == 400
    assert "X-DB-LSN" not in response.headers
    assert "rooms_db_lsn" not in response.cookies


def test_a_write_that_builds_on_the_previous_one_works_while_replay_is_paused(
    server, writer, transactional_db, paused_replay
):
    door = requests.post(
        f"{server}/doors/",
        json={"name": "New door", "type": "DT1", "width": 1.0, "length": 2.0, "height": 1.0},
        headers=writer,
        timeout=10,
    )
    assert door.status_code == 201, door.text
    # The new room's door exists on the primary only: validated there, it is accepted.
    new_room = requests.post(
        f"{server}/rooms/",
        json={"name": "New room", "type": "BDR", "door_id": door.json()["id"]},
        headers=writer,
        timeout=10,
    )
    assert new_room.status_code == 201, new_room.text
    position = {"X-DB-LSN": new_room.headers["X-DB-LSN"]}
    assert name_and_server(server, f"/rooms_v2/{new_room.json()['id']}/", **position) == (
        "New room",
        "primary",
    )


def test_a_replica_too_far_behind_is_skipped_and_used_again_once_caught_up(
    server, room, primary_url, replica_url
):
    query(replica_url, "SELECT pg_wal_replay_pause()")
    try:
        Room.objects.filter(pk=room.pk).update(name="Newer")
        assert name_and_server(server, f"/rooms_v3/{room.pk}/") == ("Before", "replica")
        time.sleep(MAX_LAG + 3 * CHECK_INTERVAL)
        assert name_and_server(server, f"/rooms_v3/{room.pk}/") == ("Newer", "primary")
    finally:
        query(replica_url, "SELECT pg_wal_replay_resume()")
    wait_for_replay(primary_url, replica_url)
    time.sleep(2 * CHECK_INTERVAL)
    assert name_and_server(server, f"/rooms_v3/{room.pk}/") == ("Newer", "replica")


def assert_all_reads_served_by_the_primary(server, room):
    for path in READ_PATHS:
        for url in (f"{path}{room.pk}/", f"{path}?page_size=5"):
            response = requests.get(f"{server}{url}", timeout=10)
            assert response.status_code == 200, (url, response.status_code, response.text)
            assert response.headers["X-DB-Server"] == "primary", url
            assert "Before" in response.text, url


def wait_until_served_by_the_replica(server, room, timeout=10.0):
    deadline = time.monotonic() + timeout
    while name_and_server(server, f"/rooms_v2/{room.pk}/")[1] != "replica":
        assert time.monotonic() < deadline, "the replica was not used again"
        time.sleep(RETRY_INTERVAL / 2)


def test_a_stopped_replica_sends_reads_to_the_primary_without_errors_and_comes_back(
    room, replica, primary_url, replica_url, tmp_path
):
    # A server that checks its replica rarely: it still believes the replica fine
    # when it stops, and finds out when a read tries to use it.
    with running_server(
        primary_url, replica_url, tmp_path, ROOMS_REPLICA_CHECK_INTERVAL="600"
    ) as server:
        assert name_and_server(server, f"/rooms_v2/{room.pk}/") == ("Before", "replica")
        replica.stop()
        try:
            assert_all_reads_served_by_the_primary(server, room)
        finally:
            replica.start()
        wait_for_replay(primary_url, replica_url)
        wait_until_served_by_the_replica(server, room)


def test_a_replica_that_fails_a_read_costs_the_client_nothing(
    server, room, replica, primary_url, replica_url
):
    # A replica on which every query of the app fails (as one that has not yet
    # replayed a migration would): the same read is served again by the primary.
    replica.stop()
    replica.start(search_path="''")
    try:
        wait_for_replay(primary_url, replica_url)
        assert_all_reads_served_by_the_primary(server, room)
    finally:
        replica.stop()
        replica.start()
    wait_for_replay(primary_url, replica_url)
    wait_until_served_by_the_replica(server, room)


def test_a_stored_room_the_replica_fails_is_served_again_by_the_primary(
    room, replica, primary_url, replica_url, tmp_path
):
    # The first read the broken replica gets is an anonymous JSON client's stored
    # room, answered before DRF (rooms.middleware.stored_reads): it is served again
    # by the primary too, and the log holds the replica's warning, no error.
    path = f"{READ_MODELS['trigger_table'].path}{room.pk}/"
    with running_server(primary_url, replica_url, tmp_path) as server:
        assert name_and_server(server, path) == ("Before", "replica")
        replica.stop()
        replica.start(search_path="''")
        try:
            wait_for_replay(primary_url, replica_url)
            assert name_and_server(server, path) == ("Before", "primary")
        finally:
            replica.stop()
            replica.start()
        wait_for_replay(primary_url, replica_url)
    assert "replica replica_1 skipped" in (tmp_path / "server.out").read_text()


def test_the_read_models_on_the_replica_equal_the_live_documents_on_the_primary(
    server, writer, room, primary_url, replica_url
):
    other = factories.make_full_room(name="Other")
    bed = room.beds.first()
    for method, path, body in [
        ("patch", f"/beds/{bed.pk}/", {"name": "Renamed bed", "rooms": [room.pk, other.pk]}),
        ("patch", f"/rooms/{other.pk}/", {"name": "Other, renamed"}),
        ("delete", f"/windows/{room.windows.first().pk}/", None),
        ("post", "/rooms/", {"name": "Third", "type": "BDR", "door_id": room.door_id}),
    ]:
        response = requests.request(
            method, f"{server}{path}", json=body, headers=writer, timeout=10
        )
        assert response.status_code < 300, (path, response.text)
    wait_for_replay(primary_url, replica_url)

    live = query(
        primary_url, f"SELECT id, {as_json_text('d')} FROM rooms_room_document d ORDER BY id"
    )
    assert len(live) == 3
    for read_model in READ_MODELS.values():
        table = read_model.relation
        stored = query(replica_url, f"SELECT id, {as_json_text(table)} FROM {table} ORDER BY id")
        assert stored == live, read_model.name


def test_commands_run_against_the_primary(room, primary_url, replica_url, paused_replay):
    # A write that bypasses the app table's signals: only the primary shows it stale.
    Room.objects.filter(pk=room.pk).update(name="Bypassed")
    result = manage("check_rooms_cache", env=server_environment(primary_url, replica_url))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "app_table" in result.stdout
