# shellcheck shell=bash
# End-to-end checks of a running testbed. Sourced by scripts/testbed.

FAILED=()

# Run a check quietly; show its output only when it fails.
check() {
  local name=$1 out
  shift
  out=$(mktemp)
  if "$@" >"$out" 2>&1; then
    log "ok:   $name"
  else
    log "FAIL: $name"
    sed 's/^/        /' "$out" | tail -n 20 >&2
    FAILED+=("$name")
  fi
  rm -f "$out"
}

# ssh to the server as deployer; extra ssh options first, then `--`, then the command.
srv_ssh() {
  local opts=()
  while [[ $1 != -- ]]; do opts+=("$1"); shift; done
  shift
  SSH_AUTH_SOCK='' ssh -F /dev/null -o UserKnownHostsFile="$STATE/known_hosts" \
    -o StrictHostKeyChecking=yes -o ConnectTimeout=5 -o IdentitiesOnly=yes \
    "${opts[@]}" "$SRV_USER@$SRV_IP" "$@"
}

srv_ssh_key() { srv_ssh -o BatchMode=yes -i "$STATE/id_ed25519" -- "$@"; }

# ssh answering its prompt (passphrase or password) with SECRET through scripts/lib/askpass.
srv_ssh_askpass() {
  local secret=$1
  shift
  FERRY_TB_ASKPASS=$secret SSH_ASKPASS="$LIB/askpass" SSH_ASKPASS_REQUIRE=force \
    srv_ssh -o BatchMode=no -o NumberOfPasswordPrompts=1 "$@" </dev/null
}

check_ssh_docker() {
  srv_ssh_key docker version --format '{{.Server.Version}}' </dev/null
}

check_registry_login() {
  local cfg rc=0
  cfg=$(mktemp -d)
  secret registry_password |
    docker --config "$cfg" login -u "$REGISTRY_USER" --password-stdin "$REGISTRY" || rc=1
  rm -rf "$cfg"
  return $rc
}

check_ssh_passphrase_key() {
  [[ $(srv_ssh_askpass "$(secret key_passphrase)" -i "$STATE/id_ed25519_pass" \
    -o PreferredAuthentications=publickey -- echo ok) == ok ]]
}

check_ssh_password() {
  [[ $(srv_ssh_askpass "$(secret server_password)" -o PubkeyAuthentication=no \
    -o PreferredAuthentications=password -- echo ok) == ok ]]
}

check_server_env() {
  local got want="$SRV_DOCKER_HOST $SRV_BIN:/usr/local/bin:/usr/bin:/bin"
  # shellcheck disable=SC2016 # expanded by the server's shell
  got=$(srv_ssh_key 'echo "$DOCKER_HOST $PATH"' </dev/null)
  [[ $got == "$want" ]] || { echo "got: $got"; echo "want: $want"; return 1; }
}

check_tcp_forwarding() {
  # Forward a local port to the server's sshd through the ssh connection itself.
  local out
  out=$(srv_ssh -o BatchMode=yes -i "$STATE/id_ed25519" -W "$SRV_IP:22" -- </dev/null | head -c 7 || true)
  [[ $out == SSH-2.0 ]]
}

# Push a fresh FROM-scratch image from the local engine, pull it on the server through
# ssh (as a deploy would), and remove it from both engines again. The server's login config
# names no credential helper for the registry: the server has one on PATH (see
# write_credential_helper) that would otherwise take the password.
check_push_pull() {
  local dir ref=$REGISTRY/ferry-testbed/selfcheck:latest cfg rc=0
  dir=$(mktemp -d)
  cfg=$(mktemp -d)
  printf 'FROM scratch\nCOPY stamp /stamp\n' >"$dir/Dockerfile"
  printf '%s %s\n' "$(date +%s.%N)" "$RANDOM" >"$dir/stamp"
  {
    DOCKER_BUILDKIT=1 /usr/bin/docker build -q -t "$ref" "$dir" >/dev/null &&
      secret registry_password |
      docker --config "$cfg" login -u "$REGISTRY_USER" --password-stdin "$REGISTRY" >/dev/null &&
      docker --config "$cfg" push -q "$ref" >/dev/null &&
      secret registry_password | srv_ssh_key "
        set -e
        cfg=\$(mktemp -d); trap 'rm -rf \"\$cfg\"' EXIT
        printf '{\"credHelpers\":{\"%s\":\"\"}}' $REGISTRY >\"\$cfg/config.json\"
        docker --config \"\$cfg\" login -u $REGISTRY_USER --password-stdin $REGISTRY >/dev/null
        docker --config \"\$cfg\" pull -q $ref >/dev/null
        docker image inspect $ref >/dev/null
        docker rmi $ref >/dev/null"
  } || rc=1
  docker rmi "$ref" >/dev/null 2>&1 || true
  rm -rf "$dir" "$cfg"
  return $rc
}

# A container on the server publishes its port on 10.250.0.2, reachable from the host.
check_published_port() {
  local name=ferry-testbed-portcheck had_image=0 rc=0
  srv_docker image inspect "$RUNTIME_IMAGE" >/dev/null 2>&1 && had_image=1
  ((had_image)) || docker save "$RUNTIME_IMAGE" | srv_docker load -q >/dev/null
  srv_docker rm -f "$name" >/dev/null 2>&1 || true
  srv_docker run -d --name "$name" -p 18080:8080 "$RUNTIME_IMAGE" \
    sh -c 'echo ferry-testbed-ok >/tmp/index.html && exec httpd -f -p 8080 -h /tmp' >/dev/null &&
    wait_for 10 curl -sf "http://$SRV_IP:18080/index.html" &&
    [[ $(curl -sf "http://$SRV_IP:18080/index.html") == ferry-testbed-ok ]] || rc=1
  srv_docker rm -f "$name" >/dev/null 2>&1 || true
  ((had_image)) || srv_docker rmi "$RUNTIME_IMAGE" >/dev/null 2>&1 || true
  return $rc
}

# The CentOS flavour: its sessions see CentOS 7 and the stand-in tools and reach the same
# engine; the plain sshd's sessions still see this machine's own os-release.
check_centos_flavour() {
  local got want
  want=$(printf '%s\n' 'ID="centos"' Enforcing running Asia/Shanghai "$SRV_DOCKER_HOST")
  # shellcheck disable=SC2016 # expanded by the server's shell
  got=$(srv_ssh -o BatchMode=yes -i "$STATE/id_ed25519" -o HostKeyAlias="$SRV_IP" \
    -p "$CENTOS_PORT" -- 'grep -x "ID=\"centos\"" /etc/os-release; getenforce;
      firewall-cmd --state; timedatectl show -p Timezone --value;
      docker version --format "{{.Server.Version}}" >/dev/null && echo "$DOCKER_HOST"' </dev/null)
  [[ $got == "$want" ]] || { echo "got: $got"; echo "want: $want"; return 1; }
  ! srv_ssh_key grep -q '^ID="\{0,1\}centos' /etc/os-release </dev/null ||
    { echo "port 22 sees the CentOS os-release too"; return 1; }
}

# The no-Python flavour: its sessions find no Python Ferry would use, and reach the same engine.
check_nopython_flavour() {
  local got want
  want=$(printf '%s\n' "python3 127" "python 127" "python2 127" "no platform-python" "$SRV_DOCKER_HOST")
  # shellcheck disable=SC2016 # expanded by the server's shell
  got=$(srv_ssh -o BatchMode=yes -i "$STATE/id_ed25519" -o HostKeyAlias="$SRV_IP" \
    -p "$NOPY_PORT" -- 'for p in python3 python python2; do "$p" -c "" 2>/dev/null; echo "$p $?"; done
      [ -e /usr/libexec/platform-python ] || echo "no platform-python"
      docker version --format "{{.Server.Version}}" >/dev/null && echo "$DOCKER_HOST"' </dev/null)
  [[ $got == "$want" ]] || { echo "got: $got"; echo "want: $want"; return 1; }
}

# The outsider logs in but the engine refuses it.
check_outsider_denied() {
  local out
  out=$(SSH_AUTH_SOCK='' ssh -F /dev/null -o UserKnownHostsFile="$STATE/known_hosts" \
    -o StrictHostKeyChecking=yes -o ConnectTimeout=5 -o IdentitiesOnly=yes -o BatchMode=yes \
    -i "$STATE/id_ed25519" "$SRV_OUTSIDER@$SRV_IP" 'docker version 2>&1; echo "exit $?"' </dev/null)
  grep -q 'permission denied' <<<"$out" && grep -q '^exit 1$' <<<"$out" ||
    { echo "$out"; return 1; }
}

run_quick_checks() {
  check "ssh deployer@$SRV_IP with id_ed25519, docker version on the server engine" check_ssh_docker
  check "ssh -p $CENTOS_PORT: CentOS 7 os-release and stand-in tools, same engine" check_centos_flavour
  check "ssh -p $NOPY_PORT: no python3, python, python2 or platform-python, same engine" check_nopython_flavour
  check "docker login $REGISTRY as $REGISTRY_USER" check_registry_login
  check "ssh $SRV_OUTSIDER@$SRV_IP logs in, the engine refuses it" check_outsider_denied
}

run_deep_checks() {
  check "ssh with id_ed25519_pass and its passphrase" check_ssh_passphrase_key
  check "ssh with deployer's password" check_ssh_password
  check "server session has DOCKER_HOST and PATH" check_server_env
  check "ssh TCP forwarding (direct-tcpip)" check_tcp_forwarding
  check "push from local engine, pull on server engine via $REGISTRY" check_push_pull
  check "server container port published on $SRV_IP" check_published_port
}

# Counts of what the server engine holds; tests expect it to start empty.
server_engine_contents() {
  printf '%s images, %s containers' \
    "$(srv_docker images -aq 2>/dev/null | wc -l)" "$(srv_docker ps -aq 2>/dev/null | wc -l)"
}
