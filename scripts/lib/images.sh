# shellcheck shell=bash
# Local Docker engine and the base images the tests build on. Sourced by scripts/testbed.

# Use a running engine if there is one; otherwise start Debian's dockerd and record it.
ensure_local_engine() {
  if pid_running "$STATE/dockerd.pid" /usr/sbin/dockerd; then
    wait_for 60 docker info || die "local dockerd (ours) does not answer; see $STATE/dockerd.log"
    return
  fi
  rm -f "$STATE/dockerd.pid"
  if docker info >/dev/null 2>&1; then
    return # someone else's engine: use it, never stop it
  fi
  changed "starting local dockerd"
  start_daemon "$STATE/dockerd.pid" "$STATE/dockerd.log" /usr/sbin/dockerd /usr/sbin/dockerd
  wait_for 60 docker info || die "local dockerd did not become ready; see $STATE/dockerd.log"
}

# busybox-static plus a link per applet, into ROOT/bin.
add_busybox() {
  local root=$1 applet
  mkdir -p "$root/bin"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [[ $applet == busybox ]] || ln -s busybox "$root/bin/$applet"
  done
}

add_users() {
  local root=$1
  mkdir -p "$root/etc" "$root/tmp" "$root/root"
  chmod 1777 "$root/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' \
    >"$root/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' >"$root/etc/group"
}

# docker import of ROOT as IMAGE, with extra `-c` changes from the remaining arguments.
import_rootfs() {
  local root=$1 image=$2
  shift 2
  tar -C "$root" --numeric-owner -c . | docker import "$@" - "$image" >/dev/null
}

build_runtime_image() {
  docker image inspect "$RUNTIME_IMAGE" >/dev/null 2>&1 && return
  changed "building $RUNTIME_IMAGE"
  local root
  root=$(mktemp -d "$STATE/rootfs.XXXX")
  add_busybox "$root"
  add_users "$root"
  import_rootfs "$root" "$RUNTIME_IMAGE" -c 'ENV PATH=/bin'
  rm -rf "$root"
  docker run --rm "$RUNTIME_IMAGE" sh -c 'id nonroot && test -d /tmp' >/dev/null ||
    die "$RUNTIME_IMAGE does not work"
}

build_go_image() {
  docker image inspect "$GO_IMAGE" >/dev/null 2>&1 && return
  changed "building $GO_IMAGE from the host's Go 1.19"
  local root
  root=$(mktemp -d "$STATE/rootfs.XXXX")
  add_busybox "$root"
  add_users "$root"
  mkdir -p "$root/usr/lib" "$root/usr/share" "$root/lib64" "$root/lib/x86_64-linux-gnu" \
    "$root/etc/ssl/certs"
  # -L: the Debian tree's src, api, misc and test are symlinks into /usr/share/go-1.19.
  cp -aL /usr/lib/go-1.19 "$root/usr/lib/go-1.19"
  ln -s go-1.19 "$root/usr/lib/go"
  # The go binary is dynamically linked against glibc.
  cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
  cp -L /lib/x86_64-linux-gnu/libc.so.6 "$root/lib/x86_64-linux-gnu/"
  cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
  cp -a /usr/share/zoneinfo "$root/usr/share/zoneinfo"
  import_rootfs "$root" "$GO_IMAGE" \
    -c 'ENV PATH=/usr/lib/go/bin:/bin' -c 'ENV GOFLAGS=-mod=mod' -c 'ENV GOPROXY=off'
  rm -rf "$root"
  verify_go_image || die "$GO_IMAGE cannot build Go code"
}

# go version plus a real build of a small net/http program, run in the image.
verify_go_image() {
  docker run --rm "$GO_IMAGE" go version >/dev/null || return 1
  docker run --rm "$GO_IMAGE" sh -c '
    set -e
    mkdir -p /tmp/hello && cd /tmp/hello
    printf "module hello\n\ngo 1.19\n" >go.mod
    printf "package main\nimport (\"fmt\"; \"net/http\")\nfunc main() { fmt.Println(http.StatusOK) }\n" >main.go
    go build -o hello . && ./hello | grep -qx 200
  ' >/dev/null
}

ensure_base_images() {
  build_runtime_image
  build_go_image
}
