#!/bin/sh
# Start-up script of the rooms service: the image's entrypoint, and usable as it is
# outside Docker (`sh docker/start.sh` from anywhere).
#
#   1. migrate the database;
#   2. fill it with demo data when it has no rooms (`manage.py fill_db_if_empty`);
#   3. exec the command given as arguments, or gunicorn when there is none.
#
# Steps 1 and 2 run under a PostgreSQL advisory lock (docker/with_db_lock.py), so that
# several app containers started together (`docker compose up --scale app=3`) take
# turns instead of racing. Tests are never run here.
#
# Environment:
#   DATABASE_URL, DJANGO_SECRET_KEY  required by the settings
#   PYTHON                 interpreter to use (default: python from PATH)
#   ROOMS_DEMO_ROOMS       demo rooms for an empty database (default 500; 0 = none)
#   ROOMS_DEMO_SEED        seed for the demo data (default: fill_db's)
#   ROOMS_SKIP_STARTUP_TASKS=1  skip steps 1 and 2 (the worker: the app did them)
#   ROOMS_DB_WAIT_SECONDS  how long steps 1 and 2 wait for the database (default 60)
#   PORT, GUNICORN_WORKERS gunicorn's port (default 8000) and workers (default 3)
#   GUNICORN_TIMEOUT       seconds a request may take (default 120, not gunicorn's 30:
#                          under ROOMS_VIEW_REFRESH=immediate a write on a large table
#                          waits for a full view refresh, and a killed worker would
#                          report a write as failed that has in fact committed)
#   ROOMS_DB_LOCK_TIMEOUT, ROOMS_DB_STATEMENT_TIMEOUT  the database's limits (5 s, 60 s),
#                          which must stay below GUNICORN_TIMEOUT: docker/gunicorn.conf.py
#                          and the Django settings read all three from app/timeouts.py
set -eu

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
app_dir=$(CDPATH='' cd -- "$here/../app" && pwd)
PYTHON=${PYTHON:-python}
cd "$app_dir"

# .env.example's placeholders are not secrets: refuse to run with them.
sh "$here/refuse_placeholders.sh" true

# Read as every setting is (app/environment.py): 1/true/yes/on skips; a bad value stops here,
# named.
skip=$("$PYTHON" -c 'from app.environment import flag; print(int(flag("ROOMS_SKIP_STARTUP_TASKS")))')
if [ "$skip" = 0 ]; then
    "$PYTHON" "$here/with_db_lock.py" "$PYTHON" manage.py migrate --noinput
    "$PYTHON" "$here/with_db_lock.py" "$PYTHON" manage.py fill_db_if_empty
fi

if [ "$#" -gt 0 ]; then
    exec "$@"
fi
# exec: gunicorn replaces this shell, so it gets the container's stop signal directly.
exec "$PYTHON" -m gunicorn app.wsgi --config "$here/gunicorn.conf.py"
