"""Every setting is read through ``app.environment``, and a bad value stops the start.

The settings' modules (the Django settings, the timeouts, the replicas'
configuration, gunicorn's, and the start-up scripts of the container and of ``make run``)
read no environment variable themselves: each is read by one of ``app.environment``'s typed
readers, found here in their source. Each module is run afresh with a bad value in each
variable it reads, the way a process starts, and must stop with ``ImproperlyConfigured``
naming the variable. No database needed.
"""

import re
import runpy

import pytest
from django.core.exceptions import ImproperlyConfigured

from app import environment

from .project import APP_DIR, REPO_DIR

#: The modules that read settings, as a process runs them at start-up.
MODULES = {
    "app.settings": APP_DIR / "app" / "settings.py",
    "app.timeouts": APP_DIR / "app" / "timeouts.py",
    "replicas.config": APP_DIR / "replicas" / "config.py",
    "gunicorn": REPO_DIR / "docker" / "gunicorn.conf.py",
    "with_db_lock": REPO_DIR / "docker" / "with_db_lock.py",
    "run_local": APP_DIR / "run_local.py",
}
#: Readers that take any text (a key, a host list, a path): no value is bad.
ANY_TEXT = {"text", "items", "path", "required"}
READERS = "|".join(
    name for name, value in vars(environment).items() if callable(value) and name[0] != "_"
)
READ = re.compile(rf"\b({READERS})\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']")
#: The service's code, and the scripts that start it (``make run``'s, the container's).
SERVICE_SOURCES = [
    path
    for directory in ("app", "replicas", "rooms", "idempotency")
    for path in (APP_DIR / directory).rglob("*.py")
    if "tests" not in path.parts and path.name != "environment.py"
] + [*APP_DIR.glob("*.py"), *(REPO_DIR / "docker").glob("*.py")]


def reads() -> dict[str, tuple[str, str]]:
    """Variable -> (reader, module) for every variable the settings' modules read."""
    found = {}
    for module, path in MODULES.items():
        for reader, variable in READ.findall(path.read_text()):
            found[variable] = (reader, module)
    return found


TYPED = sorted(name for name, (reader, _) in reads().items() if reader not in ANY_TEXT)


def start(module: str) -> dict:
    """Run ``module``'s code afresh, as at a process's start; return its names."""
    return runpy.run_path(str(MODULES[module]))


def test_the_scan_finds_the_settings():
    """Guards the scan: a broken pattern would make the tests below vacuous."""
    found = reads()
    assert found["ROOMS_VIEW_MAX_STALENESS"] == ("seconds", "app.settings")
    assert found["GUNICORN_WORKERS"] == ("integer", "gunicorn")
    assert found["ROOMS_REPLICA_MAX_LAG"] == ("seconds", "replicas.config")
    assert found["ROOMS_DB_WAIT_SECONDS"] == ("seconds", "with_db_lock")
    assert found["ROOMS_RUN_ADDRESS"] == ("address", "run_local")
    assert {"DJANGO_DEBUG", "ROOMS_NUM_PROXIES", "ROOMS_THROTTLE_ANON_LIVE_LIST"} <= set(TYPED)


def test_no_module_of_the_service_reads_the_environment_itself():
    readers = [
        str(path.relative_to(APP_DIR))
        for path in SERVICE_SOURCES
        if re.search(r"os\.environ\.get|os\.environ\[|os\.getenv", path.read_text())
    ]
    assert readers == [], "read the environment through app.environment"


@pytest.mark.parametrize("variable", TYPED)
@pytest.mark.parametrize("bad", ["not-a-valid-value", "-5"])
def test_a_bad_value_stops_the_start_naming_the_variable(monkeypatch, variable, bad):
    _reader, module = reads()[variable]
    monkeypatch.setenv(variable, bad)

    with pytest.raises(ImproperlyConfigured, match=variable):
        start(module)


@pytest.mark.parametrize(
    "variable, bad",
    [
        ("DATABASE_URL", "postgres//no-scheme"),
        ("DATABASE_REPLICA_URLS", "postgres://replica/rooms,nonsense"),
        ("ROOMS_CACHE_URL", "http://cache:6379"),
    ],
)
def test_a_bad_url_stops_the_start_naming_the_variable(monkeypatch, variable, bad):
    monkeypatch.setenv(variable, bad)

    with pytest.raises(ImproperlyConfigured, match=variable):
        start("app.settings")


@pytest.mark.parametrize("variable", ["DATABASE_URL", "DJANGO_SECRET_KEY"])
def test_a_missing_required_value_stops_the_start(monkeypatch, variable):
    monkeypatch.setenv(variable, "")

    with pytest.raises(ImproperlyConfigured, match=f"{variable} is not set"):
        start("app.settings")


def test_good_values_start(monkeypatch):
    for variable, value in {
        "DJANGO_DEBUG": "yes",
        "ROOMS_THROTTLE_ANON_LIVE_LIST": "5/hour",
        "ROOMS_VIEW_REFRESH": " Deferred ",
        "ROOMS_VIEW_MAX_STALENESS": "0.5",
        "DATABASE_CONN_MAX_AGE": "0",
    }.items():
        monkeypatch.setenv(variable, value)

    settings = start("app.settings")

    assert settings["DEBUG"] is True
    assert settings["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"]["anon_live_list"] == "5/hour"
    assert settings["ROOMS_VIEW_REFRESH"] == "deferred"
    assert settings["ROOMS_VIEW_MAX_STALENESS"] == 0.5
    assert settings["DATABASES"]["default"]["CONN_MAX_AGE"] == 0


@pytest.mark.parametrize(
    "given, address",
    [("8001", "127.0.0.1:8001"), ("0.0.0.0:80", "0.0.0.0:80"), ("[::1]:8000", "[::1]:8000"),
     ("localhost:65535", "localhost:65535")],
)  # fmt: skip
def test_an_address_is_a_port_after_an_optional_host(monkeypatch, given, address):
    monkeypatch.setenv("ROOMS_RUN_ADDRESS", given)

    assert start("run_local")["ADDRESS"] == address


@pytest.mark.parametrize("bad", ["0", "127.0.0.1:65536", "127.0.0.1:", "http://127.0.0.1:8000"])
def test_an_address_without_a_usable_port_is_refused(monkeypatch, bad):
    monkeypatch.setenv("ROOMS_RUN_ADDRESS", bad)

    with pytest.raises(ImproperlyConfigured, match="ROOMS_RUN_ADDRESS must be PORT or HOST:PORT"):
        start("run_local")
