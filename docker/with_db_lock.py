#!/usr/bin/env python
"""Run one command while holding a PostgreSQL advisory lock on $DATABASE_URL's database.

    python docker/with_db_lock.py python manage.py migrate --noinput

Why: ``docker compose up --scale app=3`` starts several app containers at once, and
each runs the start-up steps. Two ``migrate`` runs racing on an empty database fail
("relation already exists"), and two ``fill_db_if_empty`` runs could both see no rooms
and both fill. Under one lock the first container does the work and the others wait,
then find nothing left to do.

It also waits (up to ``ROOMS_DB_WAIT_SECONDS``, default 60) for the server to accept
connections, so that a container started without compose's health-check ordering, or
right after the database restarted, does not fail its first step.

Only ``psycopg2``, ``dj_database_url`` and ``app/environment.py`` (which reads every
setting, and names a bad value) are needed, not Django's settings, so this runs before
anything else and with nothing but ``DATABASE_URL`` set.
"""

import subprocess
import sys
import time
from pathlib import Path

import dj_database_url
import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "app"))

from app.environment import required, seconds

#: Read at start, as every setting is: a bad value stops the container's start, named.
DATABASE_URL = required("DATABASE_URL", "The container's environment must name the database.")
WAIT_SECONDS = seconds("ROOMS_DB_WAIT_SECONDS", 60)

#: Any fixed bigint works; this one spells "rooms" in ASCII, so it is easy to recognise
#: in pg_locks and unlikely to collide with anything else taking advisory locks.
LOCK_KEY = 0x726F6F6D73


def connect(url: str, wait_seconds: float):
    """A connection to the database of ``url``, retried until ``wait_seconds`` pass."""
    config = dj_database_url.parse(url)
    parameters = {
        "dbname": config["NAME"],
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        **config.get("OPTIONS", {}),
    }
    parameters = {key: value for key, value in parameters.items() if value is not None}
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return psycopg2.connect(**parameters)
        except psycopg2.OperationalError as error:
            if time.monotonic() >= deadline:
                raise
            print(f"with_db_lock: database not ready ({error}); retrying", file=sys.stderr)
            time.sleep(1)


def main(argv: list[str]) -> int:
    if not argv:
        print(f"usage: {sys.argv[0]} COMMAND [ARG...]", file=sys.stderr)
        return 2
    connection = connect(DATABASE_URL, WAIT_SECONDS)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            # Session-level: held until this connection closes, even if the command
            # commits many transactions of its own.
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        return subprocess.run(argv, check=False).returncode
    finally:
        connection.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
