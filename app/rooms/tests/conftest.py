"""Fixtures shared by the rooms test modules.

Tests run against the real PostgreSQL named by ``DATABASE_URL`` (pytest-django
creates ``test_<name>`` next to it); there is no SQLite fallback on purpose,
since the read models rely on PostgreSQL features.

* ``api_client``: anonymous; reads are open, writes must be refused.
* ``user`` / ``auth_client``: a user with a known password, in the "editor"
  group (every write permission), and a client that sends it as HTTP Basic
  credentials, the way scripts and curl write.
* ``basic_auth(username, password=PASSWORD)`` (a plain function, imported
  from here): the ``HTTP_AUTHORIZATION`` header value for HTTP Basic.
* ``timing_log``: the file the timing middleware writes to during the tests.
* ``db_snapshot``: a function returning every row of the base tables (the
  many-to-many link tables included), to assert that a refused write changed
  nothing: ``before = db_snapshot(); ...; assert db_snapshot() == before``.
* ``scratch_database``: a new, empty database for programs run in another process;
  ``fresh_view`` / ``refresh_policy``: the materialized view for transactional tests.

The helpers the test modules share are modules of this package, each with one
job, and are imported from there (never copied into a test module):
``factories`` (rows and request bodies), ``read_paths`` (every read path
agrees), ``project`` (paths, ``manage.py`` in a process, URLs, ports),
``waiting`` (until a session waits for a lock), ``refresher_thread`` (the
worker in a thread) and ``slow`` (which tests are marked slow).
"""

import base64
import copy
import logging.config
import uuid

import pytest
from django.conf import settings as django_settings
from django.db import connection
from rest_framework.test import APIClient

from rooms.models import BASE_TABLES

from .project import database_url

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Settings for speed and for the test client, nothing the tests check.

    * Django's test client sends ``Host: testserver``, which the default
      ``DJANGO_ALLOWED_HOSTS`` (127.0.0.1,localhost) would answer with 400.
    * HTTP Basic checks the password on every request; the production hasher
      is slow by design, so tests use a fast one.
    * Anonymous live lists are not throttled (see below).
    * Every test client builds its own middleware stack, and WhiteNoise, with
      debug off, stats every static file of every app (about 20 000) when it
      is built; in autorefresh mode it looks a file up only when asked for.
    """
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WHITENOISE_AUTOREFRESH = True
    # Many tests read the live lists anonymously dozens of times; the throttle
    # that stops that in production is tested on its own (test_api_hardening_auth).
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "anon_live_list": None},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle counters live in the cache, which outlives a test: each starts at zero."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def timing_log(tmp_path_factory):
    """Point the timing middleware's file handler at a temporary file.

    The handler is built when logging is configured, from ``settings.LOGGING``;
    re-running that configuration with another file name keeps every other
    detail (format, level) as production has it, and keeps the test run's
    requests out of the developer's ``logs_all_here.log``.
    """
    path = tmp_path_factory.mktemp("logs") / "timing.log"
    config = copy.deepcopy(django_settings.LOGGING)
    config["handlers"]["timing_file"]["filename"] = path
    # The error log too (test_api_hardening_errors reads it from this handler).
    config["handlers"]["error_file"]["filename"] = path.with_name("errors.log")
    logging.config.dictConfig(config)
    yield path
    logging.config.dictConfig(django_settings.LOGGING)  # closes the temporary handler


def basic_auth(username: str, password: str = PASSWORD) -> str:
    """An ``Authorization`` header value for HTTP Basic."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return f"Basic {token}"


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user(django_user_model):
    from rooms.services.editors import ensure_editor_group

    user = django_user_model.objects.create_user(username="writer", password=PASSWORD)
    user.groups.add(ensure_editor_group())
    return user


@pytest.fixture
def auth_client(user):
    """Writes as ``user`` with real HTTP Basic credentials on every request."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=basic_auth(user.username))
    return client


@pytest.fixture
def db_snapshot(db):
    """Every row of every base and link table, read in one query (tests call
    it hundreds of times); rows come back as dicts, so a failure shows a diff."""
    tables = list(BASE_TABLES)
    sql = " UNION ALL ".join(
        f"SELECT %s, (SELECT json_agg(t ORDER BY t.id) FROM {connection.ops.quote_name(table)} t)"
        for table in tables
    )

    def snapshot():
        with connection.cursor() as cursor:
            cursor.execute(sql, tables)
            return dict(cursor.fetchall())

    return snapshot


@pytest.fixture
def scratch_database(transactional_db):
    """A new, empty database on the test server, as a URL (dropped afterwards).

    For tests that run commands in other processes (``manage.py migrate``, a
    server) which must not write into the test database.
    """
    name = f"rooms_scratch_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield database_url(connection.settings_dict, name)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_view(transactional_db):
    """Start from a materialized view that matches the (emptied) tables.

    Transactional tests commit for real, and pytest-django empties the tables
    after each one; it knows nothing of the view, which would still show the
    previous test's rooms.
    """
    from rooms.read_models import materialized_view

    materialized_view.refresh()


@pytest.fixture
def refresh_policy(fresh_view, settings):
    """``refresh_policy("deferred")`` makes every writer (and the worker) follow that policy.

    The policy lives in the database, which outlives the test: it is put back
    to ``immediate`` afterwards.
    """
    from rooms.read_models import materialized_view

    def set_policy(policy):
        settings.ROOMS_VIEW_REFRESH = policy
        materialized_view.set_refresh_policy(policy)

    yield set_policy
    materialized_view.set_refresh_policy("immediate")
