# shellcheck shell=bash
# The TLS + basic-auth registry on the host side of the veth. Sourced by scripts/testbed.

ensure_registry_certs() {
  mkdir -p "$REG"
  if [[ ! -s $REG/ca.crt ]] || ! openssl x509 -checkend 86400 -noout -in "$REG/reg.crt" >/dev/null 2>&1; then
    changed "creating registry CA and certificate"
    (
      cd "$REG"
      umask 077
      openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN=ferry-testbed-ca \
        -keyout ca.key -out ca.crt 2>/dev/null
      openssl req -newkey rsa:2048 -nodes -subj "/CN=$HOST_IP" -keyout reg.key -out reg.csr 2>/dev/null
      printf 'subjectAltName=IP:%s\n' "$HOST_IP" >san.ext
      openssl x509 -req -in reg.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 \
        -extfile san.ext -out reg.crt 2>/dev/null
      chmod 644 ca.crt reg.crt
    )
    # A running registry keeps the old certificate: make it restart.
    stop_pidfile "$REG/registry.pid" /usr/bin/docker-registry registry
  fi
  # Both engines read this directory on every connection; no daemon restart needed.
  mkdir -p "$REGISTRY_CA_DIR"
  cmp -s "$REG/ca.crt" "$REGISTRY_CA_DIR/ca.crt" || cp "$REG/ca.crt" "$REGISTRY_CA_DIR/ca.crt"
}

ensure_registry_auth() {
  local password
  password=$(secret registry_password)
  if ! htpasswd -vb "$REG/htpasswd" "$REGISTRY_USER" "$password" >/dev/null 2>&1; then
    changed "writing registry htpasswd"
    (umask 077 && htpasswd -Bbn "$REGISTRY_USER" "$password" >"$REG/htpasswd")
  fi
}

write_registry_config() {
  mkdir -p "$REG/data"
  write_if_changed "$REG/config.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $REG/data
  delete:
    enabled: true
http:
  addr: $REGISTRY
  tls:
    certificate: $REG/reg.crt
    key: $REG/reg.key
auth:
  htpasswd:
    realm: ferry-testbed
    path: $REG/htpasswd
EOF
}

registry_answers() {
  # 401 without credentials proves TLS with our CA and the auth layer are both up.
  [[ $(curl -s -o /dev/null -w '%{http_code}' --cacert "$REG/ca.crt" "https://$REGISTRY/v2/") == 401 ]]
}

ensure_registry() {
  ensure_registry_certs
  ensure_registry_auth
  if write_registry_config; then
    stop_pidfile "$REG/registry.pid" /usr/bin/docker-registry registry
  fi
  if pid_running "$REG/registry.pid" /usr/bin/docker-registry && registry_answers; then
    return
  fi
  stop_pidfile "$REG/registry.pid" /usr/bin/docker-registry registry
  changed "starting registry on $REGISTRY"
  start_daemon "$REG/registry.pid" "$REG/registry.log" /usr/bin/docker-registry \
    /usr/bin/docker-registry serve "$REG/config.yml"
  wait_for 15 registry_answers || die "registry does not answer on https://$REGISTRY; see $REG/registry.log"
}
