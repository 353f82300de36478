"""Claiming, completing and purging idempotency records, in PostgreSQL.

Concurrent retries with the same key are safe without any lock of our own:
``claim`` inserts the (user, key) row in the write's transaction, and a second
transaction inserting the same pair waits on the unique index until the first
ends. If the first committed, the second finds its completed record and
replays it; if the first rolled back, its row is gone and the second claims
the key and writes. A wait longer than ``lock_timeout`` is a 503 the client
can retry. Expired records count as absent and are overwritten.
"""

import random
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from .models import IdempotencyRecord

TABLE = IdempotencyRecord._meta.db_table
#: Share of claims that also delete a batch of expired records.
PURGE_CHANCE = 0.01
PURGE_BATCH = 1000

CLAIM = f"""
    INSERT INTO {TABLE} AS r (user_id, key, fingerprint, status_code, response,
                              created_at, expires_at)
    VALUES (%(user)s, %(key)s, %(fingerprint)s, NULL, '',
            now(), now() + make_interval(secs => %(ttl)s))
    ON CONFLICT (user_id, key) DO UPDATE
        SET fingerprint = EXCLUDED.fingerprint, status_code = NULL, response = '',
            created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
        WHERE r.expires_at <= now()
    RETURNING id
"""
EXISTING = f"""
    SELECT fingerprint, status_code, response FROM {TABLE}
    WHERE user_id = %(user)s AND key = %(key)s
"""
COMPLETE = f"UPDATE {TABLE} SET status_code = %s, response = %s WHERE id = %s"
RELEASE = f"DELETE FROM {TABLE} WHERE id = %s"
PURGE = f"""
    DELETE FROM {TABLE} WHERE id IN (
        SELECT id FROM {TABLE} WHERE expires_at <= now() LIMIT %s
    )
"""


@dataclass(frozen=True)
class Claimed:
    """This request holds the key: run the write, then ``complete`` or ``release``."""

    record_id: int


@dataclass(frozen=True)
class Previous:
    """An earlier request with this key committed; its outcome."""

    fingerprint: str
    status_code: int
    response: str  # the answer's JSON text, keys in their original order


def claim(user_id: int, key: str, fingerprint: str) -> Claimed | Previous:
    """Must run inside the write's transaction."""
    params = {
        "user": user_id,
        "key": key,
        "fingerprint": fingerprint,
        "ttl": settings.ROOMS_IDEMPOTENCY_TTL,
    }
    with connection.cursor() as cursor:
        if random.random() < PURGE_CHANCE:
            cursor.execute(PURGE, [PURGE_BATCH])
        cursor.execute(CLAIM, params)
        row = cursor.fetchone()
        if row is not None:
            return Claimed(row[0])
        cursor.execute(EXISTING, params)
        return Previous(*cursor.fetchone())


def complete(claimed: Claimed, status_code: int, response_json: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(COMPLETE, [status_code, response_json, claimed.record_id])


def release(claimed: Claimed) -> None:
    with connection.cursor() as cursor:
        cursor.execute(RELEASE, [claimed.record_id])


def purge_expired() -> int:
    """Delete every expired record; returns how many."""
    deleted = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(PURGE, [PURGE_BATCH])
            deleted += cursor.rowcount
            if cursor.rowcount < PURGE_BATCH:
                return deleted
