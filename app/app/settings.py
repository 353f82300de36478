"""Settings for the rooms service, read from the environment.

Every variable is listed in the README ("Settings"). Debug is off unless
``DJANGO_DEBUG=1``; with debug off the service refuses to start without
``DJANGO_SECRET_KEY``, so a forgotten key can never fall back to a known one.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. `make run` and `make test` generate a local one; "
        "anywhere else set it in the environment."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "pgtrigger",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rooms.apps.RoomsConfig",
]

MIDDLEWARE = [
    # First, so that the logged time covers every other middleware too.
    "rooms.middleware.log_execution_time.ExecutionTimeLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "app.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "app.wsgi.application"

# Database: DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/rooms.
# `make run` / `make test` start an embedded PostgreSQL and set it when unset.
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Use `make run` / `make test` (they start an embedded "
        "PostgreSQL) or point it at a server: postgres://USER@HOST:PORT/NAME"
    )
DATABASES = {
    "default": dj_database_url.config(
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without collectstatic (tests, a server started from the repo) serve straight
# from the apps; after it (the image) skip that second scan at every start.
WHITENOISE_USE_FINDERS = not STATIC_ROOT.is_dir()

LOGIN_URL = "rest_framework:login"

REST_FRAMEWORK = {
    # Basic first: an anonymous write is answered 401 with a WWW-Authenticate challenge.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.BasicAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rooms.pagination.IdCursorPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "rooms.exceptions.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "rooms",
    "DESCRIPTION": "Rooms with everything attached, served live and from read models.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI assets come from the installed sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every entity has a field named ``type`` with its own choices; without a
    # name per choice set drf-spectacular invents hashed names (TypeA27Enum)
    # that change whenever a choice does and break generated clients.
    "ENUM_NAME_OVERRIDES": {
        "BedTypeEnum": "rooms.models.bed.Bed.CHOICES",
        "ChairTypeEnum": "rooms.models.chair.Chair.CHOICES",
        "DoorTypeEnum": "rooms.models.door.Door.CHOICES",
        "RoomTypeEnum": "rooms.models.room.Room.CHOICES",
        "TableTypeEnum": "rooms.models.table.Table.CHOICES",
        "WindowTypeEnum": "rooms.models.window.Window.CHOICES",
        "WindowFittingsTypeEnum": "rooms.models.window_fittings.WindowFittings.CHOICES",
    },
}

# Read models --------------------------------------------------------------
#: How the materialized view follows writes: "immediate" (refreshed in the
#: writing transaction), "deferred" (a worker refreshes it within
#: ROOMS_VIEW_MAX_STALENESS seconds) or "manual" (only `refresh_rooms_view`).
ROOMS_VIEW_REFRESH = os.environ.get("ROOMS_VIEW_REFRESH", "immediate").strip().lower()
if ROOMS_VIEW_REFRESH not in {"immediate", "deferred", "manual"}:
    raise ImproperlyConfigured(
        f"ROOMS_VIEW_REFRESH must be immediate, deferred or manual, not {ROOMS_VIEW_REFRESH!r}"
    )
ROOMS_VIEW_MAX_STALENESS = float(os.environ.get("ROOMS_VIEW_MAX_STALENESS", "2"))
#: Seconds between the refresher worker's passes that heal the app table
#: (``/rooms_v2/``) after writes that bypassed Django's signals; 0: never.
ROOMS_APP_TABLE_HEAL_INTERVAL = float(os.environ.get("ROOMS_APP_TABLE_HEAL_INTERVAL", "60"))

# Logging ------------------------------------------------------------------
#: Where the timing middleware writes `level;path;seconds` lines.
ROOMS_LOG_FILE = Path(os.environ.get("ROOMS_LOG_FILE", BASE_DIR / "logs_all_here.log"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "timing": {"format": "%(levelname)s;%(message)s"},
        "console": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "timing_file": {
            "class": "logging.FileHandler",
            "filename": ROOMS_LOG_FILE,
            "formatter": "timing",
            "delay": True,
        },
        "console": {"class": "logging.StreamHandler", "formatter": "console"},
    },
    "loggers": {
        "rooms.middleware.log_execution_time": {
            "handlers": ["timing_file"],
            "level": "INFO",
            "propagate": False,
        },
        "rooms": {"handlers": ["console"], "level": "INFO"},
    },
}

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
