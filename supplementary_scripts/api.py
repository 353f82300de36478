"""Measure every read path, the floor and API writes over HTTP, in one interleaved run.

``--base-url``: a server you run, under its refresh policy; ``--database-url``: a filled
database, served by gunicorn under each policy in turn. Each round asks every path for the same
random room and the same 100-room page, times ``GET /healthz`` (the floor: one database round
trip) and, given a token, two ``PATCH /beds/{id}/``; after each write it checks, untimed, which
read models show it, and under ``deferred`` how long the view takes to. Client times, in ms.
"""

import random
import secrets
import statistics
import sys
import tempfile
import time
from collections import Counter
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import requests

from . import harness
from .harness import BenchmarkError, fmt, table, timing_row

FLOOR = "GET /healthz (floor: one DB round trip)"
RENAME, ADD_ROOM = "PATCH /beds/{id}/ rename a bed", "PATCH /beds/{id}/ add a room to a bed"
WRITES = {"rename": RENAME, "add a room": ADD_ROOM}  # staleness is reported by kind
PAGE_SIZE, LIST_PAGE_SIZE = 100, 1000  # the sampled pages; the API's cap, for listing ids
STALENESS_SAMPLES = 20  # writes of each kind followed under deferred, at most


def add_arguments(parser) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--base-url", metavar="URL", help="measure this running server")
    where.add_argument("--database-url", metavar="URL", help="serve this filled database")
    parser.add_argument("--policies", nargs="+", help="to serve, in order (default: all)")
    harness.add_options(parser, rounds=100, warmup=3, seed=True, database_url=False)
    parser.add_argument("--token", help="API token of who writes (--database-url: one is made)")
    parser.add_argument("--write-rounds", type=int, help="rounds that also write (all)")
    parser.add_argument("--write-rounds-immediate", type=int, help="the same, under immediate")
    parser.add_argument("--pages", type=int, default=8, help="page positions sampled (8)")
    parser.add_argument("--staleness-timeout", type=float, default=120, help="seconds (120)")
    parser.add_argument("--timeout", type=float, default=900, help="per request (900 s)")
    parser.add_argument("--title", help="the report's heading")


def single(path: str) -> str:
    return f"GET {path}{{id}}/"


def page(path: str) -> str:
    return f"GET {path}?page_size={PAGE_SIZE}"


class Server(requests.Session):
    """One server under test: a session on its URL (anonymous without ``token``), for which any
    answer but ``expect`` (200) ends the benchmark."""

    def __init__(self, base_url: str, timeout: float, token: str | None = None):
        super().__init__()
        self.base_url, self.timeout = base_url.rstrip("/"), timeout
        if token:
            self.headers["Authorization"] = f"Token {token}"

    def request(self, method, path, *args, expect=200, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        response = super().request(method, self.base_url + path, *args, **kwargs)
        if expect and response.status_code != expect:
            raise BenchmarkError(f"{method} {path}: {response.status_code} {response.text[:200]}")
        return response

    def timed(self, path: str) -> float:
        started = time.perf_counter()
        self.get(path)  # requests reads the whole body before returning
        return time.perf_counter() - started


def discover_rooms(server: Server, path: str, pages: int) -> tuple[list[int], list[str]]:
    """Every room id, and the queries of up to ``pages`` pages spread over ``path``'s list: the
    first, and full ones, met following its ``next`` links."""
    ids, pages_met, query = [], [], f"?page_size={PAGE_SIZE}"
    while query:
        found = server.get(path + query).json()
        pages_met += [query] if len(found["results"]) == PAGE_SIZE or not ids else []
        ids += [room["id"] for room in found["results"]]
        query = found["next"] and "?" + urlsplit(found["next"]).query
    return ids, [pages_met[i] for i in sorted(harness.spread(pages, len(pages_met)))]


class Benchmark:
    """One server's measurements, and what its writes showed."""

    def __init__(self, args, base_url: str):
        from rooms.read_models.registry import APP_TABLE, LIVE_PATH, MATERIALIZED_VIEW, READ_MODELS

        self.args, self.rng = args, random.Random(args.seed)
        self.server = server = Server(base_url, args.timeout)
        self.live, self.view = LIVE_PATH, MATERIALIZED_VIEW.path
        self.paths = [LIVE_PATH, *(model.path for model in READ_MODELS.values())]
        response = server.get(f"{self.view}?page_size=1")
        self.policy = response.headers.get("X-View-Refresh-Policy", "unknown")
        self.ids, self.queries = discover_rooms(server, APP_TABLE.path, args.pages)
        if len(self.ids) < 2:
            raise BenchmarkError(f"{len(self.ids)} rooms at {server.base_url}: fill the database")
        print(f"{server.base_url}: policy {self.policy}, {len(self.ids)} rooms…", file=sys.stderr)
        for query in self.queries:
            listed = {path: tuple(room["id"] for room in server.get(path + query).json()["results"])
                      for path in self.paths}  # fmt: skip
            if len(set(listed.values())) != 1:
                raise BenchmarkError(f"the read paths list different rooms for {query}: {listed}")
        # What must show a write once it returns: the tables, and the view if writes refresh it.
        self.checked = [model.path for model in harness.stored_tables()]
        self.checked += [self.view] * (self.policy == "immediate")
        self.writes, self.unseen = Counter(), Counter()  # writes by kind, and by path unseen
        self.staleness = {kind: [] for kind in WRITES}  # by kind: seconds until the view shows it
        self.timeouts, self.beds, self.write_rounds = 0, {}, set()
        if args.token:
            self.writer = Server(base_url, args.timeout, args.token)
            found = server.get(f"/beds/?page_size={LIST_PAGE_SIZE}").json()["results"]
            self.beds = {bed["id"]: bed["rooms"] for bed in found if bed["rooms"]}
            if not self.beds:
                raise BenchmarkError("no bed stands in a room: nothing to write")
            writes = [args.write_rounds_immediate] * (self.policy == "immediate")
            writes = next(n for n in [*writes, args.write_rounds, args.rounds] if n is not None)
            self.write_rounds = harness.spread(writes, args.rounds)
        self.staleness_every = max(1, -(-len(self.write_rounds) // STALENESS_SAMPLES))

    def tasks(self, number: int) -> list:
        room, query = self.rng.choice(self.ids), self.rng.choice(self.queries)
        urls = {FLOOR: "/healthz", **{single(path): f"{path}{room}/" for path in self.paths}}
        urls |= {page(path): path + query for path in self.paths}
        tasks = [(name, partial(self.server.timed, url)) for name, url in urls.items()]
        if number in self.write_rounds:
            tasks += [(name, partial(self.write, kind)) for kind, name in WRITES.items()]
        return tasks

    def write(self, kind: str) -> float:
        """A timed ``PATCH``; then, untimed, which read models show it, how soon the view does."""
        beds = [
            bed
            for bed, rooms in self.beds.items()
            if kind == "rename" or len(rooms) < len(self.ids)
        ]
        if not beds:  # earlier runs on the same database added rooms to beds
            raise BenchmarkError("every bed stands in every room: no room to add a bed to")
        bed = self.rng.choice(beds)
        rooms, shown = self.beds[bed], {"id": bed}
        if kind == "rename":
            room, body = self.rng.choice(rooms), {"name": f"bench {secrets.token_hex(8)}"}
            shown |= body
        else:
            room = self.rng.choice([room for room in self.ids if room not in rooms])
            body = {"rooms": [*rooms, room]}
        started = time.perf_counter()
        response = self.writer.patch(f"/beds/{bed}/", json=body)
        answered = time.perf_counter()
        self.beds[bed] = response.json()["rooms"]

        def shows(path: str) -> bool:
            beds = self.server.get(f"{path}{room}/").json()["beds"]
            return any(shown.items() <= found.items() for found in beds)

        self.writes[kind] += 1
        self.unseen.update(path for path in self.checked if not shows(path))
        if self.policy == "deferred" and (self.writes[kind] - 1) % self.staleness_every == 0:
            while not shows(self.view):
                if time.perf_counter() > answered + self.args.staleness_timeout:
                    self.timeouts += 1
                    return answered - started
                time.sleep(0.01)
            self.staleness[kind].append(time.perf_counter() - answered)
        return answered - started

    def measure(self) -> str:
        """The rounds, then this server's section of the report."""
        timings = harness.interleave(self.tasks, self.args.rounds, self.args.warmup, self.rng)
        live_of = {kind(path): kind(self.live) for kind in (single, page) for path in self.paths}
        names = [name for name in [FLOOR, *live_of, *WRITES.values()] if name in timings]
        median = {name: statistics.median(timings[name]) for name in names}
        versus = {name: f"{median[live] / median[name]:.1f}x faster than {self.live}"
                  for name, live in live_of.items()}  # fmt: skip
        versus |= {live: "(live)" for live in live_of.values()}
        rows = [timing_row(name, timings[name], f"{median[name] / median[FLOOR]:.2f}",
                           versus.get(name, "")) for name in names]  # fmt: skip
        args, writes = self.args, len(timings.get(RENAME, []))
        lines = [
            f"### `ROOMS_VIEW_REFRESH={self.policy}`: {len(self.ids):,} rooms, {args.rounds} "
            f"rounds\n\nServer {self.server.base_url} (policy from the `X-View-Refresh-Policy` "
            f"header). {args.rounds} interleaved rounds after {args.warmup} warm-up rounds; "
            f"writes in {writes} of them (token auth); pages of {PAGE_SIZE} from "
            f"{len(self.queries)} fixed cursor positions. Client times in ms.\n",
            *table("measurement | n | median ms | p95 ms | median / floor | vs live "
                   f"{self.live} (median)", rows),
        ]  # fmt: skip
        if total := self.writes.total():
            shown = "; ".join(f"`{path}` showed it right away {total - self.unseen[path]} of "
                              f"{total} times" for path in self.checked)  # fmt: skip
            lines.append(f"\nAfter each write (untimed check): {shown}.")
        if self.policy == "manual":
            lines.append(f"\n`{self.view}` is not refreshed by writes under `manual`.")
        if self.policy == "deferred" and total:
            every, samples = self.staleness_every, [*self.staleness.items()]
            every = "every write" if every == 1 else f"one write of each kind in {every}"
            samples.append(("all writes", [seconds for _, values in samples for seconds in values]))
            lines += [
                f"\nStaleness of `{self.view}` under `deferred`: from the write's response "
                f"(after commit) until a poll of `{self.view}{{room}}/` (every 10 ms plus the "
                f"request) shows it; sampled after {every}.\n",
                *table("commit → visible | n | median ms | p95 ms | max ms",
                       [timing_row(kind, values, fmt(max(values) * 1000))
                        for kind, values in samples if values]),
            ]  # fmt: skip
        if self.timeouts:
            wait = f"{args.staleness_timeout:g} s (is `run_view_refresher` running?)"
            lines.append(f"\n{self.timeouts} writes were still not visible after {wait}.")
        return "\n".join(lines) + "\n"


def run(args) -> int:
    harness.use_database(args.database_url)
    from rooms.read_models.materialized_view import POLICIES

    if args.rounds < 1 or args.pages < 1:
        raise BenchmarkError("--rounds and --pages must be at least 1")
    if unknown := set(args.policies or ()) - set(POLICIES):
        raise BenchmarkError(f"unknown policies {sorted(unknown)}: choose from {POLICIES}")
    if args.database_url:
        return args.run.emit(serve_and_measure(args, args.policies or POLICIES))
    if args.policies:
        raise BenchmarkError("--policies needs --database-url")
    header = args.run.header(args.title or f"HTTP benchmark of {args.base_url}", "")
    return args.run.emit("\n".join(header) + Benchmark(args, args.base_url).measure())


def serve_and_measure(args, policies: list[str]) -> str:
    """Each policy's section, measured on gunicorn serving ``args.database_url``."""
    from django.conf import settings  # the servers' own: they get this environment

    from rooms.read_models import materialized_view

    args.token = args.token or harness.api_token()
    text = "\n".join(args.run.header(
        args.title or f"Benchmark of database `{harness.database()[0]}`",
        "Each policy: `gunicorn app.wsgi --workers 2` (sync), `DJANGO_DEBUG=0`, the view "
        "refreshed first; `run_view_refresher` alongside under `deferred` (`ROOMS_VIEW_MAX_"
        f"STALENESS` {settings.ROOMS_VIEW_MAX_STALENESS:g} s); the anonymous live-list throttle "
        "raised.",
    ))  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="benchmark-") as tmp:
        for policy in policies:
            with harness.refresh_policy(policy), harness.Services(Path(tmp)) as services:
                materialized_view.refresh()
                env = harness.server_env(args.database_url, Path(tmp), ROOMS_VIEW_REFRESH=policy)
                base_url = services.gunicorn(f"server-{policy}", env)
                if policy == "deferred":
                    services.refresher(env)
                text += "\n" + Benchmark(args, base_url).measure()
            args.run.save(text)  # as it grows: at 100,000 rooms a run takes an hour
    return text
