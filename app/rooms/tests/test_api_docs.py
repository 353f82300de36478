"""``/api/docs/`` is quick to use: the schema it fetches is built once per process, sent gzipped.

How quick is measured, not asserted (docs/benchmarks.md, "The interactive docs").
"""

import gzip

import pytest
from drf_spectacular.generators import SchemaGenerator

from rooms.views.schema import OncePerProcessSchemaGenerator

from .browser import chromium

pytestmark = pytest.mark.django_db

JSON_SCHEMA = "application/vnd.oai.openapi+json"


def test_the_schema_is_built_once_per_process(api_client, monkeypatch):
    OncePerProcessSchemaGenerator._schemas.clear()
    builds = []
    parse = SchemaGenerator.parse
    monkeypatch.setattr(
        SchemaGenerator, "parse", lambda self, *args: builds.append(1) or parse(self, *args)
    )

    first = api_client.get("/api/schema/", HTTP_ACCEPT=JSON_SCHEMA)
    second = api_client.get("/api/schema/", HTTP_ACCEPT=JSON_SCHEMA)
    as_yaml = api_client.get("/api/schema/")

    assert first.status_code == second.status_code == as_yaml.status_code == 200
    assert first.content == second.content
    assert as_yaml.content.startswith(b"openapi: 3")
    assert len(builds) == 1


def test_the_schema_is_sent_gzipped_to_clients_that_take_it(api_client):
    plain = api_client.get("/api/schema/", HTTP_ACCEPT=JSON_SCHEMA)
    zipped = api_client.get("/api/schema/", HTTP_ACCEPT=JSON_SCHEMA, HTTP_ACCEPT_ENCODING="gzip")

    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 10


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_docs_page_lists_every_operation(live_server):
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{live_server.url}/api/docs/")
        page.wait_for_selector(".opblock", timeout=30_000)

        paths = page.locator(".opblock-summary-path").all_text_contents()
    assert "/compare/" in [path.replace("\u200b", "") for path in paths]
    assert len(paths) > 50
