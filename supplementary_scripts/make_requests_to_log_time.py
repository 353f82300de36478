#!/usr/bin/env python3
"""Request random rooms and list pages on every read path, so that the server logs their times.

It needs the server only (read paths from its ``/compare/``, room ids from its API). Every
room is requested on every path in one shuffled order, so that no path always pays for cold
caches; list pages go page by page, the paths shuffled anew each time. The default page sizes
stay within what live allows an anonymous client (pages of at most 100 rooms).

Exit status: 0 when every request was answered 200, 1 when some were not (or there are no
rooms), 2 when the server could not be reached.
"""

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict

try:
    import requests
except ImportError:  # not the project's Python
    sys.exit("make_requests_to_log_time.py needs .venv/bin/python (`make venv` creates it).")

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
#: The app table lists ids far more cheaply than live, which builds every document.
DEFAULT_IDS_FROM, FALLBACK_IDS_FROM, ID_PAGE_SIZE = "/rooms_v2/", "/rooms/", 1000


def normalize_path(path: str) -> str:
    """``rooms_v2``, ``/rooms_v2`` and ``/rooms_v2/`` all mean ``/rooms_v2/``."""
    return f"/{path.strip('/')}/"


def room_url(base_url: str, path: str, room_id: int) -> str:
    return f"{base_url.rstrip('/')}{normalize_path(path)}{room_id}/"


def room_ids(session: requests.Session, args) -> list[int]:
    """Every room id ``--ids-from`` lists, following ``next``; live's when that list is empty
    or fails (a read model this server lacks)."""
    for path in dict.fromkeys([normalize_path(args.ids_from), FALLBACK_IDS_FROM]):
        ids, next_url = [], f"{args.base}{path}?page_size={ID_PAGE_SIZE}"
        while next_url:
            response = session.get(next_url, timeout=args.timeout)
            if response.status_code != 200:
                break  # next_url stays: the list failed
            page = response.json()
            ids += (room["id"] for room in page["results"])
            next_url = page.get("next")
        if ids and not next_url:
            return ids
    return []


def plan_requests(ids: list[int], paths: list[str], count: int, rng: random.Random):
    """``count`` random rooms (fewer if there are fewer), each on every path, shuffled."""
    rooms = rng.sample(ids, min(count, len(ids)))
    planned = [(normalize_path(path), room_id) for room_id in rooms for path in paths]
    rng.shuffle(planned)
    return planned


def send(session: requests.Session, args, paths: list[str], planned, rng: random.Random):
    """Yield (path, "room" or "page", status, client seconds) for each planned room, then for
    the first ``--pages`` list pages of each size on every path. Each path follows its own
    ``next`` (a cursor is valid on its path only) and stops where its list ends or fails."""

    def get(path, kind, target):
        started = time.perf_counter()
        response = session.get(target, timeout=args.timeout)
        return response, (path, kind, response.status_code, time.perf_counter() - started)

    for path, room_id in planned:
        yield get(path, "room", room_url(args.base, path, room_id))[1]
    for size in args.page_sizes:
        next_urls = {p: f"{args.base}{p}?page_size={size}" for p in map(normalize_path, paths)}
        for _page in range(args.pages):
            order = [path for path in next_urls if next_urls[path]]
            rng.shuffle(order)
            for path in order:
                response, result = get(path, "page", next_urls[path])
                yield result
                next_urls[path] = response.json().get("next") if result[2] == 200 else None


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Then open /compare/ on the server, or run process_logs.py on its timing log.",
    )
    add = parser.add_argument
    add("--base-url", default=DEFAULT_BASE_URL, help=f"the API (default {DEFAULT_BASE_URL})")
    add("--count", type=int, default=20, help="random rooms to request (default 20)")
    add("--pages", type=int, default=5,
        help="list pages to walk per page size and path (default 5; 0: none)")  # fmt: skip
    add("--page-sizes", type=int, nargs="+", default=[10, 100], metavar="N",
        help="list page sizes, 1 to 1000 (default 10 100)")  # fmt: skip
    add("--paths", nargs="+", metavar="PATH",
        help="read paths to request (default: every read path the server compares)")  # fmt: skip
    add("--ids-from", default=DEFAULT_IDS_FROM, metavar="PATH",
        help=f"list to take the room ids from (default {DEFAULT_IDS_FROM}; "
        f"{FALLBACK_IDS_FROM} when that one is empty)")  # fmt: skip
    add("--seed", type=int, default=None, help="seed for choosing the rooms")
    add("--timeout", type=float, default=60.0, help="seconds to wait per request (default 60)")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    if args.pages < 0:
        parser.error("--pages must not be negative")
    if not all(1 <= size <= 1000 for size in args.page_sizes):
        parser.error("--page-sizes must be whole numbers from 1 to 1000")
    args.base = args.base_url.rstrip("/")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    with requests.Session() as session:
        try:
            if not (paths := args.paths):  # the read paths the server compares, live first
                json = {"Accept": "application/json"}
                answer = session.get(
                    f"{args.base}/compare/?last=1", headers=json, timeout=args.timeout
                )
                if answer.status_code != 200:
                    error = f"{answer.url} answered {answer.status_code}"
                    raise requests.HTTPError(f"{error}: pass the read paths with --paths")
                paths = [row["path"] for row in answer.json()["single_room"]]
            if not (ids := room_ids(session, args)):
                print(f"No rooms at {args.base_url}: fill the database first.", file=sys.stderr)
                return 1
            planned = plan_requests(ids, paths, args.count, rng)
            results = list(send(session, args, paths, planned, rng))
        except requests.RequestException as error:
            print(f"Cannot use the server at {args.base_url}: {error}", file=sys.stderr)
            return 2
    rooms, pages = len({room for _, room in planned}), sum(r[1] == "page" for r in results)
    print(
        f"{len(results)} requests: {rooms} random rooms out of {len(ids)} on each of "
        f"{len(paths)} read paths, and {pages} list pages:"
    )
    by_path = defaultdict(list)
    for path, kind, status, seconds in results:
        by_path[path, kind].append((status, seconds))
    print(f"{'path':<20} {'kind':<6} {'requests':>8} {'not 200':>8} {'client mean ms':>15}")
    for (path, kind), answers in by_path.items():
        failed = sum(status != 200 for status, _ in answers)
        mean_ms = statistics.fmean(seconds for _, seconds in answers) * 1000
        print(f"{path:<20} {kind:<6} {len(answers):>8} {failed:>8} {mean_ms:>15.1f}")
    print(f"The server's own times for them: {args.base}/compare/?last={len(results)}")
    return 0 if all(status == 200 for _, _, status, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
