"""The simulated users of the benchmarks (``load``, ``replicas``, ``throughput``), run by locust.

Locust loads this file by path in processes of its own, so it imports nothing from the
project. Its processes share the directory ``ROOMS_LOAD_DIR`` names: the settings in
``settings.json`` (how many users of each class, the rooms and beds to pick from, the paths and
hosts, the token, the abusers, a restart), a ``ready-<pid>`` mark of each process, and, when
the test stops, every request each process saw (seconds since the start, kind, status or
error, whether it was a JSON 503 with ``Retry-After``, seconds taken) and its CPU time in
``result-<pid>.json``.
"""

import itertools
import json
import os
import random
import secrets
import subprocess
import time
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, events, task

WORKDIR = Path(os.environ["ROOMS_LOAD_DIR"])
SETTINGS = json.loads((WORKDIR / "settings.json").read_text())
RECORDS, CLOCK = [], {}


def now() -> float:
    return time.perf_counter() - CLOCK["started"]


@events.test_start.add_listener
def started(environment, **_):
    """Once every process has started (locust's start-up takes seconds, and varies), the clock
    starts and the users are spawned; the test stops ``seconds`` later."""
    (WORKDIR / f"ready-{os.getpid()}").touch()
    while len(list(WORKDIR.glob("ready-*"))) < SETTINGS["processes"]:
        gevent.sleep(0.01)
    CLOCK.update(started=time.perf_counter(), cpu=time.process_time())
    gevent.spawn_later(SETTINGS["seconds"], environment.runner.quit)
    if SETTINGS.get("restart_command"):
        gevent.spawn_later(SETTINGS["restart_at"], restart)


def restart():
    """Run the restart command once (e.g. restarting PostgreSQL), ``restart_at`` seconds in."""
    began = now()
    subprocess.run(SETTINGS["restart_command"], shell=True, check=True)
    CLOCK["restart"] = {"began": round(began, 2), "took": round(now() - began, 2)}


@events.request.add_listener
def record(name, response_time, response, exception, **_):
    status = getattr(response, "status_code", 0) or type(exception).__name__
    headers = getattr(response, "headers", None) or {}
    proper = status == 503 and "Retry-After" in headers
    proper = proper and headers.get("Content-Type") == "application/json"
    RECORDS.append((now(), name, status, proper, response_time / 1000))


@events.test_stop.add_listener
def stopped(**_):
    result = {"records": RECORDS, "seconds": now(), "restart": CLOCK.get("restart"),
              "cpu": time.process_time() - CLOCK["cpu"]}  # fmt: skip
    (WORKDIR / f"result-{os.getpid()}.json").write_text(json.dumps(result))


class User(FastHttpUser):
    """As many of each kind as the settings say, each sending requests as fast as answered."""

    abstract = True
    wait_time = constant(0)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.fixed_count = SETTINGS["users"].get(cls.__name__, 0)


class Reader(User):
    """Anonymous: a random room from each read path in turn (and from each host in turn)."""

    def on_start(self):
        hosts = SETTINGS.get("hosts") or [self.host]
        self.turns = itertools.cycle(itertools.product(hosts, SETTINGS["read_paths"]))

    @task
    def read(self):
        host, path = next(self.turns)
        self.client.get(f"{host}{path}{random.choice(SETTINGS['rooms'])}/", name="read")


class Writer(User):
    """Renames a random bed with an ``Idempotency-Key``; a 503 or a broken connection is retried
    with the same key after ``Retry-After``, so every rename is applied exactly once however the
    server fails. Each retried attempt is a ``write-attempt``; the ``write`` is the answer,
    timed from the first attempt: what the client waited."""

    @task
    def write(self):
        bed, key = random.choice(SETTINGS["beds"]), secrets.token_hex(16)
        headers = {"Authorization": f"Token {SETTINGS['token']}", "Idempotency-Key": key}
        body, started = {"name": f"Load bed {secrets.token_hex(6)}"}, time.perf_counter()
        attempt = {"json": body, "headers": headers, "catch_response": True}
        while True:
            with self.client.patch(f"/beds/{bed}/", name="write-attempt", **attempt) as response:
                if response.status_code not in (0, 503):
                    elapsed = (time.perf_counter() - started) * 1000
                    response.request_meta.update(name="write", response_time=elapsed)
                    return
            gevent.sleep(float((response.headers or {}).get("Retry-After", 1)))


class Abuser(User):
    """Sends one request again as soon as it is answered (a real abuser would not wait for a 429
    either): counted, not timed. Each takes one of the settings' ``abusers``: its kind, its path,
    and HTTP Basic credentials or none."""

    def on_start(self):
        self.kind, self.path, self.auth = SETTINGS["abusers"].pop()

    @task
    def abuse(self):
        response = self.client.get(self.path, auth=self.auth, name=self.kind)
        if response.status_code == 429:
            gevent.sleep(0.01)


class Hammer(User):
    """GETs one URL (``url``) as fast as answered: the ``throughput`` benchmark's load."""

    @task
    def get(self):
        self.client.get(SETTINGS["url"], name="get")
