#!/usr/bin/env bash
# Makes the base image named by $1 (default debian:trixie-slim) available to the engine:
# already present → nothing; pullable → pull; otherwise build an equivalent locally with
# debootstrap (minbase trixie, no docs/man/locales/apt lists) and import it under that name.
# This is also how an air-gapped site builds. Prints the image name to use on stdout.
set -euo pipefail

want=${1:-debian:trixie-slim}
local_name=aza-pg/base:trixie
say() { printf 'base: %s\n' "$*" >&2; }

for name in "$want" "$local_name"; do
  if docker image inspect "$name" >/dev/null 2>&1; then echo "$name"; exit 0; fi
done
if timeout 60 docker pull -q "$want" >/dev/null 2>&1; then
  say "pulled $want"; echo "$want"; exit 0
fi

say "no $want locally or in a registry: building $local_name with debootstrap (about a minute)"
dpkg -s debootstrap >/dev/null 2>&1 || {
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
}
root=$(mktemp -d /var/tmp/aza-pg-base.XXXXXX)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase trixie "$root" http://deb.debian.org/debian >/dev/null

# What Debian's own slim images exclude, so later apt installs stay slim too.
cat >"$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
CFG
find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
rm -rf "$root"/usr/share/{man,info,locale,lintian}/* "$root"/var/lib/apt/lists/* \
  "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/log/*.log
tar -C "$root" -c . | docker import - "$local_name" >/dev/null
say "imported $local_name ($(docker image inspect -f '{{.Size}}' "$local_name" | numfmt --to=iec))"
echo "$local_name"
