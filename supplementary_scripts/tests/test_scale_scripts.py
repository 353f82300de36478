"""``measure_scale.py`` and ``benchmark_replicas.py`` end to end on a dozen rooms.

Not performance tests: a short run must report every figure it promises, as
numbers, and leave the data and the view's refresh policy as they were. The
replicas' benchmark needs a server that allows replication (the embedded
one, as in CI); elsewhere it is skipped with the reason.
"""

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from django.db import connection
from local_replica import LocalReplica

from rooms.read_models import drift, materialized_view, rebuild_all
from rooms.tests.factories import make_furnished_rooms
from supplementary_scripts import benchmark_replicas, measure_scale
from supplementary_scripts.tests.test_benchmark_writes import database_url

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rooms(fresh_view):
    make_furnished_rooms(12)
    rebuild_all()


def names_and_rooms():
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM rooms_bed ORDER BY id")
        beds = cursor.fetchall()
        cursor.execute("SELECT id, name FROM rooms_room ORDER BY id")
        return beds, cursor.fetchall()


def test_measure_scale_reports_sizes_and_wal_and_keeps_nothing(rooms, tmp_path, capsys):
    before = names_and_rooms()
    output = tmp_path / "scale.md"

    assert measure_scale.main(["--database-url", database_url(), "--output", str(output)]) == 0

    report = output.read_text()
    assert "at 12 rooms" in report
    for line in ("base tables (entities and links)", *measure_scale.READ_MODELS, "whole database"):
        assert re.search(rf"\| {re.escape(line)} \| [\d.,]+ [kM]B \| [\d,]+ B \|", report), line
    for write in measure_scale.WRITES:
        assert re.search(rf"\| {re.escape(write)} \| [\d.,]+ [kM]B \|", report), write
    # Every write was rolled back: the data and the read models are as they were.
    assert names_and_rooms() == before
    assert all(found.total == 0 for found in drift().values()), drift()


@pytest.mark.slow
def test_benchmark_replicas_measures_every_configuration_and_restores_the_policy(rooms, tmp_path):
    directory = Path(tempfile.mkdtemp(prefix="rooms-probe-"))
    reason = LocalReplica(database_url(), directory).refusal()
    shutil.rmtree(directory, ignore_errors=True)
    if reason:
        pytest.skip(f"no replica of the test server can be made: {reason}")
    materialized_view.set_refresh_policy("deferred")
    output = tmp_path / "replicas.md"
    try:
        status = benchmark_replicas.main(
            ["--database-url", database_url(), "--rounds", "1", "--seconds", "0.5",
             "--clients", "2", "--write-rounds", "2", "--raw-rounds", "2",
             "--output", str(output)]
        )  # fmt: skip
        policy = materialized_view.state().refresh_policy
    finally:
        materialized_view.set_refresh_policy("immediate")

    assert status == 0
    report = output.read_text()
    for configuration in benchmark_replicas.CONFIGURATIONS:
        assert re.search(rf"\| {configuration} \| \d+ \(\d+ to \d+\) \|", report), configuration
    assert re.search(r"\| replay lag, ms .*\|", report)
    # Reads right after a write with its position always show it; with replay paused,
    # from the primary.
    assert re.search(
        r"\| with X-DB-LSN, replica instance \| [\d.]+ / [\d.]+ \| \d / \d \| 2 of 2 \|", report
    )
    assert re.search(r"replay paused \| [\d.]+ / [\d.]+ \| 0 / 2 \| 2 of 2 \|", report)
    assert policy == "deferred"
