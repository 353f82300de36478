"""Which database the current request's reads go to.

The middleware decides once per request and sets it here; the router (for
querysets) and the stored-document selector (for its plain cursor) ask
``read_alias()``. Outside a request chosen for a replica (writes, commands,
the refresher worker, tests) it is the primary. Inside a transaction on the
primary it is the primary too: a transaction's reads must see its own
writes, and a replica cannot.

A ``ContextVar`` rather than a thread-local: it is right under threads and
under asyncio alike, and costs one lookup.
"""

import contextlib
from contextvars import ContextVar

from django.db import connections

from .config import PRIMARY

_read_alias: ContextVar[str] = ContextVar("rooms_read_alias", default=PRIMARY)


def read_alias() -> str:
    alias = _read_alias.get()
    if alias == PRIMARY or connections[PRIMARY].in_atomic_block:
        return PRIMARY
    return alias


@contextlib.contextmanager
def reading_from(alias: str):
    token = _read_alias.set(alias)
    try:
        yield
    finally:
        _read_alias.reset(token)
