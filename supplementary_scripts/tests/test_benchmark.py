"""``benchmark.py`` against a real server (the Django live server), a few rounds.

Not a performance test: it checks that one run reaches every endpoint it
claims to measure, writes as a logged-in user, follows a deferred refresh to
the end, and prints a table whose every row is there with numbers in it.
"""

import math
import re

import pytest

from rooms.tests.factories import make_full_room
from rooms.tests.refresher_thread import RefresherThread
from supplementary_scripts import benchmark, timings

PASSWORD = "bench password"
READS = [
    kind(path)
    for kind in (benchmark.single_name, benchmark.page_name)
    for path in benchmark.READ_PATHS
]
ROWS = [benchmark.FLOOR, *READS, benchmark.RENAME, benchmark.ADD_ROOM]
NUMBER = r"[0-9]+(?:\.[0-9]+)?"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def writer(django_user_model):
    from rooms.services.editors import ensure_editor_group

    user = django_user_model.objects.create_user(username="bench", password=PASSWORD)
    user.groups.add(ensure_editor_group())  # writes need the model permissions
    return user


@pytest.fixture
def rooms():
    return [make_full_room() for _ in range(4)]


def table_rows(text: str) -> dict[str, list[str]]:
    """Markdown table rows by their first cell (the measurement)."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows[cells[0]] = cells[1:]
    return rows


def run(live_server, tmp_path, *extra) -> str:
    output = tmp_path / "report.md"
    status = benchmark.main(
        [
            "--base-url",
            live_server.url,
            "--user",
            "bench",
            "--password",
            PASSWORD,
            "--rounds",
            "3",
            "--warmup",
            "1",
            "--seed",
            "1",
            "--output",
            str(output),
            *extra,
        ]
    )
    assert status == 0
    return output.read_text()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("auth", ["session", "basic"])
def test_every_measurement_is_in_the_table_with_numbers(
    live_server, tmp_path, writer, rooms, auth, capsys
):
    report = run(live_server, tmp_path, "--auth", auth)

    assert capsys.readouterr().out == report
    assert "### `ROOMS_VIEW_REFRESH=immediate`: 4 rooms, 3 rounds" in report
    rows = table_rows(report)
    for name in ROWS:
        n, median, p95, versus_floor, versus_live = rows[name]
        assert n == "3"
        assert 0 < float(median) <= float(p95)
        assert float(versus_floor) > 0
        if name in READS and benchmark.LIVE not in name:
            assert re.fullmatch(rf"{NUMBER}x faster than /rooms/", versus_live)
    # Each "x floor" figure is that row's median over the floor's (as printed, rounded).
    floor = float(rows[benchmark.FLOOR][1])
    for name in READS:
        median, versus_floor = float(rows[name][1]), float(rows[name][3])
        assert versus_floor == pytest.approx(median / floor, rel=0.05, abs=0.06), name
    # Under immediate both read models show every write as soon as it returns.
    for path in benchmark.CACHED:
        assert f"`{path}` showed it right away 6 of 6 times" in report
    # Three goals (single room vs floor, vs live; page vs live) per stored read path.
    goals = re.findall(r"^- `/rooms_.*: [0-9.]+x, (holds|MISSED)$", report, re.M)
    assert len(goals) == 3 * len(benchmark.CACHED)


@pytest.mark.django_db(transaction=True)
def test_compare_base_url_adds_a_before_after_table(live_server, tmp_path, writer, rooms):
    # The same server twice: the point is the shape of the table, not the speed-up.
    report = run(live_server, tmp_path, "--compare-base-url", live_server.url)

    rows = table_rows(report)
    for path in benchmark.CACHED:
        for name in (benchmark.single_name(path), benchmark.page_name(path)):
            assert rows[benchmark.BEFORE + name][0] == "3"
            before, after, _p95_before, _p95_after, speedup = rows[name][:5]
            assert float(before) > 0 and float(after) > 0
            assert re.fullmatch(rf"{NUMBER}x", speedup)


@pytest.mark.django_db(transaction=True)
def test_deferred_policy_reports_how_long_writes_take_to_show(
    live_server, tmp_path, writer, rooms, refresh_policy
):
    refresh_policy("deferred")

    with RefresherThread(max_staleness=0.4):
        report = run(live_server, tmp_path, "--staleness-timeout", "20")

    assert "### `ROOMS_VIEW_REFRESH=deferred`" in report
    for path in benchmark.TABLES:
        assert f"`{path}` showed it right away 6 of 6 times" in report
    rows = table_rows(report)
    for kind in ("rename", "add a room"):
        assert rows[kind][0] == "3"
    n, median, p95, maximum = rows["all writes"]
    assert n == "6"
    # The worker waits a quarter of its bound before refreshing.
    assert 100 <= float(median) <= float(p95) <= float(maximum) < 20_000
    assert "still not visible" not in report


def test_percentile_interpolates_between_ranks():
    values = [float(v) for v in range(1, 101)]
    assert timings.percentile(values, 50) == pytest.approx(50.5)
    assert timings.percentile(values, 95) == pytest.approx(95.05)
    assert timings.percentile(values, 100) == 100.0  # the maximum (benchmark_replicas' lag)
    assert timings.percentile([7.0], 95) == 7.0
    assert math.isnan(timings.percentile([], 50))


def test_writes_are_spread_over_the_rounds():
    assert benchmark.spread(5, 100) == {0, 20, 40, 60, 80}
    assert benchmark.spread(200, 10) == set(range(10))
    assert benchmark.spread(0, 10) == set()


def test_an_unreachable_server_is_reported(capsys):
    status = benchmark.main(["--base-url", "http://127.0.0.1:9", "--rounds", "1"])

    assert status == 2
    assert "Cannot reach the server" in capsys.readouterr().err


def test_cursors_are_escaped_in_page_queries():
    assert benchmark.page_query(100) == "?page_size=100"
    assert benchmark.page_query(100, "cD0+/w==") == "?page_size=100&cursor=cD0%2B%2Fw%3D%3D"
