#!/usr/bin/env bash
# Usage: old-postgres.sh MAJOR — prints the bin directory of Debian's PostgreSQL MAJOR server,
# unpacked (not installed: no service, no cluster, nothing listening) under build/old-postgres.
# Tests use it to make clusters the way an older image did. A second run reuses the unpacked
# tree. Debian serves 15 on bookworm hosts.
set -euo pipefail
major=${1:?usage: old-postgres.sh MAJOR}
dir="$(cd "$(dirname "$0")/.." && pwd)/build/old-postgres/$major"
bin="$dir/usr/lib/postgresql/$major/bin"
if [ ! -x "$bin/initdb" ]; then
  echo "old-postgres: unpacking Debian's postgresql-$major into $dir" >&2
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  ( cd "$tmp" && { apt-get download "postgresql-$major" >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null && apt-get download "postgresql-$major" >/dev/null 2>&1; }; } )
  mkdir -p "$dir"
  dpkg-deb -x "$tmp"/postgresql-"$major"_*.deb "$dir"
fi
echo "$bin"
