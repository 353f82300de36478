"""``load`` (locust, headless) against Django's live server, for two seconds.

Not a performance test: every kind of user must have sent requests, the writes must have
landed, and the summary must count them; a restart command runs once, when asked.
"""

import json

import pytest
from rest_framework.authtoken.models import Token

from rooms.models import Bed
from rooms.read_models import rebuild_all
from rooms.tests.factories import make_furnished_rooms

from .helpers import run, until_the_live_server_is_quiet


@pytest.fixture
def token(django_user_model):
    from rooms.services.editors import ensure_editor_group

    user = django_user_model.objects.create_user(username="loader", password="load password")
    user.groups.add(ensure_editor_group())
    return Token.objects.create(user=user).key


@pytest.mark.django_db(transaction=True)
def test_every_kind_of_user_is_counted_and_the_writes_land(
    live_server, tmp_path, token, fresh_view
):
    make_furnished_rooms(6)
    rebuild_all()

    found = json.loads(run(tmp_path / "load.json", "load", "--base-url", live_server.url,
                           "--token", token, "--readers", "2", "--writers", "1", "--attackers",
                           "1", "--live-loops", "1", "--duration", "2", "--restart-at", "1",
                           "--restart-command", "true"))  # fmt: skip
    until_the_live_server_is_quiet()  # the requests locust left in flight

    assert 1.5 < found["duration_s"] < 5
    assert found["reads_per_s"] > 0 and found["writes_per_s"] > 0
    assert 0 < found["read_ms"]["50"] <= found["read_ms"]["99"]
    statuses = found["statuses"]
    assert statuses["read 200"] and statuses["write 200"] and statuses["live-loop 200"]
    assert statuses.get("attack 401", 0) + statuses.get("attack 429", 0) > 0
    assert found["failures"] == 0 and "failure_window_s" not in found
    assert 1 <= found["restart"]["began"] < 2
    renamed = Bed.objects.filter(name__startswith="Load bed").count()
    assert 1 <= renamed <= statuses["write 200"]  # a bed may be renamed twice
