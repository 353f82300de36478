#!/usr/bin/env python3
"""Request random rooms and list pages on every read path, so that the server logs their times.

It needs the server only (read paths from its ``/compare/``, room ids from its API). Every
room is requested on every path in one shuffled order, so that no path always pays for cold
caches. The default page sizes stay within what live allows an anonymous client (100 rooms).

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

ID_PAGE_SIZE = 1000  # the API's cap


def normalize_path(path: str) -> str:
    """``rooms_v2``, ``/rooms_v2`` and ``/rooms_v2/`` all mean ``/rooms_v2/``."""
    return f"/{path.strip('/')}/"


def compared_paths(session: requests.Session, args) -> list[str]:
    """The read paths the server compares, live first."""
    json = {"Accept": "application/json"}
    answer = session.get(f"{args.base}/compare/?last=1", headers=json, timeout=args.timeout)
    if answer.status_code != 200:
        error = f"{answer.url} answered {answer.status_code}: pass the read paths with --paths"
        raise requests.HTTPError(error)
    return [row["path"] for row in answer.json()["single_room"]]


def room_ids(session: requests.Session, args) -> list[int]:
    """Every room id ``--ids-from`` lists, following ``next``."""
    ids, url = [], f"{args.base}{args.ids_from}?page_size={ID_PAGE_SIZE}"
    while url:
        (response := session.get(url, timeout=args.timeout)).raise_for_status()
        page = response.json()
        ids += (room["id"] for room in page["results"])
        url = page["next"]
    return ids


def plan_requests(ids: list[int], paths: list[str], count: int, rng: random.Random):
    """``count`` random rooms (fewer if there are fewer), each on every path, shuffled."""
    planned = [(path, room) for room in rng.sample(ids, min(count, len(ids))) for path in paths]
    rng.shuffle(planned)
    return planned


def send(session: requests.Session, args, paths: list[str], planned, rng: random.Random):
    """The planned rooms, then the first ``--pages`` pages of each list, each path following its
    own ``next`` (a cursor is valid on its path only): (path, kind) -> [(status, seconds)]."""
    answers = defaultdict(list)

    def get(path, kind, url):
        started = time.perf_counter()
        response = session.get(url, timeout=args.timeout)
        answers[path, kind].append((response.status_code, time.perf_counter() - started))
        return response

    for path, room_id in planned:
        get(path, "room", f"{args.base}{path}{room_id}/")
    for size in args.page_sizes:
        next_urls = {path: f"{args.base}{path}?page_size={size}" for path in paths}
        for _page in range(args.pages):
            for path in rng.sample(list(next_urls), len(next_urls)):  # a new order each page
                page = get(path, "page", next_urls.pop(path))
                if page.status_code == 200 and (url := page.json().get("next")):
                    next_urls[path] = url
    return answers


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Then open /compare/ on the server, or run process_logs.py on its timing log.",
    )
    add = parser.add_argument
    add("--base-url", default="http://127.0.0.1:8000", help="the API (default %(default)s)")
    add("--count", type=int, default=20, help="random rooms to request (default 20)")
    add("--pages", type=int, default=5, help="list pages per size and path (default 5; 0: none)")
    add("--page-sizes", type=int, nargs="+", default=[10, 100], metavar="N",
        help="list page sizes, 1 to 1000 (default 10 100)")  # fmt: skip
    add("--paths", nargs="+", type=normalize_path, metavar="PATH",
        help="read paths to request (default: every read path the server compares)")  # fmt: skip
    add("--ids-from", default="/rooms_v2/", type=normalize_path, metavar="PATH",
        help="list to take the room ids from (default %(default)s)")  # fmt: skip
    add("--seed", type=int, help="seed for choosing the rooms")
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
    return request_and_report(parse_args(argv))[0]


def request_and_report(args) -> tuple[int, int]:
    """The exit status, and how many requests were timed (the latest in the server's log)."""
    rng = random.Random(args.seed)
    with requests.Session() as session:
        try:
            paths = args.paths or compared_paths(session, args)
            if not (ids := room_ids(session, args)):
                print(f"No rooms at {args.base_url}: fill the database first.", file=sys.stderr)
                return 1, 0
            planned = plan_requests(ids, paths, args.count, rng)
            answers = send(session, args, paths, planned, rng)
        except requests.RequestException as error:
            print(f"Cannot use the server at {args.base_url}: {error}", file=sys.stderr)
            return 2, 0
    sent = sum(map(len, answers.values()))
    print(
        f"{sent} requests: {min(args.count, len(ids))} random rooms out of {len(ids)} on each "
        f"of {len(paths)} read paths, and {sent - len(planned)} list pages:"
    )
    print(f"{'path':<20} {'kind':<6} {'requests':>8} {'not 200':>8} {'client mean ms':>15}")
    for (path, kind), timed in answers.items():
        failed = sum(status != 200 for status, _ in timed)
        mean_ms = statistics.fmean(seconds for _, seconds in timed) * 1000
        print(f"{path:<20} {kind:<6} {len(timed):>8} {failed:>8} {mean_ms:>15.1f}")
    print(f"The server's own times for them: {args.base}/compare/?last={sent}")
    return int(any(status != 200 for timed in answers.values() for status, _ in timed)), sent


if __name__ == "__main__":
    sys.exit(main())
