#!/usr/bin/env bash
# Prints the figures README quotes: image sizes; cold init (docker run on an empty volume
# until `aza-pg healthcheck` passes); stop (docker stop: fast shutdown and checkpoint); warm
# start (docker start on initialized data until healthy). Each the median of RUNS runs. The
# healthy check is a `docker exec`, whose own cost (about 0.1-0.2 s on podman) is included. Usage: measure.sh [RUNS] (default 5). Needs the images built.
set -euo pipefail
runs=${1:-5}
tag=${AZA_IMAGE_TAG:-dev}
image=aza-pg/postgres:$tag
name=aza-measure-$$
trap 'docker rm -f -v $name >/dev/null 2>&1 || true' EXIT

now_ms() { date +%s%3N; }
until_healthy() {
  local start=$1
  until docker exec "$name" aza-pg healthcheck >/dev/null 2>&1; do sleep 0.05; done
  echo $(( $(now_ms) - start ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

for target in postgres pgbouncer exporter; do
  size=$(docker image inspect -f '{{.Size}}' "aza-pg/$target:$tag" 2>/dev/null || echo 0)
  awk -v t="$target:$tag" -v s="$size" 'BEGIN { printf "image aza-pg/%-14s %6.1f MB\n", t, s / 1e6 }'
done

cold=() stop=() warm=()
for _ in $(seq 1 "$runs"); do
  start=$(now_ms)
  docker run -d --name "$name" --memory 2g --cpus 2 --shm-size 1g -e POSTGRES_PASSWORD=measure "$image" >/dev/null
  cold+=("$(until_healthy "$start")")
  start=$(now_ms)
  docker stop -t 30 "$name" >/dev/null
  stop+=("$(( $(now_ms) - start ))")
  start=$(now_ms)
  docker start "$name" >/dev/null
  warm+=("$(until_healthy "$start")")
  docker rm -f -v "$name" >/dev/null
done
echo "cold init to healthy (2 GiB, 2 CPUs): median $(printf '%s\n' "${cold[@]}" | median) ms of ${cold[*]}"
echo "stop (fast shutdown):                 median $(printf '%s\n' "${stop[@]}" | median) ms of ${stop[*]}"
echo "warm start to healthy:                median $(printf '%s\n' "${warm[@]}" | median) ms of ${warm[*]}"
