"""What the scripts' tests share: running a command, reading its report, the test database."""

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
