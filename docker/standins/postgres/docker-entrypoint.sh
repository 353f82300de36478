#!/bin/bash
# Entrypoint of the postgres stand-in (docker/standins/README.md), written for this
# repository after the official image's documented behaviour:
#
#   * `postgres ...` (or only flags) started as root: PGDATA is created and handed to
#     user postgres, and the script runs again as that user (gosu);
#   * an empty PGDATA is initialised: initdb with POSTGRES_USER and POSTGRES_PASSWORD
#     (required unless POSTGRES_HOST_AUTH_METHOD=trust), password authentication for
#     every host, POSTGRES_DB created, /docker-entrypoint-initdb.d/*.sql and *.sh run on
#     a server that listens on its socket only;
#   * then the command is exec'd, so postgres gets the container's stop signal.
set -Eeuo pipefail

if [ "${1:0:1}" = '-' ]; then
    set -- postgres "$@"
fi

if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 0700 "$PGDATA"
    exec gosu postgres "${BASH_SOURCE[0]}" "$@"
fi

if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
    : "${POSTGRES_USER:=postgres}"
    : "${POSTGRES_DB:=$POSTGRES_USER}"
    auth_method=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
    if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth_method" != trust ]; then
        echo "error: the database is uninitialized and POSTGRES_PASSWORD is not set" >&2
        exit 1
    fi
    # shellcheck disable=SC2086  # POSTGRES_INITDB_ARGS is a list of flags
    initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") \
        --encoding=UTF8 --locale=C.UTF-8 ${POSTGRES_INITDB_ARGS:-}
    printf '\nhost all all all %s\n' "$auth_method" >>"$PGDATA/pg_hba.conf"

    pg_ctl --pgdata="$PGDATA" --options="-c listen_addresses=''" --wait start
    export PGUSER="$POSTGRES_USER" PGPASSWORD="${POSTGRES_PASSWORD:-}"
    if [ "$POSTGRES_DB" != postgres ]; then
        psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --dbname=postgres --set=db="$POSTGRES_DB" \
            <<<'CREATE DATABASE :"db";'
    fi
    for file in /docker-entrypoint-initdb.d/*; do
        case "$file" in
            *.sh) echo "initdb.d: running $file"; . "$file" ;;
            *.sql) echo "initdb.d: running $file"; psql --no-psqlrc --set=ON_ERROR_STOP=1 --dbname="$POSTGRES_DB" --file="$file" ;;
            *) ;;
        esac
    done
    pg_ctl --pgdata="$PGDATA" --mode=fast --wait stop
    unset PGPASSWORD
    echo "PostgreSQL init process complete; ready for start up."
fi

exec "$@"
