#!/bin/sh
# Usage: fetch-source.sh NAME DIR — downloads NAME's tarball from sources.lock (beside this
# script), verifies its SHA-256 and unpacks it into DIR (one leading directory stripped); a
# .deb is unpacked as a file tree instead (dpkg-deb -x), without installing it.
set -eu
name=$1 dir=$2
lock=$(dirname "$0")/sources.lock
line=$(awk -v n="$name" '$1 == n { print $2, $3, $4 }' "$lock")
[ -n "$line" ] || { echo "fetch-source: $name is not in $lock" >&2; exit 1; }
read -r version url sha <<FIELDS
$line
FIELDS
echo "fetch-source: $name $version from $url" >&2
tarball=/tmp/$name.tar
curl -fsSL --retry 3 -o "$tarball" "$url"
if ! echo "$sha  $tarball" | sha256sum -c - >/dev/null 2>&1; then
  echo "fetch-source: SHA-256 MISMATCH for $name $version: expected $sha, got $(sha256sum "$tarball" | cut -d' ' -f1)" >&2
  exit 1
fi
mkdir -p "$dir"
case $url in
  *.deb) dpkg-deb -x "$tarball" "$dir" ;;
  *) tar -xf "$tarball" -C "$dir" --strip-components=1 ;;
esac
rm -f "$tarball"
