"""The refresher worker: the materialized view under ``deferred``, and the app table's healing.

Under the deferred policy a write only marks the view stale
(``rooms_view_state.stale_since``) and sends ``NOTIFY rooms_view_stale``,
both at its commit. This worker ``LISTEN``s, waits a short debounce so that
a burst of writes costs one refresh, and refreshes. Why LISTEN/NOTIFY: it is
transactional (no notice for a write that rolls back, none before the data
is visible), needs nothing beyond the PostgreSQL we already run, and wakes
the worker at once instead of polling.

Guarantees, for any number of app instances and workers:

* at most one refresh runs at a time (an advisory lock in
  ``rooms_refresh_view()``);
* no write is lost, whatever dies when: the stale mark is cleared by the
  refresh's own transaction, and only if no write marked the view again
  since the refresh's snapshot; a write that commits during a refresh
  causes another;
* a worker started late catches up: the mark is in a table, not only in
  notifications that nobody heard;
* the database going away (a restart, a failover, a killed connection) is
  survived: the worker reconnects with back-off, logging each attempt, and
  listens again; marks set meanwhile are caught up at once.

The same worker heals the app table (``/rooms_v2/``), whose signal
receivers never hear writes that bypass Django: every
``ROOMS_APP_TABLE_HEAL_INTERVAL`` seconds (and never more often than ten
times the last pass took, so the healing stays under a tenth of one core)
it compares the table with the live documents and rebuilds the rooms that
differ. ``0`` turns healing off.
"""

import contextlib
import logging
import select
import threading
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection

from . import materialized_view
from .registry import READ_MODELS

logger = logging.getLogger(__name__)

CHANNEL = materialized_view.CHANNEL
#: Seconds between reconnection attempts: doubled after each failure, up to the last.
BACKOFF = (0.5, 30.0)
#: A heal pass may use at most this share of the time between passes.
HEAL_DUTY_CYCLE = 0.1


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


class _Healer:
    """When the read models that miss some writers (the app table) are due for healing,
    and healing them."""

    def __init__(self, interval: float):
        self.interval = interval
        self.due = time.monotonic() + interval if interval else None

    def heal_if_due(self) -> None:
        if self.due is None or time.monotonic() < self.due:
            return
        started = time.monotonic()
        for read_model in READ_MODELS.values():
            if read_model.healed:
                read_model.heal()
        took = time.monotonic() - started
        self.due = time.monotonic() + max(self.interval, took / HEAL_DUTY_CYCLE)

    def seconds_left(self) -> float:
        return float("inf") if self.due is None else max(0.0, self.due - time.monotonic())


def _connect(listen: bool) -> None:
    connection.ensure_connection()
    materialized_view.set_refresh_policy()
    if listen:
        with connection.cursor() as cursor:
            cursor.execute(f"LISTEN {CHANNEL}")


def run(
    max_staleness: float | None = None,
    every: float | None = None,
    stop: threading.Event | None = None,
    heal_interval: float | None = None,
) -> None:
    """Keep the view within ``max_staleness`` seconds of the data, until ``stop``.

    With ``every`` the worker does not listen: it wakes every ``every``
    seconds and refreshes if anything changed since (the "once a day" case).
    """
    bound = settings.ROOMS_VIEW_MAX_STALENESS if max_staleness is None else max_staleness
    heal_interval = (
        settings.ROOMS_APP_TABLE_HEAL_INTERVAL if heal_interval is None else heal_interval
    )
    # Wait a quarter of the bound after the first write of a burst, so that
    # the rest of the burst shares its refresh; the rest is for the refresh.
    debounce = bound / 4
    stop = stop or threading.Event()
    healer = _Healer(heal_interval)
    listen = every is None
    logger.info(
        "view refresher started: %s; app table healed %s",
        f"every {every:g} s" if every else f"within {bound:g} s of each write",
        f"every {heal_interval:g} s" if heal_interval else "never",
    )
    backoff = BACKOFF[0]
    connected = False
    try:
        while not stop.is_set():
            try:
                if not connected:
                    _connect(listen)
                    connected = True
                    backoff = BACKOFF[0]
                _step(every, bound, debounce, healer, stop)
            except (OperationalError, InterfaceError) as error:
                # The database went away: drop the broken connection, wait, retry.
                connected = False
                connection.close_if_unusable_or_obsolete()
                _close_quietly()
                logger.warning(
                    "view refresher lost the database (%s); reconnecting in %.1f s",
                    str(error).strip().splitlines()[0]
                    if str(error).strip()
                    else type(error).__name__,
                    backoff,
                )
                stop.wait(backoff)
                backoff = min(backoff * 2, BACKOFF[1])
    finally:
        if connected and listen:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"UNLISTEN {CHANNEL}")
            except DatabaseError:
                pass
        logger.info("view refresher stopped")


def _step(every, bound, debounce, healer: _Healer, stop: threading.Event) -> None:
    """One turn of the loop: refresh if stale, heal if due, else sleep until woken."""
    if every is not None:
        materialized_view.refresh_if_stale()
        healer.heal_if_due()
        stop.wait(min(every, healer.seconds_left()))
        return
    # Catch up first (marks set while nobody listened), then sleep until a
    # write notifies; wake every bound anyway, in case a notification was
    # missed while reconnecting.
    if materialized_view.state().stale_since is not None:
        stop.wait(debounce)
        materialized_view.refresh_if_stale()
        return
    healer.heal_if_due()
    _wait_for_notification(timeout=min(bound, 1.0, healer.seconds_left()))


def _close_quietly() -> None:
    with contextlib.suppress(DatabaseError):
        connection.close()


def wait_until_fresh(timeout: float) -> bool:
    """Block until the view has no stale mark (for tests and scripts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if materialized_view.state().stale_since is None:
            return True
        time.sleep(0.05)
    return False
