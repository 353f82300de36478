#!/bin/sh
# Runs its arguments as a command, unless a variable of the environment still holds one
# of .env.example's "change-me" placeholders: then it names them and exits 2, before
# the command can initialise anything with one (a database volume with a placeholder
# password, a pgAdmin login, a Django secret key).
#
# Every service of docker-compose.yml that takes a secret starts through it: db,
# db-replica and pgadmin as their entrypoint's first step (the file is mounted), the
# app and the worker from docker/start.sh.
set -eu

placeholders=$(env | sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*change-me.*$/\1/p' | sort)
if [ -n "$placeholders" ]; then
    for name in $placeholders; do
        echo "refusing to start: $name still holds a change-me placeholder from .env.example; set a real value in .env" >&2
    done
    exit 2
fi
exec "$@"
