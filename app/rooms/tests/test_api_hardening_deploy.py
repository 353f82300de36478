"""Deploy settings: a TLS deployment switches HSTS, secure cookies and the HTTPS
redirect on from the environment, and ``manage.py check --deploy`` is clean with
the production-like settings of docs/operations.md."""

import os

import pytest

from .project import REPO_DIR, manage

#: The production-like environment docs/operations.md shows, as it shows it.
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k5Vq9-generated-by-secrets.token_urlsafe-50-XpW3nR8sTz0aLm2bQy7uE4c",
    "DJANGO_ALLOWED_HOSTS": "rooms.example.com",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://rooms.example.com",
    "DJANGO_TLS": "1",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "1",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "DJANGO_SECURE_HSTS_PRELOAD": "1",
    "ROOMS_CACHE_URL": "redis://127.0.0.1:6379/0",
}


def check_deploy(**env):
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "ROOMS_"))
    }
    environment.update(DATABASE_URL=os.environ["DATABASE_URL"], **env)
    return manage("check", "--deploy", "--fail-level", "WARNING", env=environment, timeout=120)


def test_check_deploy_is_clean_with_the_documented_production_settings():
    result = check_deploy(**PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("unset", "warning"),
    [
        ("DJANGO_TLS", "security.W004"),  # no HSTS
        ("DJANGO_SECURE_HSTS_PRELOAD", "security.W021"),
    ],
)
def test_check_deploy_complains_without_them(unset, warning):
    env = {key: value for key, value in PRODUCTION.items() if key != unset}

    result = check_deploy(**env)

    assert result.returncode != 0
    assert warning in result.stderr


def test_documented_example_is_the_tested_one():
    docs = (REPO_DIR / "docs" / "operations.md").read_text()

    for key, value in PRODUCTION.items():
        if key != "DJANGO_SECRET_KEY":
            assert f"{key}={value}" in docs, key


@pytest.mark.django_db
def test_tls_settings_redirect_and_mark_cookies_secure(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    plain = client.get("/doors/")
    behind_proxy = client.get("/doors/", HTTP_X_FORWARDED_PROTO="https")
    health = client.get("/healthz")

    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert behind_proxy.status_code == 200
    assert behind_proxy["Strict-Transport-Security"].startswith("max-age=31536000")
    assert health.status_code == 200  # the container's health check speaks plain HTTP
