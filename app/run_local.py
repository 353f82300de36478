#!/usr/bin/env python3
"""What ``make run`` runs (inside ``with_database.py``): a local server with data.

1. migrate, and fill the demo data when the database has no rooms;
2. make sure a local admin account exists (user ``admin``, a superuser, so it
   holds every write permission; its password is generated once into the
   git-ignored ``.local/admin_password``), and the "editor" group, and print
   how to log in;
3. start the materialized view's refresher in the background;
4. serve the API on http://127.0.0.1:8000/ until Ctrl-C, then stop the worker.
"""

import argparse
import contextlib
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

from app.environment import address

APP_DIR = Path(__file__).resolve().parent
PASSWORD_FILE = APP_DIR.parent / ".local" / "admin_password"
ADMIN = "admin"
ADDRESS = address("ROOMS_RUN_ADDRESS", "127.0.0.1:8000")


def manage(*args: str) -> list[str]:
    return [sys.executable, str(APP_DIR / "manage.py"), *args]


def admin_password() -> str:
    if not PASSWORD_FILE.exists():
        PASSWORD_FILE.parent.mkdir(exist_ok=True)
        PASSWORD_FILE.write_text(secrets.token_urlsafe(12))
        PASSWORD_FILE.chmod(0o600)
    return PASSWORD_FILE.read_text().strip()


def ensure_admin() -> str:
    """Create the local admin once; later runs leave its password alone."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
    sys.path.insert(0, str(APP_DIR))
    django.setup()
    from django.contrib.auth import get_user_model

    from rooms.services.editors import ensure_editor_group

    password = admin_password()
    user_model = get_user_model()
    if not user_model.objects.filter(username=ADMIN).exists():
        user_model.objects.create_superuser(ADMIN, email="", password=password)
    # The superuser may write everything; the "editor" group is there for other
    # users (docs/operations.md, "Permissions").
    ensure_editor_group()
    return password


def main(argv=None) -> int:
    argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Started by `make run`, inside with_database.py (which provides the database).",
    ).parse_args(argv)
    subprocess.run(manage("migrate", "--noinput"), check=True)
    subprocess.run(manage("fill_db_if_empty"), check=True)
    password = ensure_admin()
    base = f"http://{ADDRESS}"
    print(
        f"\n  rooms is starting on {base}/\n"
        f"  Log in (browsable API, {base}/admin/) as {ADMIN} / {password}\n"
        f"  (the password is kept in {PASSWORD_FILE.relative_to(APP_DIR.parent)})\n"
        f"  curl -u {ADMIN}:{password} -X PATCH -H 'Content-Type: application/json' "
        f"""-d '{{"name": "Renamed bed"}}' {base}/beds/1/\n"""
        f"  (HTTP Basic checks the password on every request; a token is cheaper:\n"
        f"   .venv/bin/python app/with_database.py -- .venv/bin/python app/manage.py "
        f"drf_create_token {ADMIN},\n"
        f"   then -H 'Authorization: Token …')\n",
        flush=True,
    )
    # Ctrl-C (SIGINT, from the terminal) and SIGTERM (kill, or with_database.py
    # stopping us) both pass a SIGTERM on to the server, whose end ends the
    # wait below: a stop asked for is a normal end, not a KeyboardInterrupt
    # traceback. Set before the processes start, so that no stop is missed.
    # (No waiting in a signal handler: the interrupted wait holds the lock a
    # second one would need.)
    stopped_by = []
    started = {}

    def stop_server(signum, _frame):
        stopped_by.append(signum)
        if "server" in started:
            send(started["server"], signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop_server)
    signal.signal(signal.SIGINT, stop_server)
    # Each in a process group of its own, so that stopping it stops its
    # children too (runserver's autoreloader runs the server in a child), and
    # so that Ctrl-C reaches only us, and we stop them.
    worker = subprocess.Popen(manage("run_view_refresher"), start_new_session=True)
    server = started["server"] = subprocess.Popen(
        manage("runserver", ADDRESS), start_new_session=True
    )
    try:
        status = server.wait() if not stopped_by else None
    finally:
        stop(server)
        stop(worker)
    if stopped_by:
        print("\n  rooms stopped.", flush=True)
        return 0
    return status


def send(process: subprocess.Popen, signum: int) -> None:
    """``signum`` to the process's whole group (it and its children)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process's whole group; SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    send(process, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        send(process, signal.SIGKILL)
        process.wait()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C while migrating or loading the demo data
        sys.exit(130)
