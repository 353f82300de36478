"""How fast each read path answers, from the timing log (``ROOMS_LOG_FILE``).

The timing middleware writes one line per request (``docs/interfaces.md``,
"Logs"): ``<level>;<path with query>;<seconds>`` for a successful read, with
``;<method>;<status>`` after it for anything else. That log is the one record
of request times the service keeps, in every deployment (the compose stack's
app containers share one), so both ``/compare/`` and
``supplementary_scripts/process_logs.py`` summarise it, here, the same way.

A line carries no time of day (the read lines' form is part of the
interface), so the window to summarise is a number of requests: the last
``last`` lines of the log, not counting those of the page that asks
(``/compare/``), which would move the window on at every reload.

The figures are grouped so that only like is compared with like:

* a single room of each read path (``/rooms_v3/311/``);
* a list page of each read path, per page size (``page_size`` in the query
  string; the paginator's default without it): a page of 1,000 documents
  and one of 10 differ by orders of magnitude. Anonymous clients get live
  pages of at most ``ROOMS_ANON_LIVE_MAX_PAGE_SIZE`` rooms whatever they ask
  for, which the log cannot show: compare large pages as a logged-in client;
* everything else apart, never averaged into a read path: writes, errors,
  redirects, the admin, the docs, the health check, and other reads (other
  endpoints, the browsable API's HTML pages).

Each group gets count and the 50th, 95th and 99th percentiles (nearest rank:
always a time that was really measured), in milliseconds; each read path's
group also gets its speed-up against the live ``/rooms/`` group of the same
kind: live's percentile divided by its own.
"""

import functools
import math
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

from django.conf import settings
from django.urls import Resolver404, resolve

from rooms.pagination import IdCursorPagination
from rooms.read_models.registry import LIVE_PATH, READ_MODELS

#: The window: how many of the log's last lines are summarised.
DEFAULT_LAST = 10_000
MAX_LAST = 100_000

PERCENTILES = (50, 95, 99)

#: Kinds of requests that are no read path's, in the order they are shown.
OTHER = {
    "writes": "writes (POST, PUT, PATCH, DELETE)",
    "errors": "errors (4xx, 5xx)",
    "redirects": "redirects (3xx)",
    "admin": "admin and login",
    "docs": "schema and docs",
    "health": "health check",
    "other_reads": "other reads",
}

#: The kind of a successful read that is no read path's, by its URL's namespace or name.
_OTHER_READS = {
    "admin": "admin",  # the admin's namespace
    "rest_framework": "admin",  # the browsable API's login and logout
    "schema": "docs",
    "docs": "docs",
    "healthz": "health",
}


@dataclass(frozen=True)
class ReadPath:
    path: str
    name: str


def read_paths() -> list[ReadPath]:
    """The live path first (the baseline), then every read model, from the registry."""
    return [
        ReadPath(LIVE_PATH, "live"),
        *(ReadPath(model.path, model.name.replace("_", " ")) for model in READ_MODELS.values()),
    ]


@dataclass(frozen=True)
class Request:
    """One line of the timing log."""

    path: str
    query: str
    seconds: float
    #: None on a successful read's line, which leaves both out.
    method: str | None = None
    status: int | None = None


def parse_line(line: str) -> Request | None:
    """The request a log line records, or None when the line is no timing line."""
    fields = line.strip().split(";")
    if len(fields) < 3 or not fields[0] or not fields[1].startswith("/"):
        return None
    try:
        seconds = float(fields[2])
    except ValueError:
        return None
    if not math.isfinite(seconds) or seconds < 0:
        return None
    path, _, query = fields[1].partition("?")
    if len(fields) < 5:
        return Request(path, query, seconds)
    try:
        status = int(fields[4])
    except ValueError:
        return None
    return Request(path, query, seconds, fields[3], status)


@dataclass(frozen=True)
class Group:
    """What a request is compared with: ``room`` or ``list`` of a read path (lists per page
    size), or one of ``OTHER``."""

    kind: str
    path: str | None = None
    page_size: int | None = None


class Classifier:
    """Sorts requests into groups, knowing the read paths and the default page size."""

    def __init__(self, paths: list[str], default_page_size: int):
        self.paths = set(paths)
        self.default_page_size = default_page_size

    def group(self, request: Request) -> Group:
        if request.method is not None:
            if request.method not in {"GET", "HEAD"}:
                return Group("writes")
            if request.status >= 400:
                return Group("errors")
            if request.status >= 300:
                return Group("redirects")
            if not 200 <= request.status < 300:
                return Group("other_reads")
        query = parse_qs(request.query)
        if query.get("format", ["json"])[-1] != "json":  # the browsable API's HTML
            return Group("other_reads")
        base, _, rest = request.path.rstrip("/").rpartition("/")
        if f"{base}/" in self.paths and rest.isascii() and rest.isdigit():
            return Group("room", f"{base}/")
        if request.path in self.paths:
            size = query.get("page_size", [None])[-1]
            page_size = int(size) if size and size.isascii() and size.isdigit() else None
            return Group("list", request.path, page_size or self.default_page_size)
        return Group(_other_read(request.path))


@functools.lru_cache(maxsize=4096)
def _other_read(path: str) -> str:
    """The kind of a successful read of ``path``, which is no read path's."""
    try:
        match = resolve(path)
    except Resolver404:  # a static file, served before any URL is looked up
        return "other_reads"
    return _OTHER_READS.get(match.namespace) or _OTHER_READS.get(match.url_name, "other_reads")


def percentile(ordered: list[float], percent: int) -> float:
    """Nearest rank: the smallest value with ``percent`` % of the values at or below it."""
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


@dataclass(frozen=True)
class Figures:
    """Count and percentiles, in milliseconds (None without requests)."""

    count: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None

    @classmethod
    def of(cls, seconds: list[float]) -> "Figures":
        if not seconds:
            return cls(0, None, None, None)
        ordered = sorted(seconds)
        return cls(len(ordered), *(round(percentile(ordered, p) * 1000, 3) for p in PERCENTILES))

    def percentile_ms(self, percent: int) -> float | None:
        return getattr(self, f"p{percent}_ms")


@dataclass(frozen=True)
class PathFigures:
    """One read path's figures in one group, and how many times faster than live they are."""

    path: str
    name: str
    figures: Figures
    #: ``"p50"``, ``"p95"``, ``"p99"`` -> live's time / this time (None when either has
    #: no requests).
    speedup: dict[str, float | None]


@dataclass(frozen=True)
class PageSizeFigures:
    page_size: int
    paths: list[PathFigures]


@dataclass(frozen=True)
class OtherFigures:
    kind: str
    label: str
    figures: Figures


@dataclass(frozen=True)
class Comparison:
    #: The window asked for (None: the whole log), and the lines it held (fewer while the
    #: log is shorter).
    last: int | None
    lines: int
    single_room: list[PathFigures]
    lists: list[PageSizeFigures]
    other: list[OtherFigures]
    #: Lines in the window that are no timing line.
    malformed: int


def _speedup(live: Figures, own: Figures, percent: int) -> float | None:
    live_ms, own_ms = live.percentile_ms(percent), own.percentile_ms(percent)
    if live_ms is None or not own_ms:
        return None
    return round(live_ms / own_ms, 2)


def _compared(paths: list[ReadPath], seconds: dict[str, list[float]]) -> list[PathFigures]:
    figures = {read_path.path: Figures.of(seconds.get(read_path.path, [])) for read_path in paths}
    live = figures[paths[0].path]
    return [
        PathFigures(
            read_path.path,
            read_path.name,
            figures[read_path.path],
            {f"p{p}": _speedup(live, figures[read_path.path], p) for p in PERCENTILES},
        )
        for read_path in paths
    ]


def compare(lines, last: int | None) -> Comparison:
    """The comparison of the timing-log lines ``lines`` (the window, oldest first)."""
    paths = read_paths()
    classifier = Classifier([p.path for p in paths], IdCursorPagination.page_size)
    single: dict[str, list[float]] = defaultdict(list)
    lists: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    apart: dict[str, list[float]] = defaultdict(list)
    count = malformed = 0
    for line in lines:
        count += 1
        request = parse_line(line)
        if request is None:
            malformed += 1
            continue
        group = classifier.group(request)
        if group.kind == "room":
            single[group.path].append(request.seconds)
        elif group.kind == "list":
            lists[group.page_size][group.path].append(request.seconds)
        else:
            apart[group.kind].append(request.seconds)
    return Comparison(
        last=last,
        lines=count,
        single_room=_compared(paths, single),
        lists=[PageSizeFigures(size, _compared(paths, lists[size])) for size in sorted(lists)],
        other=[OtherFigures(kind, label, Figures.of(apart[kind])) for kind, label in OTHER.items()],
        malformed=malformed,
    )


def last_lines(
    path: Path, count: int | None, leave_out: str | None = None, block_size: int = 1 << 16
) -> list[str]:
    """The last ``count`` lines of the file (all of them for None), oldest first; none if
    there is no file.

    Blank lines are passed over, and so are the requests for the path
    ``leave_out``: the page that asks, whose own requests would move its
    window on at every reload. The file is read backwards in blocks, so that
    a long log costs only its tail. A line still being written (no newline
    yet) counts like the others.
    """
    try:
        file = path.open("rb")
    except FileNotFoundError:
        return []
    kept: list[str] = []  # newest first
    with file:
        end = file.seek(0, os.SEEK_END)
        rest = b""  # the oldest line read so far, maybe only its end
        while end > 0 and (count is None or len(kept) < count):
            start = max(0, end - block_size)
            file.seek(start)
            lines = (file.read(end - start) + rest).split(b"\n")
            rest = lines.pop(0) if start > 0 else b""
            for line in reversed(lines):
                text = line.decode("utf-8", errors="replace")
                if text.strip() and not _requested(text, leave_out):
                    kept.append(text)
            end = start
    return kept[:count][::-1]


def _requested(line: str, path: str | None) -> bool:
    """Whether the log line records a request for ``path``."""
    fields = line.split(";", 2)
    return path is not None and len(fields) > 1 and fields[1].partition("?")[0] == path


def read_path_timings(
    last: int = DEFAULT_LAST, leave_out: str | None = None, log_file: Path | None = None
) -> Comparison:
    """The comparison over the last ``last`` requests of the timing log, less those for
    ``leave_out``."""
    log_file = settings.ROOMS_LOG_FILE if log_file is None else log_file
    return compare(last_lines(Path(log_file), last, leave_out), last)
