"""The harness's arithmetic: percentiles, rounds, the spread of writes."""

import math
import random

import pytest

from supplementary_scripts.harness import Run, interleave, percentile, spread


def test_percentile_interpolates_between_ranks():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile(values, 100) == 100.0  # the maximum (the replicas' lag)
    assert percentile([7.0], 95) == 7.0
    assert math.isnan(percentile([], 50))


def test_writes_are_spread_over_the_rounds():
    assert spread(5, 100) == {0, 20, 40, 60, 80}
    assert spread(200, 10) == set(range(10))
    assert spread(0, 10) == set()


def test_rounds_run_every_task_once_each_in_new_orders_and_record_after_the_warmup():
    ran = []

    def tasks(number):
        return [(name, lambda n=name: ran.append((number, n)) or number) for name in "abcd"]

    results = interleave(tasks, rounds=20, warmup=2, rng=random.Random(1))

    assert results == {name: list(range(20)) for name in "abcd"}
    rounds = [[name for number, name in ran if number == n] for n in range(-2, 20)]
    assert all(sorted(names) == list("abcd") for names in rounds)
    assert len({tuple(names) for names in rounds}) > 1  # shuffled, not always the same order


def test_the_report_header_does_not_show_a_database_password():
    argv = ["build", "--database-url", "postgres://rooms:s3cret@db:5432/rooms", "--rounds", "1"]

    header = "\n".join(Run(argv).header("Title", ""))

    assert "s3cret" not in header
    assert "--database-url postgres://rooms:***@db:5432/rooms --rounds 1" in header
