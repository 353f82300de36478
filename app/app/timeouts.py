"""The service's time limits, read from the environment in one place.

Both the Django settings and gunicorn's configuration (``docker/gunicorn.conf.py``)
import this module, so the request timeout that gunicorn enforces and the
database timeouts that turn a stuck write into a 503 can never drift apart:
the database must give up first, while the worker can still answer, or the
client gets no response at all (and may not learn that nothing was written).

* ``REQUEST_TIMEOUT`` (``GUNICORN_TIMEOUT``, default 120 s): gunicorn kills a
  worker whose request runs longer. ``make run``'s development server has no
  such limit; the database timeouts below apply there too.
* ``LOCK_TIMEOUT`` (``ROOMS_DB_LOCK_TIMEOUT``, default 5 s): how long a
  statement may wait for a lock (a row another transaction holds, a deferred
  foreign key checked at COMMIT, an advisory lock of the read models).
* ``STATEMENT_TIMEOUT`` (``ROOMS_DB_STATEMENT_TIMEOUT``, default 60 s): how long
  one statement may run, COMMIT included (which, under
  ``ROOMS_VIEW_REFRESH=immediate``, refreshes the materialized view).
* ``RETRY_AFTER`` (``ROOMS_RETRY_AFTER``, default 3 s): what a 503 tells the
  client to wait before retrying.

``0`` disables a database timeout, as in PostgreSQL.
"""

from django.core.exceptions import ImproperlyConfigured

from app.environment import seconds

REQUEST_TIMEOUT = seconds("GUNICORN_TIMEOUT", 120)
LOCK_TIMEOUT = seconds("ROOMS_DB_LOCK_TIMEOUT", 5)
STATEMENT_TIMEOUT = seconds("ROOMS_DB_STATEMENT_TIMEOUT", 60)
RETRY_AFTER = max(1, round(seconds("ROOMS_RETRY_AFTER", 3)))

for _name, _value in (
    ("ROOMS_DB_LOCK_TIMEOUT", LOCK_TIMEOUT),
    ("ROOMS_DB_STATEMENT_TIMEOUT", STATEMENT_TIMEOUT),
):
    if REQUEST_TIMEOUT and not 0 < _value < REQUEST_TIMEOUT:
        raise ImproperlyConfigured(
            f"{_name} ({_value:g} s) must be above 0 and below GUNICORN_TIMEOUT "
            f"({REQUEST_TIMEOUT:g} s): the database must give up while the worker can still answer"
        )
