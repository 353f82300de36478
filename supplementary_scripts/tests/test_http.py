"""``http`` against real servers: Django's live server, and gunicorn serving the test database.

Not performance tests: a run must reach every endpoint it claims to measure, write as a
logged-in user, follow a deferred refresh to the end, and print a table whose every row is
there with numbers in it.
"""

import re
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from rooms.read_models.registry import LIVE_PATH, READ_MODELS
from rooms.tests.factories import make_full_room
from rooms.tests.refresher_thread import RefresherThread
from supplementary_scripts import api
from supplementary_scripts.cli import main
from supplementary_scripts.harness import stored_tables

from .helpers import database_url, run, table_rows

STORED = [model.path for model in READ_MODELS.values()]
READS = [kind(path) for kind in (api.single, api.page) for path in [LIVE_PATH, *STORED]]
NUMBER = r"[0-9]+(?:\.[0-9]+)?"


@pytest.fixture
def writer(django_user_model):
    """The token of an editor (writes need the model permissions), not a superuser."""
    from rest_framework.authtoken.models import Token

    from rooms.services.editors import ensure_editor_group

    user = django_user_model.objects.create_user(username="bench")
    user.groups.add(ensure_editor_group())
    return Token.objects.create(user=user).key


@pytest.fixture
def rooms():
    return [make_full_room() for _ in range(4)]


def measure(live_server, tmp_path, token, *extra) -> str:
    argv = ["--token", token, "--rounds", "3", "--warmup", "1", *extra]
    return run(tmp_path / "report.md", "http", "--base-url", live_server.url, "--seed", "1", *argv)


@pytest.mark.django_db(transaction=True)
def test_every_measurement_is_in_the_table_with_numbers(
    live_server, tmp_path, writer, rooms, capsys
):
    report = measure(live_server, tmp_path, writer)

    assert capsys.readouterr().out == report
    assert "### `ROOMS_VIEW_REFRESH=immediate`: 4 rooms, 3 rounds" in report
    assert f"Command: `python -m supplementary_scripts http --base-url {live_server.url}" in report
    rows = table_rows(report)
    for name in [api.FLOOR, *READS, api.RENAME, api.ADD_ROOM]:
        n, median, p95, versus_floor, versus_live = rows[name]
        assert n == "3"
        assert 0 < float(median) <= float(p95)
        assert float(versus_floor) > 0
        if name in READS and LIVE_PATH not in name:
            assert re.fullmatch(rf"{NUMBER}x faster than /rooms/", versus_live)
    # Each "x floor" figure is that row's median over the floor's (as printed, rounded).
    floor = float(rows[api.FLOOR][1])
    for name in READS:
        median, versus_floor = float(rows[name][1]), float(rows[name][3])
        assert versus_floor == pytest.approx(median / floor, rel=0.05, abs=0.06), name
    # Under immediate every read model shows every write as soon as it returns.
    for path in STORED:
        assert f"`{path}` showed it right away 6 of 6 times" in report


@pytest.mark.django_db(transaction=True)
def test_deferred_policy_reports_how_long_writes_take_to_show(
    live_server, tmp_path, writer, rooms, refresh_policy
):
    refresh_policy("deferred")

    with RefresherThread(max_staleness=0.4):
        report = measure(live_server, tmp_path, writer, "--staleness-timeout", "20")

    assert "### `ROOMS_VIEW_REFRESH=deferred`" in report
    for path in (model.path for model in stored_tables()):
        assert f"`{path}` showed it right away 6 of 6 times" in report
    rows = table_rows(report)
    for kind in ("rename", "add a room"):
        assert rows[kind][0] == "3"
    n, median, p95, maximum = rows["all writes"]
    assert n == "6"
    # The worker waits a quarter of its bound before refreshing.
    assert 100 <= float(median) <= float(p95) <= float(maximum) < 20_000
    assert "still not visible" not in report


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_database_is_served_under_each_policy_asked_for(
    tmp_path, rooms, fresh_view, monkeypatch, settings
):
    from rooms.read_models import materialized_view

    # The servers take the environment the command was started with, as its settings did.
    monkeypatch.setenv("ROOMS_VIEW_MAX_STALENESS", "0.4")
    settings.ROOMS_VIEW_MAX_STALENESS = 0.4
    report = run(tmp_path / "report.md", "http", "--database-url", database_url(),
                 "--policies", "deferred", "manual", "--rounds", "2", "--warmup", "0",
                 "--staleness-timeout", "30", "--title", "Four rooms")  # fmt: skip

    assert report.startswith("## Four rooms\n")
    assert (
        "`run_view_refresher` alongside under `deferred` (`ROOMS_VIEW_MAX_STALENESS` 0.4 s)"
        in report
    )
    sections = re.findall(r"^### `ROOMS_VIEW_REFRESH=(\w+)`: 4 rooms, 2 rounds$", report, re.M)
    assert sections == ["deferred", "manual"]
    # The writes were made by the benchmark's own user, and followed to the view.
    assert table_rows(report)["all writes"][0] == "4"  # two rounds, two writes each
    assert "`/rooms_mat_view/` is not refreshed by writes under `manual`." in report
    assert materialized_view.state().refresh_policy == "immediate"  # put back


def test_an_unreachable_server_is_reported(capsys):
    assert main(["http", "--base-url", "http://127.0.0.1:9", "--rounds", "1"]) == 2
    assert "Cannot reach the server" in capsys.readouterr().err


def test_sampled_pages_are_the_first_and_full_ones_spread_over_the_list():
    class Server:  # pages of 100 rooms behind ``next`` links, the last one short
        def get(self, path):
            number = int(parse_qs(urlsplit(path).query).get("cursor", ["0"])[0])
            results = [{"id": number * 100 + i} for i in range(100 if number < 9 else 5)]
            more = f"http://server/rooms_v3/?cursor={number + 1}&page_size=100"
            return SimpleNamespace(
                json=lambda: {"results": results, "next": more if number < 9 else None}
            )

    ids, queries = api.discover_rooms(Server(), "/rooms_v3/", pages=4)

    assert ids == list(range(905))
    assert queries == ["?page_size=100", *(f"?cursor={n}&page_size=100" for n in (2, 4, 7))]


@pytest.mark.django_db(transaction=True)
def test_writes_stop_with_a_clear_error_when_no_bed_can_stand_in_one_more_room(
    live_server, writer, rooms, capsys
):
    from rooms.models import Bed

    bed = Bed.objects.filter(rooms__isnull=False).first()
    Bed.objects.exclude(pk=bed.pk).delete()
    bed.rooms.set([rooms[0]])
    argv = [
        "http",
        "--base-url",
        live_server.url,
        "--token",
        writer,
        "--rounds",
        "4",
        "--warmup",
        "0",
    ]

    assert main(argv) == 1  # a round's writes add a room: the fourth finds none left
    assert "every bed stands in every room" in capsys.readouterr().err
    assert bed.rooms.count() == len(rooms)
