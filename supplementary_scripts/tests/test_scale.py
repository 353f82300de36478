"""``scale`` and ``replicas`` end to end on a dozen rooms.

Not performance tests: a short run must report every figure it promises, as numbers, and
leave the data and the view's refresh policy as they were. What needs a replica needs a
server that allows replication (the embedded one, as in CI); elsewhere it is skipped with
the reason.
"""

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection
from local_replica import LocalReplica

from rooms.read_models import drift, materialized_view, rebuild_all
from rooms.read_models.registry import READ_MODELS
from rooms.tests.factories import make_furnished_rooms
from supplementary_scripts import replicas, scale

from .helpers import database_url, run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rooms(fresh_view):
    make_furnished_rooms(12)
    rebuild_all()


@pytest.fixture
def replication():
    """Skips the test when the test server cannot have a replica."""
    directory = Path(tempfile.mkdtemp(prefix="rooms-probe-"))
    reason = LocalReplica(database_url(), directory).refusal()
    shutil.rmtree(directory, ignore_errors=True)
    if reason:
        pytest.skip(f"no replica of the test server can be made: {reason}")


def names_and_rooms():
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM rooms_bed ORDER BY id")
        beds = cursor.fetchall()
        cursor.execute("SELECT id, name FROM rooms_room ORDER BY id")
        return beds, cursor.fetchall()


def test_scale_reports_sizes_and_wal_and_keeps_nothing(rooms, tmp_path):
    before = names_and_rooms()

    report = run(tmp_path / "scale.md", "scale", "--database-url", database_url())

    assert "at 12 rooms" in report
    sizes = ["base tables (entities and links)", "whole database"]
    sizes += [name.replace("_", " ") for name in READ_MODELS]
    for line in sizes:
        assert re.search(rf"\| {re.escape(line)} \| [\d.,]+ [kM]B \| [\d,]+ B \|", report), line
    for table in ("rooms_room", "rooms_bed_rooms", "rooms_windowfittings_windows"):
        assert re.search(rf"\| {table} \| -?[\d,]+ \| [\d.,]+ [kM]B \| [\d,]+ B \|", report), table
    for write in scale.writes():
        assert re.search(rf"\| {re.escape(write)} \| [\d.,]+ [kM]B \|", report), write
    # Every write was rolled back: the data and the read models are as they were.
    assert names_and_rooms() == before
    assert all(found.total == 0 for found in drift().values()), drift()


@pytest.mark.slow
def test_scale_replays_a_full_rebuild_on_a_replica(rooms, tmp_path, replication):
    report = run(tmp_path / "scale.md", "scale", "--database-url", database_url(), "--replica")

    assert re.search(r"^Replica: base backup [\d.]+ s for [\d.,]+ [kM]B; a committed full "
                     r"rebuild of the trigger table \([\d.,]+ [kM]B of WAL\) was replayed "
                     r"[\d.]+ s after its COMMIT was sent\.$", report, re.M)  # fmt: skip
    assert all(found.total == 0 for found in drift().values()), drift()


@pytest.mark.slow
def test_replicas_measures_every_configuration_and_restores_the_policy(
    rooms, tmp_path, replication
):
    materialized_view.set_refresh_policy("deferred")
    try:
        report = run(tmp_path / "replicas.md", "replicas", "--database-url", database_url(),
                     "--rounds", "1", "--seconds", "1", "--clients", "2", "--write-rounds", "2",
                     "--raw-rounds", "2")  # fmt: skip
        policy = materialized_view.state().refresh_policy
    finally:
        materialized_view.set_refresh_policy("immediate")

    for configuration in replicas.CONFIGURATIONS:
        cores = r"[\d.]+ / [\d.]+ / [\d.]+ / [\d.]+"
        row = rf"\| {configuration} \| [\d,]+ \| \d+ \| {cores} \|"  # one round: no range
        assert re.search(row, report), configuration
    assert re.search(r"\| replay lag, ms .*\|", report)
    assert "## Write cost per read model" in report  # the write benchmark's own report
    # Reads right after a write with its position always show it; with replay paused,
    # from the primary.
    assert re.search(
        r"\| with X-DB-LSN, replica instance \| [\d.]+ / [\d.]+ \| \d / \d \| 2 of 2 \|", report
    )
    assert re.search(r"replay paused \| [\d.]+ / [\d.]+ \| 0 / 2 \| 2 of 2 \|", report)
    assert policy == "deferred"


def test_cpu_seconds_keep_what_an_ended_child_used():
    # A child that burns 0.3 s of CPU, sleeps, then ends and is reaped by its parent.
    child = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\n"
    child += "time.sleep(1.5)"
    parent = f"import subprocess, sys, time; subprocess.run([sys.executable, '-c', {child!r}])"
    process = subprocess.Popen([sys.executable, "-c", parent + "; time.sleep(30)"])
    try:
        time.sleep(1)  # the child has burnt its CPU and sleeps
        while_alive = replicas.cpu_seconds([process.pid])
        time.sleep(2)  # the child has ended
        after = replicas.cpu_seconds([process.pid])
    finally:
        process.kill()
        process.wait()

    # The kernel counts CPU in 10 ms ticks, so the 0.3 s the child burnt may read 0.29-0.30.
    assert after >= 0.29 and after >= while_alive - 0.005
