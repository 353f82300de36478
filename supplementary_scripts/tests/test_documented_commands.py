"""Every script command README.md and docs/*.md show runs (with ``--help``) from the
repository root, as the docs say to run it; and every command of the tool is documented.

The commands are read from the docs: ``python -m supplementary_scripts [COMMAND]``, and every
``supplementary_scripts/<file>.py`` named that runs as a script (or does not exist: a doc
that names a removed script fails here too). A command documented tomorrow is covered without
a change to this file.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from supplementary_scripts.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TOOL = re.compile(r"python -m supplementary_scripts(?: +([a-z][a-z-]*))?")
SCRIPT = re.compile(r"supplementary_scripts/(\w+\.py)\b")


def documented() -> list[tuple[str, ...]]:
    commands = set()
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for match in TOOL.finditer(text):
            commands.add(("-m", "supplementary_scripts", *filter(None, [match[1]])))
        for match in SCRIPT.finditer(text):
            path = ROOT / "supplementary_scripts" / match[1]
            if not path.exists() or 'if __name__ == "__main__":' in path.read_text():
                commands.add((f"supplementary_scripts/{match[1]}",))
    return sorted(commands)


COMMANDS_SHOWN = documented()


def test_every_command_of_the_tool_is_documented():
    shown = {command[2] for command in COMMANDS_SHOWN if command[0] == "-m" and len(command) > 2}
    assert shown >= set(COMMANDS), set(COMMANDS) - shown
    assert ("supplementary_scripts/process_logs.py",) in COMMANDS_SHOWN


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS_SHOWN, ids=" ".join)
def test_a_documented_command_runs(command):
    done = subprocess.run(
        [sys.executable, *command, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: ")
