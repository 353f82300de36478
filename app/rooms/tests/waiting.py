"""Waiting, in a test, until another session is blocked where the test means it to be.

Concurrency tests order their sessions by locks, never by sleeping: the test
holds a lock, starts the other session, and waits until PostgreSQL shows it
waiting (``pg_locks`` rows not granted), then lets go.
"""

import time

from django.db import connection

#: Conditions on ``pg_locks``: what a blocked session is waiting for.
ANY_LOCK = "TRUE"
ADVISORY_LOCK = "locktype = 'advisory'"
THE_VIEW = "relation = 'rooms_related_objects'::regclass"


def until_a_session_waits(for_what: str = ANY_LOCK, timeout: float = 20.0) -> None:
    """Return once a session of this database waits for a lock matching ``for_what``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks JOIN pg_stat_activity USING (pid) "
                f"WHERE datname = current_database() AND NOT granted AND {for_what}"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.02)
    raise AssertionError(f"no session waited for a lock ({for_what}) within {timeout} s")
