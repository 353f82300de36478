#!/usr/bin/env python
"""Measure every read path, the database floor and write latency in one interleaved run.

    python benchmark.py --base-url http://127.0.0.1:8000 --user U --password P
                        [--rounds N] [--output FILE.md] [--compare-base-url URL]

Why it is built this way:

* **One interleaved run.** Every round takes one sample of every measurement,
  in a new random order. On a small shared machine the speed of the server
  drifts with whatever else runs; interleaving makes the drift hit every
  measurement alike, so the *ratios* hold even when the absolute numbers move.
* **A floor.** ``GET /healthz`` is one database round trip through the whole
  middleware stack: the least any endpoint that reads the database can cost.
  Each read is reported as a multiple of it and of the live ``/rooms/`` path.
* **The same work on every path.** In a round, the single-room GET asks every
  path for the same random room, and the 100-room page starts every path at the
  same cursor position, chosen from a few fixed positions found once at start
  (the first page, and ``next`` cursors spread over the table). All paths
  paginate by id, so one cursor means the same 100 rooms on each.
* **Anonymous reads, authenticated writes.** Reads go out on a session without
  credentials, as an API client's would (a session cookie would add a session
  and a user query to every read). Writes log in once with the session login
  (``--auth session``, the default) because HTTP Basic re-hashes the password
  on every request (PBKDF2, a few hundred ms by design), which would hide the
  cost being measured; ``--auth basic`` measures that too, if wanted.
* **Writes under the server's own policy.** ``PATCH /beds/{id}/`` renames a bed
  (every room it stands in changes) and adds a room to a bed (one room
  changes); the materialized view's refresh policy is a server setting
  (``ROOMS_VIEW_REFRESH``), read back from the ``X-View-Refresh-Policy``
  header. After each write the script checks, untimed, that ``/rooms_v2/``
  and ``/rooms_v3/`` already show it, and for ``/rooms_mat_view/``: under ``immediate`` that it
  shows it too, under ``deferred`` how long it takes to show it (polled,
  measured from the moment the write's response arrived, i.e. after commit).
* ``--compare-base-url`` measures the cached read paths of a second server in
  the same rounds (e.g. an older build on the same database), for a
  before/after table.

Times are client-side, from sending the request to the last byte of the
answer, in milliseconds. Exit status: 0 on success, 1 when a request is
answered with an unexpected status, 2 when the server cannot be reached.
"""

import argparse
import datetime
import os
import random
import secrets
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from timings import Summary, summarize

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
LIVE = "/rooms/"
CACHED = ["/rooms_mat_view/", "/rooms_v2/", "/rooms_v3/"]
READ_PATHS = [LIVE, *CACHED]
MAT_VIEW = "/rooms_mat_view/"
TABLE = "/rooms_v2/"
#: The stored tables: fresh when a write returns, under every policy.
TABLES = [TABLE, "/rooms_v3/"]
PAGE_SIZE = 100
#: Page size for listing the room ids once at start (the API's cap).
LIST_PAGE_SIZE = 1000

FLOOR = "GET /healthz (floor: one DB round trip)"
RENAME = "PATCH /beds/{id}/ rename a bed"
ADD_ROOM = "PATCH /beds/{id}/ add a room to a bed"
BEFORE = "before: "

#: The stored read paths against the floor and the live path.
GOAL_SINGLE_VS_FLOOR = 1.3
GOAL_SINGLE_VS_LIVE = 5.0
GOAL_PAGE_VS_LIVE = 10.0


class BenchmarkError(Exception):
    """A request was answered with something the benchmark cannot use."""


def single_name(path: str) -> str:
    return f"GET {path}{{id}}/"


def page_name(path: str) -> str:
    return f"GET {path}?page_size={PAGE_SIZE}"


# Statistics ----------------------------------------------------------------


# HTTP ----------------------------------------------------------------------


@dataclass
class Server:
    """One server under test: a base URL and an anonymous session for reads."""

    base_url: str
    timeout: float
    session: requests.Session = field(default_factory=requests.Session)

    def url(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}{path}"

    def get(self, path: str) -> requests.Response:
        response = self.session.get(self.url(path), timeout=self.timeout)
        if response.status_code != 200:
            raise BenchmarkError(f"GET {path} answered {response.status_code}")
        return response

    def timed_get(self, path: str) -> float:
        started = time.perf_counter()
        self.get(path)  # requests reads the whole body before returning
        return time.perf_counter() - started


def log_in(server: Server, user: str, password: str, auth: str) -> requests.Session:
    """A session that may write: session login (one password check) or Basic."""
    session = requests.Session()
    if auth == "basic":
        session.auth = (user, password)
        return session
    login = server.url("/api-auth/login/")
    session.get(login, timeout=server.timeout)
    response = session.post(
        login,
        data={
            "username": user,
            "password": password,
            "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
            "next": "/healthz",
        },
        headers={"Referer": login},
        allow_redirects=False,
        timeout=server.timeout,
    )
    if response.status_code != 302 or "sessionid" not in session.cookies:
        raise BenchmarkError(f"logging in as {user!r} failed (status {response.status_code})")
    # Django rotates the CSRF token at login; unsafe requests must echo the new one.
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    return session


def cursor_of(link: str | None) -> str | None:
    if not link:
        return None
    return parse_qs(urlsplit(link).query).get("cursor", [None])[0]


def page_query(size: int, cursor: str | None = None) -> str:
    """``?page_size=…&cursor=…``, the cursor (base64: ``+``, ``/``, ``=``) escaped."""
    return "?" + urlencode({"page_size": size, **({"cursor": cursor} if cursor else {})})


def discover_rooms(server: Server, pages: int) -> tuple[list[int], list[str]]:
    """Every room id, and up to ``pages`` page queries spread over the table.

    The ids come from ``/rooms_v2/`` (cheap), following ``next``; the ``next``
    cursors of that walk are the page positions. A table too small to give
    enough of them is walked again 100 rooms at a time. Only positions with a
    full page after them are kept, so every sampled page holds 100 rooms.
    """
    ids, cursors = [], []
    path = f"{TABLE}?page_size={LIST_PAGE_SIZE}"
    while path:
        page = server.get(path).json()
        ids.extend(room["id"] for room in page["results"])
        cursor = cursor_of(page["next"])
        if cursor:
            cursors.append(cursor)
        path = f"{TABLE}{page_query(LIST_PAGE_SIZE, cursor)}" if cursor else None
    if len(cursors) < pages - 1:
        cursors = []
        path = f"{TABLE}?page_size={PAGE_SIZE}"
        while path and len(cursors) < pages:
            cursor = cursor_of(server.get(path).json()["next"])
            if cursor:
                cursors.append(cursor)
            path = f"{TABLE}{page_query(PAGE_SIZE, cursor)}" if cursor else None
    step = max(1, len(cursors) // max(1, pages - 1))
    queries = [page_query(PAGE_SIZE)]
    for cursor in cursors[step - 1 :: step]:
        query = page_query(PAGE_SIZE, cursor)
        if (
            len(queries) < pages
            and len(server.get(f"{TABLE}{query}").json()["results"]) == PAGE_SIZE
        ):
            queries.append(query)
    return ids, queries


def check_same_pages(server: Server, queries: list[str]) -> None:
    """Every read path must list the same rooms for the same page query."""
    for query in queries:
        listed = {
            path: [room["id"] for room in server.get(f"{path}{query}").json()["results"]]
            for path in READ_PATHS
        }
        if len({tuple(ids) for ids in listed.values()}) != 1:
            raise BenchmarkError(f"the read paths list different rooms for {query}: {listed}")


def view_policy(server: Server) -> str:
    response = server.get(f"{MAT_VIEW}?page_size=1")
    return response.headers.get("X-View-Refresh-Policy", "unknown")


# The run -------------------------------------------------------------------


@dataclass
class Bed:
    id: int
    rooms: list[int]


@dataclass
class Results:
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    staleness: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    staleness_timeouts: int = 0
    #: read model -> [writes checked, of which the write was not yet visible]
    visibility: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))


@dataclass
class Benchmark:
    server: Server
    writer: requests.Session
    policy: str
    ids: list[int]
    page_queries: list[str]
    beds: list[Bed]
    rng: random.Random
    compare: Server | None = None
    #: Follow one write of each kind in this many until it shows in the view.
    staleness_every: int = 1
    staleness_timeout: float = 120.0
    poll_interval: float = 0.01
    results: Results = field(default_factory=Results)
    writes_done: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def measurements(self, room: int, query: str, with_writes: bool) -> list[tuple[str, Callable]]:
        server, compare = self.server, self.compare
        tasks = [(FLOOR, lambda: server.timed_get("/healthz"))]
        for path in READ_PATHS:
            tasks.append((single_name(path), lambda p=path: server.timed_get(f"{p}{room}/")))
            tasks.append((page_name(path), lambda p=path: server.timed_get(f"{p}{query}")))
        if compare is not None:
            for path in CACHED:
                tasks.append(
                    (BEFORE + single_name(path), lambda p=path: compare.timed_get(f"{p}{room}/"))
                )
                tasks.append(
                    (BEFORE + page_name(path), lambda p=path: compare.timed_get(f"{p}{query}"))
                )
        if with_writes:
            tasks.append((RENAME, self.rename_bed))
            tasks.append((ADD_ROOM, self.add_room_to_bed))
        return tasks

    def run_round(self, with_writes: bool, record: bool = True) -> None:
        room = self.rng.choice(self.ids)
        query = self.rng.choice(self.page_queries)
        tasks = self.measurements(room, query, with_writes)
        self.rng.shuffle(tasks)
        for name, task in tasks:
            seconds = task()
            if record:
                self.results.timings[name].append(seconds)

    # Writes: timed PATCH, then untimed visibility checks.

    def patch_bed(self, bed: Bed, body: dict) -> tuple[float, float, dict]:
        started = time.perf_counter()
        response = self.writer.patch(
            self.server.url(f"/beds/{bed.id}/"), json=body, timeout=self.server.timeout
        )
        answered = time.perf_counter()
        if response.status_code != 200:
            raise BenchmarkError(
                f"PATCH /beds/{bed.id}/ answered {response.status_code}: {response.text[:200]}"
            )
        document = response.json()
        bed.rooms = document["rooms"]
        return answered - started, answered, document

    def rename_bed(self) -> float:
        bed = self.rng.choice(self.beds)
        name = f"bench {secrets.token_hex(8)}"
        seconds, answered, _ = self.patch_bed(bed, {"name": name})

        def shows(document):
            return any(b["id"] == bed.id and b["name"] == name for b in document["beds"])

        self.after_write("rename", self.rng.choice(bed.rooms), shows, answered)
        return seconds

    def add_room_to_bed(self) -> float:
        bed = self.rng.choice(self.beds)
        room = self.rng.choice(self.ids)
        while room in bed.rooms:
            room = self.rng.choice(self.ids)
        seconds, answered, _ = self.patch_bed(bed, {"rooms": [*bed.rooms, room]})

        def shows(document):
            return any(b["id"] == bed.id for b in document["beds"])

        self.after_write("add a room", room, shows, answered)
        return seconds

    def after_write(self, kind: str, room: int, shows: Callable, answered: float) -> None:
        self.writes_done[kind] += 1
        for path in TABLES:
            self.check_visible(path, room, shows)
        if self.policy == "immediate":
            self.check_visible(MAT_VIEW, room, shows)
        elif self.policy == "deferred" and (self.writes_done[kind] - 1) % self.staleness_every == 0:
            self.measure_staleness(kind, room, shows, answered)

    def check_visible(self, path: str, room: int, shows: Callable) -> None:
        counts = self.results.visibility[path]
        counts[0] += 1
        if not shows(self.server.get(f"{path}{room}/").json()):
            counts[1] += 1

    def measure_staleness(self, kind: str, room: int, shows: Callable, answered: float) -> None:
        """Poll the view until it shows the write; record response → visible."""
        deadline = answered + self.staleness_timeout
        while True:
            visible = shows(self.server.get(f"{MAT_VIEW}{room}/").json())
            now = time.perf_counter()
            if visible:
                self.results.staleness[kind].append(now - answered)
                return
            if now > deadline:
                self.results.staleness_timeouts += 1
                return
            time.sleep(self.poll_interval)


def spread(count: int, total: int) -> set[int]:
    """``count`` round numbers out of ``range(total)``, evenly spread."""
    count = min(count, total)
    return {round(i * total / count) for i in range(count)} if count else set()


# The report ----------------------------------------------------------------


def fmt(value: float) -> str:
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def live_counterpart(name: str) -> str | None:
    """The live measurement a cached read is compared with."""
    bare = name.removeprefix(BEFORE)
    for path in CACHED:
        if bare == single_name(path):
            return single_name(LIVE)
        if bare == page_name(path):
            return page_name(LIVE)
    return None


def ordered_names(timings: dict[str, list[float]]) -> list[str]:
    order = [FLOOR]
    for kind in (single_name, page_name):
        order += [kind(path) for path in READ_PATHS]
        order += [BEFORE + kind(path) for path in CACHED]
    order += [RENAME, ADD_ROOM]
    return [name for name in order if name in timings]


def main_table(stats: dict[str, Summary]) -> list[str]:
    floor = stats[FLOOR].median_ms
    lines = [
        "| measurement | n | median ms | p95 ms | median / floor | vs live /rooms/ (median) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, summary in stats.items():
        live = live_counterpart(name)
        if live:
            versus = f"{stats[live].median_ms / summary.median_ms:.1f}x faster than /rooms/"
        elif name in (single_name(LIVE), page_name(LIVE)):
            versus = "(live)"
        else:
            versus = ""
        lines.append(
            f"| {name} | {summary.n} | {fmt(summary.median_ms)} | {fmt(summary.p95_ms)} "
            f"| {summary.median_ms / floor:.2f} | {versus} |"
        )
    return lines


def before_after_table(stats: dict[str, Summary]) -> list[str]:
    lines = [
        "| measurement | before median ms | after median ms | before p95 ms | after p95 ms "
        "| speed-up (median) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in stats:
        if not name.startswith(BEFORE):
            continue
        before, after = stats[name], stats[name.removeprefix(BEFORE)]
        lines.append(
            f"| {name.removeprefix(BEFORE)} | {fmt(before.median_ms)} | {fmt(after.median_ms)} "
            f"| {fmt(before.p95_ms)} | {fmt(after.p95_ms)} "
            f"| {before.median_ms / after.median_ms:.2f}x |"
        )
    return lines


def goal_lines(stats: dict[str, Summary]) -> list[str]:
    floor = stats[FLOOR].median_ms
    live_single = stats[single_name(LIVE)].median_ms
    live_page = stats[page_name(LIVE)].median_ms

    def verdict(ok: bool) -> str:
        return "holds" if ok else "MISSED"

    lines = []
    for path in CACHED:
        single = stats[single_name(path)].median_ms
        page = stats[page_name(path)].median_ms
        lines += [
            f"- `{path}{{id}}/` at most {GOAL_SINGLE_VS_FLOOR}x the floor: "
            f"{single / floor:.2f}x, {verdict(single <= GOAL_SINGLE_VS_FLOOR * floor)}",
            f"- `{path}{{id}}/` at least {GOAL_SINGLE_VS_LIVE:g}x faster than `/rooms/{{id}}/`: "
            f"{live_single / single:.1f}x, {verdict(live_single >= GOAL_SINGLE_VS_LIVE * single)}",
            f"- `{path}` 100-room page at least {GOAL_PAGE_VS_LIVE:g}x faster than the live "
            f"page: {live_page / page:.1f}x, {verdict(live_page >= GOAL_PAGE_VS_LIVE * page)}",
        ]
    return lines


def staleness_lines(bench: Benchmark) -> list[str]:
    results = bench.results
    if bench.policy != "deferred":
        return []
    lines = [
        "",
        f"Staleness of `{MAT_VIEW}` under `deferred`: from the write's response (after commit) "
        f"until a poll of `{MAT_VIEW}{{room}}/` (every {bench.poll_interval * 1000:g} ms plus "
        "the request) shows it; sampled after "
        + (
            "every write"
            if bench.staleness_every == 1
            else f"one write of each kind in {bench.staleness_every}"
        )
        + ".",
        "",
        "| commit → visible | n | median ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|",
    ]
    samples = [s for kind in results.staleness.values() for s in kind]
    for kind, values in [*results.staleness.items(), ("all writes", samples)]:
        if values:
            s = summarize(values)
            lines.append(
                f"| {kind} | {s.n} | {fmt(s.median_ms)} | {fmt(s.p95_ms)} | {fmt(s.max_ms)} |"
            )
    if results.staleness_timeouts:
        lines.append(
            f"\n{results.staleness_timeouts} writes were still not visible after "
            f"{bench.staleness_timeout:g} s (is `run_view_refresher` running?)."
        )
    return lines


def report(bench: Benchmark, args, started: datetime.datetime, loads: list) -> str:
    stats = {
        name: summarize(bench.results.timings[name])
        for name in ordered_names(bench.results.timings)
    }
    visibility = "; ".join(
        f"`{path}` showed it right away {checked - stale} of {checked} times"
        for path, (checked, stale) in bench.results.visibility.items()
    )
    lines = [
        f"### `ROOMS_VIEW_REFRESH={bench.policy}`: {len(bench.ids):,} rooms, {args.rounds} rounds",
        "",
        f"Server {args.base_url} (policy from the `X-View-Refresh-Policy` header), "
        f"{started:%Y-%m-%d %H:%M} UTC. {args.rounds} interleaved rounds after {args.warmup} "
        f"warm-up rounds; writes in {len(bench.results.timings.get(RENAME, []))} of them; "
        f"pages of {PAGE_SIZE} from {len(bench.page_queries)} fixed cursor positions; writes "
        f"with {args.auth} auth. Load average (1 min) before/after: "
        f"{loads[0]:.2f}/{loads[1]:.2f} on {os.cpu_count()} CPUs. Client times in ms.",
        "",
        *main_table(stats),
    ]
    if bench.compare is not None:
        lines += [
            "",
            f"Before/after: the same cached reads from {args.compare_base_url} (before) and "
            f"{args.base_url} (after), interleaved in the same rounds.",
            "",
            *before_after_table(stats),
        ]
    if visibility:
        lines += ["", f"After each write (untimed check): {visibility}."]
    if bench.policy == "manual":
        lines += ["", f"`{MAT_VIEW}` is not refreshed by writes under `manual`."]
    lines += staleness_lines(bench)
    lines += ["", "Issue #4 part 4 goals (medians):", "", *goal_lines(stats)]
    return "\n".join(lines) + "\n"


# Command line --------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Measures one server (one refresh policy); benchmark_all.py runs all three.",
    )
    parser.add_argument(
        "--base-url", default=DEFAULT_BASE_URL, help=f"the API (default {DEFAULT_BASE_URL})"
    )
    parser.add_argument("--user", help="a user who may write (without: no write measurements)")
    parser.add_argument("--password", default="", help="that user's password")
    parser.add_argument(
        "--auth",
        choices=["session", "basic"],
        default="session",
        help="how writes authenticate: one session login (default) or HTTP Basic per request "
        "(adds the password hashing to every write)",
    )
    parser.add_argument(
        "--rounds", type=int, default=100, help="rounds, one sample of each (default 100)"
    )
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first (default 3)")
    parser.add_argument(
        "--write-rounds",
        type=int,
        default=None,
        help="rounds (evenly spread) that also write (default: all); fewer keeps a slow "
        "immediate refresh on a big table affordable",
    )
    parser.add_argument(
        "--pages", type=int, default=8, help="fixed page positions to sample from (default 8)"
    )
    parser.add_argument(
        "--staleness-samples",
        type=int,
        default=40,
        help="under deferred, how many writes to follow until visible (default 40)",
    )
    parser.add_argument(
        "--staleness-timeout",
        type=float,
        default=120.0,
        help="seconds to wait for a write to show in the view (default 120)",
    )
    parser.add_argument(
        "--compare-base-url",
        metavar="URL",
        help="a second server (e.g. an older build on the same database) whose cached reads "
        "are measured in the same rounds, for a before/after table",
    )
    parser.add_argument("--output", metavar="FILE.md", help="also write the report here")
    parser.add_argument("--seed", type=int, default=None, help="random seed (rooms, order)")
    parser.add_argument(
        "--timeout", type=float, default=900.0, help="seconds to wait per request (default 900)"
    )
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.pages < 1:
        parser.error("--pages must be at least 1")
    return args


def setup(args, rng: random.Random) -> Benchmark:
    server = Server(args.base_url, args.timeout)
    compare = Server(args.compare_base_url, args.timeout) if args.compare_base_url else None
    policy = view_policy(server)
    ids, queries = discover_rooms(server, args.pages)
    if len(ids) < 2:
        raise BenchmarkError(f"{len(ids)} rooms at {args.base_url}: fill the database first")
    check_same_pages(server, queries)
    if compare is not None:
        compare.get("/healthz")
    writer, beds = None, []
    if args.user:
        writer = log_in(server, args.user, args.password, args.auth)
        page = server.get(f"/beds/?page_size={LIST_PAGE_SIZE}").json()["results"]
        beds = [Bed(bed["id"], bed["rooms"]) for bed in page if bed["rooms"]]
        if not beds:
            raise BenchmarkError("no bed stands in a room: nothing to write")
    write_rounds = args.rounds if args.write_rounds is None else args.write_rounds
    writes_per_kind = min(write_rounds, args.rounds) if writer else 0
    samples_per_kind = -(-max(1, args.staleness_samples) // 2)
    return Benchmark(
        server=server,
        writer=writer,
        policy=policy,
        ids=ids,
        page_queries=queries,
        beds=beds,
        rng=rng,
        compare=compare,
        staleness_every=max(1, -(-writes_per_kind // samples_per_kind)),
        staleness_timeout=args.staleness_timeout,
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    started = datetime.datetime.now(datetime.UTC)
    try:
        bench = setup(args, rng)
        write_rounds = spread(
            args.rounds if args.write_rounds is None else args.write_rounds, args.rounds
        )
        loads = [os.getloadavg()[0]]
        print(
            f"{args.base_url}: policy {bench.policy}, {len(bench.ids)} rooms; "
            f"{args.rounds} rounds…",
            file=sys.stderr,
        )
        for _ in range(args.warmup):
            bench.run_round(with_writes=False, record=False)
        for number in range(args.rounds):
            bench.run_round(with_writes=bench.writer is not None and number in write_rounds)
        loads.append(os.getloadavg()[0])
    except requests.RequestException as error:
        print(f"Cannot reach the server: {error}", file=sys.stderr)
        return 2
    except BenchmarkError as error:
        print(f"Benchmark failed: {error}", file=sys.stderr)
        return 1
    text = report(bench, args, started, loads)
    print(text, end="")
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
