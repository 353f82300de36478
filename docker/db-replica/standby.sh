#!/bin/sh
# Entrypoint of the compose stack's `db-replica`: a PostgreSQL streaming replica
# (hot standby) of `db`, made with PostgreSQL's own tools.
#
# On its first start (an empty volume) it copies the primary with pg_basebackup
# --write-recovery-conf, which also configures streaming (primary_conninfo,
# standby.signal); then, and on every later start, it hands over to the image's
# own entrypoint, which runs postgres as user postgres. The standby then stays
# current by itself, and after a restart catches up from where it was.
#
# Environment: PRIMARY_HOST, PRIMARY_USER, PGPASSWORD (the primary's password for
# PRIMARY_USER); PGDATA as in the image (/var/lib/postgresql/18/docker).
set -eu

: "${PGDATA:?PGDATA is set by the postgres image}"
: "${PRIMARY_HOST:=db}"
: "${PRIMARY_USER:=rooms}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    until pg_isready --quiet --host="$PRIMARY_HOST" --username="$PRIMARY_USER"; do
        echo "standby: waiting for the primary at $PRIMARY_HOST"
        sleep 1
    done
    echo "standby: copying the primary at $PRIMARY_HOST (pg_basebackup)"
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
    gosu postgres pg_basebackup --host="$PRIMARY_HOST" --username="$PRIMARY_USER" \
        --pgdata="$PGDATA" --write-recovery-conf --wal-method=stream --checkpoint=fast
fi

exec docker-entrypoint.sh "$@"
