"""Read replicas: the read paths' queries on PostgreSQL streaming replicas.

With ``DATABASE_REPLICA_URLS`` set, each replica is one more database alias
(``config``); a middleware (``middleware``) picks, per read request, a replica
that is healthy and fresh enough (``health``, ``choice``) or the primary, and
the router (``router``) and the stored-document selector send that request's
reads there (``context``). Writes, everything inside a write's transaction,
commands and the refresher worker use the primary. A write's answer carries
the WAL position its commit reached (``positions``), so that a client's next
read is served by a server that has replayed it: a client always reads its
own writes. Without ``DATABASE_REPLICA_URLS`` the middleware removes itself
and nothing changes. docs/replicas.md tells the whole story.
"""
