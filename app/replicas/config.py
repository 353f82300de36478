"""The replicas' settings, read from the environment in one place.

Read by ``app/settings.py`` (which must not import Django's settings back, so
this module reads the environment only, through ``app.environment``):

* ``DATABASE_REPLICA_URLS``: comma-separated URLs of streaming replicas of
  ``DATABASE_URL``'s server (same database name, same users). Each becomes
  a database alias ``replica_1``, ``replica_2``, … Empty: no replicas.
* ``DATABASE_REPLICA_CONNECT_TIMEOUT`` (default 2 s, libpq's minimum): a
  replica that does not answer costs a read at most this, once per
  ``ROOMS_REPLICA_RETRY_INTERVAL``.
* ``ROOMS_REPLICA_MAX_LAG`` (default 2 s): a replica further behind is skipped.
* ``ROOMS_REPLICA_READ_WAIT`` (default 0.1 s): how long a read that must see
  a given write waits for a replica to replay it before going to the primary.
* ``ROOMS_REPLICA_CHECK_INTERVAL`` (default 1 s): how old a replica's known
  state (lag, replayed position) may be before a read checks it again.
* ``ROOMS_REPLICA_RETRY_INTERVAL`` (default 5 s): how long a replica that
  failed is left alone before it is tried again.
"""

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from app.environment import items, seconds

PRIMARY = "default"


MAX_LAG = seconds("ROOMS_REPLICA_MAX_LAG", 2)
READ_WAIT = seconds("ROOMS_REPLICA_READ_WAIT", 0.1)
CHECK_INTERVAL = seconds("ROOMS_REPLICA_CHECK_INTERVAL", 1)
RETRY_INTERVAL = seconds("ROOMS_REPLICA_RETRY_INTERVAL", 5)
CONNECT_TIMEOUT = max(1, round(seconds("DATABASE_REPLICA_CONNECT_TIMEOUT", 2)))


def replica_urls() -> list[str]:
    return items("DATABASE_REPLICA_URLS")


def replica_databases(primary: dict) -> dict[str, dict]:
    """One ``DATABASES`` entry per replica URL, kept like the primary's connections.

    ``TEST.MIRROR``: a test run never creates databases on a replica (it could
    not: replicas are read-only). The mirror points the alias at the primary's
    test database, which answers the health check as a primary, so it is never
    used as a replica: nothing pretends to be one.
    """
    databases = {}
    for number, url in enumerate(replica_urls(), start=1):
        try:
            entry = dj_database_url.parse(
                url,
                engine=primary.get("ENGINE"),
                conn_max_age=primary.get("CONN_MAX_AGE", 0),
                conn_health_checks=primary.get("CONN_HEALTH_CHECKS", False),
            )
        except ValueError as error:
            raise ImproperlyConfigured(
                f"DATABASE_REPLICA_URLS: replica {number}: {error}"
            ) from None
        entry.setdefault("OPTIONS", {})["connect_timeout"] = CONNECT_TIMEOUT
        entry["TEST"] = {"MIRROR": PRIMARY}
        databases[f"replica_{number}"] = entry
    return databases
