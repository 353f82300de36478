"""Django's PostgreSQL backend, with a connection check that needs no round trip.

With ``CONN_HEALTH_CHECKS`` Django checks a kept connection before the first
query of each request, so that a connection the server has dropped (a
restart, an idle timeout, a proxy) is opened anew instead of failing the
request; it checks again after a query failed. Its check is ``SELECT 1``:
one more round trip on every request, as many as a stored read's own query
(``docs/benchmarks.md``, "Throughput against the limit").

A server that drops a connection says so on its socket (its reason, or the
end of the stream), where nothing else arrives while the connection is idle
between two queries. So between queries the check here looks at the socket
without waiting: anything to read, or libpq already knowing the connection
broken, means unusable, and Django closes it and opens a new one. A
connection in any other state (inside a transaction, or a failed one) gets
Django's ``SELECT 1``. What neither can see in time is a server that went
silent (a network cut): ``SELECT 1`` would hang on it until TCP gives up.
(Notifications of a ``LISTEN`` arrive on the socket too, and would make a
listening connection look unusable; the one connection that listens, the
refresher worker's, is never health-checked: it serves no requests.)
"""

import select

from django.db.backends.postgresql import base
from psycopg2.extensions import TRANSACTION_STATUS_IDLE


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed:
            return False
        if connection.info.transaction_status != TRANSACTION_STATUS_IDLE:
            return super().is_usable()
        poller = select.poll()
        poller.register(connection.fileno(), select.POLLIN)
        return not poller.poll(0)
