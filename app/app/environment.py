"""Typed reads of the environment variables the service is configured with.

A setting with a wrong value stops the service at start-up with its name in
the message (``ImproperlyConfigured``), rather than failing later or falling
back to a default silently. No Django import beyond the exception, so the
gunicorn configuration can use these before Django is set up.
"""

import os

from django.core.exceptions import ImproperlyConfigured


def flag(name: str, default: bool = False) -> bool:
    """``1``, ``true``, ``yes`` or ``on`` (any case) is true; unset or empty is ``default``."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def items(name: str, default: str) -> list[str]:
    """A comma-separated list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def seconds(name: str, default: float) -> float:
    """A non-negative number of seconds; unset or empty is ``default``."""
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of seconds, not {raw!r}") from None
    if value < 0:
        raise ImproperlyConfigured(f"{name} must not be negative, not {raw!r}")
    return value
