"""What the browsable API and the interactive docs show users reads as text, not markup."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_no_restructuredtext_markup_in_the_schema(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    descriptions = [
        operation.get("description", "")
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict)
    ]
    assert any(descriptions)
    assert not [text for text in descriptions if "``" in text]


@pytest.mark.parametrize("path", ["/rooms/", "/decorations/", "/beds/", "/rooms_mat_view/"])
def test_the_browsable_api_describes_each_endpoint_in_plain_words(api_client, path):
    response = api_client.get(path, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "``" not in page


BROWSABLE_PAGES = ["/", "/rooms/", "/rooms/1/", "/rooms_mat_view/", "/rooms_v2/", "/rooms_v3/"]
BROWSABLE_PAGES += [f"/{name}/" for name in ("doors", "souvenirs", "decorations", "windows")]
BROWSABLE_PAGES += [f"/{name}/" for name in ("window_fittings", "beds", "chairs", "tables")]


def description(page: str) -> str:
    """The HTML of the description the browsable API shows above the response."""
    header = page.split('<div class="page-header">', 1)[1]
    return header.split('<div class="request-info"', 1)[0]


@pytest.mark.parametrize("path", BROWSABLE_PAGES)
def test_descriptions_are_rendered_and_written_for_api_users(api_client, path):
    html = description(api_client.get(path, HTTP_ACCEPT="text/html").content.decode())

    assert "<p>" in html  # Markdown, rendered
    assert "`" not in html
    assert not re.search(r"\b(?:ROOMS|DJANGO|DATABASE)_[A-Z_]+", html), "a setting's name"


def test_the_root_says_what_the_api_is(api_client):
    html = description(api_client.get("/", HTTP_ACCEPT="text/html").content.decode())

    assert "DefaultRouter" not in html
    assert "served four ways" in html
    assert '<a href="/compare/">' in html
