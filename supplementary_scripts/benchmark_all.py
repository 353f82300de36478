#!/usr/bin/env python
"""Benchmark one database under every view refresh policy, into one Markdown report.

    python supplementary_scripts/benchmark_all.py --database-url postgres://…/rooms_bench500 \\
        --rounds 200 --output misc/benchmark_500.md [--policies immediate deferred manual] \\
        [--compare-app-dir /tmp/app_before] [-- more benchmark.py options]

The refresh policy of the materialized view (``ROOMS_VIEW_REFRESH``) lives in
the database, where ``migrate`` puts it, so ``benchmark.py`` measures one
policy at a time. This driver does the rest, for a database that already
holds data (``manage.py fill_db``): for each policy it

1. applies the policy (``migrate``) and refreshes the view
   (``refresh_rooms_view``), so every policy starts fresh;
2. starts ``gunicorn app.wsgi --workers 2`` from ``app/`` with debug off and
   that policy, plus ``run_view_refresher`` under ``deferred`` (without it a
   deferred view never catches up); with ``--compare-app-dir`` also a second
   gunicorn from that directory (an older build) for before/after reads;
3. runs ``benchmark.py`` against it and stops what it started.

Then it writes the sections, one per policy, under a common header. Writes
change the data (bed names, bed-room links): that is expected. The timing
middleware logs to a temporary file, not to ``app/logs_all_here.log``.

The benchmark user (``--user``/``--password``) is created or given that
password first: ``createsuperuser --noinput`` cannot reset an existing one.
"""

import argparse
import contextlib
import datetime
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
APP_DIR = ROOT / "app"
BENCHMARK = Path(__file__).resolve().parent / "benchmark.py"
POLICIES = ["immediate", "deferred", "manual"]

ENSURE_USER = """
from django.contrib.auth import get_user_model
user, _ = get_user_model().objects.get_or_create(username={user!r})
user.is_staff = user.is_superuser = True
user.set_password({password!r})
user.save()
"""


#: The benchmark is one anonymous client reading the live list round after round: the
#: throttle that keeps anonymous loops on that list from starving a real service would
#: answer it 429 after 30 pages a minute, so the server it starts allows far more.
BENCHMARK_ANON_LIVE_LIST_RATE = "100000/min"


def server_env(args, policy: str, log_file: Path) -> dict:
    env = dict(os.environ)
    env.setdefault("ROOMS_THROTTLE_ANON_LIVE_LIST", BENCHMARK_ANON_LIVE_LIST_RATE)
    env.update(
        DATABASE_URL=args.database_url,
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or "benchmark-local-only",
        DJANGO_DEBUG="0",
        ROOMS_VIEW_REFRESH=policy,
        ROOMS_LOG_FILE=str(log_file),
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict, *command: str) -> None:
    subprocess.run([sys.executable, "manage.py", *command], cwd=APP_DIR, env=env, check=True)


def start_gunicorn(app_dir: Path, port: int, env: dict, log) -> subprocess.Popen:
    """Two sync workers, as production runs it; a generous timeout, because an
    immediate refresh of a large view makes a single write take seconds."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "app.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "600",
        ],
        cwd=app_dir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with {process.returncode}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer /healthz within {timeout:g} s")


def stop(process: subprocess.Popen | None) -> None:
    """SIGTERM (gunicorn and the refresher both shut down cleanly), then wait."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_policy(args, policy: str, workdir: Path) -> str:
    env = server_env(args, policy, workdir / "timing.log")
    manage(env, "migrate", "--noinput")  # applies ROOMS_VIEW_REFRESH to every writer
    manage(env, "refresh_rooms_view")
    base_url = f"http://127.0.0.1:{args.port}"
    compare_url = f"http://127.0.0.1:{args.port + 1}"
    output = workdir / f"{policy}.md"
    started = []
    with open(workdir / f"servers-{policy}.log", "w") as log:
        try:
            started.append(server := start_gunicorn(Path(args.app_dir), args.port, env, log))
            if policy == "deferred":
                started.append(
                    subprocess.Popen(
                        [sys.executable, "manage.py", "run_view_refresher"],
                        cwd=APP_DIR,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
            wait_until_up(base_url, server)
            command = [
                sys.executable,
                str(BENCHMARK),
                "--base-url",
                base_url,
                "--user",
                args.user,
                "--password",
                args.password,
                "--rounds",
                str(args.rounds),
                "--output",
                str(output),
            ]
            if policy == "immediate" and args.write_rounds_immediate is not None:
                command += ["--write-rounds", str(args.write_rounds_immediate)]
            if args.compare_app_dir:
                started.append(
                    compare := start_gunicorn(Path(args.compare_app_dir), args.port + 1, env, log)
                )
                wait_until_up(compare_url, compare)
                command += ["--compare-base-url", compare_url]
            subprocess.run([*command, *args.benchmark_args], check=True, stdout=subprocess.DEVNULL)
        finally:
            for process in reversed(started):
                stop(process)
    return output.read_text(encoding="utf-8")


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Anything after -- goes to benchmark.py (e.g. -- --write-rounds 30 --seed 1).",
    )
    parser.add_argument("--database-url", required=True, help="a database with data (fill_db)")
    parser.add_argument("--rounds", type=int, default=100, help="rounds per policy (default 100)")
    parser.add_argument(
        "--policies",
        nargs="+",
        choices=POLICIES,
        default=POLICIES,
        help="policies to run, in this order (default: all three)",
    )
    parser.add_argument("--port", type=int, default=8741, help="server port (default 8741)")
    parser.add_argument("--user", default="benchmark", help="writer (default benchmark)")
    parser.add_argument(
        "--password", default="benchmark-local-only", help="its password (set on the user)"
    )
    parser.add_argument(
        "--app-dir",
        default=str(APP_DIR),
        metavar="DIR",
        help="the app/ directory to serve (default: this checkout's); management commands "
        "always run from this checkout",
    )
    parser.add_argument(
        "--compare-app-dir",
        metavar="DIR",
        help="a copy of app/ with an older build: served on port+1 for before/after reads",
    )
    parser.add_argument(
        "--write-rounds-immediate",
        type=int,
        metavar="N",
        help="under immediate, write in only N rounds: each write refreshes the whole view, "
        "which takes minutes on a large table (default: every round)",
    )
    parser.add_argument("--title", help="heading of the report (default: from the database)")
    parser.add_argument("--output", metavar="FILE.md", help="write the report here too")
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1 :]
        argv = argv[: argv.index("--")]
    args = parser.parse_args(argv)
    args.benchmark_args = extra
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    manage(
        server_env(args, "manual", Path(tempfile.gettempdir()) / "benchmark-timing.log"),
        "shell",
        "-c",
        ENSURE_USER.format(user=args.user, password=args.password),
    )
    database = args.database_url.rsplit("/", 1)[-1]
    header = [
        f"## {args.title or f'Benchmark of database `{database}`'}",
        "",
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}. Each policy: "
        "`gunicorn app.wsgi --workers 2` (sync workers: a new connection per request), "
        "`DJANGO_DEBUG=0`, the view refreshed before the run; `run_view_refresher` "
        "alongside under `deferred` (`ROOMS_VIEW_MAX_STALENESS` "
        f"{os.environ.get('ROOMS_VIEW_MAX_STALENESS', '2')} s); the anonymous live-list "
        "throttle raised to "
        f"{os.environ.get('ROOMS_THROTTLE_ANON_LIVE_LIST', BENCHMARK_ANON_LIVE_LIST_RATE)}.",
        "",
        "Command: `python supplementary_scripts/benchmark_all.py "
        + shlex.join(argv if argv is not None else sys.argv[1:])
        + "`",
    ]
    text = "\n".join(header) + "\n"
    with tempfile.TemporaryDirectory(prefix="benchmark-") as workdir:
        for policy in args.policies:
            print(f"== {policy} ==", file=sys.stderr)
            try:
                text += "\n" + run_policy(args, policy, Path(workdir))
            except (subprocess.CalledProcessError, RuntimeError) as error:
                log = Path(workdir) / f"servers-{policy}.log"
                tail = log.read_text()[-3000:] if log.exists() else ""
                print(f"{policy}: {error}\n{tail}", file=sys.stderr)
                return 1
            finally:
                # Keep what was measured so far: a run at 100,000 rooms takes an hour.
                if args.output:
                    Path(args.output).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
