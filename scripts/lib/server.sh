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
    [[ $(stat -f -c %T "$SRV/data" 2>/dev/null) == tmpfs ]] &&
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
  # The engine's data lives on a filesystem of its own, so that a test can fill it (a server
  # whose disk is full) without touching this machine's.
  mount -t tmpfs -o "size=$SRV_DISK" tmpfs "$SRV/data"
  echo '{}' >"$SRV/daemon.json"
  start_srv_dockerd
}

start_srv_dockerd() {
  # Only the network namespace: `ip netns exec` also remounts /sys, and dockerd then
  # fails with "Devices cgroup isn't mounted".
  start_daemon "$SRV/dockerd.pid" "$SRV/dockerd.log" /usr/sbin/dockerd \
    nsenter "--net=/var/run/netns/$NS" /usr/sbin/dockerd \
    --config-file "$SRV/daemon.json" \
    --data-root "$SRV/data" --exec-root "$SRV/exec" --pidfile "$SRV/docker.pid" \
    -H "$SRV_DOCKER_HOST" --group "$SRV_GROUP" --bip 172.31.250.1/24
  wait_for 60 srv_engine_answers || die "server dockerd did not become ready; see $SRV/dockerd.log"
}

# The link to the server at RATE (e.g. 4mbit) in both directions, with a token bucket (this
# kernel has no netem); `unshape_link` removes it.
shape_link() {
  local rate=$1
  [[ $rate =~ ^[0-9]+(kbit|mbit|gbit)$ ]] || die "shape: give a rate like 4mbit or 512kbit"
  unshape_link
  tc qdisc add dev "$HOST_IF" root tbf rate "$rate" burst 32kbit latency 400ms
  in_ns tc qdisc add dev "$PEER_IF" root tbf rate "$rate" burst 32kbit latency 400ms
  log "link to the server shaped to $rate"
}

unshape_link() {
  tc qdisc del dev "$HOST_IF" root 2>/dev/null || true
  in_ns tc qdisc del dev "$PEER_IF" root 2>/dev/null || true
}

# What `systemctl restart docker` does on a server: the engine stops (its containers with it)
# and starts again with the same images and containers; restart policies then apply.
restart_srv_engine() {
  srv_engine_healthy || die "the server engine is not up: run scripts/testbed up"
  stop_pidfile "$SRV/dockerd.pid" /usr/sbin/dockerd "server dockerd"
  log "starting server dockerd again (same data)"
  start_srv_dockerd
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
  local password
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
  cat "$STATE/id_ed25519.pub" "$STATE/id_ed25519_pass.pub" | install_authorized_keys "$SRV_USER"
}

# With UsePAM no, a locked account is refused even for key auth: give USER a random password
# (nobody logs in with it).
ensure_unlocked() {
  [[ $(getent shadow "$1" | cut -d: -f2) == '$6$'* ]] && return
  printf '%s:%s\n' "$1" "$(openssl rand -hex 16)" | chpasswd -c SHA512
}

# Makes stdin USER's ~/.ssh/authorized_keys (owned by USER, mode 600).
install_authorized_keys() {
  local user=$1 home
  home=$(getent passwd "$user" | cut -d: -f6)
  install -d -m 700 -o "$user" -g "$user" "$home/.ssh"
  if write_if_changed "$home/.ssh/authorized_keys"; then
    changed "writing $user's authorized_keys"
  fi
  chown "$user:" "$home/.ssh/authorized_keys"
  chmod 600 "$home/.ssh/authorized_keys"
}

# sshd_config text for a listener: ADDRESS:PORT, its pid file, and the sessions' PATH.
sshd_config_text() {
  local listen=$1 pidfile=$2 path=$3
  cat <<EOF
ListenAddress $listen
HostKey $SRV/ssh_host_ed25519_key
PidFile $pidfile
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin no
AllowUsers $SRV_USER $SRV_OUTSIDER $SRV_FISH_USER $SRV_TCSH_USER
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
X11Forwarding no
MaxStartups 64
MaxSessions 32
LogLevel VERBOSE
SetEnv DOCKER_HOST=$SRV_DOCKER_HOST PATH=$path
Subsystem sftp internal-sftp
EOF
}

# The outsider logs in with the same key but may not use the server's Docker engine.
ensure_outsider_user() {
  if ! id "$SRV_OUTSIDER" >/dev/null 2>&1; then
    changed "creating user $SRV_OUTSIDER (no docker group)"
    useradd -m -s /bin/bash "$SRV_OUTSIDER"
  fi
  if id -nG "$SRV_OUTSIDER" | grep -qw "$SRV_GROUP"; then
    gpasswd -d "$SRV_OUTSIDER" "$SRV_GROUP" >/dev/null
  fi
  ensure_unlocked "$SRV_OUTSIDER"
  install_authorized_keys "$SRV_OUTSIDER" <"$STATE/id_ed25519.pub"
}

# Deploy users like deployer (docker group, same key) whose login shells are fish and tcsh:
# Ferry's commands must reach a POSIX sh through them unchanged.
ensure_shell_users() {
  local user shell
  for user in "$SRV_FISH_USER:/usr/bin/fish" "$SRV_TCSH_USER:/usr/bin/tcsh"; do
    shell=${user#*:}
    user=${user%%:*}
    [[ -x $shell ]] || die "$shell is missing: run scripts/setup"
    if ! id "$user" >/dev/null 2>&1; then
      changed "creating user $user (login shell $shell)"
      useradd -m -s "$shell" "$user"
    fi
    [[ $(getent passwd "$user" | cut -d: -f7) == "$shell" ]] || usermod -s "$shell" "$user"
    id -nG "$user" | grep -qw "$SRV_GROUP" || usermod -aG "$SRV_GROUP" "$user"
    ensure_unlocked "$user"
    install_authorized_keys "$user" <"$STATE/id_ed25519.pub"
  done
}

# A credential helper on the server's PATH, as `pass` or GNOME keyring setups install: the
# docker CLI hands a login's password to it unless its config says otherwise. This stand-in
# only writes down what it was asked to store, so a test can see whether a password got there.
write_credential_helper() {
  mkdir -p "$SRV_BIN"
  sed "s|@LOG@|$SRV_CREDHELPER_LOG|" <<'EOF' | write_if_changed "$SRV_BIN/docker-credential-secretservice" || true
#!/bin/sh
# Stand-in docker-credential-secretservice (Ferry testbed): records every `store` request.
case "$1" in
  store) { echo "store:"; cat; echo; } >>@LOG@ ;;
  get) cat >/dev/null; echo "credentials not found in native keychain"; exit 1 ;;
  list) echo "{}" ;;
  erase) cat >/dev/null ;;
esac
EOF
  chmod 755 "$SRV_BIN/docker-credential-secretservice"
  touch "$SRV_CREDHELPER_LOG"
  chmod 666 "$SRV_CREDHELPER_LOG"
}

write_sshd_config() {
  sshd_config_text "$SRV_IP:22" "$SRV/sshd.pid" "$SRV_BIN:/usr/local/bin:/usr/bin:/bin" |
    write_if_changed "$SRV/sshd_config"
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

# The first argument is 1 when the host key was just made (a running sshd must restart).
ensure_sshd() {
  local restart=$1
  mkdir -p "$SRV_BIN" /run/sshd
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

# --- The CentOS flavour -------------------------------------------------------------------
# A second sshd for the same user, host key and engine on $SRV_IP:$CENTOS_PORT. It runs in a
# private mount namespace of its own where a CentOS Linux 7 os-release is bind-mounted over
# /etc/os-release (only its sessions see it), and its sessions find stand-ins for CentOS's
# tools first on PATH: getenforce, firewall-cmd (stateful, files in $CENTOS_STATE),
# timedatectl and sudo. Nothing is really enforced or filtered: the stand-ins only answer.

CENTOS_PORT=2222
CENTOS_BIN=$SRV/centos-bin
CENTOS_STATE=$SRV/centos-state
CENTOS_PID=$SRV/sshd-centos.pid
CENTOS_OS_RELEASE=$SRV/centos-os-release

write_centos_os_release() {
  write_if_changed "$CENTOS_OS_RELEASE" <<'EOF'
NAME="CentOS Linux"
VERSION="7 (Core)"
ID="centos"
ID_LIKE="rhel fedora"
VERSION_ID="7"
PRETTY_NAME="CentOS Linux 7 (Core)"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:centos:centos:7"
HOME_URL="https://www.centos.org/"
BUG_REPORT_URL="https://bugs.centos.org/"
EOF
}

# Writes stdin as the executable stand-in NAME.
write_standin() {
  local file=$CENTOS_BIN/$1
  write_if_changed "$file" || true
  chmod 755 "$file"
}

write_centos_standins() {
  mkdir -p "$CENTOS_BIN"
  write_standin getenforce <<'EOF'
#!/bin/sh
# Stand-in for getenforce (Ferry testbed, CentOS flavour): SELinux is not really enforcing.
echo Enforcing
EOF
  write_standin timedatectl <<'EOF'
#!/bin/sh
# Stand-in for systemd's timedatectl (Ferry testbed, CentOS flavour): the clock is untouched.
case "$*" in
  "show -p Timezone --value" | "show --property=Timezone --value") echo Asia/Shanghai ;;
  "" | status) echo "                Time zone: Asia/Shanghai (CST, +0800)" ;;
  *) echo "timedatectl (testbed stand-in): unsupported: $*" >&2; exit 1 ;;
esac
EOF
  write_standin docker <<'EOF'
#!/bin/sh
# Stand-in for docker's version answer (Ferry testbed, CentOS flavour): CentOS 7's own `docker`
# package is 1.13.1, and `docker version` says so here. Every other command goes to the real
# docker and its engine.
if [ "$1" = version ]; then
  echo '{"Client":{"Version":"1.13.1","ApiVersion":"1.26","Os":"linux","Arch":"amd64"},"Server":{"Version":"1.13.1","ApiVersion":"1.26","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"}}'
  exit 0
fi
exec /usr/bin/docker "$@"
EOF
  write_standin sudo <<'EOF'
#!/bin/sh
# Stand-in for sudo (Ferry testbed, CentOS flavour): the test user has no real sudo, so this
# drops -n and runs the command as the user itself. The stand-in tools need no root.
[ "$1" = -n ] && shift
exec "$@"
EOF
  sed "s|@STATE@|$CENTOS_STATE|" <<'EOF' | write_standin firewall-cmd
#!/bin/sh
# Stand-in for firewalld's firewall-cmd (Ferry testbed, CentOS flavour). Nothing is filtered:
# it only records open ports, one PORT/PROTO a line, in STATE/runtime (what --query-port
# answers) and STATE/permanent (with --permanent; --reload makes it the runtime).
state=@STATE@
file=$state/runtime
for arg; do [ "$arg" = --permanent ] && file=$state/permanent; done
# Files are replaced whole, so that a reader never sees half of one.
replace() { cat >"$1.$$" && mv -f "$1.$$" "$1"; }
has() { grep -qx "$1" "$2" 2>/dev/null; }
for arg; do
  case $arg in
    --permanent) ;;
    --state) echo running ;;
    --reload) cat "$state/permanent" 2>/dev/null | replace "$state/runtime"; echo success ;;
    --list-ports) tr '\n' ' ' <"$file" 2>/dev/null; echo ;;
    --query-port=*)
      if has "${arg#*=}" "$file"; then echo yes; exit 0; else echo no; exit 1; fi ;;
    --add-port=*)
      has "${arg#*=}" "$file" || { cat "$file" 2>/dev/null; echo "${arg#*=}"; } | replace "$file"
      echo success ;;
    --remove-port=*)
      { grep -vx "${arg#*=}" "$file" 2>/dev/null || :; } | replace "$file"
      echo success ;;
    *) echo "firewall-cmd (testbed stand-in): unsupported option $arg" >&2; exit 2 ;;
  esac
done
EOF
}

# The stand-in firewall's files belong to the server user, who runs the stand-ins; a test (as
# root) resets them by rewriting them in place.
ensure_centos_state() {
  install -d -m 755 -o "$SRV_USER" -g "$SRV_USER" "$CENTOS_STATE"
  local f
  for f in runtime permanent; do
    [[ -e $CENTOS_STATE/$f ]] || install -m 644 -o "$SRV_USER" -g "$SRV_USER" /dev/null "$CENTOS_STATE/$f"
  done
}

write_centos_sshd_config() {
  sshd_config_text "$SRV_IP:$CENTOS_PORT" "$CENTOS_PID" \
    "$CENTOS_BIN:$SRV_BIN:/usr/local/bin:/usr/bin:/bin" |
    write_if_changed "$SRV/sshd_centos_config"
}

# Up, in the server's network namespace, and its sessions see the CentOS os-release.
centos_sshd_healthy() {
  pid_running "$CENTOS_PID" /usr/sbin/sshd &&
    pid_in_server_ns "$CENTOS_PID" &&
    grep -qx 'ID="centos"' "/proc/$(<"$CENTOS_PID")/root/etc/os-release" &&
    tcp_open "$SRV_IP" "$CENTOS_PORT"
}

# The first argument is 1 when the host key was just made.
ensure_centos_sshd() {
  local restart=$1
  write_centos_standins
  ensure_centos_state
  write_centos_os_release && restart=1
  chmod 644 "$CENTOS_OS_RELEASE" # mktemp made it 0600: the server user must read it
  write_centos_sshd_config && restart=1
  ((restart == 0)) && centos_sshd_healthy && return
  stop_pidfile "$CENTOS_PID" /usr/sbin/sshd "server sshd (CentOS flavour)"
  changed "starting server sshd (CentOS flavour) on $SRV_IP:$CENTOS_PORT"
  /usr/sbin/sshd -t -f "$SRV/sshd_centos_config" || die "sshd rejects $SRV/sshd_centos_config"
  # A mount namespace of its own, private, so the bind mount never reaches the host; sshd then
  # daemonizes inside it (nsenter, unshare and sh all exec, so nothing else stays behind).
  # shellcheck disable=SC2016 # expanded by that inner sh
  setsid nsenter "--net=/var/run/netns/$NS" unshare --mount --propagation private \
    sh -c 'mount --bind "$1" /etc/os-release && exec /usr/sbin/sshd -f "$2" -E "$3"' \
    sh "$CENTOS_OS_RELEASE" "$SRV/sshd_centos_config" "$SRV/sshd-centos.log" 9>&-
  wait_for 10 centos_sshd_healthy || die "server sshd (CentOS flavour) did not start; see $SRV/sshd-centos.log"
}

# --- The no-Python flavour ----------------------------------------------------------------
# A third sshd for the same user, host key and engine on $SRV_IP:$NOPY_PORT whose sessions have
# no Python, as on a minimal cloud image: first on PATH, stand-ins for python3, python and
# python2 answer as a missing command does (exit 127). /usr/libexec/platform-python, which
# Ferry also tries, does not exist on Debian. Everything else is the plain server. The CentOS
# flavour keeps its Python: CentOS 7's yum needs python2.7, CentOS 8 and later have
# platform-python.

NOPY_PORT=2223
NOPY_BIN=$SRV/nopython-bin
NOPY_PID=$SRV/sshd-nopython.pid

write_nopython_standins() {
  mkdir -p "$NOPY_BIN"
  local name
  for name in python3 python python2; do
    write_if_changed "$NOPY_BIN/$name" <<EOF || true
#!/bin/sh
# Stand-in (Ferry testbed, no-Python flavour): this server has no $name.
echo "sh: $name: not found" >&2
exit 127
EOF
    chmod 755 "$NOPY_BIN/$name"
  done
}

write_nopython_sshd_config() {
  sshd_config_text "$SRV_IP:$NOPY_PORT" "$NOPY_PID" \
    "$NOPY_BIN:$SRV_BIN:/usr/local/bin:/usr/bin:/bin" |
    write_if_changed "$SRV/sshd_nopython_config"
}

nopython_sshd_healthy() {
  pid_running "$NOPY_PID" /usr/sbin/sshd &&
    pid_in_server_ns "$NOPY_PID" &&
    tcp_open "$SRV_IP" "$NOPY_PORT"
}

# The first argument is 1 when the host key was just made.
ensure_nopython_sshd() {
  local restart=$1
  write_nopython_standins
  write_nopython_sshd_config && restart=1
  ((restart == 0)) && nopython_sshd_healthy && return
  stop_pidfile "$NOPY_PID" /usr/sbin/sshd "server sshd (no-Python flavour)"
  changed "starting server sshd (no-Python flavour) on $SRV_IP:$NOPY_PORT"
  /usr/sbin/sshd -t -f "$SRV/sshd_nopython_config" || die "sshd rejects $SRV/sshd_nopython_config"
  setsid nsenter "--net=/var/run/netns/$NS" /usr/sbin/sshd -f "$SRV/sshd_nopython_config" \
    -E "$SRV/sshd-nopython.log" 9>&-
  wait_for 10 nopython_sshd_healthy ||
    die "server sshd (no-Python flavour) did not start; see $SRV/sshd-nopython.log"
}

ensure_server() {
  mkdir -p "$SRV"
  chmod 755 "$STATE" "$SRV" # deployer must reach $SRV/docker.sock
  ensure_srv_engine
  ensure_client_keys
  ensure_srv_user
  ensure_outsider_user
  ensure_shell_users
  write_credential_helper
  local new_key=0
  ensure_host_key && new_key=1
  ensure_sshd "$new_key"
  ensure_centos_sshd "$new_key"
  ensure_nopython_sshd "$new_key"
}

stop_server() {
  stop_pidfile "$NOPY_PID" /usr/sbin/sshd "server sshd (no-Python flavour)"
  stop_pidfile "$CENTOS_PID" /usr/sbin/sshd "server sshd (CentOS flavour)"
  stop_pidfile "$SRV/sshd.pid" /usr/sbin/sshd "server sshd"
  stop_pidfile "$SRV/dockerd.pid" /usr/sbin/dockerd "server dockerd"
  stop_engine_leftovers
  unmount_under "$SRV/data"
  unmount_under "$SRV/exec"
}

delete_network() {
  if [[ -e /var/run/netns/$NS ]]; then
    log "deleting network namespace $NS"
    ip netns del "$NS"
  fi
  # Deleting the namespace destroys the peer and with it the host end; this is for leftovers.
  ip link del "$HOST_IF" 2>/dev/null || true
}
