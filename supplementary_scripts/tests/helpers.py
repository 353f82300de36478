"""What the scripts' tests share: running a command, reading its report, the test database."""

import threading
import time
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from supplementary_scripts.cli import main


def database_url() -> str:
    """The test database, as a command's ``--database-url``."""
    db = connection.settings_dict
    # A socket directory as the host is percent-encoded (it holds slashes).
    host = quote(str(db["HOST"]), safe="")
    return f"postgres://{db['USER']}@{host}:{db['PORT']}/{db['NAME']}"


def run(output: Path, *argv: str) -> str:
    """Run a command that must succeed; its report, as written to ``--output``."""
    assert main([*argv, "--output", str(output)]) == 0
    return output.read_text()


def table_rows(text: str) -> dict[str, list[str]]:
    """Markdown table rows by their first cell (a later table's row wins)."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows[cells[0]] = cells[1:]
    return rows


def read_path_table(out: str, title: str) -> dict[str, list[str]]:
    """The rows of ``process_logs``' table under ``title``, by read path: [requests, p50, p95,
    p99, then the speed-ups at each]."""
    table = out.split(f"\n{title}\n", 1)[1].split("\n\n", 1)[0]
    rows = list(table_rows(table).items())[1:]  # below its head
    return {name.split()[0]: cells for name, cells in rows}


def until_the_live_server_is_quiet(quiet: float = 1.0, timeout: float = 60.0) -> None:
    """Return once Django's live server has handled no request and no other session of the
    test database has been busy for ``quiet`` seconds (longer than its accept loop's 0.5 s poll).

    A load generator stopped mid-request leaves requests the server still handles: one still
    writing when the test's teardown empties the tables deadlocked with it.
    """
    quiet_since, deadline = time.monotonic(), time.monotonic() + timeout
    while time.monotonic() - quiet_since < quiet:
        if time.monotonic() > deadline:
            raise AssertionError(f"the live server was still busy after {timeout} s")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state <> 'idle'"
            )
            sessions = cursor.fetchone()[0]
        handlers = [t for t in threading.enumerate() if t.name.endswith("(process_request_thread)")]
        if sessions or handlers:
            quiet_since = time.monotonic()
        time.sleep(0.05)
