"""The compose stack, as a user runs it: fixtures of the end-to-end suite.

`docker/e2e/run.sh` (`make compose-test`) brings the stack up from the working tree
(`docker compose up --build --wait`, with a throwaway `.env` and ports of its own) and
runs this suite from outside: every check goes through the published ports, or through
`docker compose` the way a user would type it.
"""

import json
import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

REPO_DIR = Path(__file__).resolve().parents[2]


@dataclass
class Stack:
    """One compose project: its command line, its `.env` values and its addresses."""

    compose_command: list[str]
    project: str
    env_file: Path
    settings: dict[str, str] = field(init=False)

    def __post_init__(self):
        self.settings = read_env_file(self.env_file)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.settings['APP_PORT']}"

    @property
    def pgadmin_url(self) -> str:
        return f"http://127.0.0.1:{self.settings['PGADMIN_PORT']}"

    def compose(self, *args: str, timeout: float = 600, check: bool = True, env_file=None):
        """`docker compose ARGS` for this project, as a user would run it."""
        command = [
            *self.compose_command,
            "--project-directory",
            str(REPO_DIR),
            "--project-name",
            self.project,
            "--env-file",
            str(env_file or self.env_file),
            *args,
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(
                f"{' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
            )
        return result

    def services(self) -> dict[str, list[dict]]:
        """The project's containers by service, as `docker compose ps` reports them."""
        output = self.compose("ps", "--all", "--format", "json").stdout
        # One JSON object a line (Compose v2.21 and later), or one JSON list (earlier).
        rows = (
            json.loads(output)
            if output.lstrip().startswith("[")
            else [json.loads(line) for line in output.splitlines() if line.strip()]
        )
        by_service: dict[str, list[dict]] = {}
        for row in rows:
            by_service.setdefault(row["Service"], []).append(row)
        return by_service

    def wait_until_healthy(self, timeout: float = 300):
        """Blocks until every container that has a health check reports healthy."""
        deadline = time.monotonic() + timeout
        while True:
            unhealthy = [
                row["Name"]
                for rows in self.services().values()
                for row in rows
                if row["State"] != "running" or row.get("Health") not in ("", "healthy")
            ]
            if not unhealthy:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"not healthy after {timeout} s: {unhealthy}")
            time.sleep(2)


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            name, value = line.split("=", 1)
            values[name.strip()] = value.strip()
    return values


@pytest.fixture(scope="session")
def stack() -> Stack:
    try:
        return Stack(
            compose_command=json.loads(os.environ["E2E_COMPOSE"]),
            project=os.environ["E2E_PROJECT"],
            env_file=Path(os.environ["E2E_ENV_FILE"]),
        )
    except KeyError as missing:
        pytest.exit(f"{missing} is not set: run this suite with `make compose-test`", 2)


@pytest.fixture(scope="session")
def api_token(stack) -> str:
    """An API token of an editor (a user with every write permission)."""
    stack.compose(
        "exec",
        "-T",
        "app",
        "python",
        "manage.py",
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.get_or_create(username='e2e-editor')",
    )
    stack.compose("exec", "-T", "app", "python", "manage.py", "create_editor_group", "e2e-editor")
    output = stack.compose(
        "exec", "-T", "app", "python", "manage.py", "drf_create_token", "e2e-editor"
    ).stdout
    return output.split()[2]


@pytest.fixture
def client(stack, api_token) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Token {api_token}"
    session.headers["Accept"] = "application/json"
    return session


class Traffic:
    """Reads sent one after another from a thread while something happens to the stack.

    Every answer is kept with how long it took, so that a test can say that none
    failed, stalled, or came back as anything but JSON. Bounded: it stops by itself
    after ``limit`` seconds.
    """

    def __init__(self, url: str, limit: float = 240):
        self.url = url
        self.limit = limit
        self.answers: list[tuple[int | str, float, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        session = requests.Session()
        started = time.monotonic()
        while not self._stop.is_set() and time.monotonic() - started < self.limit:
            sent = time.monotonic()
            try:
                response = session.get(self.url, timeout=30, headers={"Accept": "application/json"})
                outcome = (response.status_code, response.headers.get("Content-Type", ""))
            except requests.RequestException as error:
                outcome = (type(error).__name__, "")
            self.answers.append((outcome[0], time.monotonic() - sent, outcome[1]))
            time.sleep(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def slowest(self) -> float:
        return max((elapsed for _, elapsed, _ in self.answers), default=0.0)


@pytest.fixture
def traffic(stack):
    def start(path: str, limit: float = 240) -> Traffic:
        return Traffic(stack.base_url + path, limit)

    return start
