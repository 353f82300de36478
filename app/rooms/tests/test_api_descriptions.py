"""What the browsable API and the interactive docs show users reads as text, not markup."""

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
