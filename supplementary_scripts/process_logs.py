#!/usr/bin/env python3
"""Summarise the timing log: how fast each read path answers.

    .venv/bin/python supplementary_scripts/process_logs.py [LOGFILE] [--last N] [--chart [PNG]]

The figures are the ones ``/compare/`` shows, computed by the same code
(``rooms.selectors.read_path_timings``, which says how): per read path, the
count and the 50th, 95th and 99th percentiles (nearest rank) of a single
room, and of a list page of each size, each with its speed-up against the
live ``/rooms/`` of the same kind; writes, errors, redirects, the admin,
the docs, the health check and other reads counted apart; lines that are no
timing line counted and skipped.

LOGFILE is the server's timing log (``ROOMS_LOG_FILE``; by default
``app/logs_all_here.log``). ``--chart`` also draws the read paths' figures
as a PNG, by default ``.local/timings.png`` (git ignores ``.local/``).

Exit status: 0 with figures, 1 when the log holds no read of any read path,
2 when it cannot be read.
"""

import argparse
import os
import sys
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
DEFAULT_CHART = REPO_DIR / ".local" / "timings.png"
NEEDS_VENV = (
    "{script} needs the project's packages: run it with .venv/bin/python "
    "(`make venv` creates .venv)."
)


def setup_django() -> None:
    """The app's own code and settings, without a database.

    The figures come from the app's selector, so that this script and
    ``/compare/`` cannot disagree. The settings insist on a database URL and a
    secret key; neither is used here (no database is opened), so placeholders
    stand in when they are unset. Nothing is done when Django is set up
    already (the tests): a second set-up would configure logging again.
    """
    import django
    from django.apps import apps

    if apps.ready:
        return
    sys.path.insert(0, str(REPO_DIR / "app"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
    os.environ.setdefault("DATABASE_URL", "postgres://unused/unused")
    os.environ.setdefault("DJANGO_SECRET_KEY", "process-logs-opens-no-database")
    django.setup()


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _times(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def format_comparison(comparison) -> str:
    """The comparison as plain-text tables, one per group."""
    from rooms.selectors.read_path_timings import PERCENTILES

    percentiles = [f"p{p}" for p in PERCENTILES]
    header = (
        f"{'':<36} {'count':>7} "
        + " ".join(f"{p + ' ms':>10}" for p in percentiles)
        + " "
        + " ".join(f"{'x live ' + p:>11}" for p in percentiles)
    )

    def table(title, rows):
        lines = [title, header, "-" * len(header)]
        for row in rows:
            figures = row.figures
            lines.append(
                f"{row.path + ' ' + row.name:<36} {figures.count:>7} "
                + " ".join(f"{_ms(figures.percentile_ms(p)):>10}" for p in PERCENTILES)
                + " "
                + " ".join(f"{_times(row.speedup[p]):>11}" for p in percentiles)
            )
        return lines

    lines = table("One room", comparison.single_room)
    for group in comparison.lists:
        lines += ["", *table(f"A list page of {group.page_size} rooms", group.paths)]
    other_header = f"{'Counted apart':<36} {'count':>7} " + " ".join(
        f"{p + ' ms':>10}" for p in percentiles
    )
    lines += ["", other_header, "-" * len(other_header)]
    for other in comparison.other:
        lines.append(
            f"{other.label:<36} {other.figures.count:>7} "
            + " ".join(f"{_ms(other.figures.percentile_ms(p)):>10}" for p in PERCENTILES)
        )
    window = "the whole log" if comparison.last is None else f"the latest {comparison.last}"
    lines += [
        "",
        f"{comparison.lines} requests in the window ({window}); "
        f"malformed lines skipped: {comparison.malformed}",
    ]
    return "\n".join(lines)


def draw_chart(comparison, path: Path) -> None:
    """Horizontal bars of p50, p95 and p99 per read path, a panel per group, as a PNG.

    Each panel has its own scale from zero: on a shared one, pages of 1,000
    rooms would flatten the single-room bars. Every bar carries its value.
    """
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    from rooms.selectors.read_path_timings import PERCENTILES
    from rooms.views.compare_chart import MEASURES

    colours = {measure: colour for measure, _field, colour in MEASURES}
    panels = [("One room", comparison.single_room)] + [
        (f"A list page of {group.page_size} rooms", group.paths) for group in comparison.lists
    ]
    figure, axes_list = plt.subplots(
        len(panels), 1, figsize=(11, 0.75 + 2.4 * len(panels)), layout="constrained", squeeze=False
    )
    height = 0.8 / len(PERCENTILES)
    for axes, (title, rows) in zip(axes_list[:, 0], panels, strict=True):
        positions = range(len(rows))
        for index, percent in enumerate(PERCENTILES):
            values = [row.figures.percentile_ms(percent) for row in rows]
            bars = axes.barh(
                [position + (index - 1) * height for position in positions],
                [0 if value is None else value for value in values],
                height,
                label=f"p{percent}",
                color=colours[f"p{percent}"],
            )
            axes.bar_label(
                bars, labels=[_ms(value) if value is not None else "" for value in values],
                padding=3, fontsize=9,
            )  # fmt: skip
        axes.set_yticks(list(positions), [_row_label(row, rows[0]) for row in rows], fontsize=10)
        axes.invert_yaxis()  # live on top
        axes.set_title(title, fontsize=12, loc="left")
        axes.set_xlabel("milliseconds in the server (lower is faster)", fontsize=10)
        axes.margins(x=0.15)
    handles, labels = axes_list[0, 0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside upper right", ncols=len(PERCENTILES), fontsize=10)
    figure.suptitle("Read paths compared: time in the server per request", fontsize=13)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png", dpi=100)
    plt.close(figure)


def _row_label(row, live) -> str:
    """The read path, its name and request count, and how it compares with live."""
    if not row.figures.count:
        compared = "no requests"
    elif row is live:
        compared = f"n={row.figures.count}, the baseline"
    elif row.speedup["p50"] is not None:
        compared = f"n={row.figures.count}, {row.speedup['p50']:.2f}x faster (p50)"
    else:
        compared = f"n={row.figures.count}"
    return f"{row.path} {row.name}\n{compared}"


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="The same figures, in the browser: /compare/ on the running server.",
    )
    parser.add_argument(
        "logfile",
        nargs="?",
        type=Path,
        help="the timing log (default: the app's ROOMS_LOG_FILE, app/logs_all_here.log)",
    )
    parser.add_argument(
        "--last", type=int, metavar="N", help="only the latest N requests (default: the whole log)"
    )
    parser.add_argument(
        "--chart",
        type=Path,
        nargs="?",
        const=DEFAULT_CHART,
        metavar="PNG",
        help=f"also draw a chart, here (default {DEFAULT_CHART.relative_to(REPO_DIR)})",
    )
    args = parser.parse_args(argv)
    if args.last is not None and args.last < 1:
        parser.error("--last must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        setup_django()
        from django.conf import settings
        from django.urls import reverse

        from rooms.selectors.read_path_timings import compare, last_lines
    except ImportError as error:
        print(f"{error}\n{NEEDS_VENV.format(script=Path(__file__).name)}", file=sys.stderr)
        return 2

    logfile = args.logfile or settings.ROOMS_LOG_FILE
    if not logfile.is_file():
        print(f"Cannot read {logfile}: no such file", file=sys.stderr)
        return 2
    try:
        # As /compare/ does: its own requests are no part of the window.
        lines = last_lines(logfile, args.last, leave_out=reverse("compare"))
    except OSError as error:
        print(f"Cannot read {logfile}: {error}", file=sys.stderr)
        return 2
    comparison = compare(lines, last=args.last)
    if not any(row.figures.count for row in comparison.single_room) and not comparison.lists:
        print(
            f"No reads of a read path in {logfile} ({comparison.lines} lines, "
            f"{comparison.malformed} malformed).",
            file=sys.stderr,
        )
        return 1
    print(format_comparison(comparison))
    if args.chart:
        draw_chart(comparison, args.chart)
        print(f"chart written to {args.chart}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
