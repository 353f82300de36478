#!/bin/sh
# Entrypoint of the redis stand-in: like the official image's, a `redis-server` started
# without a configuration file has protected mode off, so that other containers on the
# network can connect (Redis 7 otherwise refuses them when no password is set).
set -eu
if [ "${1:-}" = redis-server ]; then
    case "${2:-}" in
        *.conf) ;;
        *) shift; set -- redis-server "$@" --protected-mode no ;;
    esac
fi
exec "$@"
