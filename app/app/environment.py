"""Typed reads of the environment variables the service is configured with.

Every setting of the service is read through one of these functions, by
``settings.py``, ``timeouts.py``, ``replicas/config.py``, gunicorn's
configuration, the container's start-up (``docker/start.sh``,
``docker/with_db_lock.py``) and ``make run``'s ``run_local.py``. A variable
with a wrong value stops the service at start-up with its name and the value
in the message (``ImproperlyConfigured``), rather than failing later or
falling back to a default silently. Unset or empty means the default. No
Django import beyond the exception, so gunicorn's configuration can use these
before Django is set up.
"""

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
#: DRF's throttle rates: requests per second, minute, hour or day (DRF reads the first letter).
_RATE = re.compile(r"[0-9]+/[smhd][a-z]*")
#: Where a server listens, as ``runserver`` takes it: a port, after a host name, an IPv4
#: address or a bracketed IPv6 one.
_ADDRESS = re.compile(r"(?:(?P<host>[\w.-]+|\[[0-9a-fA-F:.]+\]):)?(?P<port>[0-9]{1,5})")


def _raw(name: str) -> str:
    return os.environ.get(name, "").strip()


def text(name: str, default: str = "") -> str:
    return _raw(name) or default


def required(name: str, hint: str) -> str:
    """A value that has no default: ``hint`` says where to get one."""
    value = _raw(name)
    if not value:
        raise ImproperlyConfigured(f"{name} is not set. {hint}")
    return value


def flag(name: str, default: bool = False) -> bool:
    """``1``/``true``/``yes``/``on`` (any case) is true, ``0``/``false``/``no``/``off`` false."""
    raw = _raw(name).lower()
    if not raw:
        return default
    if raw not in _TRUE | _FALSE:
        raise ImproperlyConfigured(
            f"{name} must be 1 or 0 (true/false, yes/no, on/off), not {raw!r}"
        )
    return raw in _TRUE


def items(name: str, default: str = "") -> list[str]:
    """A comma-separated list, blanks dropped."""
    return [item.strip() for item in (_raw(name) or default).split(",") if item.strip()]


def integer(name: str, default: int | None, minimum: int | None = 0) -> int | None:
    """A whole number, at least ``minimum`` (None: any)."""
    raw = _raw(name)
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {raw!r}")
    return value


def seconds(name: str, default: float, positive: bool = False) -> float:
    """A non-negative number of seconds (above zero if ``positive``)."""
    raw = _raw(name)
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of seconds, not {raw!r}") from None
    if value < 0 or (positive and value == 0) or value != value:  # NaN is no number of seconds
        bound = "above 0" if positive else "0 or more"
        raise ImproperlyConfigured(f"{name} must be {bound} seconds, not {raw!r}")
    return value


def choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of ``choices`` (any case)."""
    value = _raw(name).lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be {', '.join(choices)}; not {value!r}")
    return value


def path(name: str, default: Path) -> Path:
    raw = _raw(name)
    return Path(raw) if raw else Path(default)


def address(name: str, default: str) -> str:
    """``HOST:PORT`` (the host 127.0.0.1 when only a port is given)."""
    value = _raw(name) or default
    found = _ADDRESS.fullmatch(value)
    if not found or not 0 < int(found["port"]) < 2**16:
        raise ImproperlyConfigured(
            f"{name} must be PORT or HOST:PORT (127.0.0.1:8000), not {value!r}"
        )
    return f"{found['host'] or '127.0.0.1'}:{found['port']}"


def rate(name: str, default: str) -> str:
    """A throttle rate as DRF takes it: ``10/min``, ``1000/day``."""
    value = _raw(name) or default
    if not _RATE.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name} must be a number of requests per s, min, hour or day (10/min), not {value!r}"
        )
    return value
