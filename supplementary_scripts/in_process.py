"""What the benchmarks that run inside Django (not over HTTP) share: the set-up.

``benchmark_build.py`` and ``benchmark_writes.py`` import the project's code
and talk to the database through Django, so that they measure exactly the
functions and statements the service runs.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
APP_DIR = ROOT / "app"


class BenchmarkError(Exception):
    """The database cannot be benchmarked (not filled, not the one asked for)."""


def use_database(url: str) -> None:
    """Set Django up on ``url``; when it already is set up (the tests), check it is that one."""
    from django.apps import apps

    if not apps.ready:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-local-only")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
        sys.path.insert(0, str(APP_DIR))
        import django

        django.setup()
    from django.db import connection

    wanted, actual = urlsplit(url).path.lstrip("/"), connection.settings_dict["NAME"]
    if wanted != actual:
        raise BenchmarkError(f"Django is connected to database {actual!r}, not {wanted!r}")
