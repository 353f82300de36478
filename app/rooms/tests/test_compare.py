"""``/compare/``: the read paths' figures from the timing log, as JSON and as a page.

The expected figures are computed here with numpy (nearest-rank percentiles:
``method="inverted_cdf"``), independently of the selector's own arithmetic.
"""

import numpy as np
import pytest
import requests

from rooms.selectors import read_path_timings as timings
from rooms.views import compare_chart

from .browser import chromium
from .compare_page import READ_PATHS, assert_page_shows, by_path

pytestmark = pytest.mark.django_db


#: Successful reads: path (with query) -> seconds of each request.
READS = {
    "/rooms/311/": [0.040213, 0.010871, 0.030402, 0.020134, 0.100977, 0.012345, 0.018006],
    "/rooms/12/?format=json": [0.050505],
    "/rooms_v3/311/": [0.002071, 0.004188, 0.003013, 0.002514, 0.002135],
    "/rooms_mat_view/7/": [0.004004, 0.002317, 0.003321],
    "/rooms/?page_size=10": [0.090876, 0.110532],
    "/rooms_v3/?page_size=10&cursor=cD0xMA%3D%3D": [0.010101],
    "/rooms/": [0.912345, 1.104321, 1.000999],  # no page_size: the default page, 100
    "/rooms_v2/?page_size=100": [0.050123, 0.040456],
    "/beds/3/": [0.5],  # not a room: never a read path's
    "/rooms/5/?format=api": [0.3],  # the browsable API's HTML page
    "/doors/": [0.2],
    "/": [0.01],
    "/compare/": [0.02],
    "/admin/rooms/room/": [0.06],
    "/api-auth/login/": [0.07],
    "/api/schema/": [0.2, 0.3],
    "/api/docs/": [0.01],
    "/healthz": [0.001, 0.002],
}
#: What the middleware writes for everything but a successful read.
NOT_READS = {
    "writes": [
        "INFO;/rooms/;0.5;POST;201",
        "INFO;/beds/3/;0.4;PATCH;200",
        "INFO;/doors/1/;0.3;DELETE;204",
    ],
    "errors": ["INFO;/rooms/999/;0.2;GET;404", "INFO;/rooms/?page_size=0;0.1;GET;400"],
    "redirects": ["INFO;/rooms_v2/12;0.1;GET;301"],
}
MALFORMED = ["no separators at all", "INFO;/rooms/1/", "INFO;/rooms/1/;fast", "INFO;rooms/1/;0.1"]


def log_lines() -> list[str]:
    lines = [f"INFO;{path};{seconds}" for path, values in READS.items() for seconds in values]
    lines += [line for group in NOT_READS.values() for line in group]
    return lines[:5] + MALFORMED + lines[5:]


def nearest_rank(values) -> dict:
    ms = np.array(values) * 1000
    return {
        f"p{p}_ms": pytest.approx(float(np.percentile(ms, p, method="inverted_cdf")), abs=5e-4)
        for p in (50, 95, 99)
    }


def figures(row) -> dict:
    return {key: row[key] for key in ("p50_ms", "p95_ms", "p99_ms")}


@pytest.fixture
def log_file(tmp_path, settings):
    path = tmp_path / "timing.log"
    path.write_text("\n".join(log_lines()) + "\n")
    settings.ROOMS_LOG_FILE = path
    return path


@pytest.fixture
def comparison(log_file, api_client):
    response = api_client.get("/compare/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    return response.json()


# The selector's pieces -------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "group"),
    [
        ("INFO;/rooms_v3/311/;0.1", timings.Group("room", "/rooms_v3/")),
        ("INFO;/rooms/311/?format=json;0.1", timings.Group("room", "/rooms/")),
        ("INFO;/beds/311/;0.1", timings.Group("other_reads")),
        ("INFO;/rooms/311/extra/;0.1", timings.Group("other_reads")),
        ("INFO;/rooms/311/?format=api;0.1", timings.Group("other_reads")),
        ("INFO;/rooms_v2/?page_size=1000;0.1", timings.Group("list", "/rooms_v2/", 1000)),
        ("INFO;/rooms_v2/?cursor=x&page_size=7;0.1", timings.Group("list", "/rooms_v2/", 7)),
        ("INFO;/rooms_v2/;0.1", timings.Group("list", "/rooms_v2/", 100)),
        ("INFO;/rooms_v2/?page_size=;0.1", timings.Group("list", "/rooms_v2/", 100)),
        ("INFO;/rooms/1/;0.1;PUT;200", timings.Group("writes")),
        ("INFO;/rooms/1/;0.1;GET;404", timings.Group("errors")),
        ("INFO;/rooms/1/;0.1;GET;503", timings.Group("errors")),
        ("INFO;/rooms/1;0.1;GET;301", timings.Group("redirects")),
        ("INFO;/admin/;0.1", timings.Group("admin")),
        ("INFO;/api-auth/login/;0.1", timings.Group("admin")),
        ("INFO;/api/docs/;0.1", timings.Group("docs")),
        ("INFO;/healthz;0.1", timings.Group("health")),
        ("INFO;/;0.1", timings.Group("other_reads")),
        ("INFO;/static/rest_framework/css/default.css;0.1", timings.Group("other_reads")),
        ("INFO;/admin/rooms/bed/3/change/;0.1", timings.Group("admin")),
    ],
)
def test_each_request_is_compared_only_with_its_like(line, group):
    classifier = timings.Classifier(READ_PATHS, default_page_size=100)

    assert classifier.group(timings.parse_line(line)) == group


def test_the_read_paths_come_from_the_registry_live_first():
    assert [read_path.path for read_path in timings.read_paths()] == [
        "/rooms/",
        "/rooms_mat_view/",
        "/rooms_v2/",
        "/rooms_v3/",
    ]


@pytest.mark.parametrize("block_size", [5, 64, 1 << 16])
@pytest.mark.parametrize("count", [1, 3, 20, 200])
def test_the_window_is_the_latest_lines(tmp_path, block_size, count):
    path = tmp_path / "log"
    lines = [f"INFO;/rooms/{n}/;0.00{n % 10}" for n in range(60)]
    path.write_text("\n".join(lines[:30]) + "\n\n" + "\n".join(lines[30:]) + "\n")

    assert timings.last_lines(path, count, block_size=block_size) == lines[-count:]


@pytest.mark.parametrize("block_size", [5, 1 << 16])
def test_the_asking_pages_own_requests_are_not_in_the_window(tmp_path, block_size):
    path = tmp_path / "log"
    lines = ["INFO;/rooms/1/;0.1", "INFO;/compare/?last=3;0.2", "INFO;/rooms/2/;0.3"]
    lines += ["INFO;/compare/;0.4", "INFO;/compare/x/;0.5", "INFO;/compare/;0.6;GET;400"]
    path.write_text("\n".join(lines))

    window = timings.last_lines(path, 3, leave_out="/compare/", block_size=block_size)

    assert window == ["INFO;/rooms/1/;0.1", "INFO;/rooms/2/;0.3", "INFO;/compare/x/;0.5"]
    assert len(timings.last_lines(path, None, block_size=block_size)) == 6


def test_a_line_still_being_written_is_in_the_window(tmp_path):
    path = tmp_path / "log"
    path.write_text("INFO;/rooms/1/;0.1\nINFO;/rooms/2/;0.2\nINFO;/rooms/3/;0.")

    assert timings.last_lines(path, 2, block_size=4) == ["INFO;/rooms/2/;0.2", "INFO;/rooms/3/;0."]


def test_no_log_yet_is_an_empty_window(tmp_path):
    assert timings.last_lines(tmp_path / "absent.log", 10) == []


# /compare/ as JSON ----------------------------------------------------------------


def test_single_rooms_per_read_path(comparison):
    rows = by_path(comparison["single_room"])

    assert list(rows) == READ_PATHS
    live = READS["/rooms/311/"] + READS["/rooms/12/?format=json"]
    assert rows["/rooms/"]["count"] == len(live)  # not /beds/3/, nor the HTML page
    assert figures(rows["/rooms/"]) == nearest_rank(live)
    assert figures(rows["/rooms_v3/"]) == nearest_rank(READS["/rooms_v3/311/"])
    assert rows["/rooms_mat_view/"]["count"] == 3
    assert rows["/rooms_v2/"] == {
        "path": "/rooms_v2/",
        "read_path": "app table",
        "count": 0,
        "p50_ms": None,
        "p95_ms": None,
        "p99_ms": None,
        "speedup": {"p50": None, "p95": None, "p99": None},
    }


def test_lists_per_read_path_and_page_size(comparison):
    lists = {group["page_size"]: by_path(group["read_paths"]) for group in comparison["lists"]}

    assert sorted(lists) == [10, 100]
    assert figures(lists[10]["/rooms/"]) == nearest_rank(READS["/rooms/?page_size=10"])
    assert lists[10]["/rooms_v3/"]["count"] == 1
    assert figures(lists[100]["/rooms/"]) == nearest_rank(READS["/rooms/"])
    assert figures(lists[100]["/rooms_v2/"]) == nearest_rank(READS["/rooms_v2/?page_size=100"])
    assert lists[100]["/rooms_v3/"]["count"] == 0


def test_speedups_compare_with_live_of_the_same_kind(comparison):
    rooms = by_path(comparison["single_room"])
    pages = by_path(comparison["lists"][1]["read_paths"])

    for p in ("p50", "p95", "p99"):
        live, stored = rooms["/rooms/"][f"{p}_ms"], rooms["/rooms_v3/"][f"{p}_ms"]
        assert rooms["/rooms_v3/"]["speedup"][p] == pytest.approx(live / stored, abs=0.006)
        assert rooms["/rooms/"]["speedup"][p] == 1.0
    assert pages["/rooms_v2/"]["speedup"]["p50"] == pytest.approx(1000.999 / 40.456, abs=0.006)


def test_everything_else_is_counted_apart(comparison):
    other = {row["kind"]: row["count"] for row in comparison["other"]}

    assert other == {
        "writes": 3,
        "errors": 2,
        "redirects": 1,
        "admin": 2,
        "docs": 3,
        "health": 2,
        "other_reads": 4,  # /beds/3/, the HTML page, /doors/, /
    }
    assert comparison["window"] == {
        "last": timings.DEFAULT_LAST,
        "lines": len(log_lines()) - 1,  # the page's own request is not in it
        "malformed_lines": len(MALFORMED),
    }


def test_the_window_is_the_latest_requests(log_file, api_client):
    with log_file.open("a") as log:
        log.write("INFO;/rooms_v2/5/;0.004\nINFO;/rooms_v2/6/;0.002\nINFO;/compare/;0.01\n")

    comparison = api_client.get("/compare/?last=2", HTTP_ACCEPT="application/json").json()

    assert comparison["window"] == {"last": 2, "lines": 2, "malformed_lines": 0}
    rows = by_path(comparison["single_room"])
    assert [rows[path]["count"] for path in READ_PATHS] == [0, 0, 2, 0]
    assert rows["/rooms_v2/"]["p50_ms"] == 2.0


def test_without_a_log_every_count_is_zero(tmp_path, settings, api_client):
    settings.ROOMS_LOG_FILE = tmp_path / "not yet.log"

    comparison = api_client.get("/compare/", HTTP_ACCEPT="application/json").json()

    assert [row["count"] for row in comparison["single_room"]] == [0, 0, 0, 0]
    assert comparison["lists"] == []


@pytest.mark.parametrize(
    ("last", "message"),
    [
        ("abc", "A valid integer is required."),
        ("0", "Ensure this value is greater than or equal to 1."),
        (str(timings.MAX_LAST + 1), f"less than or equal to {timings.MAX_LAST}."),
    ],
)
def test_a_bad_window_is_a_400_with_a_message(log_file, api_client, last, message):
    as_json = api_client.get(f"/compare/?last={last}", HTTP_ACCEPT="application/json")
    as_page = api_client.get(f"/compare/?last={last}", HTTP_ACCEPT="text/html")

    assert as_json.status_code == 400
    assert message in as_json.json()["last"][0]
    assert as_page.status_code == 400
    assert as_page["Content-Type"].startswith("text/html")
    assert message in as_page.content.decode()


def test_browsers_get_the_page_and_scripts_json(log_file, api_client):
    page = api_client.get("/compare/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    plain = api_client.get("/compare/", HTTP_ACCEPT="*/*")

    assert page["Content-Type"].startswith("text/html")
    assert "<svg" in page.content.decode()
    assert plain["Content-Type"] == "application/json"
    assert api_client.get("/compare/?format=json").json()["single_room"]


def test_the_api_root_links_to_the_comparison(api_client):
    assert api_client.get("/", HTTP_ACCEPT="application/json").json()["compare"] == (
        "http://testserver/compare/"
    )


def test_chart_ticks_are_round_and_cover_the_largest_value():
    assert compare_chart.ticks(60.273) == [0, 20, 40, 60, 80]
    assert compare_chart.ticks(1.39) == [0, 0.5, 1, 1.5]
    assert compare_chart.ticks(0) == [0.0, 1.0]


# In a real browser ------------------------------------------------------------------


def fetch_json(url: str) -> dict:
    response = requests.get(url, headers={"Accept": "application/json"}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_page_charts_the_same_numbers_as_the_json(live_server, log_file):
    comparison = fetch_json(f"{live_server.url}/compare/")

    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{live_server.url}/")  # the API root links to it
        page.locator('a[href$="/compare/"]').first.click()
        page.wait_for_url(f"{live_server.url}/compare/")
        assert page.locator("h1").inner_text() == "Read paths compared"
        assert_page_shows(page, comparison)
        assert page.locator("#other tr[data-kind=writes] td").nth(1).inner_text() == "3"


def test_the_schema_documents_every_answer(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    responses = schema["paths"]["/compare/"]["get"]["responses"]

    assert {"200", "400", "404"} <= set(responses)
    assert responses["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Comparison")
    assert api_client.get("/compare/?format=yaml").status_code == 404
    assert api_client.get("/compare/?format=").status_code == 200  # as without it
    (format_parameter,) = [
        p for p in schema["paths"]["/compare/"]["get"]["parameters"] if p["name"] == "format"
    ]
    assert format_parameter["schema"] == {"type": "string", "pattern": "^(json|html)?$"}


def test_the_page_says_what_went_wrong(api_client):
    page = api_client.post("/compare/", HTTP_ACCEPT="text/html").content.decode()

    assert '<p>Method "POST" not allowed.</p>' in page.replace("&quot;", '"')


@pytest.mark.parametrize("query", ["", "?format=html"])
def test_options_is_not_offered(api_client, query):
    response = api_client.options(f"/compare/{query}")

    assert response.status_code == 405
