"""Which server serves a read: a replica that is fresh enough, or the primary.

* A read that must see a position (a client's own last write) goes to a
  replica known to have replayed it. If none is known to, the usable
  replicas are asked again, every few milliseconds for at most
  ``ROOMS_REPLICA_READ_WAIT``: replay usually takes a millisecond or two,
  so waiting that long is cheaper than loading the primary. After that, the
  primary serves it.
* Any other read goes to a usable replica (reachable, at most
  ``ROOMS_REPLICA_MAX_LAG`` behind), picked at random to spread the load;
  the primary when there is none.

What is known of a replica is reused for ``ROOMS_REPLICA_CHECK_INTERVAL``,
so most reads cost no query here at all.
"""

import dataclasses
import random
import time

from django.conf import settings

from . import health
from .config import PRIMARY

#: First pause while waiting for replay; doubled each time.
FIRST_PAUSE = 0.002


@dataclasses.dataclass(frozen=True)
class Choice:
    alias: str
    #: The replica's lag, as last checked (None for the primary).
    lag: float | None = None

    @property
    def on_replica(self) -> bool:
        return self.alias != PRIMARY


PRIMARY_CHOICE = Choice(PRIMARY)


def choose(aliases: list[str], position: int | None) -> Choice:
    now = time.monotonic()
    usable = [state for alias in aliases if (state := health.current(alias, now)).usable(now)]
    random.shuffle(usable)
    if position is None:
        return Choice(usable[0].alias, usable[0].lag) if usable else PRIMARY_CHOICE
    for state in usable:
        if state.replayed >= position:
            return Choice(state.alias, state.lag)
    return _wait_for(position, [state.alias for state in usable], now)


def _wait_for(position: int, aliases: list[str], started: float) -> Choice:
    deadline = started + settings.ROOMS_REPLICA_READ_WAIT
    pause = FIRST_PAUSE
    while aliases:
        still_usable = []
        for alias in aliases:
            state = health.check(alias)
            now = time.monotonic()
            if not state.usable(now):
                continue
            if state.replayed >= position:
                return Choice(alias, state.lag)
            still_usable.append(alias)
        aliases = still_usable
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not aliases:
            break
        time.sleep(min(pause, remaining))
        pause *= 2
    return PRIMARY_CHOICE
