#!/usr/bin/env bash
# `make compose-test`: the compose stack of this working tree on a real Docker engine,
# checked end to end from outside (docker/e2e/test_stack.py).
#
#   1. a Docker engine: the running one, or dockerd started here (Debian's docker.io
#      installed with apt-get when there is none), and stopped again at the end;
#   2. Docker Compose v2 and the linters, pinned in docker/tools.txt, into .venv;
#   3. the base images (`make compose-images`: pulled, or stand-ins built locally);
#   4. `docker compose up --build --wait` under a project of its own (rooms-e2e), with a
#      throwaway .env of fresh secrets and free host ports, so that it touches no
#      stack of the user's;
#   5. the end-to-end suite, then `docker compose down --volumes`, whatever happened.
#
# Arguments are pytest's: `bash docker/e2e/run.sh -k "pgadmin or replica"` runs a subset.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

PROJECT=rooms-e2e
work=$(mktemp -d)
started_engine=0
compose=("$repo/.venv/bin/docker-compose")

log() { printf '== %s (%s)\n' "$*" "$(date +%T)"; }

cleanup() {
    status=$?
    if [ -f "$work/.env" ]; then
        log "docker compose down --volumes"
        "${compose[@]}" --project-name "$PROJECT" --env-file "$work/.env" down --volumes \
            --remove-orphans --timeout 20 >/dev/null 2>&1 || true
    fi
    if [ "$started_engine" = 1 ] && [ -f "$work/dockerd.pid" ]; then
        log "stopping the Docker engine started here"
        kill "$(cat "$work/dockerd.pid")" 2>/dev/null || true
        for _ in $(seq 1 30); do docker info >/dev/null 2>&1 || break; sleep 1; done
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

# 1. The engine.
if ! docker info >/dev/null 2>&1; then
    if ! command -v dockerd >/dev/null; then
        log "installing Debian's docker.io"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
    fi
    log "starting dockerd"
    dockerd >"$work/dockerd.log" 2>&1 &
    echo $! >"$work/dockerd.pid"
    started_engine=1
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || { cat "$work/dockerd.log" >&2; exit 1; }
fi

# 2. The tools.
make --no-print-directory venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r docker/tools.txt

# 3. The base images.
log "make compose-images"
bash docker/standins/build.sh

# 4. The stack, with fresh secrets and free ports.
free_port() { .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
secret() { .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(24))'; }
cat >"$work/.env" <<EOF
POSTGRES_PASSWORD=$(secret)
DJANGO_SECRET_KEY=$(secret)
PGADMIN_DEFAULT_EMAIL=e2e@example.com
PGADMIN_DEFAULT_PASSWORD=$(secret)
APP_PORT=$(free_port)
PGADMIN_PORT=$(free_port)
ROOMS_DEMO_ROOMS=300
ROOMS_VIEW_MAX_STALENESS=2
EOF
"${compose[@]}" --project-name "$PROJECT" --env-file "$work/.env" down --volumes \
    --remove-orphans >/dev/null 2>&1 || true
log "docker compose up --build --wait"
started=$(date +%s)
if ! "${compose[@]}" --progress quiet --project-name "$PROJECT" --env-file "$work/.env" \
    up --build --detach --wait --wait-timeout 900; then
    "${compose[@]}" --project-name "$PROJECT" --env-file "$work/.env" ps --all >&2 || true
    "${compose[@]}" --project-name "$PROJECT" --env-file "$work/.env" logs --no-color --tail 80 >&2 || true
    exit 1
fi
log "healthy after $(($(date +%s) - started)) s"

# 5. The suite.
compose_json=$(.venv/bin/python -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "${compose[@]}")
E2E_COMPOSE=$compose_json E2E_PROJECT=$PROJECT E2E_ENV_FILE=$work/.env \
    .venv/bin/python -m pytest -c docker/e2e/pytest.ini docker/e2e "$@"
