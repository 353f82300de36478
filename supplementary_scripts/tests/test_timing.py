"""``timing``: the README's timing run against gunicorn serving the test database."""

import pytest

from rooms.read_models import rebuild_all
from rooms.read_models.registry import LIVE_PATH, READ_MODELS
from rooms.tests.factories import make_furnished_rooms
from supplementary_scripts.cli import main

from .helpers import database_url


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_every_read_path_is_requested_and_summarised_from_the_servers_log(
    tmp_path, capsys, fresh_view
):
    make_furnished_rooms(3)
    rebuild_all()
    chart = tmp_path / "chart.png"

    argv = ["timing", "--database-url", database_url(), "--count", "3", "--chart", str(chart)]
    assert main(argv) == 0

    out = capsys.readouterr().out
    summary = out[out.index("process_logs") if "process_logs" in out else 0 :]
    for path in [LIVE_PATH, *(model.path for model in READ_MODELS.values())]:
        assert f"{path}<id>/" in summary, path  # a row of the log's summary per read path
    assert chart.read_bytes().startswith(b"\x89PNG")
