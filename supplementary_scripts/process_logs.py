#!/usr/bin/env python3
"""Summarise the timing log: how fast each read path answers.

The figures are ``/compare/``'s, by the app's own selector (``rooms.selectors.read_path_timings``
says how they are counted), so that the two cannot disagree; this script adds tables and a chart
to keep, and reads a log without its server. Exit status: 0 with figures, 1 when the log holds
no read of any read path, 2 when it cannot be read.
"""

import argparse
import sys
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
DEFAULT_CHART = REPO_DIR / ".local" / "timings.svg"


def fixed(value: float | None, pattern: str = "{:.3f}") -> str:
    return "-" if value is None else pattern.format(value)


def panels(comparison) -> list[tuple[str, list]]:
    """The read paths' groups, titled: single rooms, then list pages by size."""
    return [("One room", comparison.single_room)] + [
        (f"A list page of {group.page_size} rooms", group.paths) for group in comparison.lists
    ]


def format_comparison(comparison) -> str:
    """A Markdown table per read path group, with speed-ups against live; then the requests
    counted apart."""
    from rooms.selectors.read_path_timings import PERCENTILES
    from supplementary_scripts.harness import table

    def cells(label, figures, speedup=()) -> list:
        times = [fixed(figures.percentile_ms(p)) for p in PERCENTILES]
        return [label, figures.count, *times, *(fixed(x, "{:.2f}x") for x in speedup)]

    head = ["requests", *(f"p{p} ms" for p in PERCENTILES)]
    lines = []
    for title, rows in panels(comparison):
        rows = [cells(f"{row.path} {row.name}", row.figures, row.speedup.values()) for row in rows]
        columns = ["read path", *head, *(f"x live p{p}" for p in PERCENTILES)]
        lines += [title, "", *table(" | ".join(columns), rows), ""]
    other = [cells(other.label, other.figures) for other in comparison.other]
    lines += table(" | ".join(["counted apart", *head]), other)
    window = "the whole log" if comparison.last is None else f"the latest {comparison.last}"
    window = f"{comparison.lines} requests in the window ({window})"
    lines += ["", f"{window}; malformed lines skipped: {comparison.malformed}"]
    return "\n".join(lines)


def draw_chart(comparison, path: Path) -> None:
    """The comparison page's charts (its SVG, from the same template), in one file."""
    from rooms.serializers.compare import ComparisonSerializer
    from rooms.views.compare_chart import charts_file

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(charts_file(ComparisonSerializer(comparison).data), encoding="utf-8")


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="The same figures, in the browser: /compare/ on the running server.",
    )
    add = parser.add_argument
    add("logfile", nargs="?", type=Path,
        help="the timing log (default: ROOMS_LOG_FILE, app/logs_all_here.log)")  # fmt: skip
    add("--last", type=int, metavar="N", help="only the latest N requests (default: the whole log)")
    add("--chart", type=Path, nargs="?", const=DEFAULT_CHART, metavar="SVG",
        help="also write /compare/'s charts, here (default .local/timings.svg)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.last is not None and args.last < 1:
        parser.error("--last must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    try:  # the app's own code and settings, so that this script and /compare/ cannot disagree
        sys.path.insert(0, str(REPO_DIR))  # run as a script, the package is not on the path
        from supplementary_scripts.harness import use_database

        use_database(None)  # set up once (the tests have); no database is opened
        from django.conf import settings
        from django.urls import reverse

        from rooms.selectors.read_path_timings import read_path_timings
    except ImportError as error:
        print(f"{error}: run process_logs.py with .venv/bin/python (`make venv`)", file=sys.stderr)
        return 2
    logfile = args.logfile or settings.ROOMS_LOG_FILE
    try:
        if not logfile.is_file():
            raise OSError("no such file")
        # As /compare/ does: its own requests are no part of the window.
        comparison = read_path_timings(args.last, leave_out=reverse("compare"), log_file=logfile)
    except OSError as error:
        print(f"Cannot read {logfile}: {error}", file=sys.stderr)
        return 2
    if not any(row.figures.count for row in comparison.single_room) and not comparison.lists:
        counts = f"{comparison.lines} lines, {comparison.malformed} malformed"
        print(f"No reads of a read path in {logfile} ({counts}).", file=sys.stderr)
        return 1
    print(format_comparison(comparison))
    if args.chart:
        draw_chart(comparison, args.chart)
        print(f"chart written to {args.chart}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
