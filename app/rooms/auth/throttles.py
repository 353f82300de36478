"""DRF rate throttles kept in the shared cache (``CACHES["default"]``).

Rates are read from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` when a
throttle is made, not when this module is imported (DRF's own classes bind the
dict once), so settings overridden in tests or by the environment apply.

A throttle that cannot reach its cache (Redis down) lets the request through
and logs a warning: a throttle protects the service, and must not be the
thing that takes it down.

* ``FailureThrottle``: counts only what ``record_failure`` records (failed
  password checks), per client address and per username; while the count is
  at its limit, ``blocked_for`` says how long to wait.
* ``AnonymousLiveListThrottle``: anonymous requests for a page of a live list
  (built by serializers, up to seconds for a large page), per client address.
* ``AnonymousComparisonThrottle``: anonymous requests for ``/compare/`` (each
  reads and summarises up to 100,000 lines of the timing log), per client address.
"""

import hashlib
import logging

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, BaseThrottle, SimpleRateThrottle

logger = logging.getLogger(__name__)

LOGIN_FAILURES_PER_CLIENT = "login_failures_client"
LOGIN_FAILURES_PER_USER = "login_failures_user"
ANONYMOUS_LIVE_LIST = "anon_live_list"
ANONYMOUS_COMPARISON = "anon_compare"


def configured_rate(scope: str) -> str | None:
    try:
        return api_settings.DEFAULT_THROTTLE_RATES[scope]
    except KeyError:
        raise ImproperlyConfigured(f"No throttle rate set for scope {scope!r}") from None


class FailureThrottle(SimpleRateThrottle):
    def __init__(self, scope: str, ident: str):
        self.scope = scope
        self.ident = hashlib.sha256(ident.encode()).hexdigest()
        super().__init__()

    def get_rate(self):
        return configured_rate(self.scope)

    def get_cache_key(self, request=None, view=None):
        return self.cache_format % {"scope": self.scope, "ident": self.ident}

    def _load(self) -> None:
        self.key = self.get_cache_key()
        self.now = self.timer()
        self.history = self.cache.get(self.key, [])
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()

    def blocked_for(self) -> float | None:
        """Seconds until another attempt is allowed, or None if it is allowed now."""
        if self.rate is None:
            return None
        try:
            self._load()
        except Exception:
            logger.warning("Throttle cache unavailable; not throttling", exc_info=True)
            return None
        if len(self.history) < self.num_requests:
            return None
        # Allowed again once the failure that filled the window expires. Not
        # DRF's wait(): it returns None once concurrent workers have recorded
        # more failures than the limit, which is exactly when it matters.
        filled_at = self.history[self.num_requests - 1]
        return max(self.duration - (self.now - filled_at), 1.0)

    def record_failure(self) -> None:
        if self.rate is None:
            return
        try:
            self._load()
            self.history.insert(0, self.now)
            self.cache.set(self.key, self.history, self.duration)
        except Exception:
            logger.warning("Throttle cache unavailable; failure not counted", exc_info=True)


def login_failure_throttles(request, username) -> list[FailureThrottle]:
    """The counters a password check for ``username`` from ``request`` falls under."""
    throttles = [FailureThrottle(LOGIN_FAILURES_PER_USER, str(username or ""))]
    if request is not None:
        # The address as DRF's throttles see it (NUM_PROXIES decides whether to trust
        # X-Forwarded-For).
        client = BaseThrottle().get_ident(request)
        throttles.append(FailureThrottle(LOGIN_FAILURES_PER_CLIENT, client))
    return throttles


def login_blocked_for(request, username) -> float | None:
    waits = [t.blocked_for() for t in login_failure_throttles(request, username)]
    waits = [wait for wait in waits if wait is not None]
    return max(waits) if waits else None


def record_failed_login(request, username) -> None:
    for throttle in login_failure_throttles(request, username):
        throttle.record_failure()


class AnonymousThrottle(AnonRateThrottle):
    """Anonymous requests of ``scope``, per client address; open when the cache is away."""

    def get_rate(self):
        return configured_rate(self.scope)

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:
            logger.warning("Throttle cache unavailable; not throttling", exc_info=True)
            return True


class AnonymousLiveListThrottle(AnonymousThrottle):
    scope = ANONYMOUS_LIVE_LIST


class AnonymousComparisonThrottle(AnonymousThrottle):
    scope = ANONYMOUS_COMPARISON
