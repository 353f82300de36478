"""Advisory lock keys, one class per thing serialized (PostgreSQL's two-int form).

``(APP_TABLE_LOCK, room id)`` and ``(TRIGGER_TABLE_LOCK, room id)`` serialize
the rebuilds of one room's row in that table: each rebuild takes the locks
of its rooms in id order (so two rebuilds never wait for each other in a
cycle) and computes the documents in a statement that starts after the
locks are held (so it sees whatever the previous holder committed).
``(VIEW_LOCK, 0)`` serializes the refreshes of the materialized view.
Room ids above 2**31 share a key with a smaller one: that can only make a
rebuild wait, never skip one.
"""

APP_TABLE_LOCK = 1380929357  # 'Room': the key the app table has used from the start
TRIGGER_TABLE_LOCK = 1416784231  # 'Trig'
VIEW_LOCK = 1447642487  # 'View'


def lock_rooms(lock_class: int, room_ids: str) -> str:
    """SQL that takes the locks of the rooms in bigint[] expression ``room_ids``, in id order."""
    return (
        f"PERFORM pg_advisory_xact_lock({lock_class}, (room_id % 2147483647)::int)\n"
        f"       FROM (SELECT DISTINCT unnest({room_ids}) AS room_id ORDER BY 1) AS touched"
    )
