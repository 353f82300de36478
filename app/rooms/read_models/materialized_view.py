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

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction


@dataclass(frozen=True)
class ViewState:
    refreshed_at: datetime | None
    refresh_count: int
    stale_since: datetime | None


def refresh() -> None:
    """Refresh the view now and clear its stale mark, in one transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE rooms_view_state SET stale_since = NULL")
        cursor.execute("SELECT rooms_refresh_view()")


def state() -> ViewState:
    with connection.cursor() as cursor:
        cursor.execute("SELECT refreshed_at, refresh_count, stale_since FROM rooms_view_state")
        return ViewState(*cursor.fetchone())
