"""Where the project is, and running its programs in processes of their own, as a user would.

For tests that start ``manage.py``, the start-up script or a server in
another process: the paths, ``manage(...)``, a ``DATABASE_URL`` for a
database of the test server (``database_url``) and a free port.
"""

import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

#: The repository's root.
REPO_DIR = Path(__file__).resolve().parents[3]
#: The Django project (``manage.py``).
APP_DIR = REPO_DIR / "app"
#: ``python manage.py``, from wherever the test runs.
MANAGE = (sys.executable, str(APP_DIR / "manage.py"))


def manage(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    """``manage.py *args`` in a new process with environment ``env``; output captured as text."""
    return subprocess.run(
        [*MANAGE, *args],
        env=env,
        cwd=APP_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def database_url(settings: dict, name: str) -> str:
    """A DATABASE_URL for database ``name`` on the server of Django's ``settings``."""
    host = settings.get("HOST") or settings.get("OPTIONS", {}).get("host") or ""
    credentials = quote(settings.get("USER") or "", safe="")
    if settings.get("PASSWORD"):
        credentials += ":" + quote(settings["PASSWORD"], safe="")
    netloc = f"{credentials}@" if credentials else ""
    # dj_database_url reads a percent-encoded path as a Unix socket directory.
    netloc += quote(str(host), safe="")
    if settings.get("PORT"):
        netloc += f":{settings['PORT']}"
    return f"postgres://{netloc}/{quote(name, safe='')}"


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on (for a server a test starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
