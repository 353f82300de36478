"""Read models: stored room documents kept equal to the live one.

* ``sql``: the room document in SQL, once, and the commit-time plumbing;
* ``changes``: what a transaction changed, applied once at commit;
* ``affected_rooms``: which rooms a row feeds (used by ``rooms.signals``);
* ``materialized_view`` and ``rebuilt_table``: one module per read model;
* ``consistency``: compare with the live document, and repair.
"""

from .changes import apply_now, signals_muted
from .consistency import READ_MODELS, drift, repair


def rebuild_all(online: bool = True) -> None:
    """Rebuild every read model from the base tables, set-based.

    ``online`` keeps serving readers meanwhile (only changed rows written,
    the view refreshed concurrently). A bulk load that replaced all the data
    in its own transaction passes ``online=False``: emptied and refilled,
    several times faster.
    """
    from . import materialized_view, rebuilt_table

    rebuilt_table.rebuild(from_scratch=not online)
    materialized_view.refresh(concurrently=online)


__all__ = ["READ_MODELS", "apply_now", "drift", "rebuild_all", "repair", "signals_muted"]
