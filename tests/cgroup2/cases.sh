#!/usr/bin/env bash
# Runs inside the cgroup v2 VM (tests/cgroup2/run.sh boots it): loads the image, runs each
# detection case in a real container and prints one "CASE" line per case to the console, then
# powers the VM off. The host compares the lines with what each case must detect.
set -uo pipefail
exec >/dev/ttyS1 2>&1  # the second serial port: the host's results file
say() { echo "CASE $*"; }
image=aza-pg/postgres:dev
echo "VM: $(stat -fc %T /sys/fs/cgroup) root controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
host=$(awk '/^MemTotal:/ { print $2 * 1024 }' /proc/meminfo)
start=$SECONDS
podman load -q -i /opt/aza/image.tar && echo "VM: image loaded in $((SECONDS - start)) s"

# detect NAME [podman run options...]: what aza-pg sizes for in that container.
detect() {
  local name=$1; shift
  local j
  j=$(podman run --rm --network none "$@" "$image" aza-pg tune --format json 2>/dev/null)
  say "$name" "$(jq -r --arg host "$host" '"memory=\(.inputs.memory_bytes) host=\($host) cpus=\(.inputs.cpus) shared_buffers=\(.settings.shared_buffers) memsrc=\(.inputs.memory_source) | cpusrc=\(.inputs.cpu_source) | warnings=\(.inputs.warnings | join(" / "))"' <<<"$j")"
}
detect limit_1g_cpus_1.5 --memory 1g --cpus 1.5
detect limit_4g_cpus_1 --memory 4g --cpus 1
detect high_below_max --memory 2g --cgroup-conf memory.high=1073741824
detect low_does_not_cap --memory 2g --memory-reservation 1g
detect limit_above_host --memory 64g
detect parent_slice_host_ns --cgroup-parent aza-test.slice --cgroupns host
detect parent_slice_private_ns --cgroup-parent aza-test.slice
detect quota_above_cpuset --cpus 2 --cpuset-cpus 0

# A real start: healthy, and the server runs with what was detected.
podman run -d --name pg --network none --memory 2g --shm-size 1g -e POSTGRES_PASSWORD=vm-test \
  "$image" >/dev/null
healthy=no
for _ in $(seq 1 300); do
  podman exec pg aza-pg healthcheck >/dev/null 2>&1 && { healthy=yes; break; }
  sleep 1
done
sb=$(podman exec -e PGPASSWORD=vm-test pg psql -h 127.0.0.1 -U postgres -XtAc 'SHOW shared_buffers' 2>&1)
say start "healthy=$healthy shared_buffers=$sb"
[ "$healthy" = yes ] || podman logs pg 2>&1 | tail -20
echo "VM: cases done"
systemctl poweroff --no-block
