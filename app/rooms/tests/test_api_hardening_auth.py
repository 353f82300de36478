"""Authentication that is cheap for the server, throttled for abusers; writes by permission.

* Tokens (``Authorization: Token <key>``) authenticate without hashing a
  password; ``drf_create_token`` issues one, ``revoke_api_token`` revokes it.
* Failed password checks (HTTP Basic, the login form) are counted per client
  address and per username; past the limit the service stops checking
  passwords (429 with Retry-After for HTTP Basic) until the window passes.
* Anonymous live lists are throttled per client and capped in page size.
* A write needs the model permission for its action (403 without it).
"""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from rooms.models import Door, Room
from rooms.services.editors import EDITOR_GROUP, editor_permissions

from .conftest import PASSWORD, basic_auth
from .factories import ENDPOINTS, door_body, make_door, make_furnished_rooms, make_room, unique_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    """``rates(scope="n/min", ...)`` sets throttle rates for this test."""

    def set_rates(**scopes):
        current = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**current, **scopes},
        }

    return set_rates


def token_for(user) -> str:
    out = io.StringIO()
    call_command("drf_create_token", user.username, stdout=out)
    return Token.objects.get(user=user).key


# --- tokens ---------------------------------------------------------------


def test_issued_token_writes_and_revoked_token_is_401(api_client, user, db_snapshot):
    key = token_for(user)

    response = api_client.post("/doors/", door_body(), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 201, response.content

    call_command("revoke_api_token", user.username, stdout=io.StringIO())
    before = db_snapshot()
    response = api_client.post("/doors/", door_body(), HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 401, response.content
    assert db_snapshot() == before


def test_revoking_a_missing_token_says_so(user):
    with pytest.raises(CommandError, match="has no token"):
        call_command("revoke_api_token", user.username)


def test_token_requests_never_hash_a_password(api_client, user, monkeypatch):
    """What makes a token write cheap: no PBKDF2 (~0.6 s) on the way in."""
    key = token_for(user)

    def no_hashing(*args, **kwargs):
        raise AssertionError("a password was checked")

    monkeypatch.setattr("django.contrib.auth.hashers.check_password", no_hashing)
    monkeypatch.setattr("django.contrib.auth.base_user.check_password", no_hashing)

    for _ in range(3):
        response = api_client.post("/doors/", door_body(), HTTP_AUTHORIZATION=f"Token {key}")
        assert response.status_code == 201, response.content


# --- failed logins --------------------------------------------------------


def attempt(client, username, password, address="10.0.0.1", **extra):
    return client.post(
        "/doors/",
        door_body(),
        HTTP_AUTHORIZATION=basic_auth(username, password),
        REMOTE_ADDR=address,
        **extra,
    )


def test_failed_basic_logins_are_throttled_per_client(api_client, user, rates, db_snapshot):
    rates(login_failures_client="3/min", login_failures_user="100/min")
    for name in ("a", "b", "c"):  # three different users, one client
        assert attempt(api_client, name, "wrong").status_code == 401
    before = db_snapshot()

    response = attempt(api_client, user.username, PASSWORD)  # right this time, too late

    assert response.status_code == 429, response.content
    assert int(response["Retry-After"]) >= 1
    assert "failed logins" in response.json()["detail"]
    assert db_snapshot() == before
    # Another client is not affected.
    assert attempt(api_client, user.username, PASSWORD, "10.0.0.2").status_code == 201


def test_failures_beyond_the_limit_still_answer_429(api_client, user, rates):
    """Workers that checked the count at the same moment all record their failure,
    so the count can pass the limit: the answer must still be 429, not a crash."""
    from rooms.auth.throttles import record_failed_login

    rates(login_failures_client="2/min", login_failures_user="100/min")
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")
    for _ in range(5):
        record_failed_login(request, "nobody")

    response = attempt(api_client, user.username, PASSWORD)

    assert response.status_code == 429, response.content
    assert 1 <= int(response["Retry-After"]) <= 60


def test_a_forged_forwarded_for_header_does_not_make_a_new_client(api_client, user, rates):
    rates(login_failures_client="2/min", login_failures_user="100/min")
    for forged in ("1.1.1.1", "2.2.2.2"):
        attempt(api_client, "nobody", "wrong", HTTP_X_FORWARDED_FOR=forged)

    response = attempt(api_client, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="3.3.3.3")

    assert response.status_code == 429, response.content


def test_failed_logins_are_throttled_per_user(api_client, user, rates):
    rates(login_failures_client="100/min", login_failures_user="3/min")
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):  # a spread-out guesser
        assert attempt(api_client, user.username, "wrong", address).status_code == 401

    assert attempt(api_client, user.username, PASSWORD, "10.0.0.4").status_code == 429
    # Other users, and this user's token, still work.
    other = type(user).objects.create_user("other", password=PASSWORD)
    other.user_permissions.set(editor_permissions())
    assert attempt(api_client, "other", PASSWORD, "10.0.0.4").status_code == 201
    key = token_for(user)
    response = api_client.post("/doors/", door_body(), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 201


def test_successful_logins_are_not_counted(api_client, user, rates):
    rates(login_failures_client="2/min", login_failures_user="2/min")

    for _ in range(5):
        assert attempt(api_client, user.username, PASSWORD).status_code == 201


def test_the_login_form_is_throttled_too(user, rates):
    """The browsable API's login form checks passwords the same way."""
    rates(login_failures_client="100/min", login_failures_user="2/min")
    client = APIClient()

    def log_in(password):
        return client.post(
            "/api-auth/login/",
            {"username": user.username, "password": password},
            format="multipart",
        )

    for _ in range(2):
        assert log_in("wrong").status_code == 200  # the form again, with an error
    log_in(PASSWORD)

    assert "_auth_user_id" not in client.session


# --- anonymous live lists -------------------------------------------------


def test_anonymous_live_lists_are_throttled_per_client(api_client, rates, user):
    rates(anon_live_list="2/min")
    make_room()
    for _ in range(2):
        assert api_client.get("/rooms/").status_code == 200

    response = api_client.get("/rooms/")

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    # Single rooms, the stored read paths and signed-in users are not limited.
    room = Room.objects.get()
    assert api_client.get(f"/rooms/{room.pk}/").status_code == 200
    assert api_client.get("/rooms_v2/").status_code == 200
    api_client.force_authenticate(user)
    assert api_client.get("/rooms/").status_code == 200


def test_anonymous_comparisons_are_throttled_per_client(api_client, rates, user):
    rates(anon_compare="2/min")
    for _ in range(2):
        assert (
            api_client.get("/compare/?last=10", HTTP_ACCEPT="application/json").status_code == 200
        )

    response = api_client.get("/compare/?last=10", HTTP_ACCEPT="application/json")

    assert response.status_code == 429
    assert "throttled" in response.json()["detail"]
    assert int(response["Retry-After"]) >= 1
    # The read paths are not limited by it, nor are signed-in users.
    assert api_client.get("/rooms_v3/").status_code == 200
    api_client.force_authenticate(user)
    assert api_client.get("/compare/?last=10", HTTP_ACCEPT="application/json").status_code == 200


def test_anonymous_live_room_pages_are_capped(api_client, user, settings):
    settings.ROOMS_ANON_LIVE_MAX_PAGE_SIZE = 5
    make_furnished_rooms(8)

    anonymous = api_client.get("/rooms/?page_size=1000").json()
    api_client.force_authenticate(user)
    signed_in = api_client.get("/rooms/?page_size=1000").json()

    assert len(anonymous["results"]) == 5
    assert anonymous["next"]
    assert len(signed_in["results"]) == 8


# --- permissions ----------------------------------------------------------


@pytest.fixture
def plain_user(django_user_model):
    """Signed in, but with no permission at all."""
    return django_user_model.objects.create_user(username="reader", password=PASSWORD)


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=basic_auth(user.username))
    return client


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_a_user_without_permissions_can_read_but_not_write(plain_user, db_snapshot, endpoint):
    client = client_for(plain_user)
    obj = endpoint.make()
    body = endpoint.payload()
    before = db_snapshot()

    assert client.get(f"{endpoint.url}{obj.pk}/").status_code == 200
    for method, url in [
        ("post", endpoint.url),
        ("put", f"{endpoint.url}{obj.pk}/"),
        ("patch", f"{endpoint.url}{obj.pk}/"),
        ("delete", f"{endpoint.url}{obj.pk}/"),
    ]:
        response = getattr(client, method)(url, body)
        assert response.status_code == 403, (method, response.content)
        assert response.json()["detail"]
    assert db_snapshot() == before


def test_each_action_needs_its_own_permission(plain_user, db_snapshot):
    """Without delete_room: 403 and the room stays; with add/change: those work."""
    plain_user.user_permissions.set(
        Permission.objects.filter(codename__in=["add_room", "change_room"])
    )
    client = client_for(plain_user)
    room = make_room()

    created = client.post(
        "/rooms/", {"name": unique_name("Room"), "type": "BDR", "door_id": room.door_id}
    )
    changed = client.patch(f"/rooms/{room.pk}/", {"name": unique_name("Room")})
    before = db_snapshot()
    deleted = client.delete(f"/rooms/{room.pk}/")

    assert (created.status_code, changed.status_code, deleted.status_code) == (201, 200, 403)
    assert db_snapshot() == before
    assert client.post("/doors/", door_body()).status_code == 403  # no add_door


def test_superuser_may_do_everything(django_user_model):
    admin = django_user_model.objects.create_superuser("admin", password=PASSWORD)
    client = client_for(admin)
    door = make_door()

    assert client.post("/doors/", door_body()).status_code == 201
    assert client.delete(f"/doors/{door.pk}/").status_code == 204


def test_create_editor_group_command_makes_editors(plain_user):
    call_command("create_editor_group", plain_user.username, stdout=io.StringIO())
    client = client_for(plain_user)
    door = make_door()

    assert plain_user.groups.get().name == EDITOR_GROUP
    assert client.patch(f"/doors/{door.pk}/", {"width": 2.0}).status_code == 200
    assert client.delete(f"/doors/{door.pk}/").status_code == 204
    assert not Door.objects.filter(pk=door.pk).exists()


def test_create_editor_group_refuses_unknown_users(db):
    with pytest.raises(CommandError, match="No such user: ghost"):
        call_command("create_editor_group", "ghost")


# --- the shared cache -------------------------------------------------------


@pytest.fixture
def redis_cache(settings):
    """The throttles on a real Redis, as with ROOMS_CACHE_URL (CI and compose run one)."""
    import os

    import redis

    url = os.environ.get("ROOMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {url}")
    client.flushdb()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "rooms",
        }
    }
    yield client
    client.flushdb()


def test_failed_logins_are_counted_in_redis_for_every_worker(api_client, user, rates, redis_cache):
    rates(login_failures_client="2/min", login_failures_user="100/min")
    for _ in range(2):
        assert attempt(api_client, "nobody", "wrong").status_code == 401

    # Another worker sees the same counters: they are in Redis, not in this process.
    assert any(b"login_failures_client" in key for key in redis_cache.keys("*"))
    from django.core.cache import caches

    caches["default"].close()
    assert attempt(APIClient(), user.username, PASSWORD).status_code == 429
