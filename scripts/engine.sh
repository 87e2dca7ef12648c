#!/usr/bin/env bash
# Makes sure a Docker-compatible engine and Compose v2 answer, installing podman + runc from
# Debian when no engine is reachable. Idempotent: a second run only checks. Prints the
# environment callers must use (DOCKER_HOST, DOCKER_BUILDKIT) to the file named by $1, if any.
# Why each step is needed: docs/design.md, "Engines".
set -euo pipefail

readonly sock=/run/podman/podman.sock
env_out=${1:-}
say() { printf 'engine: %s\n' "$*" >&2; }

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]} (apt)"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
}

write_env() {
  [ -n "$env_out" ] || return 0
  printf 'export DOCKER_HOST=%q\nexport DOCKER_BUILDKIT=%q\n' "$1" "$2" >"$env_out"
}

# A Docker Engine (or anything already serving the API on the default context) wins.
if [ -z "${DOCKER_HOST:-}" ] && docker info >/dev/null 2>&1 \
  && ! docker info 2>/dev/null | grep -qi podman; then
  say "using the running Docker engine"
  write_env "" 1
  docker compose version >/dev/null 2>&1 || { say "docker compose v2 is missing"; exit 1; }
  exit 0
fi

command -v docker >/dev/null 2>&1 || apt_install docker.io
apt_install podman runc uidmap

# crun refuses hybrid cgroups here, and podman's default ulimits exceed the machine's hard
# limits ("setrlimit: Operation not permitted"): pin runc and the limits the host allows.
conf=/etc/containers/containers.conf
nofile=$(ulimit -Hn)
[ "$nofile" = unlimited ] && nofile=1048576
want=$(cat <<EOF
# written by aza-pg scripts/engine.sh
[containers]
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=8192:8192"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
)
if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "$want" ]; then
  if [ -f "$conf" ] && ! grep -q 'written by aza-pg' "$conf"; then
    say "keeping your $conf (not written by aza-pg)"
  else
    say "configuring podman ($conf: runc, cgroupfs, nofile=$nofile)"
    mkdir -p /etc/containers
    printf '%s\n' "$want" >"$conf"
  fi
fi

export DOCKER_HOST="unix://$sock"
if ! curl -fsS --unix-socket "$sock" http://d/_ping >/dev/null 2>&1; then
  say "starting the podman API service on $sock"
  mkdir -p /run/podman
  nohup podman system service --time=0 "unix://$sock" >/var/log/aza-pg-podman.log 2>&1 &
  for _ in $(seq 1 50); do
    curl -fsS --unix-socket "$sock" http://d/_ping >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS --unix-socket "$sock" http://d/_ping >/dev/null || {
    say "podman API did not answer; see /var/log/aza-pg-podman.log"; exit 1; }
fi

# Without systemd, podman never runs HEALTHCHECKs by itself: run them from a small loop.
if [ ! -d /run/systemd/system ]; then
  pidfile=/run/aza-pg-health-ticker.pid
  if ! { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }; then
    say "starting the healthcheck ticker (no systemd to schedule podman healthchecks)"
    nohup "$(dirname "$0")/podman-health-ticker.sh" >/dev/null 2>&1 &
    echo $! >"$pidfile"
  fi
fi

if ! docker context inspect podman >/dev/null 2>&1; then
  docker context create podman --docker "host=unix://$sock" >/dev/null
fi

# Compose v2 understands `!override`; bookworm's 1.29 does not. trixie's package depends only
# on libc6 >= 2.34, so it installs here.
if ! docker compose version >/dev/null 2>&1; then
  say "installing Compose v2 (Debian trixie's docker-compose package)"
  list=/etc/apt/sources.list.d/aza-pg-trixie.list
  pin=/etc/apt/preferences.d/aza-pg-trixie
  echo 'deb http://deb.debian.org/debian trixie main' >"$list"
  printf 'Package: *\nPin: release n=trixie\nPin-Priority: 1\n' >"$pin"
  apt-get update -q >/dev/null
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -q docker-compose/trixie >/dev/null)
  dpkg -i "$tmp"/docker-compose_*.deb >/dev/null
  rm -rf "$tmp"
  docker compose version >/dev/null
fi

say "podman $(podman version --format '{{.Version}}') via $DOCKER_HOST; $(docker compose version --short 2>/dev/null | sed 's/^/compose /')"
write_env "$DOCKER_HOST" 0
