"""``process_logs.py``: the tables and the chart, from the timing log.

The figures are ``/compare/``'s (the same selector, tested in
``rooms/tests/test_compare.py``); these tests check what the script adds:
reading a whole log or its tail, the tables, the chart and where it goes.
"""

import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest

from supplementary_scripts import process_logs

from . import helpers

SCRIPT = Path(process_logs.__file__)

TIMINGS = {
    "/rooms/311/": [0.040, 0.010, 0.030, 0.020, 0.100],
    "/rooms/12/?format=json": [0.050],
    "/rooms_mat_view/311/": [0.004, 0.002, 0.003],
    "/rooms_v2/12/": [0.001, 0.002, 0.0015, 0.0025],
    "/rooms/?page_size=1000": [0.9, 1.1],
    "/rooms_v2/?page_size=1000&cursor=abc": [0.05],
    "/rooms_v3/": [0.02, 0.03],  # the default page size, 100
    "/beds/3/": [0.5, 0.6],
    "/admin/": [0.07],
    "/api/schema/": [0.2],
    "/healthz": [0.001],
}
NOT_READS = [
    "INFO;/rooms/;0.5;POST;201",
    "INFO;/beds/3/;0.4;PATCH;200",
    "INFO;/rooms/999/;0.2;GET;404",
    "INFO;/rooms_v2/12;0.1;GET;301",
]
MALFORMED = ["no separators at all", "INFO;/rooms/1/", "INFO;/rooms/1/;fast", "INFO;rooms/1/;0.1"]


@pytest.fixture
def log_file(tmp_path):
    lines = [f"INFO;{path};{seconds}" for path, values in TIMINGS.items() for seconds in values]
    lines.insert(3, MALFORMED[0])
    lines += [*MALFORMED[1:], "", *NOT_READS]
    path = tmp_path / "logs_all_here.log"
    path.write_text("\n".join(lines) + "\n")
    return path


def ms(values, percent):
    return float(np.percentile(np.array(values) * 1000, percent, method="inverted_cdf"))


def test_single_rooms_per_read_path_only(log_file, capsys):
    assert process_logs.main([str(log_file)]) == 0

    rows = helpers.read_path_table("\n" + capsys.readouterr().out, "One room")
    assert list(rows) == ["/rooms/", "/rooms_mat_view/", "/rooms_v2/", "/rooms_v3/"]
    live = TIMINGS["/rooms/311/"] + TIMINGS["/rooms/12/?format=json"]
    assert rows["/rooms/"][:4] == ["6", *(f"{ms(live, p):.3f}" for p in (50, 95, 99))]
    view = TIMINGS["/rooms_mat_view/311/"]
    assert rows["/rooms_mat_view/"][:4] == ["3", *(f"{ms(view, p):.3f}" for p in (50, 95, 99))]
    assert rows["/rooms_mat_view/"][4] == f"{ms(live, 50) / ms(view, 50):.2f}x"
    assert rows["/rooms_v3/"][0] == "0"  # /beds/3/ is nobody's single room


def test_lists_per_read_path_and_page_size(log_file, capsys):
    assert process_logs.main([str(log_file)]) == 0

    out = capsys.readouterr().out
    large = helpers.read_path_table(out, "A list page of 1000 rooms")
    assert large["/rooms/"][:2] == ["2", f"{ms(TIMINGS['/rooms/?page_size=1000'], 50):.3f}"]
    assert large["/rooms_v2/"][:2] == ["1", "50.000"]
    assert large["/rooms_v2/"][4] == f"{ms([0.9, 1.1], 50) / 50:.2f}x"
    default = helpers.read_path_table(out, "A list page of 100 rooms")
    assert default["/rooms_v3/"][0] == "2"
    assert default["/rooms/"][0] == "0"


def test_everything_else_is_counted_apart(log_file, capsys):
    assert process_logs.main([str(log_file)]) == 0

    out = capsys.readouterr().out
    apart = out.split("| counted apart |", 1)[1]  # below its head
    counts = {name: cells[0] for name, cells in helpers.table_rows(apart).items()}
    assert counts == {
        "writes (POST, PUT, PATCH, DELETE)": "2",
        "errors (4xx, 5xx)": "1",
        "redirects (3xx)": "1",
        "admin and login": "1",
        "schema and docs": "1",
        "health check": "1",
        "other reads": "2",  # /beds/3/ twice
    }
    assert f"malformed lines skipped: {len(MALFORMED)}" in out


def test_last_takes_the_latest_requests(log_file, capsys):
    with log_file.open("a") as log:
        log.write("INFO;/rooms_v3/8/;0.004\n")

    assert process_logs.main([str(log_file), "--last", "1"]) == 0

    rows = helpers.read_path_table("\n" + capsys.readouterr().out, "One room")
    assert [row[0] for row in rows.values()] == ["0", "0", "0", "1"]


def chart_bars(path: Path) -> dict[str, dict[str, dict[str, float]]]:
    """What the chart file shows: panel title -> read path -> percentile -> ms."""
    svg = {"svg": "http://www.w3.org/2000/svg"}
    root = ElementTree.parse(path).getroot()
    titles = [title.text for title in root.findall("svg:text[@class='title']", svg)]
    panels = [
        {
            row.get("data-path"): {
                bar.get("data-measure"): float(bar.get("data-ms"))
                for bar in row.findall("svg:rect", svg)
            }
            for row in panel.findall("svg:g", svg)
        }
        for panel in root.findall("svg:svg", svg)
    ]
    return dict(zip(titles, panels, strict=True))


def test_the_chart_shows_the_figures_where_asked(log_file, tmp_path, capsys):
    chart = tmp_path / "charts" / "timings.svg"

    assert process_logs.main([str(log_file), "--chart", str(chart)]) == 0

    bars = chart_bars(chart)
    assert list(bars) == ["One room", "A list page of 100 rooms", "A list page of 1000 rooms"]
    assert list(bars["One room"]) == ["/rooms/", "/rooms_mat_view/", "/rooms_v2/", "/rooms_v3/"]
    for path, logged in [
        ("/rooms_mat_view/", "/rooms_mat_view/311/"),
        ("/rooms_v2/", "/rooms_v2/12/"),
    ]:
        expected = {f"p{p}": pytest.approx(ms(TIMINGS[logged], p), abs=1e-3) for p in (50, 95, 99)}
        assert bars["One room"][path] == expected
    assert bars["One room"]["/rooms_v3/"] == {}  # no requests: no bars
    assert f"chart written to {chart}" in capsys.readouterr().out


def test_the_chart_goes_where_git_ignores_it_by_default(log_file):
    repository = SCRIPT.parents[1]

    args = process_logs.parse_args([str(log_file), "--chart"])

    assert args.chart == repository / ".local" / "timings.svg"
    ignored = subprocess.run(["git", "check-ignore", "-q", str(args.chart)], cwd=repository)
    if ignored.returncode == 128:
        pytest.skip("not a git checkout")
    assert ignored.returncode == 0, f"git does not ignore {args.chart}"


def test_a_log_without_reads_of_a_read_path_fails(tmp_path, capsys):
    log = tmp_path / "empty.log"
    log.write_text("garbage\n\nINFO;/healthz;0.001\n")

    assert process_logs.main([str(log)]) == 1
    assert "No reads of a read path" in capsys.readouterr().err


def test_a_missing_log_fails(tmp_path, capsys):
    assert process_logs.main([str(tmp_path / "absent.log")]) == 2
    assert "Cannot read" in capsys.readouterr().err


def test_runs_as_the_readme_shows_it(log_file, tmp_path):
    """``.venv/bin/python supplementary_scripts/process_logs.py LOG --chart SVG``, a new process
    without Django set up nor DATABASE_URL."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SECRET_KEY"}}

    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(log_file), "--chart", str(tmp_path / "c.svg")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("One room\n")
    assert result.stderr == ""
    assert "One room" in chart_bars(tmp_path / "c.svg")
