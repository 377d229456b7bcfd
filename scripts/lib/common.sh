# shellcheck shell=bash
# Shared constants and helpers for scripts/testbed. Sourced, not executed.

STATE=/tmp/ferry-testbed
SRV=$STATE/srv
REG=$STATE/registry

NS=ferrysrv
HOST_IF=ferry-host
PEER_IF=ferry-peer
HOST_IP=10.250.0.1
SRV_IP=10.250.0.2

REGISTRY=$HOST_IP:5443
REGISTRY_USER=ferry
REGISTRY_CA_DIR=/etc/docker/certs.d/$REGISTRY

SRV_USER=deployer
# A second login on the server, not in the docker group and without sudo: Docker is denied to it.
SRV_OUTSIDER=outsider
# Deploy users whose login shell is not a POSIX sh (sshd hands every command to it).
SRV_FISH_USER=deployfish
SRV_TCSH_USER=deploytcsh
SRV_GROUP=ferrydocker
SRV_DOCKER_HOST=unix://$SRV/docker.sock
SRV_BIN=$SRV/bin
# The size of the server engine's own filesystem (a tmpfs: memory is used only as it fills).
SRV_DISK=4g
# What the stand-in credential helper on the server was asked to store (see server.sh).
SRV_CREDHELPER_LOG=$SRV/credential-helper.log

GO_IMAGE=ferry-test/golang:1.19
RUNTIME_IMAGE=ferry-test/runtime:1

# Set to 1 whenever `up` creates or (re)starts something; the deep checks run only then.
CHANGED=0

log() { printf '[testbed] %s\n' "$*" >&2; }
die() { printf '[testbed] ERROR: %s\n' "$*" >&2; exit 1; }
changed() { CHANGED=1; log "$*"; }

# A secret kept in the state dir: created once (random), then reused by every run.
secret() {
  local file=$STATE/$1
  if [[ ! -s $file ]]; then
    (umask 077 && openssl rand -hex 16 >"$file")
  fi
  cat "$file"
}

# Write stdin to FILE only when the content differs; returns 0 if the file changed.
write_if_changed() {
  local file=$1 tmp
  tmp=$(mktemp "$file.XXXX")
  cat >"$tmp"
  if [[ -f $file ]] && cmp -s "$tmp" "$file"; then
    rm -f "$tmp"
    return 1
  fi
  mv -f "$tmp" "$file"
}

# True if the pid recorded in PIDFILE is alive and runs EXE. Checking the executable
# guards against a recycled pid; zombies have no readable exe and count as dead.
pid_running() {
  local pidfile=$1 exe=$2 pid
  [[ -s $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == "$exe" ]]
}

# True if the process in PIDFILE lives in the server's network namespace.
pid_in_server_ns() {
  local pid want
  pid=$(<"$1")
  want=$(stat -L -c %i "/var/run/netns/$NS" 2>/dev/null) || return 1
  [[ $(readlink "/proc/$pid/ns/net" 2>/dev/null) == "net:[$want]" ]]
}

# Stop the process recorded in PIDFILE (if it still runs EXE) and remove the file.
stop_pidfile() {
  local pidfile=$1 exe=$2 name=$3 pid i
  if pid_running "$pidfile" "$exe"; then
    pid=$(<"$pidfile")
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 300; i++)); do
      pid_running "$pidfile" "$exe" || break
      sleep 0.1
    done
    if pid_running "$pidfile" "$exe"; then
      log "$name did not stop in 30 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

# Start a daemon in its own session (so it outlives this shell and its process group),
# record its pid, and check that the pid really is EXE (setsid forks when it is a group
# leader, which would make $! wrong).
start_daemon() {
  local pidfile=$1 logfile=$2 exe=$3
  shift 3
  # Closes every inherited descriptor above 2: a daemon must not keep a caller's lock file
  # (the testbed's, or a test runner's `flock`) held for as long as it runs.
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      ((fd > 2)) && eval "exec $fd>&-" 2>/dev/null
    done
    exec setsid "$@" >>"$logfile" 2>&1 </dev/null
  ) &
  echo $! >"$pidfile"
  sleep 0.1
  pid_running "$pidfile" "$exe" || die "$exe did not start or exited at once; see $logfile"
}

# Wait up to SECONDS for COMMAND... to succeed.
wait_for() {
  local seconds=$1 i
  shift
  for ((i = 0; i < seconds * 10; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

tcp_open() { timeout 2 bash -c ">/dev/tcp/$1/$2" 2>/dev/null; }

srv_docker() { DOCKER_HOST=$SRV_DOCKER_HOST docker "$@"; }
