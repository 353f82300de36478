"""The app's fixtures for the read models, for the scripts' tests too (the same real database)."""

from rooms.tests.conftest import fresh_view, refresh_policy  # noqa: F401
