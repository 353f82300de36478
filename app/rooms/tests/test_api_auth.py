"""Who may read and who may write.

Reads are open to anyone; writes need a user, by HTTP Basic (scripts, curl)
or by session login (the browsable API), and a session write must carry the
CSRF token, or any web page a logged-in user visits could write for them.
"""

import pytest
from rest_framework.test import APIClient

from .conftest import PASSWORD, basic_auth
from .factories import ENDPOINTS, door_body, make_door

pytestmark = pytest.mark.django_db

endpoints = pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)


@endpoints
def test_reads_are_open(api_client, endpoint):
    obj = endpoint.make()

    assert api_client.get(endpoint.url).status_code == 200
    assert api_client.get(f"{endpoint.url}{obj.pk}/").status_code == 200


@endpoints
def test_anonymous_write_is_401_and_writes_nothing(api_client, db_snapshot, endpoint):
    obj = endpoint.make()
    body = endpoint.payload()
    before = db_snapshot()
    for method in ("post", "put", "patch", "delete"):
        url = endpoint.url if method == "post" else f"{endpoint.url}{obj.pk}/"

        response = getattr(api_client, method)(url, body, format="json")

        assert response.status_code == 401, (method, response.content)
        # The challenge tells curl and browsers to retry with Basic credentials.
        assert response["WWW-Authenticate"].startswith("Basic")
        assert db_snapshot() == before


@pytest.mark.parametrize(
    "header",
    [basic_auth("writer", "wrong password"), basic_auth("nobody"), "Basic not-base64!", "Bearer x"],
    ids=["wrong password", "unknown user", "garbled", "other scheme"],
)
def test_bad_credentials_cannot_write(api_client, user, db_snapshot, header):
    before = db_snapshot()

    response = api_client.post("/doors/", door_body(), format="json", HTTP_AUTHORIZATION=header)

    assert response.status_code in (401, 403), response.content
    assert db_snapshot() == before


def test_http_basic_can_write(api_client, user):
    response = api_client.post(
        "/doors/", door_body(), format="json", HTTP_AUTHORIZATION=basic_auth(user.username)
    )

    assert response.status_code == 201, response.content


def test_inactive_user_cannot_write(api_client, user):
    user.is_active = False
    user.save()

    response = api_client.post(
        "/doors/", door_body(), format="json", HTTP_AUTHORIZATION=basic_auth(user.username)
    )

    assert response.status_code == 401, response.content


@pytest.fixture
def csrf_client(user):
    """A browser-like client: logged in by session, CSRF checks enforced."""
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_session_login_can_write_with_csrf_token(csrf_client):
    csrf_client.get("/api-auth/login/")  # sets the csrftoken cookie, as a browser would
    token = csrf_client.cookies["csrftoken"].value

    response = csrf_client.post("/doors/", door_body(), format="json", HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 201, response.content


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_session_write_without_csrf_token_is_403(csrf_client, db_snapshot, method):
    door = make_door()
    url = "/doors/" if method == "post" else f"/doors/{door.pk}/"
    before = db_snapshot()

    response = getattr(csrf_client, method)(url, door_body(), format="json")

    assert response.status_code == 403, response.content
    assert "CSRF" in response.json()["detail"]
    assert db_snapshot() == before


def test_login_form_logs_in(user):
    """The browsable API's login page (``/api-auth/login/``) works end to end."""
    client = APIClient(enforce_csrf_checks=True)
    client.get("/api-auth/login/")
    token = client.cookies["csrftoken"].value

    response = client.post(
        "/api-auth/login/",
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        format="multipart",  # a browser's form post (the API itself takes JSON only)
    )

    assert response.status_code == 302, response.content
    assert client.session["_auth_user_id"] == str(user.pk)


def test_browsable_api_renders_for_logged_in_user(user):
    """The HTML pages build write forms (with select boxes of related rows);
    they must render, not fail."""
    client = APIClient()
    client.force_login(user)
    for endpoint in ENDPOINTS:
        obj = endpoint.make()
        for url in (endpoint.url, f"{endpoint.url}{obj.pk}/"):
            response = client.get(url, HTTP_ACCEPT="text/html")
            assert response.status_code == 200, url
            assert b"<form" in response.content, url
