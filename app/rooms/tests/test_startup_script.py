"""docker/start.sh, the container's start-up script, run outside Docker.

The script is meant to work the same on a developer's machine as in the image, and
`make test` needs no Docker engine (`make compose-test` runs it in the image), so it is
run here as a plain shell script against a real database: it must migrate, fill demo
data only into a database without rooms, and then exec the given command, or gunicorn
when none is given.
"""

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg2 import sql

from rooms.management.commands import fill_db_if_empty
from rooms.models import Door, Room

from .project import REPO_DIR, database_url, free_port, manage

START_SCRIPT = REPO_DIR / "docker" / "start.sh"

# Each run starts Python (and Django) a few times.
SCRIPT_TIMEOUT = 180
#: Nothing listens on port 1: any step that needs the database fails at once.
UNREACHABLE = "postgres://nobody@127.0.0.1:1/nothing"


def script_environment(url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment a container would get, pointed at ``url``."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SECRET_KEY="test-startup-script-not-a-secret",
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        PYTHON=sys.executable,
        ROOMS_LOG_FILE=str(tmp_path / "requests.log"),
        ROOMS_DB_WAIT_SECONDS="5",
        ROOMS_DEMO_ROOMS="5",
        ROOMS_DEMO_SEED="1",
    )
    env.pop("ROOMS_SKIP_STARTUP_TASKS", None)
    env.update(extra)
    return env


def run_start_script(env: dict[str, str], *command: str) -> subprocess.CompletedProcess:
    # From /tmp, not the repository: the script must find the app on its own.
    return subprocess.run(
        ["sh", str(START_SCRIPT), *command],
        env=env,
        cwd="/tmp",
        capture_output=True,
        text=True,
        timeout=SCRIPT_TIMEOUT,
        check=False,
    )


def print_command(text: str) -> list[str]:
    return [sys.executable, "-c", f"print({text!r})"]


def describe(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def test_database_url_round_trips_through_dj_database_url():
    import dj_database_url

    settings = {"USER": "u s", "PASSWORD": "p@ss/:", "HOST": "/var/run/postgresql", "PORT": 5433}
    parsed = dj_database_url.parse(database_url(settings, "test_rooms"))
    assert (parsed["USER"], parsed["PASSWORD"], parsed["HOST"], parsed["PORT"]) == (
        "u s",
        "p@ss/:",
        "/var/run/postgresql",
        5433,
    )
    assert parsed["NAME"] == "test_rooms"


@pytest.fixture
def migrated_database(django_db_setup):
    """DATABASE_URL of pytest-django's test database (migrated, usually without rooms)."""
    return database_url(connection.settings_dict, connection.settings_dict["NAME"])


@pytest.fixture
def committed_rooms_cleanup(transactional_db):
    """Leave no committed rooms behind, in the materialized view either.

    pytest-django empties the tables after a transactional test, but not the
    materialized view (not a table): rows a subprocess put there would outlive the
    test. This runs before that clean-up: the same flush, then a refresh.
    """
    yield
    call_command("flush", interactive=False, verbosity=0)
    call_command("refresh_rooms_view", stdout=io.StringIO())


@pytest.fixture
def fresh_database(django_db_setup):
    """An empty database on the test server, dropped afterwards.

    Fresh rather than the test database, which pytest-django has already migrated:
    only an empty one shows that the script really migrates.
    """
    settings = connection.settings_dict
    name = f"{settings['NAME']}_startup"[:63]
    # psycopg2 rather than Django's connection: CREATE DATABASE cannot run in the
    # transaction a Django test would wrap it in.
    admin = psycopg2.connect(database_url(settings, settings["NAME"]))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield database_url(settings, name)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        admin.close()


def test_migrates_a_fresh_database_then_runs_the_command(fresh_database, tmp_path):
    env = script_environment(fresh_database, tmp_path, ROOMS_DEMO_ROOMS="0")

    result = run_start_script(env, *print_command("started"))

    assert result.returncode == 0, describe(result)
    assert result.stdout.strip().endswith("started"), describe(result)
    assert "not filling" in result.stdout, describe(result)
    # --check exits non-zero when any migration is unapplied.
    check = manage("migrate", "--check", env=env, timeout=SCRIPT_TIMEOUT)
    assert check.returncode == 0, describe(check)
    with psycopg2.connect(fresh_database) as db, db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM rooms_room")
        assert cursor.fetchone() == (0,)
    db.close()


def test_exit_status_of_the_command_is_the_scripts(tmp_path):
    """exec: the command replaces the script, so its failure is the container's."""
    env = script_environment(UNREACHABLE, tmp_path, ROOMS_SKIP_STARTUP_TASKS="1")

    result = run_start_script(env, sys.executable, "-c", "raise SystemExit(7)")

    assert result.returncode == 7, describe(result)


def test_a_failed_step_stops_the_script(tmp_path):
    """set -e: with no reachable database the command must never start."""
    env = script_environment(UNREACHABLE, tmp_path, ROOMS_DB_WAIT_SECONDS="0")

    result = run_start_script(env, *print_command("started"))

    assert result.returncode != 0
    assert "started" not in result.stdout


@pytest.mark.parametrize("skip", ["1", "yes", " On "])
def test_skip_startup_tasks_only_runs_the_command(tmp_path, skip):
    """What the worker container does: no database step, so no database needed. The flag
    reads as every other flag of the service does."""
    env = script_environment(UNREACHABLE, tmp_path, ROOMS_SKIP_STARTUP_TASKS=skip)

    result = run_start_script(env, *print_command("started"))

    assert result.returncode == 0, describe(result)
    assert result.stdout.strip() == "started"


@pytest.mark.parametrize(
    "variable, bad", [("ROOMS_SKIP_STARTUP_TASKS", "maybe"), ("ROOMS_DB_WAIT_SECONDS", "1 min")]
)
def test_a_bad_setting_stops_the_script_before_the_command_naming_it(tmp_path, variable, bad):
    env = script_environment(UNREACHABLE, tmp_path, **{variable: bad})

    result = run_start_script(env, *print_command("started"))

    assert result.returncode != 0
    assert "started" not in result.stdout
    assert f"ImproperlyConfigured: {variable} must be" in result.stderr, describe(result)


def test_does_not_fill_a_database_that_has_rooms(
    committed_rooms_cleanup, migrated_database, tmp_path
):
    door = Door.objects.create(name="front door", type="DT1")
    Room.objects.create(name="the only room", type="KTCH", door=door)
    env = script_environment(migrated_database, tmp_path)

    result = run_start_script(env, *print_command("started"))

    assert result.returncode == 0, describe(result)
    assert "already has rooms" in result.stdout, describe(result)
    assert list(Room.objects.values_list("name", flat=True)) == ["the only room"]


def test_fills_a_database_without_rooms(committed_rooms_cleanup, migrated_database, tmp_path):
    assert not Room.objects.exists()
    env = script_environment(migrated_database, tmp_path)

    result = run_start_script(env, *print_command("started"))

    assert result.returncode == 0, describe(result)
    assert result.stdout.strip().endswith("started"), describe(result)
    assert Room.objects.count() == 5


@pytest.mark.django_db
def test_fill_db_if_empty_passes_rooms_and_seed_to_fill_db(monkeypatch):
    calls = []
    monkeypatch.setattr(
        fill_db_if_empty, "call_command", lambda name, **options: calls.append((name, options))
    )
    monkeypatch.setenv("ROOMS_DEMO_ROOMS", "7")
    monkeypatch.setenv("ROOMS_DEMO_SEED", "3")

    call_command("fill_db_if_empty")
    call_command("fill_db_if_empty", rooms=2)

    assert [(name, options["rooms"], options["seed"]) for name, options in calls] == [
        ("fill_db", 7, 3),
        ("fill_db", 2, 3),
    ]


@pytest.mark.django_db
def test_fill_db_if_empty_defaults_to_500_rooms_and_fill_dbs_seed(monkeypatch):
    calls = []
    monkeypatch.setattr(
        fill_db_if_empty, "call_command", lambda name, **options: calls.append(options)
    )
    monkeypatch.delenv("ROOMS_DEMO_ROOMS", raising=False)
    monkeypatch.delenv("ROOMS_DEMO_SEED", raising=False)

    call_command("fill_db_if_empty")

    assert calls[0]["rooms"] == 500
    assert "seed" not in calls[0]


@pytest.mark.django_db
def test_fill_db_if_empty_rejects_a_mistyped_count(monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.setenv("ROOMS_DEMO_ROOMS", "five hundred")
    with pytest.raises(CommandError, match="ROOMS_DEMO_ROOMS"):
        call_command("fill_db_if_empty")


def healthz_status(port: int) -> int | None:
    """The status of GET /healthz, None while nothing answers yet."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


@pytest.mark.slow
def test_without_a_command_it_serves_the_api_with_gunicorn(migrated_database, tmp_path):
    port = free_port()
    # GUNICORN_TIMEOUT as compose sets it (gunicorn takes whole seconds only), and the
    # image user's home, which does not exist (and cannot be made, even by root).
    env = script_environment(
        migrated_database,
        tmp_path,
        ROOMS_DEMO_ROOMS="0",
        PORT=str(port),
        GUNICORN_WORKERS="1",
        GUNICORN_TIMEOUT="120",
        HOME="/proc/nonexistent",
    )
    output = tmp_path / "server.out"
    with output.open("w") as log:
        # A session of its own, so the whole server can be stopped, workers included.
        server = subprocess.Popen(
            ["sh", str(START_SCRIPT)],
            env=env,
            cwd="/tmp",
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        status = None
        deadline = time.monotonic() + 60
        while status != 200 and time.monotonic() < deadline and server.poll() is None:
            status = healthz_status(port)
            time.sleep(0.3)
        assert status == 200, output.read_text()
        head = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", method="HEAD")
        with urllib.request.urlopen(head, timeout=5) as response:
            assert response.status == 200
            assert response.read() == b""
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    server_output = output.read_text()
    assert f"Listening at: http://0.0.0.0:{port}" in server_output, server_output
    assert "GET /healthz" in server_output, server_output
    assert "HEAD /healthz" in server_output, server_output
    # A clean start and a HEAD request log no error and no warning: gunicorn's control
    # socket is off, HEAD comes without a body.
    assert not re.search(r"\[(ERROR|WARNING)\]|no-body response|Traceback", server_output), (
        server_output
    )


@pytest.mark.parametrize("name", ["DJANGO_SECRET_KEY", "DATABASE_URL"])
def test_the_placeholders_of_env_example_are_refused(tmp_path, name):
    """Copying .env.example without changing its change-me values must not start a stack."""
    placeholders = {
        line.split("=", 1)[0]: line.split("=", 1)[1]
        for line in (REPO_DIR / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }
    value = (
        placeholders.get(name) or f"postgres://rooms:{placeholders['POSTGRES_PASSWORD']}@db/rooms"
    )
    assert "change-me" in value
    env = script_environment(UNREACHABLE, tmp_path, ROOMS_SKIP_STARTUP_TASKS="1", **{name: value})

    result = run_start_script(env, *print_command("started"))

    assert result.returncode == 2, describe(result)
    assert "started" not in result.stdout
    assert f"{name} still holds a change-me placeholder" in result.stderr
