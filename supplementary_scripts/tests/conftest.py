"""The app's fixtures (the same real database, the same test settings), and the ``slow`` mark
for every test here that starts a server."""

from pathlib import Path

import pytest

from rooms.tests.conftest import _test_settings, fresh_view, refresh_policy  # noqa: F401

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    """A test that uses Django's live server (a thread) is slow; tests that start processes or
    threads of their own are marked by hand."""
    for item in items:
        if item.path.is_relative_to(HERE) and "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
