"""The README's timing run in one go: serve a filled database, request random rooms on every
read path, and summarise the server's timing log (time inside the server, per read path).

As by hand: ``make_requests_to_log_time.py``, then ``process_logs.py``, against a gunicorn of
its own (2 sync workers, debug off, its log)."""

import tempfile
from pathlib import Path

from . import make_requests_to_log_time, process_logs
from .harness import Services, add_options, server_env, use_database


def add_arguments(parser) -> None:
    add_options(parser, seed=True, output=False)
    parser.add_argument("--count", type=int, default=200, help="random rooms (200)")
    parser.add_argument("--chart", metavar="SVG", help="also write the charts here")


def run(args) -> int:
    use_database(args.database_url)
    with tempfile.TemporaryDirectory(prefix="timing-") as workdir, Services(workdir) as services:
        url = services.gunicorn("server", server_env(args.database_url, Path(workdir)))
        log = Path(workdir) / "timing.log"
        seed = [] if args.seed is None else ["--seed", str(args.seed)]
        chart = ["--chart", args.chart] if args.chart else []
        argv = ["--base-url", url, "--count", str(args.count), *seed]
        status, sent = make_requests_to_log_time.request_and_report(
            make_requests_to_log_time.parse_args(argv)
        )  # the requests it sent, not its listing of the room ids
        return status or process_logs.main([str(log), "--last", str(sent), *chart])
