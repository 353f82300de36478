"""``process_logs.py``: parsing the timing log, the statistics, the chart."""

import numpy as np
import pytest

from supplementary_scripts import process_logs

# Seconds per path; the expected statistics are computed from these with numpy,
# independently of the script's own arithmetic.
TIMINGS = {
    "/rooms/311/": [0.040, 0.010, 0.030, 0.020, 0.100],
    "/rooms/12/?format=json": [0.050],
    "/rooms_mat_view/311/": [0.004, 0.002, 0.003],
    "/rooms_v2/12/": [0.001, 0.002, 0.0015, 0.0025],
    "/rooms/?page_size=1000": [0.9, 1.1],
    "/rooms_v2/": [0.05],
    "/healthz": [0.001],
}
MALFORMED = [
    "no separators at all",
    "INFO;/rooms/1/",  # no seconds
    "INFO;/rooms/1/;fast",  # seconds not a number
    "INFO;/rooms/1/;-0.5",  # negative
    "INFO;/rooms/1/;nan",  # not finite
    ";/rooms/1/;0.1",  # no level
    "INFO;rooms/1/;0.1",  # not a path
]


#: What the middleware writes for requests that are not successful reads.
NOT_READS = [
    "INFO;/rooms/;0.5;POST;201",
    "INFO;/beds/3/;0.4;PATCH;200",
    "INFO;/rooms/999/;0.2;GET;404",
    "INFO;/rooms_v2/12;0.1;GET;301",
]


@pytest.fixture
def log_file(tmp_path):
    lines = [f"INFO;{path};{seconds}" for path, values in TIMINGS.items() for seconds in values]
    lines.insert(3, MALFORMED[0])
    lines += MALFORMED[1:]
    lines += ["", "INFO;/rooms_v2/12/;0.003;GET;200"]  # blank (ignored); a read with extras (kept)
    lines += NOT_READS
    path = tmp_path / "logs_all_here.log"
    path.write_text("\n".join(lines) + "\n")
    return path


def expected(values):
    ms = np.array(values) * 1000
    return {
        "count": len(values),
        "mean_ms": pytest.approx(float(np.mean(ms))),
        "median_ms": pytest.approx(float(np.median(ms))),
        "p95_ms": pytest.approx(float(np.percentile(ms, 95, method="inverted_cdf"))),
    }


@pytest.mark.parametrize(
    ("path", "group"),
    [
        ("/rooms/311/", "/rooms/<id>/"),
        ("/rooms/311", "/rooms/<id>/"),
        ("/rooms_v2/7/?format=json", "/rooms_v2/<id>/"),
        ("/rooms/", "/rooms/"),
        ("/rooms/?cursor=abc&page_size=1000", "/rooms/"),
        ("/rooms/311/extra/", "/rooms/"),
        ("/healthz", "/healthz"),
        ("/api/schema/", "/api/"),
        ("/", "/"),
    ],
)
def test_group_of(path, group):
    assert process_logs.group_of(path) == group


def test_statistics_per_group(log_file):
    with log_file.open() as log:
        parsed = process_logs.read_log(log)
    rows = {row.group: row for row in process_logs.summarize(parsed.groups)}

    assert parsed.malformed == len(MALFORMED)
    assert parsed.not_reads == len(NOT_READS)  # none averaged into a read path
    detail = TIMINGS["/rooms/311/"] + TIMINGS["/rooms/12/?format=json"]
    v2 = [*TIMINGS["/rooms_v2/12/"], 0.003]
    for group, values in {
        "/rooms/<id>/": detail,
        "/rooms_mat_view/<id>/": TIMINGS["/rooms_mat_view/311/"],
        "/rooms_v2/<id>/": v2,
        "/rooms/": TIMINGS["/rooms/?page_size=1000"],
        "/rooms_v2/": TIMINGS["/rooms_v2/"],
        "/healthz": TIMINGS["/healthz"],
    }.items():
        row = rows[group]
        assert {
            "count": row.count,
            "mean_ms": row.mean_ms,
            "median_ms": row.median_ms,
            "p95_ms": row.p95_ms,
        } == expected(values), group
    assert len(rows) == 6


def test_speed_ups_compare_with_live_rooms_of_the_same_kind(log_file):
    with log_file.open() as log:
        rows = {row.group: row for row in process_logs.summarize(process_logs.read_log(log).groups)}

    live = np.array(TIMINGS["/rooms/311/"] + TIMINGS["/rooms/12/?format=json"])
    view = np.array(TIMINGS["/rooms_mat_view/311/"])
    assert rows["/rooms_mat_view/<id>/"].mean_speedup == pytest.approx(live.mean() / view.mean())
    assert rows["/rooms_mat_view/<id>/"].median_speedup == pytest.approx(
        np.median(live) / np.median(view)
    )
    live_lists = np.array(TIMINGS["/rooms/?page_size=1000"])
    assert rows["/rooms_v2/"].mean_speedup == pytest.approx(live_lists.mean() / 0.05)
    assert rows["/rooms/<id>/"].mean_speedup == pytest.approx(1.0)
    assert rows["/healthz"].mean_speedup is None


def test_main_prints_the_table_single_rooms_first(log_file, capsys):
    assert process_logs.main([str(log_file)]) == 0

    out = capsys.readouterr().out
    lines = [line.split()[0] for line in out.splitlines()[2:-2]]
    assert lines == [
        "/rooms/<id>/",
        "/rooms_mat_view/<id>/",
        "/rooms_v2/<id>/",
        "/rooms/",
        "/healthz",
        "/rooms_v2/",
    ]
    assert f"malformed lines skipped: {len(MALFORMED)}" in out
    assert f"writes, redirects and errors left out: {len(NOT_READS)}" in out
    mat_view = next(line for line in out.splitlines() if line.startswith("/rooms_mat_view/"))
    assert mat_view.split()[1:5] == ["3", "3.00", "3.00", "4.00"]


def test_chart_is_a_png(log_file, tmp_path, capsys):
    chart = tmp_path / "chart.png"

    assert process_logs.main([str(log_file), "--chart", str(chart)]) == 0

    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert chart.stat().st_size > 10_000
    assert f"chart written to {chart}" in capsys.readouterr().out


def test_a_log_without_timing_lines_fails(tmp_path, capsys):
    log = tmp_path / "empty.log"
    log.write_text("garbage\n\n")

    assert process_logs.main([str(log)]) == 1
    assert "No successful reads" in capsys.readouterr().err


def test_a_missing_log_fails(tmp_path, capsys):
    assert process_logs.main([str(tmp_path / "absent.log")]) == 2
    assert "Cannot read" in capsys.readouterr().err
