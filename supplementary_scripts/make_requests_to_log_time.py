#!/usr/bin/env python3
"""Request random rooms and list pages on every read path, so that the server logs their times.

    .venv/bin/python supplementary_scripts/make_requests_to_log_time.py [--base-url URL]
        [--count N] [--pages N] [--page-sizes 10 100] [--paths /rooms/ /rooms_v3/ ...]

The read paths come from the server (its ``/compare/`` lists them) and the
room ids from the API itself (the cursor-paginated list of ``--ids-from``,
1000 per page, following ``next``), so the script needs only the server, not
its database. Then:

* N random rooms are each requested once on every path, all in one shuffled
  order: no path is always the first to touch a room (and so the one that
  pays for cold caches);
* for each page size, the first ``--pages`` pages of the list are walked on
  every path, following ``next``, page by page, the paths in a shuffled order.

The server's timing middleware logs each request; the script ends by
pointing at ``/compare/`` for exactly these requests (the latest ones in the
log, unless other clients were busy meanwhile). Anonymous clients get live
pages of at most 100 rooms and a limited number of live lists a minute, so
the default page sizes stay within that.

Exit status: 0 when every request was answered 200, 1 when some were not,
2 when the server could not be reached.
"""

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterator

try:
    import requests
except ImportError:
    sys.exit(
        "make_requests_to_log_time.py needs the project's packages: run it with "
        ".venv/bin/python (`make venv` creates .venv)."
    )

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
#: The app table (/rooms_v2/) lists ids far more cheaply than the live /rooms/,
#: which builds every document; /rooms/ is the fallback while it is empty.
DEFAULT_IDS_FROM = "/rooms_v2/"
FALLBACK_IDS_FROM = "/rooms/"
ID_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZES = [10, 100]


def normalize_path(path: str) -> str:
    """``rooms_v2``, ``/rooms_v2`` and ``/rooms_v2/`` all mean ``/rooms_v2/``."""
    return f"/{path.strip('/')}/"


def url(base_url: str, path: str) -> str:
    return f"{base_url.rstrip('/')}{path}"


def room_url(base_url: str, path: str, room_id: int) -> str:
    return url(base_url, f"{normalize_path(path)}{room_id}/")


class ServerError(Exception):
    """The server answered, but not as this script needs."""


def read_paths(session: requests.Session, base_url: str, timeout: float) -> list[str]:
    """The read paths the server compares, live first (from ``/compare/``)."""
    response = session.get(
        url(base_url, "/compare/?last=1"), headers={"Accept": "application/json"}, timeout=timeout
    )
    if response.status_code != 200:
        raise ServerError(
            f"{response.url} answered {response.status_code}: pass the read paths with --paths"
        )
    return [row["path"] for row in response.json()["single_room"]]


def room_ids(session: requests.Session, base_url: str, path: str, timeout: float) -> list[int]:
    """Every room id listed by ``path``, following the pagination's ``next`` links.

    Empty when the list is empty or answers anything but 200 (e.g. a read
    model that does not exist on this server).
    """
    ids = []
    next_url = url(base_url, f"{normalize_path(path)}?page_size={ID_PAGE_SIZE}")
    while next_url:
        response = session.get(next_url, timeout=timeout)
        if response.status_code != 200:
            return []
        page = response.json()
        ids.extend(room["id"] for room in page["results"])
        next_url = page.get("next")
    return ids


def plan_requests(
    ids: list[int], paths: list[str], count: int, rng: random.Random
) -> list[tuple[str, int]]:
    """``count`` random rooms (fewer if there are fewer), each on every path, shuffled."""
    rooms = rng.sample(ids, min(count, len(ids)))
    requests_ = [(normalize_path(path), room_id) for room_id in rooms for path in paths]
    rng.shuffle(requests_)
    return requests_


#: What was requested, and how it went: (path, "room" or "page", HTTP status, client seconds).
Result = tuple[str, str, int, float]


def send(
    session: requests.Session, base_url: str, planned: list[tuple[str, int]], timeout: float
) -> Iterator[Result]:
    """Request each planned room."""
    for path, room_id in planned:
        started = time.perf_counter()
        response = session.get(room_url(base_url, path, room_id), timeout=timeout)
        yield path, "room", response.status_code, time.perf_counter() - started


def walk_pages(
    session: requests.Session,
    base_url: str,
    paths: list[str],
    page_size: int,
    pages: int,
    rng: random.Random,
    timeout: float,
) -> Iterator[Result]:
    """The first ``pages`` pages of ``page_size`` rooms on every path, page by page.

    Each path follows its own ``next`` link (a cursor is only valid on its
    path); a path whose list ends or fails stops there.
    """
    next_urls = {
        normalize_path(path): url(base_url, f"{normalize_path(path)}?page_size={page_size}")
        for path in paths
    }
    for _page in range(pages):
        order = [path for path in next_urls if next_urls[path]]
        rng.shuffle(order)
        for path in order:
            started = time.perf_counter()
            response = session.get(next_urls[path], timeout=timeout)
            yield path, "page", response.status_code, time.perf_counter() - started
            next_urls[path] = response.json().get("next") if response.status_code == 200 else None


def summary(results: list[Result]) -> str:
    by_path = defaultdict(list)
    for path, kind, status, seconds in results:
        by_path[path, kind].append((status, seconds))
    lines = [f"{'path':<20} {'kind':<6} {'requests':>8} {'not 200':>8} {'client mean ms':>15}"]
    for (path, kind), answers in by_path.items():
        failed = sum(status != 200 for status, _ in answers)
        mean_ms = statistics.fmean(seconds for _, seconds in answers) * 1000
        lines.append(f"{path:<20} {kind:<6} {len(answers):>8} {failed:>8} {mean_ms:>15.1f}")
    return "\n".join(lines)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Then open /compare/ on the server, or run process_logs.py on its timing log.",
    )
    parser.add_argument(
        "--base-url", default=DEFAULT_BASE_URL, help=f"the API (default {DEFAULT_BASE_URL})"
    )
    parser.add_argument(
        "--count", type=int, default=20, help="random rooms to request (default 20)"
    )
    parser.add_argument(
        "--pages",
        type=int,
        default=5,
        help="list pages to walk per page size and path (default 5; 0: none)",
    )
    parser.add_argument(
        "--page-sizes",
        type=int,
        nargs="+",
        default=DEFAULT_PAGE_SIZES,
        metavar="N",
        help=f"list page sizes, 1 to 1000 (default {' '.join(map(str, DEFAULT_PAGE_SIZES))})",
    )
    parser.add_argument(
        "--paths",
        nargs="+",
        metavar="PATH",
        help="read paths to request (default: every read path the server compares)",
    )
    parser.add_argument(
        "--ids-from",
        default=DEFAULT_IDS_FROM,
        metavar="PATH",
        help=f"list to take the room ids from (default {DEFAULT_IDS_FROM}; "
        f"{FALLBACK_IDS_FROM} when that one is empty)",
    )
    parser.add_argument("--seed", type=int, default=None, help="seed for choosing the rooms")
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds to wait per request (default 60)"
    )
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    if args.pages < 0:
        parser.error("--pages must not be negative")
    if not all(1 <= size <= 1000 for size in args.page_sizes):
        parser.error("--page-sizes must be whole numbers from 1 to 1000")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    with requests.Session() as session:
        try:
            paths = args.paths or read_paths(session, args.base_url, args.timeout)
            ids = room_ids(session, args.base_url, args.ids_from, args.timeout)
            if not ids and normalize_path(args.ids_from) != FALLBACK_IDS_FROM:
                ids = room_ids(session, args.base_url, FALLBACK_IDS_FROM, args.timeout)
            if not ids:
                print(f"No rooms at {args.base_url}: fill the database first.", file=sys.stderr)
                return 1
            planned = plan_requests(ids, paths, args.count, rng)
            results = list(send(session, args.base_url, planned, args.timeout))
            for size in args.page_sizes if args.pages else []:
                results += walk_pages(
                    session, args.base_url, paths, size, args.pages, rng, args.timeout
                )
        except (requests.RequestException, ServerError) as error:
            print(f"Cannot use the server at {args.base_url}: {error}", file=sys.stderr)
            return 2
    rooms = len({room_id for _path, room_id in planned})
    pages = sum(kind == "page" for _path, kind, _status, _seconds in results)
    print(
        f"{len(results)} requests: {rooms} random rooms out of {len(ids)} on each of "
        f"{len(paths)} read paths, and {pages} list pages:"
    )
    print(summary(results))
    compare_url = url(args.base_url, f"/compare/?last={len(results)}")
    print(f"The server's own times for them: {compare_url}")
    return 0 if all(status == 200 for _path, _kind, status, _seconds in results) else 1


if __name__ == "__main__":
    sys.exit(main())
