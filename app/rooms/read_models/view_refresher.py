"""The deferred refresher of the materialized view (``ROOMS_VIEW_REFRESH=deferred``).

Under the deferred policy a write only marks the view stale
(``rooms_view_state.stale_since``) and sends ``NOTIFY rooms_view_stale``,
both inside its transaction, so both happen exactly when it commits. This
worker ``LISTEN``s, waits a short debounce so that a burst of writes costs
one refresh, and refreshes. Why LISTEN/NOTIFY: it is transactional (no
notice for a write that rolls back, none before the data is visible), needs
nothing beyond the PostgreSQL we already run, and wakes the worker at once
instead of polling.

Guarantees, for any number of app instances and workers:

* at most one refresh runs at a time: ``rooms_refresh_view()`` takes an
  advisory lock;
* no write is lost: a worker first *claims* the stale mark (sets it back to
  NULL, committed), then refreshes from a snapshot taken after the claim, so
  every write that set the mark it claimed is in the refresh; a write that
  commits during the refresh sets the mark again and causes another;
* a worker started late catches up: the mark is in a table, not only in
  notifications that nobody heard.
"""

import logging
import select
import threading
import time

from django.conf import settings
from django.db import connection

from . import materialized_view

logger = logging.getLogger(__name__)

CHANNEL = "rooms_view_stale"


def _wait_for_notification(timeout: float) -> bool:
    """Block until a NOTIFY arrives or ``timeout`` passes; True if one came."""
    raw = connection.connection
    if raw.notifies:
        raw.notifies.clear()
        return True
    readable, _, _ = select.select([raw], [], [], timeout)
    if readable:
        raw.poll()
        notified = bool(raw.notifies)
        raw.notifies.clear()
        return notified
    return False


def run(
    max_staleness: float | None = None,
    every: float | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Keep the view within ``max_staleness`` seconds of the data, until ``stop``.

    With ``every`` the worker does not listen: it wakes every ``every``
    seconds and refreshes if anything changed since (the "once a day" case).
    """
    bound = settings.ROOMS_VIEW_MAX_STALENESS if max_staleness is None else max_staleness
    # Wait a quarter of the bound after the first write of a burst, so that
    # the rest of the burst shares its refresh; the rest is for the refresh.
    debounce = bound / 4
    stop = stop or threading.Event()
    connection.ensure_connection()
    if every is None:
        with connection.cursor() as cursor:
            cursor.execute(f"LISTEN {CHANNEL}")
    logger.info(
        "view refresher started: %s",
        f"every {every:g} s" if every else f"within {bound:g} s of each write",
    )
    try:
        while not stop.is_set():
            if every is not None:
                materialized_view.refresh_if_stale()
                stop.wait(every)
                continue
            # Catch up first (marks set while nobody listened), then sleep
            # until a write notifies; wake every bound anyway, in case a
            # notification was missed while reconnecting.
            if materialized_view.state().stale_since is not None:
                stop.wait(debounce)
                materialized_view.refresh_if_stale()
                continue
            _wait_for_notification(timeout=min(bound, 1.0))
    finally:
        if every is None and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"UNLISTEN {CHANNEL}")
        logger.info("view refresher stopped")


def wait_until_fresh(timeout: float) -> bool:
    """Block until the view has no stale mark (for tests and scripts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if materialized_view.state().stale_since is None:
            return True
        time.sleep(0.05)
    return False
