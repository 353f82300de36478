#!/bin/sh
# Entrypoint of the pgadmin stand-in (docker/standins/README.md). On the first start (no
# pgAdmin database in /var/lib/pgadmin): the login PGADMIN_DEFAULT_EMAIL /
# PGADMIN_DEFAULT_PASSWORD is created, and /pgadmin4/servers.json, when present, is
# loaded for that user. Then gunicorn serves pgAdmin on port 80 (its workers run as
# user pgadmin).
set -eu

if [ -z "${PGADMIN_DEFAULT_EMAIL:-}" ] || [ -z "${PGADMIN_DEFAULT_PASSWORD:-}" ]; then
    echo "You need to define the PGADMIN_DEFAULT_EMAIL and PGADMIN_DEFAULT_PASSWORD environment variables." >&2
    exit 1
fi

cd /pgadmin4-app
if [ ! -f /var/lib/pgadmin/pgadmin4.db ]; then
    PGADMIN_SETUP_EMAIL=$PGADMIN_DEFAULT_EMAIL PGADMIN_SETUP_PASSWORD=$PGADMIN_DEFAULT_PASSWORD \
        gosu pgadmin /venv/bin/python setup.py setup-db
    if [ -f /pgadmin4/servers.json ]; then
        gosu pgadmin /venv/bin/python setup.py load-servers /pgadmin4/servers.json --user "$PGADMIN_DEFAULT_EMAIL"
    fi
fi

exec /venv/bin/gunicorn --bind "0.0.0.0:${PGADMIN_LISTEN_PORT:-80}" --workers 1 --threads 25 \
    --user pgadmin --group pgadmin --timeout 86400 --access-logfile - --no-control-socket \
    pgAdmin4:app
