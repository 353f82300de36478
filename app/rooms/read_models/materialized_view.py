"""The materialized view (``/rooms_mat_view/``): refresh, freshness, refresh policy.

``REFRESH MATERIALIZED VIEW`` recomputes every room, so its cost grows with
the table whatever a write touched. Which writes change the view is known
to the database itself (``capture``), so the view follows *every* writer:
the API, the ORM, raw SQL, psql, pgAdmin. Its capture is its own: every
statement that changed some room notes the transaction in
``rooms_view_change`` (:data:`ON_CAPTURE`), and a deferred constraint
trigger on that table applies the refresh policy once, when the transaction
commits (:data:`APPLY_CHANGE`), after any other commit-time work of the
transaction, so that the view's lock always comes after the room locks of
the app table's rebuild (``locks``).

When the view is refreshed is the refresh policy, kept in the database
(``rooms_view_state.refresh_policy``, set from ``ROOMS_VIEW_REFRESH`` by
``migrate`` and by the refresher worker) so that every client's writes obey
it:

* ``immediate``: refreshed at the commit of the writing transaction, so it is
  fresh when the write returns;
* ``deferred``: the commit marks the view stale and notifies
  ``rooms_view_stale``; the worker (``run_view_refresher``) refreshes within
  ``ROOMS_VIEW_MAX_STALENESS`` seconds as long as one refresh takes less;
* ``manual``: the commit marks it stale; only ``refresh_rooms_view`` (or
  cron) refreshes it.

Every refresh runs ``rooms_refresh_view()``: it takes an advisory lock (one
refresh at a time, each working from a snapshot taken after the previous
one committed) and clears the stale mark *in its own transaction*, and only
if no write marked the view again since the refresh's snapshot (a change
counter): a refresh that is killed or fails leaves the mark as it was, so
the view is always either fresh or marked stale.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, connections, transaction

from .locks import VIEW_LOCK
from .sql_object import CommitTrigger, SqlObject

logger = logging.getLogger(__name__)

POLICIES = ("immediate", "deferred", "manual")
CHANNEL = "rooms_view_stale"

VIEW = SqlObject(
    "MATERIALIZED VIEW",
    "rooms_related_objects",
    # Rows are ~2.5 KB: above the default 2 KB, PostgreSQL would compress
    # every row as it writes it, which cost a third of a refresh.
    """CREATE MATERIALIZED VIEW rooms_related_objects WITH (toast_tuple_target = 8160) AS
SELECT * FROM rooms_room_document
WITH NO DATA;
-- REFRESH ... CONCURRENTLY needs a unique index to match old and new rows.
CREATE UNIQUE INDEX rooms_related_objects_id ON rooms_related_objects (id)""",
    query="SELECT * FROM rooms_room_document",
)

REFRESH = SqlObject(
    "FUNCTION",
    "rooms_refresh_view(boolean)",
    f"""CREATE OR REPLACE FUNCTION rooms_refresh_view(concurrent boolean DEFAULT true)
RETURNS void LANGUAGE plpgsql
-- JIT compilation costs more than it saves for this query.
SET jit = off
AS $$
DECLARE
    seen bigint;
    snapshot_time timestamptz;
BEGIN
    -- One refresh at a time. The lock is taken in its own statement, so the
    -- statements below see whatever an earlier refresh committed.
    PERFORM pg_advisory_xact_lock({VIEW_LOCK}, 0);
    -- Every change counted here is visible to the refresh below, and so is
    -- every change committed before snapshot_time.
    SELECT change_count, clock_timestamp() INTO seen, snapshot_time FROM rooms_view_state;
    IF concurrent THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY rooms_related_objects;
    ELSE
        REFRESH MATERIALIZED VIEW rooms_related_objects;
    END IF;
    -- The stale mark goes in this transaction, and only if no write marked
    -- the view since: a refresh that dies leaves the mark in place. A write
    -- that committed meanwhile keeps it, dated no earlier than the snapshot.
    UPDATE rooms_view_state
       SET refreshed_at = clock_timestamp(),
           refresh_count = refresh_count + 1,
           stale_since = CASE WHEN change_count = seen THEN NULL
                              ELSE GREATEST(stale_since, snapshot_time) END;
END
$$""",
)

CHANGED = SqlObject(
    "FUNCTION",
    "rooms_view_changed()",
    f"""CREATE OR REPLACE FUNCTION rooms_view_changed()
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    policy text;
BEGIN
    -- Called once, at the commit of a transaction that changed some room.
    SELECT refresh_policy INTO policy FROM rooms_view_state;
    IF policy = 'immediate' THEN
        PERFORM rooms_refresh_view();
    ELSE
        UPDATE rooms_view_state
           SET stale_since = COALESCE(stale_since, clock_timestamp()),
               change_count = change_count + 1;
        IF policy = 'deferred' THEN
            PERFORM pg_notify('{CHANNEL}', '');
        END IF;
    END IF;
END
$$""",
)

#: What a statement that changed some room does (``capture.documents_changed``): note its
#: transaction, once.
ON_CAPTURE = "INSERT INTO rooms_view_change DEFAULT VALUES ON CONFLICT (txid) DO NOTHING"

#: Fired at commit by the deferred constraint trigger on ``rooms_view_change``.
APPLY_CHANGE = SqlObject(
    "FUNCTION",
    "rooms_apply_view_change()",
    """CREATE OR REPLACE FUNCTION rooms_apply_view_change()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- First firing, among the commit's other deferred work: step to the
        -- back of the queue (the update fires this again, after the rest), so
        -- that the view's lock always follows the room locks the app table's
        -- rebuild takes at commit.
        UPDATE rooms_view_change SET requeued = true WHERE txid = NEW.txid;
    ELSE
        DELETE FROM rooms_view_change WHERE txid = NEW.txid;
        PERFORM rooms_view_changed();
    END IF;
    RETURN NULL;
END
$$""",
)

SQL_OBJECTS = [VIEW, REFRESH, CHANGED, APPLY_CHANGE]
#: Fires ``APPLY_CHANGE`` at commit (migration 0008 made it, with ``rooms_view_change``).
COMMIT_TRIGGER = CommitTrigger(
    "rooms_apply_view_change",
    "rooms_view_change",
    "rooms_apply_view_change()",
    events=("INSERT", "UPDATE"),
)


@dataclass(frozen=True)
class ViewState:
    refreshed_at: datetime | None
    refresh_count: int
    stale_since: datetime | None
    refresh_policy: str


def state() -> ViewState:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT refreshed_at, refresh_count, stale_since, refresh_policy FROM rooms_view_state"
        )
        return ViewState(*cursor.fetchone())


def set_refresh_policy(policy: str | None = None, using: str = "default") -> None:
    """Make ``policy`` (``ROOMS_VIEW_REFRESH`` by default) the policy of every writer."""
    policy = policy or settings.ROOMS_VIEW_REFRESH
    if policy not in POLICIES:
        raise ValueError(f"refresh policy must be one of {', '.join(POLICIES)}, not {policy!r}")
    with connections[using].cursor() as cursor:
        cursor.execute(
            "UPDATE rooms_view_state SET refresh_policy = %s WHERE refresh_policy <> %s",
            [policy, policy],
        )


def refresh(concurrently: bool = True) -> None:
    """Refresh the view now, whether or not a write marked it stale.

    ``concurrently=False`` blocks the view's readers meanwhile but skips the
    row-by-row comparison: for bulk loads that replaced all the data anyway.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT rooms_refresh_view(%s)", [concurrently])


def rebuild_all(online: bool = True) -> None:
    """Refresh; ``online`` keeps serving readers meanwhile (``refresh(concurrently=True)``)."""
    refresh(concurrently=online)


def repair(room_ids) -> None:
    """A refresh recomputes every room, whichever of them differ."""
    refresh()


def refresh_if_stale() -> bool:
    """Refresh the view if a write marked it stale; True if it did."""
    stale_since = state().stale_since
    if stale_since is None:
        return False
    refresh()
    logger.info("refreshed the materialized view (stale since %s)", stale_since.isoformat())
    return True
