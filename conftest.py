"""pytest's hooks for every test of the repository (app/ and supplementary_scripts/).

Tests that run code beside themselves (servers, workers, threads, programs in
other processes) are marked ``slow`` at collection, from their code
(``rooms.tests.slow``), so that ``-m "not slow"`` leaves exactly them out.
"""

import pytest

from rooms.tests.slow import mark_slow


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    mark_slow(items)
