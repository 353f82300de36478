"""Advisory lock keys, one class per thing serialized (PostgreSQL's two-int form).

``(APP_TABLE_LOCK, slot)`` and ``(TRIGGER_TABLE_LOCK, slot)`` serialize the
rebuilds of rows in that table: room ``id`` has slot ``id % ROOM_SLOTS``.
Each rebuild takes the slots of its rooms in slot order (so two rebuilds
never wait for each other in a cycle) and computes the documents in a
statement that starts after the locks are held (so it sees whatever the
previous holder committed).

Slots rather than one lock per room bound what a transaction holds: a bulk
``UPDATE`` that touches 40,000 rooms takes at most ``ROOM_SLOTS`` locks per
table, where one lock per room ran PostgreSQL's shared lock table out of
memory (it holds ``max_locks_per_transaction`` times connections entries). Two
rooms in one slot can only make a rebuild wait, never skip one.

``(VIEW_LOCK, 0)`` serializes the refreshes of the materialized view. At a
commit, the app table's slots are always taken before the view's lock (and
its state row): the view's commit-time work runs after every other
(``materialized_view.APPLY_CHANGE``), so two commits never wait for each
other in a cycle.
"""

APP_TABLE_LOCK = 1380929357  # 'Room': the key the app table has used from the start
TRIGGER_TABLE_LOCK = 1416784231  # 'Trig'
VIEW_LOCK = 1447642487  # 'View'

#: How many advisory locks the rooms of one table share (at most this many per transaction).
ROOM_SLOTS = 1024


def slot_of(room_id: int) -> int:
    """The advisory lock slot of room ``room_id``."""
    return room_id % ROOM_SLOTS


def lock_rooms(lock_class: int, room_ids: str) -> str:
    """SQL that takes the slots of the rooms in bigint[] expression ``room_ids``, in slot order."""
    return (
        f"PERFORM pg_advisory_xact_lock({lock_class}, slot)\n"
        f"       FROM (SELECT DISTINCT (room_id % {ROOM_SLOTS})::int AS slot\n"
        f"               FROM unnest({room_ids}) AS room_id ORDER BY 1) AS touched"
    )
