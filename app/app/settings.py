"""Settings for the rooms service, read from the environment.

Every variable is read through ``app.environment``, so a wrong value stops
the service at start-up with the variable's name; ``.env.example`` lists
each with its default, and docs/ describe them. Debug is off unless
``DJANGO_DEBUG=1``. The service never starts without ``DJANGO_SECRET_KEY``
(``make run`` and ``make test`` generate a local one), so a forgotten key
can never fall back to a known one.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import SimpleLazyObject
from replicas import config as replica_config

from app import timeouts
from app.environment import choice, flag, integer, items, path, rate, required, seconds, text

BASE_DIR = Path(__file__).resolve().parent.parent


def type_enum_names() -> dict:
    """``{"BedTypeEnum": Bed.CHOICES, ...}``: a schema name for each model's ``type`` choices."""
    from rooms.models import DIMENSIONED_MODELS

    return {f"{model.__name__}TypeEnum": model.CHOICES for model in DIMENSIONED_MODELS}


DEBUG = flag("DJANGO_DEBUG")

SECRET_KEY = required(
    "DJANGO_SECRET_KEY",
    "`make run` and `make test` generate a local one; anywhere else set it in the environment.",
)

ALLOWED_HOSTS = items("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = items("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "pgtrigger",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rooms.apps.RoomsConfig",
    "idempotency.apps.IdempotencyConfig",
]

MIDDLEWARE = [
    # First, so that the logged time covers every other middleware too.
    "rooms.middleware.log_execution_time.ExecutionTimeLogMiddleware",
    # HEAD answered without a body, after every other middleware (the server need not drop it).
    "rooms.middleware.head_requests.HeadRequestMiddleware",
    # A request id on every response and log record; every 5xx logged; JSON errors.
    "rooms.middleware.request_id.RequestIdMiddleware",
    # 413 for an announced body over DATA_UPLOAD_MAX_MEMORY_SIZE, before anything reads it.
    "rooms.middleware.body_size.RequestBodySizeMiddleware",
    # Read paths on a replica, writes' WAL positions (removes itself without replicas).
    "replicas.middleware.ReplicaMiddleware",
    # Sets lock/statement timeouts per connection of web processes, then drops out.
    "rooms.middleware.db_timeouts.DatabaseTimeoutsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # An anonymous JSON client's stored room, answered here; the rest goes on below.
    "rooms.middleware.stored_reads.StoredReadMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
try:
    DATABASES = {
        "default": dj_database_url.parse(
            required(
                "DATABASE_URL",
                "Use `make run` / `make test` (they start an embedded PostgreSQL) "
                "or point it at a server: postgres://USER@HOST:PORT/NAME",
            ),
            # Django's PostgreSQL backend; its health check asks the socket, not the server.
            engine="app.postgresql",
            conn_max_age=integer("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL: {error}") from None
# Fail fast when the server is down (a 503 with Retry-After, not a hung worker).
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", integer("DATABASE_CONNECT_TIMEOUT", 3)
)

# Read replicas (docs/replicas.md): DATABASE_REPLICA_URLS adds one alias per
# streaming replica; the read paths' queries go to a fresh one, the rest to
# the primary. Without it, no router and no middleware: nothing changes.
DATABASES.update(replica_config.replica_databases(DATABASES["default"]))
ROOMS_REPLICA_ALIASES = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["replicas.router.ReplicaRouter"] if ROOMS_REPLICA_ALIASES else []
ROOMS_REPLICA_MAX_LAG = replica_config.MAX_LAG
ROOMS_REPLICA_READ_WAIT = replica_config.READ_WAIT
ROOMS_REPLICA_CHECK_INTERVAL = replica_config.CHECK_INTERVAL
ROOMS_REPLICA_RETRY_INTERVAL = replica_config.RETRY_INTERVAL

# Timeouts (app/timeouts.py, shared with gunicorn's configuration) ----------
ROOMS_REQUEST_TIMEOUT = timeouts.REQUEST_TIMEOUT
ROOMS_DB_LOCK_TIMEOUT = timeouts.LOCK_TIMEOUT
ROOMS_DB_STATEMENT_TIMEOUT = timeouts.STATEMENT_TIMEOUT
ROOMS_RETRY_AFTER = timeouts.RETRY_AFTER

#: Seconds an Idempotency-Key's outcome is kept (and replayed to retries).
ROOMS_IDEMPOTENCY_TTL = integer("ROOMS_IDEMPOTENCY_TTL", 86400, minimum=1)

# Request bodies: the API takes JSON only, at most this many bytes (413 above).
DATA_UPLOAD_MAX_MEMORY_SIZE = integer("ROOMS_MAX_BODY_BYTES", 1024 * 1024, minimum=1)

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
STATIC_ROOT = path("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles")
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

# Authentication and throttling (docs/operations.md) ------------------------
# Every password check (HTTP Basic, login form, admin) goes through this backend,
# which counts failures and stops checking passwords for a client or user over
# the limit: a check costs ~0.6 s of CPU.
AUTHENTICATION_BACKENDS = ["rooms.auth.backends.ThrottledModelBackend"]

#: Throttle counters live in the cache: with ROOMS_CACHE_URL (redis://...) one
#: Redis shared by every worker and replica; without it, each process's memory
#: (local development: no server needed, but each gunicorn worker counts alone).
ROOMS_CACHE_URL = text("ROOMS_CACHE_URL")
if ROOMS_CACHE_URL and not ROOMS_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"ROOMS_CACHE_URL must be a redis://, rediss:// or unix:// URL, not {ROOMS_CACHE_URL!r}"
    )
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": ROOMS_CACHE_URL,
        # A Redis that does not answer must not hold requests up (throttles fail open).
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        "KEY_PREFIX": "rooms",
    }
    if ROOMS_CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

#: Largest page of live rooms (/rooms/) an anonymous client gets.
ROOMS_ANON_LIVE_MAX_PAGE_SIZE = integer("ROOMS_ANON_LIVE_MAX_PAGE_SIZE", 100, minimum=1)

REST_FRAMEWORK = {
    # Basic first: an anonymous write is answered 401 with a WWW-Authenticate challenge.
    # Tokens (`Authorization: Token <key>`) are the cheap way for scripts.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rooms.auth.authentication.ThrottledBasicAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Reads are open; writes need the model's add/change/delete permission.
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"
    ],
    # JSON only, bounded in size and depth: no endpoint takes files or forms.
    "DEFAULT_PARSER_CLASSES": ["rooms.parsers.BoundedJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_THROTTLE_RATES": {
        "login_failures_client": rate("ROOMS_THROTTLE_LOGIN_FAILURES_CLIENT", "10/min"),
        "login_failures_user": rate("ROOMS_THROTTLE_LOGIN_FAILURES_USER", "10/min"),
        "anon_live_list": rate("ROOMS_THROTTLE_ANON_LIVE_LIST", "30/min"),
        "anon_compare": rate("ROOMS_THROTTLE_ANON_COMPARE", "60/min"),
    },
    # Behind N trusted proxies, the client is the Nth address from the right of
    # X-Forwarded-For; 0 (default) ignores that header, which a client can forge.
    "NUM_PROXIES": integer("ROOMS_NUM_PROXIES", 0),
    "DEFAULT_PAGINATION_CLASS": "rooms.pagination.IdCursorPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "rooms.schema.AutoSchema",
    "EXCEPTION_HANDLER": "rooms.exceptions.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "rooms",
    "DESCRIPTION": "Rooms with everything attached, served live and from read models.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request bodies get components of their own (DoorRequest, PatchedDoorRequest):
    # without the read-only fields (``id``, a window's ``fittings``), which the API
    # ignores in a body, so the schema does not invite a client to send them.
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI assets come from the installed sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every entity has a field named ``type`` with its own choices; without a
    # name per choice set drf-spectacular invents hashed names (TypeA27Enum)
    # that change whenever a choice does and break generated clients. Read
    # when the schema is built (the models are not loaded yet here).
    "ENUM_NAME_OVERRIDES": SimpleLazyObject(type_enum_names),
}

# Read models --------------------------------------------------------------
#: How the materialized view follows writes: "immediate" (refreshed in the
#: writing transaction), "deferred" (a worker refreshes it within
#: ROOMS_VIEW_MAX_STALENESS seconds) or "manual" (only `refresh_rooms_view`).
ROOMS_VIEW_REFRESH = choice("ROOMS_VIEW_REFRESH", "immediate", ("immediate", "deferred", "manual"))
ROOMS_VIEW_MAX_STALENESS = seconds("ROOMS_VIEW_MAX_STALENESS", 2, positive=True)
#: Seconds between the refresher worker's passes that heal the app table
#: (``/rooms_v2/``) after writes that bypassed Django's signals; 0: never.
ROOMS_APP_TABLE_HEAL_INTERVAL = seconds("ROOMS_APP_TABLE_HEAL_INTERVAL", 60)

# Logging ------------------------------------------------------------------
#: Where the timing middleware writes `level;path;seconds` lines.
ROOMS_LOG_FILE = path("ROOMS_LOG_FILE", BASE_DIR / "logs_all_here.log")
#: Where every 5xx is logged with its traceback and request id (stderr too).
ROOMS_ERROR_LOG_FILE = path("ROOMS_ERROR_LOG_FILE", ROOMS_LOG_FILE.with_name("logs_errors.log"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "rooms.request_context.RequestIdFilter"}},
    "formatters": {
        "timing": {"format": "%(levelname)s;%(message)s"},
        "console": {
            "format": "%(asctime)s %(levelname)s %(name)s [request %(request_id)s]: %(message)s"
        },
    },
    "handlers": {
        "timing_file": {
            "class": "logging.FileHandler",
            "filename": ROOMS_LOG_FILE,
            "formatter": "timing",
            "delay": True,
        },
        # StreamHandler writes to stderr.
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "console",
            "filters": ["request_id"],
        },
        "error_file": {
            "class": "logging.FileHandler",
            "filename": ROOMS_ERROR_LOG_FILE,
            "formatter": "console",
            "filters": ["request_id"],
            "level": "ERROR",
            "delay": True,
        },
    },
    "loggers": {
        "rooms.middleware.log_execution_time": {
            "handlers": ["timing_file"],
            "level": "INFO",
            "propagate": False,
        },
        "rooms": {"handlers": ["console", "error_file"], "level": "INFO"},
        # Django's own record of an unhandled exception (one raised in a middleware).
        "django.request": {
            "handlers": ["console", "error_file"],
            "level": "ERROR",
            "propagate": False,
        },
    },
}

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# TLS deployments (docs/operations.md, "Deploying behind TLS") ---------------
#: One switch for a site served over HTTPS only; each setting below can still be
#: set on its own. Off by default: `make run` and the compose stack speak plain HTTP.
DJANGO_TLS = flag("DJANGO_TLS")
SECURE_SSL_REDIRECT = flag("DJANGO_SECURE_SSL_REDIRECT", DJANGO_TLS)
SESSION_COOKIE_SECURE = flag("DJANGO_SESSION_COOKIE_SECURE", DJANGO_TLS)
CSRF_COOKIE_SECURE = flag("DJANGO_CSRF_COOKIE_SECURE", DJANGO_TLS)
SECURE_HSTS_SECONDS = integer("DJANGO_SECURE_HSTS_SECONDS", 31536000 if DJANGO_TLS else 0)
# These two bind every subdomain, and browsers' preload lists, for the HSTS
# lifetime: never implied by DJANGO_TLS, set them when the whole domain is HTTPS.
SECURE_HSTS_INCLUDE_SUBDOMAINS = flag("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = flag("DJANGO_SECURE_HSTS_PRELOAD")
#: Behind a proxy that terminates TLS and sets X-Forwarded-Proto (and strips a
#: client's own): without it, every request looks like plain HTTP and
#: SECURE_SSL_REDIRECT would redirect forever.
if flag("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health check is called over plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
