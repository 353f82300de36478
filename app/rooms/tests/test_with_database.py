"""``with_database.py``, what ``make run`` and ``make test`` wrap their commands in."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "with_database.py"

pytestmark = pytest.mark.slow


def test_a_wrong_database_url_is_one_clear_line():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--", "echo", "never"],
        env={**os.environ, "DATABASE_URL": "postgres://someone:s3cret@127.0.0.1:1/nowhere"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "cannot use DATABASE_URL=postgres://someone:***@127.0.0.1:1/nowhere" in lines[0]
    assert "s3cret" not in result.stderr


def test_killing_the_process_that_started_it_stops_its_command():
    """``kill <make's pid>``: make does not pass the signal on, but nothing is left running."""
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys; subprocess.Popen(sys.argv[1:]).wait()",
            sys.executable,
            str(SCRIPT),
            "--",
            "sleep",
            "300",
        ],
        env=os.environ,  # DATABASE_URL: the test server, so no embedded one is started
    )
    deadline = time.monotonic() + 30
    while not (sleepers := [p for p in psutil.Process(parent.pid).children(recursive=True)
                            if p.name() == "sleep"]):  # fmt: skip
        assert time.monotonic() < deadline, "the command never started"
        time.sleep(0.05)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    _gone, alive = psutil.wait_procs(sleepers, timeout=15)
    assert not alive, "the command outlived the process that started it"
