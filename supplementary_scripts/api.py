"""Measure every read path, the floor and API writes over HTTP, in one interleaved run.

``--base-url``: a server you run, under its refresh policy. ``--database-url``: a filled
database, served by gunicorn under each policy in turn (``run_view_refresher`` beside it under
``deferred``). Each round asks every path for the same random room and the same 100-room page,
times ``GET /healthz`` (the floor: one database round trip) and, given a user, two
``PATCH /beds/{id}/``; after each write it checks, untimed, which read models show it, and
under ``deferred`` how long the view takes to. ``--compare-base-url`` or ``--compare-app-dir``
(an older ``app/``) adds a second server's stored paths to the rounds. Client times, in ms.
"""

import itertools
import os
import random
import secrets
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from .harness import (
    BenchmarkError,
    Services,
    add_options,
    fmt,
    interleave,
    refresh_policy,
    server_env,
    spread,
    stored_tables,
    summarize,
    table,
    timing_row,
    use_database,
)

FLOOR = "GET /healthz (floor: one DB round trip)"
RENAME, ADD_ROOM = "PATCH /beds/{id}/ rename a bed", "PATCH /beds/{id}/ add a room to a bed"
BEFORE = "before: "
PAGE_SIZE, LIST_PAGE_SIZE = 100, 1000  # the sampled pages; the API's cap, for listing ids


def add_arguments(parser) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--base-url", metavar="URL", help="measure this running server")
    where.add_argument("--database-url", metavar="URL", help="serve this filled database")
    parser.add_argument("--policies", nargs="+", help="to serve, in order (default: all)")
    parser.add_argument("--user", help="who writes (--database-url: benchmark, made so)")
    parser.add_argument("--password", help="that user's (--database-url: set on it)")
    parser.add_argument("--auth", choices=["session", "basic"], default="session")
    add_options(parser, rounds=100, warmup=3, seed=True, database_url=False)
    parser.add_argument("--write-rounds", type=int, help="rounds that also write (all)")
    parser.add_argument("--write-rounds-immediate", type=int, help="the same, under immediate")
    parser.add_argument("--pages", type=int, default=8, help="page positions sampled (8)")
    parser.add_argument("--staleness-samples", type=int, default=40, help="writes followed (40)")
    parser.add_argument("--staleness-timeout", type=float, default=120, help="seconds (120)")
    compare = parser.add_mutually_exclusive_group()
    compare.add_argument("--compare-base-url", metavar="URL", help="a second server")
    compare.add_argument("--compare-app-dir", metavar="DIR", help="an older app/, served beside")
    parser.add_argument("--title", help="the report's heading")
    parser.add_argument("--timeout", type=float, default=900, help="per request (900 s)")


def single(path: str) -> str:
    return f"GET {path}{{id}}/"


def page(path: str) -> str:
    return f"GET {path}?page_size={PAGE_SIZE}"


def page_query(size: int, cursor: str | None = None) -> str:
    """``?page_size=…&cursor=…``, the cursor (base64: ``+``, ``/``, ``=``) escaped."""
    return "?" + urlencode({"page_size": size, **({"cursor": cursor} if cursor else {})})


class Server:
    """One server under test, and an anonymous session for reads (an API client's)."""

    def __init__(self, base_url: str, timeout: float):
        self.base_url, self.timeout = base_url.rstrip("/"), timeout
        self.session = requests.Session()

    def get(self, path: str) -> requests.Response:
        response = self.session.get(self.base_url + path, timeout=self.timeout)
        if response.status_code != 200:
            raise BenchmarkError(f"GET {path} answered {response.status_code}")
        return response

    def timed(self, path: str) -> float:
        started = time.perf_counter()
        self.get(path)  # requests reads the whole body before returning
        return time.perf_counter() - started

    def log_in(self, user: str, password: str, auth: str) -> requests.Session:
        """A session that may write: one session login (one password check), or Basic."""
        session, login = requests.Session(), f"{self.base_url}/api-auth/login/"
        if auth == "basic":
            session.auth = (user, password)
            return session
        session.get(login, timeout=self.timeout)
        form = {"username": user, "password": password, "next": "/healthz"}
        form["csrfmiddlewaretoken"] = session.cookies.get("csrftoken", "")
        response = session.post(login, data=form, headers={"Referer": login},
                                allow_redirects=False, timeout=self.timeout)  # fmt: skip
        if response.status_code != 302 or "sessionid" not in session.cookies:
            raise BenchmarkError(f"logging in as {user!r} failed (status {response.status_code})")
        # Django rotates the CSRF token at login; unsafe requests must echo the new one.
        session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
        return session

    def listed(self, path: str, size: int):
        """``(page, next cursor)`` along ``path``'s list, to the end."""
        cursor = ""
        while cursor is not None:
            found = self.get(path + page_query(size, cursor)).json()
            cursor = parse_qs(urlsplit(found["next"] or "").query).get("cursor", [None])[0]
            yield found["results"], cursor


def discover_rooms(server: Server, ids_path: str, pages: int) -> tuple[list[int], list[str]]:
    """Every room id, and up to ``pages`` page queries spread over the table, each followed by
    a full page: the first page's, and ``next`` cursors of a walk through ``ids_path``."""
    walk = list(server.listed(ids_path, PAGE_SIZE))
    ids = [room["id"] for rooms, _ in walk for room in rooms]
    full = [cursor for (_, cursor), (next_page, _) in itertools.pairwise(walk)
            if len(next_page) == PAGE_SIZE]  # fmt: skip
    step = max(1, len(full) // max(1, pages - 1))
    starts = full[step - 1 :: step][: pages - 1]
    return ids, [page_query(PAGE_SIZE), *(page_query(PAGE_SIZE, cursor) for cursor in starts)]


class Benchmark:
    """One server's measurements, and what its writes showed."""

    def __init__(self, args, server: Server, compare: Server | None):
        from rooms.read_models.registry import APP_TABLE, LIVE_PATH, MATERIALIZED_VIEW, READ_MODELS

        self.args, self.server, self.compare = args, server, compare
        self.rng = random.Random(args.seed)
        self.live, self.view = LIVE_PATH, MATERIALIZED_VIEW.path
        self.stored = [model.path for model in READ_MODELS.values()]
        self.tables = [model.path for model in stored_tables()]
        response = server.get(f"{self.view}?page_size=1")
        self.policy = response.headers.get("X-View-Refresh-Policy", "unknown")
        self.ids, self.queries = discover_rooms(server, APP_TABLE.path, args.pages)
        if len(self.ids) < 2:
            raise BenchmarkError(f"{len(self.ids)} rooms at {server.base_url}: fill the database")
        for query in self.queries:
            listed = {path: tuple(room["id"] for room in server.get(path + query).json()["results"])
                      for path in [self.live, *self.stored]}  # fmt: skip
            if len(set(listed.values())) != 1:
                raise BenchmarkError(f"the read paths list different rooms for {query}: {listed}")
        if compare is not None:
            compare.get("/healthz")
        self.writer, self.beds, self.write_rounds = None, {}, set()
        if args.user:
            self.writer = server.log_in(args.user, args.password or "", args.auth)
            found = server.get(f"/beds/?page_size={LIST_PAGE_SIZE}").json()["results"]
            self.beds = {bed["id"]: bed["rooms"] for bed in found if bed["rooms"]}
            if not self.beds:
                raise BenchmarkError("no bed stands in a room: nothing to write")
            writes = args.write_rounds_immediate if self.policy == "immediate" else None
            writes = args.write_rounds if writes is None else writes
            self.write_rounds = spread(args.rounds if writes is None else writes, args.rounds)
        samples = -(-max(1, args.staleness_samples) // 2)  # per kind of write
        self.staleness_every = max(1, -(-len(self.write_rounds) // samples))
        self.staleness, self.staleness_timeouts = defaultdict(list), 0
        self.visibility = defaultdict(lambda: [0, 0])  # path -> [writes checked, not shown]
        self.writes_done = Counter()

    def tasks(self, number: int) -> list:
        room, query = self.rng.choice(self.ids), self.rng.choice(self.queries)
        tasks = [(FLOOR, lambda: self.server.timed("/healthz"))]
        servers = [
            ("", self.server, [self.live, *self.stored]),
            (BEFORE, self.compare, self.stored),
        ]
        for prefix, server, paths in servers:
            for path in paths if server else []:
                tasks.append(
                    (prefix + single(path), lambda s=server, p=path: s.timed(f"{p}{room}/"))
                )
                tasks.append((prefix + page(path), lambda s=server, p=path: s.timed(p + query)))
        if number in self.write_rounds:
            tasks += [(RENAME, self.rename_bed), (ADD_ROOM, self.add_room_to_bed)]
        return tasks

    def patch_bed(self, bed: int, body: dict) -> tuple[float, float]:
        """The timed write: the seconds it took, and when it was answered."""
        started = time.perf_counter()
        response = self.writer.patch(f"{self.server.base_url}/beds/{bed}/", json=body,
                                     timeout=self.server.timeout)  # fmt: skip
        answered = time.perf_counter()
        if response.status_code != 200:
            raise BenchmarkError(f"PATCH /beds/{bed}/ answered {response.status_code}: "
                                 f"{response.text[:200]}")  # fmt: skip
        self.beds[bed] = response.json()["rooms"]
        return answered - started, answered

    def rename_bed(self) -> float:
        bed, name = self.rng.choice(list(self.beds)), f"bench {secrets.token_hex(8)}"
        seconds, answered = self.patch_bed(bed, {"name": name})
        room = self.rng.choice(self.beds[bed])
        self.after_write("rename", room, answered, lambda b: b["id"] == bed and b["name"] == name)
        return seconds

    def add_room_to_bed(self) -> float:
        bed, room = self.rng.choice(list(self.beds)), self.rng.choice(self.ids)
        while room in self.beds[bed]:
            room = self.rng.choice(self.ids)
        seconds, answered = self.patch_bed(bed, {"rooms": [*self.beds[bed], room]})
        self.after_write("add a room", room, answered, lambda b: b["id"] == bed)
        return seconds

    def after_write(self, kind: str, room: int, answered: float, is_it) -> None:
        """Untimed: do the read models show the write yet (under deferred: when does the view)?"""

        def shows(path: str) -> bool:
            return any(map(is_it, self.server.get(f"{path}{room}/").json()["beds"]))

        self.writes_done[kind] += 1
        for path in [*self.tables, *([self.view] if self.policy == "immediate" else [])]:
            self.visibility[path][0] += 1
            self.visibility[path][1] += not shows(path)
        if self.policy == "deferred" and (self.writes_done[kind] - 1) % self.staleness_every == 0:
            while not shows(self.view):
                if time.perf_counter() > answered + self.args.staleness_timeout:
                    self.staleness_timeouts += 1
                    return
                time.sleep(0.01)
            self.staleness[kind].append(time.perf_counter() - answered)

    def report(self, timings: dict) -> str:
        names = [FLOOR]
        for kind in (single, page):
            names += [kind(path) for path in [self.live, *self.stored]]
            names += [BEFORE + kind(path) for path in self.stored]
        names = [name for name in [*names, RENAME, ADD_ROOM] if name in timings]
        median = {name: summarize(timings[name]).median_ms for name in names}
        live = {kind(path): kind(self.live) for kind in (single, page) for path in self.stored}
        rows = []
        for name in names:
            if versus := live.get(name.removeprefix(BEFORE)):
                versus = f"{median[versus] / median[name]:.1f}x faster than {self.live}"
            elif name in live.values():
                versus = "(live)"
            ratio = f"{median[name] / median[FLOOR]:.2f}"
            rows.append(timing_row(name, timings[name], ratio, versus or ""))
        args, head = self.args, "measurement | n | median ms | p95 ms | median / floor"
        lines = [
            f"### `ROOMS_VIEW_REFRESH={self.policy}`: {len(self.ids):,} rooms, {args.rounds} "
            "rounds",
            "",
            f"Server {self.server.base_url} (policy from the `X-View-Refresh-Policy` header). "
            f"{args.rounds} interleaved rounds after {args.warmup} warm-up rounds; writes in "
            f"{len(timings.get(RENAME, []))} of them, with {args.auth} auth; pages of "
            f"{PAGE_SIZE} from {len(self.queries)} fixed cursor positions. Client times in ms.",
            "",
            *table(f"{head} | vs live {self.live} (median)", rows),
        ]
        if self.compare is not None:
            lines += [
                "",
                f"Before/after: the same stored reads from {self.compare.base_url} (before) "
                f"and {self.server.base_url} (after), in the same rounds.",
                "",
                *table("measurement | before median ms | after median ms | speed-up (median)", [
                    (name, fmt(median[BEFORE + name]), fmt(median[name]),
                     f"{median[BEFORE + name] / median[name]:.2f}x")
                    for name in names if BEFORE + name in median]),
            ]  # fmt: skip
        if self.visibility:
            shown = "; ".join(
                f"`{path}` showed it right away {checked - stale} of {checked} times"
                for path, (checked, stale) in self.visibility.items()
            )
            lines += ["", f"After each write (untimed check): {shown}."]
        if self.policy == "manual":
            lines += ["", f"`{self.view}` is not refreshed by writes under `manual`."]
        if self.policy == "deferred" and self.writer:
            lines += self.staleness_lines()
        return "\n".join(lines) + "\n"

    def staleness_lines(self) -> list[str]:
        every = self.staleness_every
        every = "every write" if every == 1 else f"one write of each kind in {every}"
        samples = [
            *self.staleness.items(),
            ("all writes", [s for values in self.staleness.values() for s in values]),
        ]
        rows = [timing_row(kind, values, fmt(summarize(values).max_ms))
                for kind, values in samples if values]  # fmt: skip
        lines = [
            "",
            f"Staleness of `{self.view}` under `deferred`: from the write's response (after "
            f"commit) until a poll of `{self.view}{{room}}/` (every 10 ms plus the request) "
            f"shows it; sampled after {every}.",
            "",
            *table("commit → visible | n | median ms | p95 ms | max ms", rows),
        ]
        if self.staleness_timeouts:
            lines.append(
                f"\n{self.staleness_timeouts} writes were still not visible after "
                f"{self.args.staleness_timeout:g} s (is `run_view_refresher` running?)."
            )
        return lines


def measure(args, base_url: str, compare_url: str | None) -> str:
    """One server's section of the report."""
    bench = Benchmark(args, Server(base_url, args.timeout),
                      compare_url and Server(compare_url, args.timeout))  # fmt: skip
    print(f"{base_url}: policy {bench.policy}, {len(bench.ids)} rooms…", file=sys.stderr)
    return bench.report(interleave(bench.tasks, args.rounds, args.warmup, bench.rng))


def run(args) -> int:
    use_database(args.database_url)
    from rooms.read_models.materialized_view import POLICIES

    if args.rounds < 1 or args.pages < 1:
        raise BenchmarkError("--rounds and --pages must be at least 1")
    if unknown := set(args.policies or ()) - set(POLICIES):
        raise BenchmarkError(f"unknown policies {sorted(unknown)}: choose from {POLICIES}")
    if not args.database_url and (args.policies or args.compare_app_dir):
        raise BenchmarkError("--policies and --compare-app-dir serve a --database-url")
    if not args.database_url:
        header = args.run.header(args.title or f"HTTP benchmark of {args.base_url}", "")
        return args.run.emit(
            "\n".join(header) + measure(args, args.base_url, args.compare_base_url)
        )
    return args.run.emit(serve_and_measure(args, args.policies or POLICIES))


def serve_and_measure(args, policies: list[str]) -> str:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from rooms.read_models import materialized_view

    args.user, args.password = args.user or "benchmark", args.password or "benchmark-local-only"
    user = get_user_model().objects.get_or_create(username=args.user)[0]
    user.is_staff = user.is_superuser = True
    user.set_password(args.password)
    user.save()
    text = "\n".join(args.run.header(
        args.title or f"Benchmark of database `{connection.settings_dict['NAME']}`",
        "Each policy: `gunicorn app.wsgi --workers 2` (sync workers: a new connection per "
        "request), `DJANGO_DEBUG=0`, the view refreshed before the run; `run_view_refresher` "
        "alongside under `deferred` (`ROOMS_VIEW_MAX_STALENESS` "
        f"{os.environ.get('ROOMS_VIEW_MAX_STALENESS', '2')} s); the anonymous live-list "
        "throttle raised."))  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="benchmark-") as workdir:
        for policy in policies:
            print(f"== {policy} ==", file=sys.stderr)
            with refresh_policy(policy), Services(Path(workdir)) as services:
                materialized_view.refresh()
                env = server_env(args.database_url, Path(workdir), ROOMS_VIEW_REFRESH=policy)
                base_url = services.gunicorn(f"server-{policy}", env)
                if policy == "deferred":
                    services.refresher(env)
                compare = args.compare_app_dir and services.gunicorn(
                    "compare", env, app_dir=args.compare_app_dir)  # fmt: skip
                text += "\n" + measure(args, base_url, compare or args.compare_base_url)
            args.run.save(text)  # keep what was measured: a run at 100,000 rooms takes an hour
    return text
