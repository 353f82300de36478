"""What this process knows of each replica: how far it has replayed, how far behind it is.

A replica is checked with one query, on its own connection, when a read needs
to know and what is known is older than ``ROOMS_REPLICA_CHECK_INTERVAL``:
no process checks more often than that, and no read pays for a check that
a recent one already made. A replica that cannot be reached, or fails a
query, is left alone for ``ROOMS_REPLICA_RETRY_INTERVAL`` and then tried
again by the next read: it comes back by itself. So is one found too far
behind, after at most the shorter of the two intervals.

Lag, in seconds, bounds what a reader can be missing. The replica has every
commit up to the later of two moments:

* the last time a check found it caught up: it had replayed all it had
  received, and its WAL receiver was running (so it had what the primary had
  sent: lag 0 at that check). "All it had received": a receiver that
  (re)started reports the start of the WAL segment it streams from, which
  can be behind what was replayed from local WAL, hence ``<=``;
* the commit time of the last transaction it replayed
  (``pg_last_xact_replay_timestamp()``).

Lag is the time since the later of them. A replica that is replaying behind,
is paused, or is cut off from the primary is so seen to fall behind, by the
clock, until it is skipped; after a quiet spell, the first write does not
make a replica that is a millisecond behind look minutes behind (as the
last-replay timestamp alone would). Neither known yet: too far behind.

A server that is not in recovery is no replica (another primary cannot
promise a client its own writes), and is never used as one.
"""

import contextlib
import dataclasses
import logging
import math
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connections

from .positions import parse

logger = logging.getLogger("rooms.replicas")

CHECK_SQL = """
SELECT pg_is_in_recovery(),
       pg_last_wal_replay_lsn()::text,
       pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn()
           AND EXISTS (SELECT FROM pg_stat_wal_receiver),
       EXTRACT(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())
"""


@dataclasses.dataclass(frozen=True)
class State:
    alias: str
    #: Replayed WAL position (``positions.parse``); 0 when unknown.
    replayed: int = 0
    #: Seconds behind (see the module's docstring); inf when unknown.
    lag: float = math.inf
    #: ``time.monotonic()`` of the check.
    checked_at: float = -math.inf
    #: ``time.monotonic()`` of the last check that found it caught up.
    caught_up_at: float = -math.inf
    #: Until when (``time.monotonic()``) the replica is left alone after a failure.
    down_until: float = -math.inf

    def usable(self, now: float) -> bool:
        return now >= self.down_until and self.lag <= settings.ROOMS_REPLICA_MAX_LAG

    def is_recent(self, now: float) -> bool:
        """Recent enough to go by: a replica found behind is asked again sooner."""
        interval = settings.ROOMS_REPLICA_CHECK_INTERVAL
        if self.lag > settings.ROOMS_REPLICA_MAX_LAG:
            interval = min(interval, settings.ROOMS_REPLICA_RETRY_INTERVAL)
        return now - self.checked_at < interval


_states: dict[str, State] = {}
_lock = threading.Lock()


def _store(state: State) -> State:
    with _lock:
        _states[state.alias] = state
    return state


def known(alias: str) -> State:
    return _states.get(alias) or State(alias)


def mark_down(alias: str, reason: object) -> State:
    """Leave ``alias`` alone for ``ROOMS_REPLICA_RETRY_INTERVAL``; its connection is dropped."""
    retry = settings.ROOMS_REPLICA_RETRY_INTERVAL
    logger.warning("replica %s skipped for %g s: %s", alias, retry, " ".join(str(reason).split()))
    with contextlib.suppress(DatabaseError):
        connections[alias].close()
    now = time.monotonic()
    return _store(State(alias, checked_at=now, down_until=now + retry))


def check(alias: str) -> State:
    """Ask the replica now (one query); on failure, it is marked down."""
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        with connection.cursor() as cursor:
            cursor.execute(CHECK_SQL)
            in_recovery, replayed, caught_up, since_last_replay = cursor.fetchone()
    except DatabaseError as error:
        return mark_down(alias, error)
    if not in_recovery:
        return mark_down(alias, "not in recovery: a primary, not a streaming replica")
    now = time.monotonic()
    caught_up_at = now if caught_up else known(alias).caught_up_at
    lag = now - caught_up_at
    if since_last_replay is not None:
        lag = min(lag, max(0.0, float(since_last_replay)))
    return _store(
        State(
            alias,
            replayed=parse(replayed) if replayed else 0,
            lag=lag,
            checked_at=now,
            caught_up_at=caught_up_at,
        )
    )


def current(alias: str, now: float) -> State:
    """What is known of ``alias``, checked again first if that is too old (and it is not down)."""
    state = known(alias)
    if now < state.down_until:
        return state  # left alone for now
    if state.down_until > -math.inf or not state.is_recent(now):
        return check(alias)  # it failed before and may be back, or what is known is old
    return state


def forget() -> None:
    """Drop everything known (tests)."""
    with _lock:
        _states.clear()
