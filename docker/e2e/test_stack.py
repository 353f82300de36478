"""The compose stack, checked from outside as its users would (`make compose-test`).

The tests run in file order on one stack: reads first, then writes, then what a
deployment goes through (scaling, restarts), and last what ends the stack's data
(`down`, `down -v`).
"""

import re
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"
READ_PATHS = ("/rooms/", "/rooms_v3/", "/rooms_mat_view/", "/rooms_v2/")
#: How much later than ROOMS_VIEW_MAX_STALENESS the view may show a write: one refresh
#: of the demo data and the worker's polling, on a busy machine.
VIEW_SLACK_SECONDS = 3.0
#: No request may wait longer than this while an app instance goes away.
STALL_SECONDS = 5.0


def get_json(url: str, **headers) -> requests.Response:
    response = requests.get(url, headers={"Accept": "application/json", **headers}, timeout=30)
    assert response.status_code == 200, (url, response.status_code, response.text[:500])
    return response


def room_ids(stack, count: int = 10) -> list[int]:
    page = get_json(f"{stack.base_url}/rooms_v3/?page_size={count}").json()
    return [room["id"] for room in page["results"]]


def a_bed_in_a_room(stack) -> tuple[int, int]:
    for bed in get_json(f"{stack.base_url}/beds/?page_size=50").json()["results"]:
        if bed["rooms"]:
            return bed["id"], bed["rooms"][0]
    raise AssertionError("no bed stands in a room")


def rename_bed(client, stack, bed_id: int) -> tuple[str, requests.Response]:
    name = f"e2e {uuid.uuid4().hex[:12]}"
    response = client.patch(f"{stack.base_url}/beds/{bed_id}/", json={"name": name}, timeout=30)
    assert response.status_code == 200, response.text
    return name, response


def seconds_until_the_view_shows(stack, room_id: int, text: str, limit: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if text in get_json(f"{stack.base_url}/rooms_mat_view/{room_id}/").text:
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"/rooms_mat_view/{room_id}/ did not show the write within {limit} s")


def test_every_service_is_up_and_healthy(stack):
    expected = set(stack.compose("config", "--services").stdout.split())
    services = stack.services()

    assert set(services) == expected
    for name, containers in services.items():
        for container in containers:
            assert container["State"] == "running", (name, container)
            # The worker serves no HTTP and has no health check; every other one has.
            assert container.get("Health") == ("" if name == "worker" else "healthy"), (
                name,
                container,
            )


def test_a_clean_start_logs_no_error_and_head_requests_are_quiet(stack):
    response = requests.head(f"{stack.base_url}/rooms_v3/", timeout=30)
    assert response.status_code == 200 and not response.content
    deadline = time.monotonic() + 10
    while True:  # the access log line reaches `docker compose logs` a moment later
        logs = stack.compose("logs", "--no-color", "app", "worker", "db", "db-replica").stdout
        if '"HEAD /rooms_v3/' in logs or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert '"HEAD /rooms_v3/' in logs, logs[-3000:]
    noise = [
        line
        for line in logs.splitlines()
        if re.search(r"\b(ERROR|FATAL|PANIC|WARNING)\b|Traceback|no-body response", line)
    ]
    assert not noise, noise


def test_the_four_read_paths_serve_the_same_documents_through_the_proxy(stack):
    for room_id in room_ids(stack):
        documents = {
            path: get_json(f"{stack.base_url}{path}{room_id}/").json() for path in READ_PATHS
        }
        assert all(document == documents["/rooms/"] for document in documents.values()), (
            room_id,
            documents,
        )


def test_reads_are_served_by_the_replica(stack):
    room_id = room_ids(stack, 1)[0]
    servers = {
        get_json(f"{stack.base_url}/rooms_v3/{room_id}/").headers.get("X-DB-Server")
        for _ in range(10)
    }
    assert servers == {"replica"}


def test_a_write_is_read_back_at_once_and_reaches_the_view_through_the_worker(stack, client):
    bed_id, room_id = a_bed_in_a_room(stack)
    name, response = rename_bed(client, stack, bed_id)
    position = response.headers.get("X-DB-LSN")
    assert position, "a write's answer carries its WAL position"

    # Read-your-writes: with the position, the stored paths show the write at once,
    # from whichever server has replayed it.
    for path in ("/rooms_v3/", "/rooms_v2/"):
        answer = get_json(f"{stack.base_url}{path}{room_id}/", **{"X-DB-LSN": position})
        assert name in answer.text, path
        assert answer.headers["X-DB-Server"] in {"replica", "primary"}

    bound = float(stack.settings["ROOMS_VIEW_MAX_STALENESS"]) + VIEW_SLACK_SECONDS
    seconds_until_the_view_shows(stack, room_id, name, bound)


def test_pgadmin_logs_in_with_the_env_credentials_and_connects_to_the_rooms_server(stack):
    session = requests.Session()
    login_page = session.get(f"{stack.pgadmin_url}/login", timeout=30)
    assert login_page.status_code == 200
    token = re.search(r"""['"]csrfToken['"]\s*:\s*['"]([^'"]+)['"]""", login_page.text).group(1)
    logged_in = session.post(
        f"{stack.pgadmin_url}/authenticate/login",
        data={
            "email": stack.settings["PGADMIN_DEFAULT_EMAIL"],
            "password": stack.settings["PGADMIN_DEFAULT_PASSWORD"],
            "csrf_token": token,
        },
        timeout=30,
    )
    assert logged_in.status_code == 200 and "/login" not in logged_in.url, logged_in.url
    session.headers["X-pgA-CSRFToken"] = token

    def nodes(path: str) -> list[dict]:
        # pgAdmin answers a node list under "data" or "result", by node type.
        answer = session.get(f"{stack.pgadmin_url}/browser/{path}", timeout=30).json()
        return answer.get("data") or answer.get("result") or []

    registered = {
        server["label"]: (group["_id"], server["_id"])
        for group in nodes("server_group/nodes/")
        for server in nodes(f"server/nodes/{group['_id']}")
    }
    assert "rooms (docker compose)" in registered, registered

    group_id, server_id = registered["rooms (docker compose)"]
    connect_url = f"{stack.pgadmin_url}/browser/server/connect/{group_id}/{server_id}"
    refused = session.post(connect_url, json={"password": "not-the-password"}, timeout=60)
    assert refused.status_code >= 400 or refused.json().get("success") != 1, refused.text
    connected = session.post(
        connect_url, json={"password": stack.settings["POSTGRES_PASSWORD"]}, timeout=60
    ).json()
    assert connected.get("success") == 1 and connected["data"]["connected"], connected


def test_two_app_instances_both_serve_and_one_going_away_fails_no_request(stack, traffic):
    room_id = room_ids(stack, 1)[0]
    stack.compose("up", "--detach", "--scale", "app=2", "--no-recreate", "--wait", timeout=600)
    assert len(stack.services()["app"]) == 2

    marker = uuid.uuid4().hex[:8]
    for number in range(40):
        get_json(f"{stack.base_url}/rooms_v3/{room_id}/", **{"X-Request-ID": f"{marker}-{number}"})
    logs = stack.compose("logs", "--no-color", "app").stdout
    serving = {line.split("|", 1)[0].strip() for line in logs.splitlines() if marker in line}
    assert len(serving) == 2, serving

    # One instance crashes (killed; compose restarts it), then the stack is scaled back.
    with traffic(f"/rooms_v3/{room_id}/") as reads:
        crashed = sorted(container["Name"] for container in stack.services()["app"])[-1]
        subprocess.run(["docker", "kill", crashed], check=True, capture_output=True, timeout=60)
        time.sleep(5)
        stack.compose("up", "--detach", "--scale", "app=1", "--no-recreate", "--wait", timeout=600)
        time.sleep(5)  # the proxy's view of `app` catches up while reads go on
    assert len(stack.services()["app"]) == 1
    failed = [answer for answer in reads.answers if answer[0] != 200]
    assert reads.answers and not failed, failed
    assert reads.slowest < STALL_SECONDS, reads.slowest


def test_a_restarted_app_serves_again(stack):
    stack.compose("restart", "app", timeout=300)
    stack.wait_until_healthy()
    assert get_json(f"{stack.base_url}/healthz").status_code == 200


def test_a_database_restart_under_traffic_answers_json_and_the_worker_carries_on(
    stack, client, traffic
):
    worker_before = stack.services()["worker"][0]
    # /doors/ is served by the primary (only the room read paths use the replica).
    with traffic("/doors/1/") as reads:
        stack.compose("restart", "db", timeout=300)
        stack.wait_until_healthy()
        time.sleep(2)

    failures = [
        (status, content_type)
        for status, _, content_type in reads.answers
        if status != 200 and not (status == 503 and content_type.startswith("application/json"))
    ]
    assert not failures, failures
    assert any(status == 200 for status, _, _ in reads.answers[-5:]), reads.answers[-5:]

    worker_after = stack.services()["worker"][0]
    assert worker_after["State"] == "running"
    assert worker_after["ID"] == worker_before["ID"]

    bed_id, room_id = a_bed_in_a_room(stack)
    name, _ = rename_bed(client, stack, bed_id)
    bound = float(stack.settings["ROOMS_VIEW_MAX_STALENESS"]) + VIEW_SLACK_SECONDS
    seconds_until_the_view_shows(stack, room_id, name, bound)


@pytest.mark.parametrize(
    ("service", "secret"),
    [
        ("db", "POSTGRES_PASSWORD"),
        ("db-replica", "PGPASSWORD"),
        ("pgadmin", "PGADMIN_DEFAULT_PASSWORD"),
        ("app", "DJANGO_SECRET_KEY"),
    ],
)
def test_the_placeholders_of_env_example_are_refused_before_anything_is_initialised(
    stack, tmp_path, service, secret
):
    """`cp .env.example .env` without editing it starts nothing, and leaves no volume
    initialised with a placeholder password."""
    placeholders = tmp_path / "placeholders.env"
    ports = {name: stack.settings[name] for name in ("APP_PORT", "PGADMIN_PORT")}
    placeholders.write_text(
        ENV_EXAMPLE.read_text() + "".join(f"\n{name}={port}" for name, port in ports.items())
    )
    project = f"{stack.project}-placeholders"
    other = type(stack)(stack.compose_command, project, placeholders)
    try:
        refused = other.compose("run", "--rm", "--no-deps", service, check=False, timeout=300)
        assert refused.returncode == 2, (refused.stdout, refused.stderr)
        assert f"{secret} still holds a change-me placeholder" in refused.stderr

        if service == "db":
            listing = other.compose(
                "run",
                "--rm",
                "--no-deps",
                "--entrypoint",
                "ls",
                service,
                "-A",
                "/var/lib/postgresql",
                timeout=300,
            )
            assert listing.stdout.strip() == "", listing.stdout
    finally:
        other.compose("down", "--volumes", "--remove-orphans", check=False, timeout=300)


def test_data_is_kept_across_down_and_up_and_gone_after_down_volumes(stack, client):
    door_url = f"{stack.base_url}/doors/1/"
    name = f"e2e kept {uuid.uuid4().hex[:8]}"
    assert client.patch(door_url, json={"name": name}, timeout=30).status_code == 200

    stack.compose("down", timeout=300)
    stack.compose("up", "--detach", "--wait", timeout=900)
    assert get_json(door_url).json()["name"] == name

    stack.compose("down", "--volumes", timeout=300)
    stack.compose("up", "--detach", "--wait", timeout=900)
    assert get_json(door_url).json()["name"] != name
