"""Every setting the service reads can be set in the compose stack, and is documented.

A variable the code reads but compose does not pass can never be changed in the
containers, however it is set in ``.env``; one missing from ``.env.example`` is one a
user never learns of. So each environment variable read by the application (found in
its source, not kept in a list here) must be passed to the app containers by
``docker-compose.yml``, be listed in ``.env.example``, and be described in docs/.
No database needed: these read files only.
"""

import re

import pytest
import yaml

from .project import REPO_DIR as ROOT

SOURCES = [
    path
    for path in [*(ROOT / "app").rglob("*.py"), *(ROOT / "docker").rglob("*.py")]
    if "tests" not in path.parts
]
VARIABLE = re.compile(r"[\"']((?:DJANGO|ROOMS|DATABASE|GUNICORN)_[A-Z0-9_]+)[\"']")

#: Read by the code, but not a setting of the stack's, each with the reason.
NOT_STACK_SETTINGS = {
    "DJANGO_SETTINGS_MODULE": "Django's own",
    "DATABASE_URL": "compose builds it from POSTGRES_PASSWORD",
    "DJANGO_STATIC_ROOT": "the image's layout",
    "ROOMS_LOG_FILE": "the image puts it in the logs volume",
    "ROOMS_ERROR_LOG_FILE": "beside ROOMS_LOG_FILE",
    "ROOMS_RUN_ADDRESS": "make run only",
    "ROOMS_SKIP_STARTUP_TASKS": "compose sets it for the worker's container",
}


def read_by_the_code() -> set[str]:
    found = set()
    for path in SOURCES:
        found |= set(VARIABLE.findall(path.read_text()))
    return found - set(NOT_STACK_SETTINGS)


def passed_by_compose() -> set[str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return set(compose["x-app"]["environment"])


def in_env_example() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))


def documented() -> str:
    return "\n".join(path.read_text() for path in (ROOT / "docs").glob("*.md"))


SETTINGS = sorted(read_by_the_code())


def test_the_scan_finds_the_settings():
    """Guards the scan itself: a broken pattern would make every test below vacuous."""
    assert {"ROOMS_VIEW_REFRESH", "DATABASE_CONN_MAX_AGE", "ROOMS_DB_WAIT_SECONDS"} <= set(SETTINGS)


@pytest.mark.parametrize("name", SETTINGS)
def test_compose_passes_it_to_the_app_containers(name):
    assert name in passed_by_compose(), f"docker-compose.yml's x-app environment lacks {name}"


@pytest.mark.parametrize("name", SETTINGS)
def test_env_example_lists_it(name):
    assert name in in_env_example(), f".env.example does not list {name}"


@pytest.mark.parametrize("name", SETTINGS)
def test_docs_describe_it(name):
    assert f"`{name}`" in documented(), f"no docs/*.md describes `{name}`"
