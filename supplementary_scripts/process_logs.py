#!/usr/bin/env python
"""Summarise the timing middleware's log: how fast is each read path?

    python process_logs.py LOGFILE [--chart PNG]

Each log line of a successful read reads ``<level>;<path>;<seconds>``; the
middleware appends ``;<method>;<status>`` to every other request (writes,
redirects, errors), and those are left out of the figures and counted apart,
so that no write or 404 is averaged into a read path. Lines that do not
parse are skipped and counted; blank lines are ignored.

Requests are grouped by their first path segment, with single-room requests
(``/rooms/311/``, shown as ``/rooms/<id>/``) apart from everything else under
that segment (lists such as ``/rooms/?page_size=1000``, shown as ``/rooms/``):
a page of a hundred documents and one document differ by orders of
magnitude, so averaging them together would say nothing. For each group the
table gives count, mean, median and 95th percentile (nearest rank) in
milliseconds, and how many times faster its mean and median are than those
of the live ``/rooms/`` group of the same kind (single room or list); that
comparison is made for the room read paths only (first segment starting with
``rooms``, e.g. ``/rooms_mat_view/``, ``/rooms_v2/``).
"""

import argparse
import math
import re
import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

BASELINE_SEGMENT = "rooms"
_DETAIL = re.compile(r"^/([^/?]+)/\d+/?$")


def group_of(path: str) -> str:
    """``/rooms/5/`` -> ``/rooms/<id>/``; ``/rooms/?page_size=9`` -> ``/rooms/``; ``/`` -> ``/``."""
    path = path.split("?", 1)[0]
    detail = _DETAIL.match(path)
    if detail:
        return f"/{detail.group(1)}/<id>/"
    segment, slash, _rest = path.lstrip("/").partition("/")
    return f"/{segment}{slash}" if segment else "/"


#: A line that is not a successful read: its method and status follow the seconds.
NOT_A_READ = "not a read"


def parse_line(line: str) -> tuple[str, float] | None:
    """(path, seconds) of a successful read, (NOT_A_READ, seconds) of any other
    request, or None when the line is not a timing line."""
    fields = line.strip().split(";")
    if len(fields) < 3 or not fields[0] or not fields[1].startswith("/"):
        return None
    try:
        seconds = float(fields[2])
    except ValueError:
        return None
    if not math.isfinite(seconds) or seconds < 0:
        return None
    if len(fields) >= 5:
        method, status = fields[3], fields[4]
        if method not in {"GET", "HEAD"} or not status.startswith("2"):
            return NOT_A_READ, seconds
    return fields[1], seconds


@dataclass
class Log:
    #: Seconds per group of successful reads.
    groups: dict[str, list[float]]
    #: Non-blank lines that did not parse.
    malformed: int = 0
    #: Writes, redirects and errors: left out of the figures.
    not_reads: int = 0


def read_log(lines) -> Log:
    log = Log(defaultdict(list))
    for line in lines:
        if not line.strip():
            continue
        parsed = parse_line(line)
        if parsed is None:
            log.malformed += 1
        elif parsed[0] == NOT_A_READ:
            log.not_reads += 1
        else:
            path, seconds = parsed
            log.groups[group_of(path)].append(seconds)
    log.groups = dict(log.groups)
    return log


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with ``fraction`` of the values at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass(frozen=True)
class GroupStats:
    group: str
    count: int
    mean_ms: float
    median_ms: float
    p95_ms: float
    #: Baseline mean / this mean, and the same for medians; None without a baseline.
    mean_speedup: float | None = None
    median_speedup: float | None = None

    @property
    def is_detail(self) -> bool:
        return self.group.endswith("<id>/")


def baseline_of(group: str) -> str | None:
    """The live group to compare ``group`` with: the same kind, and only for room read paths."""
    if not group.startswith(f"/{BASELINE_SEGMENT}"):
        return None  # /doors/, /healthz, ...: not another way to read rooms
    return f"/{BASELINE_SEGMENT}/<id>/" if group.endswith("<id>/") else f"/{BASELINE_SEGMENT}/"


def summarize(groups: dict[str, list[float]]) -> list[GroupStats]:
    """Stats per group: single-room groups first, each kind led by its /rooms/ baseline."""

    def stats(group: str, seconds: list[float]) -> GroupStats:
        return GroupStats(
            group=group,
            count=len(seconds),
            mean_ms=statistics.fmean(seconds) * 1000,
            median_ms=statistics.median(seconds) * 1000,
            p95_ms=percentile(seconds, 0.95) * 1000,
        )

    plain = {group: stats(group, seconds) for group, seconds in groups.items()}
    result = []
    for group, row in plain.items():
        base = plain.get(baseline_of(group))
        if base is not None:
            row = replace(
                row,
                mean_speedup=_ratio(base.mean_ms, row.mean_ms),
                median_speedup=_ratio(base.median_ms, row.median_ms),
            )
        result.append(row)
    return sorted(
        result,
        key=lambda row: (not row.is_detail, row.group != baseline_of(row.group), row.group),
    )


def _ratio(baseline: float, value: float) -> float | None:
    return baseline / value if value > 0 else None


def _speedup(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def format_table(rows: list[GroupStats], malformed: int, not_reads: int = 0) -> str:
    header = (
        f"{'group':<24} {'count':>7} {'mean ms':>10} {'median ms':>10} {'p95 ms':>10} "
        f"{'mean speed-up':>14} {'median speed-up':>16}"
    )
    lines = [header, "-" * len(header)]
    lines += [
        f"{row.group:<24} {row.count:>7} {row.mean_ms:>10.2f} {row.median_ms:>10.2f} "
        f"{row.p95_ms:>10.2f} {_speedup(row.mean_speedup):>14} {_speedup(row.median_speedup):>16}"
        for row in rows
    ]
    lines.append(f"writes, redirects and errors left out: {not_reads}")
    lines.append(f"malformed lines skipped: {malformed}")
    return "\n".join(lines)


def draw_chart(rows: list[GroupStats], path: Path) -> None:
    """Bars of mean, median and p95 per group, written as a PNG.

    Single-room and list requests get a panel each, with its own scale: on
    a shared one the lists would flatten the single-room bars to nothing.
    """
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    panels = [
        (title, members)
        for title, members in (
            ("single room", [row for row in rows if row.is_detail]),
            ("lists and other requests", [row for row in rows if not row.is_detail]),
        )
        if members
    ]
    measures = (("mean", "mean_ms"), ("median", "median_ms"), ("p95", "p95_ms"))
    width = 0.8 / len(measures)
    figure, axes_list = plt.subplots(
        1,
        len(panels),
        figsize=(max(6.0, 1.7 * len(rows) + 2), 5),
        width_ratios=[len(members) + 0.5 for _title, members in panels],
        layout="constrained",
        squeeze=False,
    )
    for axes, (title, members) in zip(axes_list[0], panels, strict=True):
        for index, (label, attribute) in enumerate(measures):
            positions = [group + (index - 1) * width for group in range(len(members))]
            values = [getattr(row, attribute) for row in members]
            bars = axes.bar(positions, values, width, label=label)
            axes.bar_label(bars, fmt="%.1f", fontsize=7, padding=2)
        axes.set_xticks(
            range(len(members)), [f"{row.group}\n(n={row.count})" for row in members], fontsize=8
        )
        axes.set_title(title)
        axes.set_ylabel("milliseconds")
        axes.margins(y=0.12)
        axes.legend(fontsize=8)
    figure.suptitle("Request time per read path (lower is faster)")
    figure.savefig(path, format="png", dpi=120)
    plt.close(figure)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Groups: single-room requests /<segment>/<id>/ apart from the rest of /<segment>/.",
    )
    parser.add_argument("logfile", type=Path, help="the timing log (logs_all_here.log)")
    parser.add_argument("--chart", type=Path, metavar="PNG", help="also draw a bar chart here")
    args = parser.parse_args(argv)

    try:
        with args.logfile.open(encoding="utf-8", errors="replace") as log:
            parsed = read_log(log)
    except OSError as error:
        print(f"Cannot read {args.logfile}: {error}", file=sys.stderr)
        return 2
    if not parsed.groups:
        print(
            f"No successful reads in {args.logfile} ({parsed.not_reads} other requests, "
            f"{parsed.malformed} malformed lines).",
            file=sys.stderr,
        )
        return 1
    rows = summarize(parsed.groups)
    print(format_table(rows, parsed.malformed, parsed.not_reads))
    if args.chart:
        draw_chart(rows, args.chart)
        print(f"chart written to {args.chart}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
