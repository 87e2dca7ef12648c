#!/usr/bin/env bash
# Runs the HEALTHCHECK of every running podman container every 2 seconds. podman schedules
# healthchecks with systemd timers; on machines without systemd (these, and CI) they never
# run, so compose's `condition: service_healthy` and `up --wait` would wait forever.
# Started by scripts/engine.sh only in that situation; Docker Engine needs none of this.
set -u
while true; do
  for id in $(podman ps -q --filter health=starting --filter health=healthy --filter health=unhealthy 2>/dev/null); do
    podman healthcheck run "$id" >/dev/null 2>&1 &
  done
  wait
  sleep 2
done
