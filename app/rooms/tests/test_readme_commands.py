"""The README's commands run as they are shown, and print nothing but what they are for.

A new user copies them into a terminal: each script they name must be there and
answer, with the project's Python as the README says (``.venv/bin/python``), and
the scripts the README runs directly (with the venv active) must be executable
with a ``python3`` shebang; a ``curl`` must not print its progress meter into a
pipe (``-s``).
"""

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text()
#: The README's code blocks: its indented lines.
COMMANDS = [line.strip() for line in README.splitlines() if line.startswith("    ")]
SCRIPTS = sorted(
    {
        path
        for command in COMMANDS
        for path in re.findall(
            r"\.venv/bin/python\s+((?:app|supplementary_scripts)/\S+\.py)", command
        )
    }
)
#: What the README runs as programs of their own, and what make runs.
EXECUTABLE = sorted(
    {path for path in SCRIPTS if path.startswith("supplementary_scripts/")}
    | {"app/with_database.py", "app/run_local.py"}
)


def test_the_readme_runs_scripts():
    assert "supplementary_scripts/process_logs.py" in SCRIPTS
    assert "supplementary_scripts/make_requests_to_log_time.py" in SCRIPTS
    assert "app/with_database.py" in SCRIPTS


@pytest.mark.parametrize("path", SCRIPTS)
def test_each_script_answers_with_the_projects_python(path):
    result = subprocess.run(
        [sys.executable, path, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout.lower() or "Type 'manage.py help" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("path", EXECUTABLE)
def test_scripts_run_as_programs_of_their_own(path):
    script = ROOT / path
    assert script.read_text().startswith("#!/usr/bin/env python3\n")
    assert script.stat().st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH), "not executable"
    venv = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}

    result = subprocess.run(
        [f"./{path}", "--help"], cwd=ROOT, env=venv, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


def test_curl_is_silent():
    curls = [command for command in COMMANDS if re.search(r"\bcurl\b", command)]

    assert curls
    assert [c for c in curls if not re.search(r"\bcurl\s+-[a-zA-Z]*s", c)] == []
