"""``timing``: the README's timing run against gunicorn serving the test database."""

import pytest

from rooms.read_models import rebuild_all
from rooms.read_models.registry import LIVE_PATH, READ_MODELS
from rooms.tests.factories import make_furnished_rooms
from supplementary_scripts.cli import main

from .helpers import database_url, read_path_table


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_every_read_path_is_requested_and_summarised_from_the_servers_log(
    tmp_path, capsys, fresh_view
):
    make_furnished_rooms(3)
    rebuild_all()
    chart = tmp_path / "chart.svg"

    argv = ["timing", "--database-url", database_url(), "--count", "3", "--chart", str(chart)]
    assert main(argv) == 0

    out = capsys.readouterr().out
    counts = {path: cells[0] for path, cells in read_path_table(out, "One room").items()}
    assert counts == {path: "3" for path in [LIVE_PATH, *(m.path for m in READ_MODELS.values())]}
    # Exactly the requests it timed: not its listing of the room ids (a page of 1,000).
    assert "A list page of 1000 rooms" not in out
    assert "20 requests in the window" in out  # 3 rooms on 4 paths, 5 pages of 10 and 100 on 4
    assert chart.read_text().startswith("<svg ")
