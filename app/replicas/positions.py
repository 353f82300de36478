"""WAL positions: what a write's answer carries, and what a read presents.

After a write commits, the primary's WAL position is read and handed to the
client, signed, as the ``X-DB-LSN`` response header and the ``rooms_db_lsn``
cookie. A read that presents it (the header, or the cookie a browser sends
back by itself) is served by a replica that has replayed at least that
position, or by the primary: the client reads its own write.

Which position: ``pg_current_wal_flush_lsn()``, read after COMMIT returned.
With ``synchronous_commit`` on (PostgreSQL's default), COMMIT returns only
once its commit record is flushed, so the flush position is at or past it;
and it is the furthest position walsenders stream, so a replica can always
reach it (``pg_current_wal_insert_lsn()`` may point into records not yet
flushed, which replicas do not have yet). A session that turned
``synchronous_commit`` off commits before flushing; for it the insert
position is the one that is sure to cover the commit.

Why signed: a client could otherwise present a position far in the future
and make every one of its reads wait ``ROOMS_REPLICA_READ_WAIT`` and then
load the primary. Signed positions are ones this service handed out, so a
replica reaches them within its lag. A position that is not one of ours is
ignored (the read is served as one without a position).
"""

from django.core import signing
from django.db import DatabaseError, connections

from .config import PRIMARY

HEADER = "X-DB-LSN"
COOKIE = "rooms_db_lsn"
#: A position is useful while a replica may not have replayed it; a replica
#: further behind than a few seconds is skipped anyway.
COOKIE_MAX_AGE = 300

POSITION_SQL = (
    "SELECT (CASE WHEN current_setting('synchronous_commit') = 'off' "
    "THEN pg_current_wal_insert_lsn() ELSE pg_current_wal_flush_lsn() END)::text"
)

_signer = signing.Signer(salt="rooms.replicas.lsn")


def parse(lsn: str) -> int:
    """PostgreSQL's ``16/B374D848`` as one number, so that positions compare."""
    high, low = lsn.split("/")
    return (int(high, 16) << 32) | int(low, 16)


def token(position: int) -> str:
    """A position as handed to clients: hexadecimal, signed (cookie-safe characters)."""
    return _signer.sign(f"{position:X}")


def from_token(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(_signer.unsign(value.strip().strip('"')), 16)
    except (signing.BadSignature, ValueError):
        return None


def presented(request) -> int | None:
    """The position a read must see: its header, else its cookie; None if neither is ours."""
    return from_token(request.headers.get(HEADER)) or from_token(request.COOKIES.get(COOKIE))


def primary_position() -> int | None:
    """The primary's position now, covering every commit that returned; None if unknown.

    Inside a transaction (a test's) nothing of it has committed yet, so there
    is no position to give.
    """
    connection = connections[PRIMARY]
    if connection.in_atomic_block:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute(POSITION_SQL)
            return parse(cursor.fetchone()[0])
    except DatabaseError:
        return None  # the primary failed the write too; the answer says so


def attach(response, position: int, secure: bool) -> None:
    value = token(position)
    response[HEADER] = value
    response.set_cookie(
        COOKIE, value, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax", secure=secure
    )
