"""Read models: stored room documents kept equal to the live one.

* ``registry``: the read models, one name each, and everything about each
  that the rest of the code loops over (``READ_MODELS``);
* ``document``: the room document in SQL, once;
* ``materialized_view``, ``app_table``, ``trigger_table``: one module per
  read model (``stored_table``: what the two tables share);
* ``capture``: the database's change capture, triggers on every base table
  that tell each read model which rooms a statement changed;
* ``affected_rooms``: which rooms a row feeds (signals and triggers alike);
* ``changes``: the app table's capture: what a transaction changed, applied
  once at commit;
* ``consistency``: compare stored documents with the live ones;
* ``sql_object``: a view or function as the code defines it;
  ``installed``: all of them, and what a database has installed;
* ``locks``: the advisory locks, and their order;
* ``view_refresher``: the worker that refreshes the view and heals.
"""

from .changes import apply_now, signals_muted
from .registry import READ_MODELS, drift


def rebuild_all(online: bool = True) -> None:
    """Rebuild every read model from the base tables, set-based.

    ``online`` keeps serving readers meanwhile (only changed rows written,
    the view refreshed concurrently). A bulk load that replaced all the data
    in its own transaction passes ``online=False``: the view is refreshed
    plainly, and the tables are emptied and copied from it, so the
    documents are built once, not once per read model.
    """
    for read_model in READ_MODELS.values():
        read_model.rebuild(online=online)


__all__ = ["READ_MODELS", "apply_now", "drift", "rebuild_all", "signals_muted"]
