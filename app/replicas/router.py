"""The database router: reads where the request's choice says, writes on the primary.

``db_for_read`` follows ``context.read_alias()``: a replica only while a read
request chosen for it is served, and never inside a transaction on the
primary. Every write goes to the primary, and migrations run there only
(replicas receive them by replication).
"""

from .config import PRIMARY
from .context import read_alias


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # a replica holds the primary's very rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
