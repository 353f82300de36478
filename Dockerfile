# Image of the rooms service: gunicorn serving the Django app, started by
# docker/start.sh (migrate, demo data when the database is empty, then gunicorn).
# Settings and secrets come from the environment at run time (see .env.example);
# none are baked in. Build: `docker compose build` or `docker build -t rooms .`.

# Python 3.11 on Debian 12: a Python Django 5.2 supports, and the same major version
# as the development machines; slim because psycopg2-binary needs no system packages.
FROM python:3.11-slim-bookworm

# An unprivileged user to run as; it owns nothing but the log directory, so the
# service cannot rewrite its own code or static files. A fixed numeric id, so that
# USER below (and a host or orchestrator checking "runs as non-root") need no lookup.
RUN groupadd --system --gid 10001 rooms \
    && useradd --system --uid 10001 --gid rooms --no-log-init --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin rooms

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_STATIC_ROOT=/srv/rooms/staticfiles \
    ROOMS_LOG_FILE=/srv/rooms/logs/logs_all_here.log \
    PORT=8000

WORKDIR /srv/rooms

# Dependencies in their own layer, before the code, so that editing the code does not
# reinstall them.
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY app/ app/
COPY docker/ docker/

# Static files are collected once, here, and served by whitenoise. The settings refuse
# to load without a secret key and a database URL; the two values below are throwaway
# placeholders that exist only for this one command (collectstatic never connects to
# the database) and are not part of the image's environment.
RUN DJANGO_SECRET_KEY=build-only-placeholder-not-a-secret \
    DATABASE_URL=postgres://build-only-placeholder@localhost/unused \
    python app/manage.py collectstatic --noinput \
    && mkdir -p /srv/rooms/logs \
    && chown 10001:10001 /srv/rooms/logs

USER 10001:10001
WORKDIR /srv/rooms/app
EXPOSE 8000

# /healthz answers 200 only when the database answers too. Slim has no curl, hence
# Python. The long start period covers migrations and the first demo-data fill; the
# first success ends it early.
HEALTHCHECK --interval=15s --timeout=5s --start-period=300s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]

ENTRYPOINT ["sh", "/srv/rooms/docker/start.sh"]
