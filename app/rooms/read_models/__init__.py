"""Read models: stored room documents kept equal to the live one.

* ``registry``: the three read models, one name each, and their public names;
* ``document``: the room document in SQL, once;
* ``materialized_view``, ``app_table``, ``trigger_table``: one module per
  read model (``stored_table``: what the two tables share);
* ``affected_rooms``: which rooms a row feeds (signals and triggers alike);
* ``changes``: what a transaction changed, applied once at commit;
* ``consistency``: compare with the live document, and repair;
* ``installed``: the SQL objects the code expects, and what is installed.
"""

from . import app_table, materialized_view, stored_table, trigger_table
from .changes import apply_now, signals_muted
from .consistency import drift, repair
from .registry import READ_MODELS


def rebuild_all(online: bool = True) -> None:
    """Rebuild every read model from the base tables, set-based.

    ``online`` keeps serving readers meanwhile (only changed rows written,
    the view refreshed concurrently). A bulk load that replaced all the data
    in its own transaction passes ``online=False``: the view is refreshed
    plainly, and both tables are emptied and copied from it, so the
    documents are built once, not three times.
    """
    if online:
        app_table.rebuild()
        trigger_table.rebuild()
        materialized_view.refresh(concurrently=True)
    else:
        materialized_view.refresh(concurrently=False)
        stored_table.copy_from_view(app_table.TABLE)
        stored_table.copy_from_view(trigger_table.TABLE)


__all__ = ["READ_MODELS", "apply_now", "drift", "rebuild_all", "repair", "signals_muted"]
