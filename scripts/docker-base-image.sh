#!/usr/bin/env bash
# For machines that reach Debian's mirror but no image registry: builds a minimal Debian bookworm root file system
# with debootstrap, imports it into Docker and tags it as the base image docker/snmpd/Dockerfile names
# (debian:bookworm-slim). Does nothing when that image is already present. Needs root and debootstrap.
set -euo pipefail
image=${1:-debian:bookworm-slim}
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "docker-base-image: $image already present"
  exit 0
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase bookworm "$root" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >/dev/null
tar -C "$root" -c . | docker import - "$image" >/dev/null
echo "docker-base-image: built $image with debootstrap"
