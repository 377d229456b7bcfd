# shellcheck shell=bash
# The "server": a network namespace behind a veth, with its own dockerd and sshd.
# Sourced by scripts/testbed.

in_ns() { ip netns exec "$NS" "$@"; }

# The namespace file can outlive its mount (e.g. a half-finished delete): recreate it then.
ensure_namespace() {
  if [[ -e /var/run/netns/$NS ]] && in_ns true 2>/dev/null; then
    return
  fi
  ip netns del "$NS" 2>/dev/null || rm -f "/var/run/netns/$NS"
  changed "creating network namespace $NS"
  ip netns add "$NS"
}

ensure_veth() {
  if ! in_ns ip link show "$PEER_IF" >/dev/null 2>&1; then
    # A host end without its peer in the namespace is left from an interrupted run.
    ip link del "$HOST_IF" 2>/dev/null || true
    changed "creating veth $HOST_IF <-> $PEER_IF"
    ip link add "$HOST_IF" type veth peer name "$PEER_IF"
    ip link set "$PEER_IF" netns "$NS"
  fi
  # Only the 10.250.0.0/24 addresses: no IPv6 link-local chatter on the pair.
  echo 1 >"/proc/sys/net/ipv6/conf/$HOST_IF/disable_ipv6"
  in_ns sh -c "echo 1 >/proc/sys/net/ipv6/conf/$PEER_IF/disable_ipv6"
  ip addr replace "$HOST_IP/24" dev "$HOST_IF"
  ip link set "$HOST_IF" up
  in_ns ip addr replace "$SRV_IP/24" dev "$PEER_IF"
  in_ns ip link set "$PEER_IF" up
  in_ns ip link set lo up
}

ensure_network() {
  ensure_namespace
  ensure_veth
}

srv_engine_answers() { curl -sf --unix-socket "$SRV/docker.sock" http://srv/_ping >/dev/null; }

srv_engine_healthy() {
  pid_running "$SRV/dockerd.pid" /usr/sbin/dockerd &&
    pid_in_server_ns "$SRV/dockerd.pid" &&
    srv_engine_answers
}

# Unmount whatever a killed dockerd left mounted at or under DIR (dockerd bind-mounts
# its data root onto itself, plus overlays and netns files).
unmount_under() {
  awk -v dir="$1" '$5 == dir || index($5, dir "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r |
    while read -r mnt; do umount -l "$mnt" 2>/dev/null || true; done
}

# A dockerd killed with SIGKILL leaves its containerd, and each container with its shim,
# running. Find them through the pid files containerd keeps under the exec root.
stop_engine_leftovers() {
  local pidfile pid shim
  for pidfile in "$SRV"/exec/containerd/daemon/io.containerd.runtime.v2.task/*/*/init.pid; do
    [[ -s $pidfile ]] || continue
    pid=$(<"$pidfile")
    shim=$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ') || continue
    [[ $(readlink "/proc/$shim/exe" 2>/dev/null) == /usr/bin/containerd-shim-runc-v2 ]] || continue
    log "killing leftover container process $pid and its shim $shim"
    kill -KILL "$shim" "$pid" 2>/dev/null || true
  done
  stop_pidfile "$SRV/exec/containerd/containerd.pid" /usr/bin/containerd "leftover server containerd"
  stop_namespace_proxies
  # Its port rules stay in the namespace too, and would send a published port to whatever
  # container gets the dead one's address next: start the new engine from empty tables.
  # And the bridge with the dead containers' veths, whose other ends still hold their addresses.
  local link table
  for link in $(in_ns ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1); do
    [[ $link == docker0 || $link == veth* ]] && in_ns ip link del "$link" 2>/dev/null || true
  done
  for table in nat filter; do
    in_ns iptables -t "$table" -F
    in_ns iptables -t "$table" -X
  done
}

# docker-proxy processes (one per published port) outlive a killed dockerd, holding the ports.
# Only those inside our namespace are ours.
stop_namespace_proxies() {
  local ns pid
  ns=$(stat -L -c %i "/var/run/netns/$NS")
  for pid in $(pgrep -x docker-proxy || true); do
    [[ $(stat -L -c %i "/proc/$pid/ns/net" 2>/dev/null) == "$ns" ]] || continue
    [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == /usr/sbin/docker-proxy ]] || continue
    kill -KILL "$pid" 2>/dev/null || true
  done
}

ensure_srv_engine() {
  getent group "$SRV_GROUP" >/dev/null || groupadd "$SRV_GROUP"
  srv_engine_healthy && return
  stop_pidfile "$SRV/dockerd.pid" /usr/sbin/dockerd "server dockerd"
  stop_engine_leftovers
  changed "starting server dockerd (empty) on $SRV_DOCKER_HOST"
  # A fresh server has no images: a deploy that forgot to ship one must fail.
  unmount_under "$SRV/data"
  unmount_under "$SRV/exec"
  rm -rf "$SRV/data" "$SRV/exec" "$SRV/docker.sock" "$SRV/docker.pid"
  mkdir -p "$SRV/data" "$SRV/exec"
  echo '{}' >"$SRV/daemon.json"
  # Only the network namespace: `ip netns exec` also remounts /sys, and dockerd then
  # fails with "Devices cgroup isn't mounted".
  start_daemon "$SRV/dockerd.pid" "$SRV/dockerd.log" /usr/sbin/dockerd \
    nsenter "--net=/var/run/netns/$NS" /usr/sbin/dockerd \
    --config-file "$SRV/daemon.json" \
    --data-root "$SRV/data" --exec-root "$SRV/exec" --pidfile "$SRV/docker.pid" \
    -H "$SRV_DOCKER_HOST" --group "$SRV_GROUP" --bip 172.31.250.1/24
  wait_for 60 srv_engine_answers || die "server dockerd did not become ready; see $SRV/dockerd.log"
}

# Passwords are set with SHA-512 so that we can check them with openssl (Debian's
# default, yescrypt, cannot be verified without PAM or python's crypt).
password_matches() {
  local user=$1 password=$2 hash salt
  hash=$(getent shadow "$user" | cut -d: -f2)
  [[ $hash == '$6$'* ]] || return 1
  salt=$(cut -d'$' -f3 <<<"$hash")
  [[ $(openssl passwd -6 -salt "$salt" "$password") == "$hash" ]]
}

ensure_client_keys() {
  if [[ ! -s $STATE/id_ed25519 ]]; then
    changed "creating client key id_ed25519"
    ssh-keygen -q -t ed25519 -N '' -C ferry-testbed -f "$STATE/id_ed25519"
  fi
  if [[ ! -s $STATE/id_ed25519_pass ]]; then
    changed "creating client key id_ed25519_pass"
    ssh-keygen -q -t ed25519 -N "$(secret key_passphrase)" -C ferry-testbed-pass \
      -f "$STATE/id_ed25519_pass"
  fi
}

ensure_srv_user() {
  local password home
  password=$(secret server_password)
  if ! id "$SRV_USER" >/dev/null 2>&1; then
    changed "creating user $SRV_USER"
    useradd -m -s /bin/bash "$SRV_USER"
  fi
  id -nG "$SRV_USER" | grep -qw "$SRV_GROUP" || usermod -aG "$SRV_GROUP" "$SRV_USER"
  # With UsePAM no, a locked account is refused even for key auth: it needs a password.
  if ! password_matches "$SRV_USER" "$password"; then
    changed "setting $SRV_USER's password"
    printf '%s:%s\n' "$SRV_USER" "$password" | chpasswd -c SHA512
  fi
  home=$(getent passwd "$SRV_USER" | cut -d: -f6)
  install -d -m 700 -o "$SRV_USER" -g "$SRV_USER" "$home/.ssh"
  if cat "$STATE/id_ed25519.pub" "$STATE/id_ed25519_pass.pub" | write_if_changed "$home/.ssh/authorized_keys"; then
    changed "writing $SRV_USER's authorized_keys"
  fi
  chown "$SRV_USER:" "$home/.ssh/authorized_keys"
  chmod 600 "$home/.ssh/authorized_keys"
}

write_sshd_config() {
  write_if_changed "$SRV/sshd_config" <<EOF
ListenAddress $SRV_IP:22
HostKey $SRV/ssh_host_ed25519_key
PidFile $SRV/sshd.pid
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin no
AllowUsers $SRV_USER
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
X11Forwarding no
MaxStartups 64
MaxSessions 32
LogLevel VERBOSE
SetEnv DOCKER_HOST=$SRV_DOCKER_HOST PATH=$SRV_BIN:/usr/local/bin:/usr/bin:/bin
Subsystem sftp internal-sftp
EOF
}

# Returns 0 when it made a new key (a running sshd must then restart).
ensure_host_key() {
  [[ -s $SRV/ssh_host_ed25519_key ]] && return 1
  changed "creating server host key"
  ssh-keygen -q -t ed25519 -N '' -C ferry-testbed-srv -f "$SRV/ssh_host_ed25519_key"
}

write_known_hosts() {
  printf '%s %s\n' "$SRV_IP" "$(cut -d' ' -f1,2 "$SRV/ssh_host_ed25519_key.pub")" |
    write_if_changed "$STATE/known_hosts" || true
}

sshd_healthy() {
  pid_running "$SRV/sshd.pid" /usr/sbin/sshd &&
    pid_in_server_ns "$SRV/sshd.pid" &&
    tcp_open "$SRV_IP" 22
}

ensure_sshd() {
  local restart=0
  mkdir -p "$SRV_BIN" /run/sshd
  ensure_host_key && restart=1
  write_known_hosts
  write_sshd_config && restart=1
  ((restart == 0)) && sshd_healthy && return
  stop_pidfile "$SRV/sshd.pid" /usr/sbin/sshd "server sshd"
  changed "starting server sshd on $SRV_IP:22"
  /usr/sbin/sshd -t -f "$SRV/sshd_config" || die "sshd rejects $SRV/sshd_config"
  # sshd daemonizes and writes its own PidFile; setsid detaches it from our session.
  setsid nsenter "--net=/var/run/netns/$NS" /usr/sbin/sshd -f "$SRV/sshd_config" -E "$SRV/sshd.log" 9>&-
  wait_for 10 sshd_healthy || die "server sshd did not start; see $SRV/sshd.log"
}

ensure_server() {
  mkdir -p "$SRV"
  chmod 755 "$STATE" "$SRV" # deployer must reach $SRV/docker.sock
  ensure_srv_engine
  ensure_client_keys
  ensure_srv_user
  ensure_sshd
}

stop_server() {
  stop_pidfile "$SRV/sshd.pid" /usr/sbin/sshd "server sshd"
  stop_pidfile "$SRV/dockerd.pid" /usr/sbin/dockerd "server dockerd"
}

delete_network() {
  if [[ -e /var/run/netns/$NS ]]; then
    log "deleting network namespace $NS"
    ip netns del "$NS"
  fi
  # Deleting the namespace destroys the peer and with it the host end; this is for leftovers.
  ip link del "$HOST_IF" 2>/dev/null || true
}
