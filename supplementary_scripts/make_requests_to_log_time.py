#!/usr/bin/env python
"""Request random rooms on every read path so the server logs how long each took.

    python make_requests_to_log_time.py [--base-url URL] [--count N]
                                        [--paths /rooms/ /rooms_mat_view/ /rooms_v2/ /rooms_v3/]

The room ids come from the API itself (the cursor-paginated list of
``--ids-from``, 1000 per page, following ``next``), so the script needs only
the server, not its database. Then N random rooms are each requested once on
every path, all in one shuffled order: no path is always the first to touch
a room (and so the one that pays for cold caches). The server's timing
middleware writes one ``level;path;seconds`` line per request to its log
(``logs_all_here.log`` by default); summarise that with ``process_logs.py``.

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

import requests

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
READ_PATHS = ["/rooms/", "/rooms_mat_view/", "/rooms_v2/", "/rooms_v3/"]
#: The app table (/rooms_v2/) lists ids far more cheaply than the live /rooms/,
#: which builds every document; /rooms/ is the fallback while it is empty.
DEFAULT_IDS_FROM = "/rooms_v2/"
FALLBACK_IDS_FROM = "/rooms/"
PAGE_SIZE = 1000


def normalize_path(path: str) -> str:
    """``rooms_v2``, ``/rooms_v2`` and ``/rooms_v2/`` all mean ``/rooms_v2/``."""
    return f"/{path.strip('/')}/"


def room_url(base_url: str, path: str, room_id: int) -> str:
    return f"{base_url.rstrip('/')}{normalize_path(path)}{room_id}/"


def room_ids(session: requests.Session, base_url: str, path: str, timeout: float) -> list[int]:
    """Every room id listed by ``path``, following the pagination's ``next`` links.

    Empty when the list is empty or answers anything but 200 (e.g. a read
    model that does not exist on this server).
    """
    ids = []
    url = f"{base_url.rstrip('/')}{normalize_path(path)}?page_size={PAGE_SIZE}"
    while url:
        response = session.get(url, timeout=timeout)
        if response.status_code != 200:
            return []
        page = response.json()
        ids.extend(room["id"] for room in page["results"])
        url = page.get("next")
    return ids


def plan_requests(
    ids: list[int], paths: list[str], count: int, rng: random.Random
) -> list[tuple[str, int]]:
    """``count`` random rooms (fewer if there are fewer), each on every path, shuffled."""
    rooms = rng.sample(ids, min(count, len(ids)))
    requests_ = [(normalize_path(path), room_id) for room_id in rooms for path in paths]
    rng.shuffle(requests_)
    return requests_


def send(
    session: requests.Session, base_url: str, planned: list[tuple[str, int]], timeout: float
) -> Iterator[tuple[str, int, float]]:
    """Yield (path, HTTP status, seconds seen by the client) per request."""
    for path, room_id in planned:
        started = time.perf_counter()
        response = session.get(room_url(base_url, path, room_id), timeout=timeout)
        yield path, response.status_code, time.perf_counter() - started


def summary(results: list[tuple[str, int, float]]) -> str:
    by_path = defaultdict(list)
    for path, status, seconds in results:
        by_path[path].append((status, seconds))
    lines = [f"{'path':<20} {'requests':>8} {'not 200':>8} {'client mean ms':>15}"]
    for path, answers in by_path.items():
        failed = sum(status != 200 for status, _ in answers)
        mean_ms = statistics.fmean(seconds for _, seconds in answers) * 1000
        lines.append(f"{path:<20} {len(answers):>8} {failed:>8} {mean_ms:>15.1f}")
    return "\n".join(lines)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Then: python process_logs.py <the server's logs_all_here.log>",
    )
    parser.add_argument(
        "--base-url", default=DEFAULT_BASE_URL, help=f"the API (default {DEFAULT_BASE_URL})"
    )
    parser.add_argument(
        "--count", type=int, default=20, help="random rooms to request (default 20)"
    )
    parser.add_argument(
        "--paths",
        nargs="+",
        default=READ_PATHS,
        metavar="PATH",
        help=f"read paths to request each room on (default: {' '.join(READ_PATHS)})",
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
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    with requests.Session() as session:
        try:
            ids = room_ids(session, args.base_url, args.ids_from, args.timeout)
            if not ids and normalize_path(args.ids_from) != FALLBACK_IDS_FROM:
                ids = room_ids(session, args.base_url, FALLBACK_IDS_FROM, args.timeout)
            if not ids:
                print(f"No rooms at {args.base_url}: fill the database first.", file=sys.stderr)
                return 1
            planned = plan_requests(ids, args.paths, args.count, rng)
            results = list(send(session, args.base_url, planned, args.timeout))
        except requests.RequestException as error:
            print(f"Cannot reach the server at {args.base_url}: {error}", file=sys.stderr)
            return 2
    rooms = len({room_id for _path, room_id in planned})
    print(f"{len(results)} requests for {rooms} random rooms out of {len(ids)}:")
    print(summary(results))
    print("The server logged each one; summarise its log with process_logs.py.")
    return 0 if all(status == 200 for _path, status, _seconds in results) else 1


if __name__ == "__main__":
    sys.exit(main())
