"""What every benchmark shares: Django on the database, interleaved rounds, statistics, the
report, and the servers and replicas it starts and stops.

Every benchmark measures in one interleaved run: each round takes one sample of every
measurement, in a new random order, so that the drift of a shared machine hits them all alike
and the ratios to a baseline measured in the same run hold even when absolute times move.
"""

import contextlib
import datetime
import math
import os
import platform
import re
import shlex
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

APP_DIR = Path(__file__).resolve().parent.parent / "app"
PROG = "python -m supplementary_scripts"


class BenchmarkError(Exception):
    """The benchmark cannot go on: no data, or an answer it cannot use."""


# Django and the database ----------------------------------------------------------------


def use_database(url: str | None) -> None:
    """Set Django up on ``url`` (without one, no connection is made); when it already is (the
    tests), ``url`` must name its database."""
    from django.apps import apps

    if not apps.ready:
        os.environ["DATABASE_URL"] = url or "postgres://unused/unused"
        os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-local-only")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
        sys.path.insert(0, str(APP_DIR))
        import django

        django.setup()
    from django.db import connection

    wanted, actual = urlsplit(url or "").path.lstrip("/"), connection.settings_dict["NAME"]
    if url and wanted != actual:
        raise BenchmarkError(f"Django is connected to database {actual!r}, not {wanted!r}")


def database() -> tuple[str, str]:
    """The name and the PostgreSQL version of Django's database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), split_part(version(), ' ', 2)")
        return cursor.fetchone()


def stored_tables() -> list:
    """The read models that are tables (fresh when a write returns), from the app's registry."""
    from rooms.read_models.registry import MATERIALIZED_VIEW, READ_MODELS

    return [model for model in READ_MODELS.values() if model is not MATERIALIZED_VIEW]


def rolled_back(*steps, params=None, prepare=()) -> float:
    """Seconds ``steps`` take in a transaction that is then rolled back: the database is left
    as it was. A step is a statement or a function of the cursor; ``prepare`` runs first,
    untimed, in the same transaction."""
    from django.db import connection, transaction

    def execute(cursor, step):
        if callable(step):
            return step(cursor)
        cursor.execute(step, params)

    with transaction.atomic(), connection.cursor() as cursor:
        for step in prepare:
            execute(cursor, step)
        started = time.perf_counter()
        for step in steps:
            execute(cursor, step)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def api_token(username: str = "benchmark") -> str:
    """The API token of ``username``, a superuser made for benchmarks when there is none."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    users = get_user_model().objects
    user = users.filter(username=username).first() or users.create_superuser(
        username, password=None
    )
    return Token.objects.get_or_create(user=user)[0].key


@contextlib.contextmanager
def refresh_policy(policy: str):
    """The view's refresh policy (it lives in the database) is ``policy`` inside; afterwards
    it is as it was, and so is the view's freshness. Yields the policy found."""
    from rooms.read_models import materialized_view

    before = materialized_view.state()
    materialized_view.set_refresh_policy(policy)
    try:
        yield before.refresh_policy
    finally:
        materialized_view.set_refresh_policy(before.refresh_policy)
        if before.stale_since is None and materialized_view.state().stale_since is not None:
            materialized_view.refresh()


def query(url: str, statement: str, params=()) -> tuple:
    """The first row of one statement, on a connection of its own (e.g. to a replica)."""
    import psycopg2

    with contextlib.closing(psycopg2.connect(url)) as connection:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchone()


@contextlib.contextmanager
def local_replica(url: str, workdir: Path):
    """A streaming replica of the server of ``url``, started (``app/local_replica.py``), and the
    seconds its base backup took; stopped at the end."""
    from local_replica import LocalReplica

    replica = LocalReplica(url, workdir / "replica")
    if reason := replica.refusal():
        raise BenchmarkError(f"no replica can be made: {reason}")
    try:
        started = time.perf_counter()
        replica.create()
        backup_seconds = time.perf_counter() - started
        replica.start()
        yield replica, backup_seconds
    finally:
        replica.stop()


def add_options(parser, rounds=None, warmup=None, seed=False, database_url=True, output=True):
    """The options commands share, with this command's defaults (None: not an option here)."""
    if database_url:
        parser.add_argument("--database-url", required=True, metavar="URL", help="a database "
                            "that migrate and fill_db made")  # fmt: skip
    for option, default, what in [("--rounds", rounds, "timed rounds"),
                                  ("--warmup", warmup, "untimed rounds first")]:  # fmt: skip
        if default is not None:
            parser.add_argument(option, type=int, default=default, help=f"{what} ({default})")
    if seed:
        parser.add_argument("--seed", type=int, help="random seed (what is picked, the order)")
    if output:
        parser.add_argument("--output", metavar="FILE", help="also write the report here")


# Rounds and statistics -------------------------------------------------------------------


def interleave(tasks_of_round, rounds: int, warmup: int, rng, results=None) -> dict:
    """Run ``warmup`` untimed rounds, then ``rounds`` recorded ones: each round every task of
    ``tasks_of_round(number)`` once, in a new random order (numbers below 0 are the warm-up's).
    A task is ``(name, function)``; what the function returns is recorded under the name."""
    results = defaultdict(list) if results is None else results
    for number in range(-warmup, rounds):
        tasks = tasks_of_round(number)
        rng.shuffle(tasks)
        for name, task in tasks:
            value = task()
            if number >= 0:
                results[name].append(value)
    return results


def spread(count: int, total: int) -> set[int]:
    """``count`` round numbers out of ``range(total)``, evenly spread."""
    count = min(count, total)
    return {round(i * total / count) for i in range(count)} if count else set()


def percentile(values: list[float], percent: int) -> float:
    """Interpolated between the closest ranks (stable with a few hundred samples); the 100th is
    the maximum; NaN without values."""
    if not values:
        return math.nan
    if len(values) == 1 or percent >= 100:  # quantiles() wants two points and has no 100th
        return max(values)
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def median_range(values: list[float], digits: int) -> str:
    """``median (min to max)``, or the value alone for one."""
    median = f"{statistics.median(values):,.{digits}f}"
    return median + f" ({min(values):,.{digits}f} to {max(values):,.{digits}f})" * (len(values) > 1)


def fmt(value: float) -> str:
    """Three significant digits, without an exponent from 100 on."""
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"


# The report ------------------------------------------------------------------------------


def table(head: str, rows) -> list[str]:
    """A Markdown table (``head``: the column names between `` | ``), its first column
    left-aligned and the others right-aligned."""
    lines = [f"| {head} |", "|---|" + "---:|" * head.count(" | ")]
    return lines + [f"| {' | '.join(str(cell) for cell in row)} |" for row in rows]


def timing_row(name: str, seconds: list[float], *more) -> tuple:
    """A table row: name, count, median and p95 in ms, then ``more``."""
    ms = [value * 1000 for value in seconds]
    return (name, len(ms), fmt(statistics.median(ms)), fmt(percentile(ms, 95)), *more)


def without_passwords(text: str) -> str:
    """``text`` with the password of every URL in it starred: a report is meant to be shared."""
    return re.sub(r"(://[^/:@\s]+:)[^/@\s]+@", r"\1***@", text)


@dataclass
class Run:
    """One run of a command: its arguments, when it started, and the load then."""

    argv: list[str]
    output: Path | None = None
    started: datetime.datetime = field(default_factory=lambda: datetime.datetime.now(datetime.UTC))
    load: float = field(default_factory=lambda: os.getloadavg()[0])

    def header(self, title: str, facts: str) -> list[str]:
        return [
            f"## {title}",
            "",
            f"{self.started:%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}. {facts}{' ' * bool(facts)}Load average (1 min) "
            f"before/after: {self.load:.2f}/{os.getloadavg()[0]:.2f}.",
            "",
            f"Command: `{PROG} {without_passwords(shlex.join(self.argv))}`",
            "",
        ]

    def save(self, text: str) -> None:
        if self.output:
            Path(self.output).write_text(text, encoding="utf-8")

    def emit(self, text: str) -> int:
        """Print the report, and write it to ``--output`` too; exit status 0."""
        print(text, end="")
        self.save(text)
        return 0


# Servers ---------------------------------------------------------------------------------


def server_env(database_url: str, workdir: Path, **settings: str) -> dict:
    """A server's environment: debug off, its timing log in ``workdir``, and the anonymous
    live-list throttle raised (the HTTP benchmark reads that list round after round; the
    throttle, which keeps such loops from starving a real service, allows 30 a minute)."""
    return {
        "ROOMS_THROTTLE_ANON_LIVE_LIST": "100000/min",
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or "benchmark-local-only",
        "DJANGO_DEBUG": "0",
        "ROOMS_LOG_FILE": str(workdir / "timing.log"),
        "PYTHONUNBUFFERED": "1",
        **settings,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Services:
    """The processes a benchmark starts, each logging to a file in ``workdir``; all stopped
    (SIGTERM, then wait) when the ``with`` block ends, also on failure."""

    def __init__(self, workdir: Path):
        self.workdir, self.processes = Path(workdir), []

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        for process in self.processes:
            process.terminate()  # gunicorn stops its workers first, the refresher its loop
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def start(self, name: str, command: list[str], env: dict, cwd=APP_DIR) -> subprocess.Popen:
        with open(self.workdir / f"{name}.log", "ab") as log:
            output = {"stdout": log, "stderr": subprocess.STDOUT}
            process = subprocess.Popen(command, cwd=cwd, env=env, **output)
        self.processes.append(process)
        return process

    def refresher(self, env: dict) -> None:
        """``run_view_refresher``: without it a deferred view never catches up."""
        self.start("refresher", [sys.executable, "manage.py", "run_view_refresher"], env)

    def gunicorn(
        self, name: str, env: dict, workers=2, app_dir=APP_DIR, wsgi="app.wsgi", config=None
    ) -> str:
        """gunicorn serving ``wsgi`` with sync workers, as production runs it, on a free
        loopback port; its URL once it answers ``/healthz``. A generous timeout: under
        ``immediate`` a write waits for a whole refresh of the view (seconds on a large table).
        ``config``: a gunicorn configuration file (``docker/gunicorn.conf.py``) instead, its
        settings standing but for the port and ``workers``."""
        port = free_port()
        command = f"-m gunicorn {wsgi} --workers {workers} --bind 127.0.0.1:{port}".split()
        command += ["--config", str(config)] if config else ["--timeout", "600"]
        command += ["--no-control-socket"]  # its default path is one per user, not per server
        process = self.start(name, [sys.executable, *command], env, cwd=app_dir)
        url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                    return url
            time.sleep(0.2)
        log = (self.workdir / f"{name}.log").read_text(errors="replace")[-3000:]
        raise BenchmarkError(f"the server {name} did not start:\n{log}")
