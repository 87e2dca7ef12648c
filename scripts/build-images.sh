#!/usr/bin/env bash
# Usage: build-images.sh BASE_IMAGE TAG TARGET... — builds each target of docker/Dockerfile
# as aza-pg/TARGET:TAG, printing one line per stage as it starts and the final size. The full
# build log of a failure is printed; on success it is kept in build/image-TARGET.log.
set -euo pipefail
base=$1 tag=$2
shift 2
mkdir -p build
for target in "$@"; do
  log=build/image-$target.log
  echo "image: building aza-pg/$target:$tag (base $base)"
  start=$SECONDS
  # Progress lines only; a fully cached build prints none. Success is docker build's status.
  docker build -f docker/Dockerfile --build-arg BASE_IMAGE="$base" --target "$target" \
    -t "aza-pg/$target:$tag" . 2>&1 | tee "$log" \
    | { grep --line-buffered -E '^==> stage|^fetch-source:' | sed -u 's/^/image:   /' || true; }
  if [ "${PIPESTATUS[0]}" -ne 0 ]; then
    echo "image: build of $target failed; last lines of $log:" >&2
    tail -40 "$log" >&2
    exit 1
  fi
  grep -q 'SHA-256 MISMATCH' "$log" && { grep 'SHA-256 MISMATCH' "$log" >&2; exit 1; }
  size=$(docker image inspect -f '{{.Size}}' "aza-pg/$target:$tag")
  echo "image: aza-pg/$target:$tag $(numfmt --to=si "$size")B ($size bytes) in $((SECONDS - start)) s"
done
