#!/usr/bin/env bash
# Installs the Debian packages needed to build and unit-test aza-pg on the host; only what is
# missing, so a second run costs one dpkg query per package.
set -euo pipefail
pkgs=(g++ cmake ninja-build pkg-config libcli11-dev libfmt-dev nlohmann-json3-dev libexpected-dev
      libgtest-dev libgmock-dev libbenchmark-dev jq)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]} (apt)" >&2
apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
