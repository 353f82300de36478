"""HTTP Basic that answers a throttled client 429 instead of hashing its password.

Scripts should use tokens (``Authorization: Token …``, a database lookup); HTTP
Basic stays for ``curl -u`` and old clients, but every Basic request checks the
password (~0.6 s). The backend (``rooms.auth.backends``) already refuses to
check one for a client or user with too many recent failures; this class asks
first, so that such a client gets a clear 429 with ``Retry-After`` rather than
another 401 that invites it to try again.
"""

from rest_framework.authentication import BasicAuthentication
from rest_framework.exceptions import Throttled

from .throttles import login_blocked_for


class ThrottledBasicAuthentication(BasicAuthentication):
    def authenticate_credentials(self, userid, password, request=None):
        wait = login_blocked_for(request, userid)
        if wait is not None:
            raise Throttled(
                wait, detail="Too many failed logins from this client or for this user."
            )
        return super().authenticate_credentials(userid, password, request)
