"""The ``rooms_related_objects`` materialized view: refresh and freshness.

``REFRESH MATERIALIZED VIEW CONCURRENTLY`` recomputes every room, so its
cost grows with the table, whatever the write touched; readers are never
blocked while it runs. When it runs is the ``ROOMS_VIEW_REFRESH`` policy:

* ``immediate``: in the writing transaction, just before it commits
  (``rooms_apply_pending_changes`` in ``sql.py``), so the view is fresh when
  the write returns;
* ``deferred``: the write marks the view stale and notifies; the worker
  (``run_view_refresher``) refreshes within ``ROOMS_VIEW_MAX_STALENESS``;
* ``manual``: only ``refresh_rooms_view`` (or cron) refreshes it.

All refreshes go through the SQL function ``rooms_refresh_view()``, which
takes an advisory lock first, so at most one runs at a time and each works
from a snapshot taken after the previous one committed.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ViewState:
    refreshed_at: datetime | None
    refresh_count: int
    stale_since: datetime | None


def claim_stale_mark() -> datetime | None:
    """Clear the stale mark, committed; return when it was set (None: fresh).

    ``FOR UPDATE`` waits for a writer that is setting the mark to commit and
    then reads its value, so a mark is never cleared without being seen. The
    refresh that follows takes its snapshot after this commit, so it includes
    every write that set the mark.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT stale_since FROM rooms_view_state FOR UPDATE")
        (stale_since,) = cursor.fetchone()
        if stale_since is not None:
            cursor.execute("UPDATE rooms_view_state SET stale_since = NULL")
    return stale_since


def _refresh(stale_since: datetime | None, concurrently: bool = True) -> None:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT rooms_refresh_view(%s)", [concurrently])
    except BaseException:
        if stale_since is not None:  # put the claimed mark back: nothing is lost
            with connection.cursor() as cursor:
                # LEAST ignores NULL: the earlier of the two marks wins.
                cursor.execute(
                    "UPDATE rooms_view_state SET stale_since = LEAST(stale_since, %s)",
                    [stale_since],
                )
        raise
    if stale_since is not None:
        logger.info("refreshed the materialized view (stale since %s)", stale_since.isoformat())


def refresh(concurrently: bool = True) -> None:
    """Refresh the view now, whether or not a write marked it stale.

    ``concurrently=False`` blocks the view's readers meanwhile but skips the
    row-by-row diff: for bulk loads that replaced all the data anyway.
    """
    _refresh(claim_stale_mark(), concurrently)


def refresh_if_stale() -> bool:
    """Refresh the view if a write marked it stale; True if it did."""
    stale_since = claim_stale_mark()
    if stale_since is None:
        return False
    _refresh(stale_since)
    return True


def state() -> ViewState:
    with connection.cursor() as cursor:
        cursor.execute("SELECT refreshed_at, refresh_count, stale_since FROM rooms_view_state")
        return ViewState(*cursor.fetchone())
