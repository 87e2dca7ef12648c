#!/usr/bin/env bash
# Usage: deps.sh build|lint|test — installs what is missing from Debian's archive: `build` for
# compiling and unit-testing aza-pg, `lint` for make lint, `test` for the container tests'
# clients (promtool from the prometheus package, Node.js for the node-postgres client, jq,
# curl). A second run costs one dpkg query per package.
set -euo pipefail
case "${1:-build}" in
  build) pkgs=(g++ cmake ninja-build pkg-config libcli11-dev libfmt-dev nlohmann-json3-dev
               libexpected-dev libgtest-dev libgmock-dev libbenchmark-dev libpq-dev) ;;
  lint)  pkgs=(clang-format clang-tidy shellcheck) ;;
  test)  pkgs=(jq curl prometheus)
         command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm) ;;
  *) echo "usage: deps.sh build|lint|test" >&2; exit 2 ;;
esac
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]} (apt)" >&2
apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
