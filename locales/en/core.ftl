# Texts of Ferry's core: errors, steps, diagnoses. One message per id; arguments are $named.

test-plural = { $count ->
    [one] { $count } problem
   *[other] { $count } problems
}
cancelled = cancelled: the release running on the server was left as it was

## SSH

ssh-unreachable-dns = cannot find { $host }: the name does not resolve ({ $detail }). Check the host in ferry.toml and this machine's DNS or network.
ssh-unreachable-timeout = no answer from { $host } ({ $detail }). Check the host and port, that the server is up, and that no firewall drops SSH on that port.
ssh-unreachable-refused = { $host } refused the connection: nothing listens on that port, or a firewall rejects it. Check the port in ferry.toml and that sshd runs on the server.
ssh-unreachable-no-route = no route to { $host } ({ $detail }). Check the address, this machine's network or VPN, and firewalls on the way.
ssh-unreachable-other = cannot connect to { $host }: { $detail }. Check the host, the port and firewalls.
ssh-handshake = { $host } accepted the TCP connection but the SSH handshake failed: { $detail }. Check that the port is the SSH server's (sshd) and that sshd on the server is healthy.
ssh-key-origin-pinned = host_key in ferry.toml
ssh-key-origin-trusted = the fingerprint you accepted
ssh-key-origin-known-hosts = { $path } line { $line }
ssh-key-fix-pinned = update host_key in ferry.toml to "{ $actual }" once you have checked it on the server
ssh-key-fix-trusted = check the fingerprint on the server again before accepting another one
ssh-key-fix-known-hosts = remove the old entry with `ssh-keygen -R '{ $name }' -f { $path }` and connect again
ssh-host-key-mismatch = the server's host key changed: { $host } now presents the { $key_type } key { $actual }, but { $whence } expects { $expected }. This can mean someone is intercepting the connection; do not continue unless you know why. If the server was reinstalled, { $fix }.
ssh-unknown-host-key = { $host } is not a known server yet. Its { $key_type } host key has the fingerprint { $fingerprint }. Check it against the server (on its console: `ssh-keygen -lf /etc/ssh/ssh_host_{ $short }_key.pub`); if it matches, rerun with `--trust-host-key { $fingerprint }`, or pin it with `host_key = "{ $fingerprint }"` in ferry.toml.
ssh-host-key-revoked = the { $key_type } host key of { $host } ({ $fingerprint }) is marked @revoked in { $path } line { $line }: Ferry will not connect. Ask the server's administrator for the new key.
ssh-invalid-fingerprint = `{ $value }` given as { $field } is not an OpenSSH SHA256 fingerprint; it should look like SHA256:9f1kWfU0kY5tqE9r0l8hQvH0c3m2p6s4dX2cS7jQe1Y (as printed by `ssh-keygen -lf`)
ssh-key-file-missing = the SSH key file { $path } does not exist. Check identity_file in ferry.toml.
ssh-key-needs-passphrase = the SSH key { $path } is protected by a passphrase and none was given. Set FERRY_SSH_KEY_PASSPHRASE for this run, save it in the keyring, or load the key into your SSH agent (`ssh-add`).
ssh-key-unreadable = could not use the SSH key { $path }: { $detail }. { $passphrase ->
    [given] Check the passphrase (FERRY_SSH_KEY_PASSPHRASE or the keyring) and that the file is an OpenSSH or PEM private key.
   *[none] Check that the file is an OpenSSH or PEM private key and that you may read it.
}
ssh-auth-no-way = no way to log in to { $host } as `{ $user }`: no identity_file is set, no SSH agent with keys is running, there is no key in ~/.ssh, and no password is saved.{ $accepted } Set identity_file in ferry.toml, or save the password for this server.
ssh-auth-accepts = {" "}The server accepts: { $methods }.
ssh-auth-server-closed = {" "}The server hung up during the attempts (too many keys offered? sshd's MaxAuthTries).
ssh-auth-refused = { $host } refused the login as `{ $user }` (tried: { $tried }).{ $accepted }{ $closed } Check the user name, that your public key is in ~{ $user }/.ssh/authorized_keys on the server, or that the saved password is right.
ssh-auth-identity-file = identity file
ssh-auth-agent = ssh agent
ssh-auth-default-keys = default keys (~/.ssh/id_*)
ssh-auth-password = password
ssh-auth-keyboard = keyboard-interactive
ssh-channel = could not { $action } on { $host }: { $detail }
ssh-disconnected = the SSH connection to { $host } broke while { $action }: { $detail }. Check the network and that the server is up, then retry.
ssh-forwarding-refused = { $host } does not allow SSH port forwarding ({ $detail }), so Ferry cannot reach the server's own ports directly
ssh-port-closed = nothing answers on { $addr }:{ $port } on the server { $host } (connection refused)
ssh-http-timeout = no HTTP answer from { $addr }:{ $port } on the server { $host } within { $secs }s
ssh-bad-http-response = { $addr }:{ $port } on the server { $host } did not answer with HTTP: { $said ->
    [none] it closed the connection without a word
   *[some] it said `{ $response }`
}
ssh-command-timeout = `{ $command }` on { $host } { $idle ->
    [yes] sent and printed nothing for
   *[no] did not finish within
} { $secs }s; Ferry stopped waiting (the connection may be down)
ssh-invalid-http-path = `{ $path }` is not a valid HTTP path: it must start with `/` and hold no spaces or control characters
ssh-input = reading the data to send to { $host } failed: { $detail }
ssh-action-open = open a connection to { $addr }:{ $port }
ssh-action-http = ask { $addr }:{ $port } over HTTP
ssh-action-run = run `{ $command }`
ssh-action-running = running `{ $command }`
ssh-action-wait = wait for `{ $command }` to exit

## Shared pieces

# Nothing: an optional part of a message that is absent.
empty = {""}
# A text Ferry did not write (a server's or a tool's own words), shown as it is.
as-is = { $text }

## Releases and the switch

release-foreign-container = a container named `{ $name }` already runs on the server and Ferry did not start it. Rename or remove it (`docker rename { $name } { $name }-old`), or choose another `name` under [app].
release-nothing-to-roll-back = there is no previous release of `{ $app }` on the server to roll back to
release-already-running = release { $version } of `{ $app }` is the one running now: nothing to switch (`ferry releases` lists the kept ones)
release-not-kept = release { $version } of `{ $app }` is not kept on the server; kept releases: { $kept } (`ferry releases` lists them)
release-previous-untouched = release { $version } was never stopped and still serves
release-previous-restored = the previous release { $version } is running again
release-unhealthy = { $summary }{ $previous }{ $hint }
release-part-previous = ; { $text }
release-part-hint = . { $text }
release-interrupted-cancelled = cancelled: the new release was abandoned
release-interrupted-failed = the release switch stopped: { $error }
release-serves-again = release { $version } serves again
release-new-removed = the new release was removed
release-switch-completed = release { $version } had passed its health check, so the switch to it was completed
release-switch-pending = Ferry could not reach the server to { $has_previous ->
    [no] remove the new release
   *[yes] put release { $previous } back
}: the server keeps a record of this switch, and the next `ferry` command for `{ $app }` (e.g. `ferry status`) finishes it first
release-interrupted = { $what }; { $now }
release-cancel-putting-back = cancelled: abandoning the new release, putting release { $version } back
release-cancel-abandoning = cancelled: abandoning the new release
release-switch-stopped = the switch stopped: { $error }
release-prune-failed = old releases were not removed: { $error }
restore-gave-up = could not finish putting things back: { $error }
restore-retrying = could not put the previous release back yet ({ $error }); trying again in { $secs } s
restore-left-alone = a release switch of `{ $app }` is recorded on the server, left alone: { $error }
restore-finishing-committed = a switch of `{ $app }` to release { $version } was interrupted after it passed its health check: finishing it
restore-putting-back = a switch of `{ $app }` to release { $version } was interrupted ({ $holder }): putting release { $previous } back
restore-removing-first = a first deploy of `{ $app }` (release { $version }) was interrupted: removing it
restore-removed-interrupted = the interrupted release was removed
restore-serves = release { $version } serves

## The deploy lock

lock-held = another deploy or rollback of `{ $app }` is under way on the server ({ $holder }, last active { $age } s ago); nothing was changed. Wait for it to finish: a lock its deploy stopped keeping active is taken over after { $stale } s.
lock-lost = the deploy lock of `{ $app }` was taken over by { $holder } while this switch ran (it was not refreshed for { $stale } s); this switch stopped
lock-holder = { $what } from { $machine }
lock-holder-unknown = holder unknown
lock-holder-another = another deploy
lock-took-over-gone = took over the deploy lock of { $holder }: that Ferry is no longer running
lock-took-over-stale = took over a deploy lock nobody kept active for { $age } s ({ $holder })

## The server

server-command-failed = `{ $command }` failed on the server (exit { $status }): { $stderr }
server-docker-missing = Docker is not installed on the server ({ $host }). Install Docker CE (on CentOS: `sudo yum install -y docker-ce` from Docker's repository) and start it with `sudo systemctl enable --now docker`.
server-docker-not-running = Docker is installed on the server ({ $host }) but its engine is not running: `sudo systemctl enable --now docker`. ({ $detail })
server-docker-denied = user `{ $user }` may not use Docker on the server (its socket says permission denied) and has no passwordless `sudo`. Add the user to the docker group (`sudo usermod -aG docker { $user }`, then log in again) or allow passwordless sudo for docker.
server-unknown-arch = the server's CPU is `{ $arch }`, which Ferry cannot build for: choose linux/amd64 or linux/arm64 explicitly
server-registry-ca = the server does not trust registry { $registry }'s certificate: copy the registry's CA to /etc/docker/certs.d/{ $registry }/ca.crt on the server. ({ $stderr })
server-registry-rejected = registry { $registry } rejected user `{ $user }` when the server logged in: check the password saved for it. ({ $stderr })
server-registry-login = the server could not log in to registry { $registry }: { $stderr }
server-pull-failed = the server could not pull { $image }: { $stderr }
server-load-disk-full = the server ran out of disk space while it loaded the new image; the running release was not touched. Free some space on the server (`docker image prune -a` removes images no container uses; `df -h /var/lib/docker` shows how full it is) and deploy again. ({ $stderr })
server-load-failed = `docker load` failed on the server; the running release was not touched: { $stderr }
server-parse = unexpected answer from the server to `{ $command }`: { $detail }

## Secrets and the keyring

secrets-unavailable = the OS keyring is not available ({ $detail }). On Linux start a Secret Service (GNOME Keyring or KeePassXC), or set the password in FERRY_REGISTRY_PASSWORD / FERRY_SSH_PASSWORD / FERRY_SSH_KEY_PASSPHRASE for this run.
secrets-entry = keyring entry `{ $name }`: { $detail }
secrets-bad-name = `{ $name }` is not a Ferry secret name: use registry/SERVER/USER, ssh/USER@HOST:PORT, ssh-key/PATH or env/APP/NAME
secrets-empty = no value given for `{ $name }`: pipe it on standard input, e.g. `echo -n PASSWORD | ferry secret set { $name }`
secrets-env-bad-app = secret variable { $name }: { $detail }
secrets-env-bad-name = `{ $name }` is not an environment variable name: use letters, digits and `_`, not starting with a digit (e.g. DB_PASSWORD)
secrets-env-empty = no value given for { $name }: enter it to save it as `{ $entry }` (an empty secret is not saved)
secrets-env-nul = the value of { $name } contains a NUL character (\u0000), which no environment variable can hold: remove it

## Errors of a whole operation

error-missing-registry-password = no password for registry { $server } (user `{ $user }`): save it with `ferry secret set { $entry }` (it is read from standard input), or set FERRY_REGISTRY_PASSWORD for this run
error-missing-secret-env = no value for the secret variable { $name } (listed in secret_env): save it with `ferry secret set { $entry }` (it is read from standard input), or set FERRY_SECRET_{ $name } for this run. Nothing was built or changed.
error-platform-mismatch = ferry.toml asks for { $wanted } but the server { $host } is { $machine } ({ $server_platform }): the container would fail with "exec format error". Set platform = "auto" or "{ $server_platform }" under [app].
error-windows-containers = Docker on this machine runs Windows containers; Ferry builds Linux images. In Docker Desktop choose "Switch to Linux containers..." and try again.
error-missing-dockerfile = the Dockerfile `{ $path }` named in ferry.toml does not exist in the build context
error-preflight = the preflight checks found { $count ->
    [one] a problem
   *[other] { $count } problems
} that would break this deploy: { $problems }. Nothing was built or changed on the server. Run `ferry doctor` for the details and fixes.
error-no-container = no container `{ $app }` on the server: deploy it first with `ferry deploy`
error-logs-ended = `docker logs` ended with status { $status }

## Why a release or a registry failed

diagnosis-exit-code = {" "}with exit code { $code }
diagnosis-could-not-start = the new container could not start
diagnosis-stopped = the new container stopped{ $code }
diagnosis-restarting = the new container keeps restarting{ $code }
diagnosis-health-timeout = the health check did not pass within { $secs } s (last answer: { $answer })
diagnosis-push-refused = the registry refused the push
diagnosis-pull-failed = the server could not pull the image from the registry
diagnosis-login-failed = the server could not log in to the registry
cause-exec-format = the image was built for another CPU architecture than the server's ("exec format error"): set platform = "auto" (or the server's arch) under [app] in ferry.toml, and do not hard-code GOARCH in the Dockerfile or build scripts
cause-oom-killed = the kernel killed the container for using more memory than its limit (OOMKilled, exit 137): raise `memory` under [container] in ferry.toml, or find what uses the memory
cause-segfault = the program crashed with a segmentation fault (exit 139): often a CGO binary on a runtime image without the C library it was linked against; build with CGO_ENABLED=0
cause-address-in-use = the port is already taken on the server: stop what uses it (`ss -ltnp` shows it), or publish another port in `ports` under [container]
cause-permission-denied = the program was refused access to a file: on a volume this is usually SELinux (add `:Z` to the volume in ferry.toml) or the folder's owner on the server (the app runs as uid 65532: `sudo chown -R 65532:65532 DIR`)
cause-no-such-file = a file the container starts with was not found: a script with Windows (CRLF) line endings (its interpreter becomes `/bin/sh\r`), an interpreter the image lacks (bash on alpine or scratch), or a CGO binary on scratch/alpine (build with CGO_ENABLED=0)
cause-registry-ca = Docker does not trust the registry's TLS certificate ("x509: certificate signed by unknown authority"): put the CA certificate that signed it in /etc/docker/certs.d/REGISTRY/ca.crt on the machine that failed (the server for a pull; Docker Desktop's certs.d for a push) and retry
cause-registry-unauthorized = the registry refused the login (401): check the user name in [registry] and save the right password with `ferry secret set registry/SERVER/USER` (Aliyun ACR: the registry password set in the console, not the Aliyun account password)
cause-registry-denied = the registry accepted the login but denied access to the repository (403): create the repository (or namespace) first, or give this user push/pull rights to it
cause-registry-not-found = the registry has no such image or repository (404): check `repository` under [registry]; the push may have gone to another name
cause-restart-loop = the container exits soon after each start and Docker keeps restarting it: read its last log lines below for the first error
cause-health-timeout = check that the app listens on 0.0.0.0 (not 127.0.0.1) at the container port and answers the health path, or raise timeout_secs under [health]
cause-crashed = read the container's last log lines below

## Steps of an operation, and what they report

step-connect = connecting to { $user }@{ $host }:{ $port }
step-connect-done = connected; host key { $fingerprint }
step-probe = looking at the server
step-probe-done = { $os } on { $machine }, Docker { $docker }{ $sudo ->
    [yes] {" "}(through sudo)
   *[no] {""}
}
step-build = building { $tag } for { $platform } (Docker { $docker })
step-build-done = built { $tag } ({ $platform }, { $size })
step-build-generated-dockerfile = no Dockerfile: generating one for { $module } ({ $builder } → { $runtime })
step-push = pushing to { $image }
step-pull = pulling { $image } on the server
step-pull-done = pulled
step-transfer = sending { $image } ({ $size }) over SSH
step-start = starting release { $version } ({ $strategy })
step-start-done = release { $version } is healthy
step-status = reading the app's container
step-status-done = { $app } is { $state }
step-check-all = checking this machine, the project and the server
step-check-preflight = checking the project and the server
step-fix = fixing { $id }: { $label }
step-fix-done = fixed
fix-wrote = wrote { $path }
rollback-already-undone = the interrupted switch to release { $version } was undone: release { $to } serves again; nothing more to roll back
build-classic-builder = BuildKit is not available on this Docker engine: building with the classic builder, which can only build for the engine's own platform ({ $platform })
build-crlf-script = { $path } had Windows (CRLF) line endings; sent with LF endings so it runs on Linux (save it with LF to silence this)
doctor-no-problems = no problems found
doctor-summary = { $errors ->
    [one] 1 error
   *[other] { $errors } errors
}, { $warnings ->
    [one] 1 warning
   *[other] { $warnings } warnings
}
step-rollback = rolling back to release { $version }
deploy-live = { $app } { $version } is live at { $url }
deploy-running = { $app } { $version } is running
rollback-done = { $version } is running again

## The command line

cli-error = error: { $message }
cli-hint = hint: { $hint }
cli-last-log-lines = last log lines of the failed release:
cli-interrupted = interrupted
cli-stopping = stopping: a release switch under way puts the previous release back first (Ctrl-C again leaves at once)
cli-interrupted-again = interrupted again: leaving now. If a release switch was under way, the server keeps a record of it, and the next `ferry` command for this app (e.g. `ferry status`) puts the previous release back first.
cli-fix-applied = applied: { $label }
cli-built = built { $tag } for { $platform }
cli-end-of-log = end of log
cli-no-current-folder = cannot read the current folder: { $detail }
cli-bad-platform = `{ $platform }` is not a platform Ferry builds: use linux/amd64 or linux/arm64
cli-secret-stdin = cannot read the secret from standard input: { $detail }
cli-secret-done = { $verb ->
    [saved] saved { $name } in the OS keyring
    [deleted] deleted { $name } from the OS keyring
   *[other] { $name } was not in the OS keyring
}

## ferry.toml

config-read = cannot read { $path }: { $detail }. Run Ferry in your Go project's folder, or pass --config PATH.
config-at = { $path }:{ $line }:{ $column }: { $message }
config-in-file = { $path }: { $message }
config-field = { $key }: { $message }
config-write = cannot write { $path }: { $detail }
config-not-round-trip = the settings do not survive being written as TOML
config-timeout-range = timeout_secs = { $value } is out of range: a release gets 1 to { $max } seconds to pass its health check (e.g. 30)
config-keep-range = keep_releases = { $value } is out of range: keep 1 to { $max } releases on the server (the running one and those `ferry rollback` can go back to; e.g. 3)
config-container-name = `{ $value }` is not a valid container name: use letters, digits, `_`, `.` and `-`, starting with a letter or digit (e.g. "hello-api")
config-nul = { $what ->
    [health-path] the health path
    [volume] this volume
   *[value] this value
} contains a NUL character (\u0000), which no command can carry: remove it
config-control-char = { $what ->
    [health-path] the health path
    [volume] this volume
   *[value] this value
} contains the control character U+{ $code }: remove it
config-one-word = `{ $value }` must be one word, without spaces
config-env-name = `{ $value }` is not an environment variable name: use letters, digits and `_`, not starting with a digit (e.g. DB_HOST)
config-health-path-slash = [health] path `{ $value }` must start with `/`, e.g. "/healthz"
config-health-path-space = the health path `{ $value }` contains a space: write it URL-encoded (%20)
config-health-no-port = [health] path is set but no port is published: add `ports = ["8080:8080"]` under [container] or `port` under [health]
config-health-port-zero = port 0 is not a port: write the published port, e.g. 8080
config-volume-windows = `{ $value }` uses a Windows path: the volume lives on the Linux server, write it as `/srv/app/data:/data`
config-volume-usage = `{ $value }` is not a volume: write `/srv/app/data:/data` (server path, then the path in the container), optionally followed by `:ro` or `:Z`
config-volume-relative = `{ $host }` in `{ $value }` is neither an absolute path on the server nor a volume name: Docker does not take relative or `~` paths. Write the full path, e.g. `/srv/app/data:{ $inside }`
config-volume-option = `{ $option }` in `{ $value }` is not a volume option: use ro, rw, z or Z (SELinux labels)
config-volume-space = `{ $value }` contains a space: Docker cannot take it in a volume
config-memory-small = `{ $value }` is below Docker's smallest memory limit (6m): write e.g. "64m"
config-memory = `{ $value }` is not a memory limit: write a number with k, m or g, e.g. "256m" or "1g"
config-port = `{ $value }` is not a port mapping: write "SERVER_PORT:CONTAINER_PORT", e.g. "8080:8080"
config-registry-scheme = [registry] server `{ $server }` must be a host name, without `https://`
config-registry-host = [registry] server `{ $server }` must be a host name with an optional port, e.g. registry.cn-hangzhou.aliyuncs.com or 10.0.0.5:5000
config-secret-env-in-env = `{ $name }` is both in env and in secret_env: remove it from env (its value belongs in the keyring: `ferry secret set env/{ $app }/{ $name }`)
config-secret-env-twice = `{ $name }` is listed twice in secret_env

## The local Docker engine

docker-unreachable = Docker is not running (could not reach { $address }): start Docker Desktop / the docker service and try again
docker-permission-denied = no permission to use the Docker engine at { $address }: add your user to the `docker` group (`sudo usermod -aG docker $USER`, then log out and in again)
docker-invalid-platform = `{ $platform }` is not a platform: expected os/arch, like linux/amd64 or linux/arm64
docker-buildkit-required = building for { $platform } on this { $native } Docker engine needs BuildKit, which this engine does not offer: cross-architecture builds need Docker 18.09+ on Linux, or Docker Desktop
docker-build-failed = the build failed at `{ $step }`:
    { $detail }
docker-arch-mismatch = the image was built for { $got }, not { $wanted }: the server would refuse to run it with "exec format error". Check that the Dockerfile's FROM lines do not pin a platform and that the build uses TARGETOS/TARGETARCH
docker-image-not-found = there is no image `{ $reference }` in the local Docker engine
docker-registry-auth = registry { $server } rejected user `{ $user }`: check the password saved for it
docker-registry-unreachable = cannot reach registry { $server }: check that it is running and that its address and port are right ({ $detail })
docker-login-failed = logging in to registry { $server } failed: { $detail }
docker-engine = Docker engine error while { $action }: { $detail }
docker-push-broken = pushing to registry { $server } failed: the connection broke midway ({ $detail }). Nothing was changed on the server. Check the network to the registry (a proxy, a VPN, a slow uplink) and deploy again: layers already pushed are not sent again.
docker-push-failed = pushing to registry { $server } failed: { $detail }
docker-registry-plain-http = registry { $server } answers in plain HTTP but Docker only pushes over HTTPS: serve it with TLS, or add it to "insecure-registries" in Docker's daemon.json ({ $detail })
docker-registry-cert-name = registry { $server }'s TLS certificate does not name { $server }: reissue it with that address in subjectAltName ({ $detail })
docker-registry-untrusted = Docker does not trust registry { $server }'s TLS certificate ({ $detail }): install the CA certificate that signed it as /etc/docker/certs.d/{ $server }/ca.crt (Docker Desktop: ~/.docker/certs.d/{ $server }/ca.crt on macOS, or add it to Windows' trusted root certificates), restart Docker Desktop, and try again
docker-action-version = asking for its version
docker-action-build = building the image
docker-action-inspect = inspecting image { $image }
docker-action-list = listing images
docker-action-info = asking for its settings
docker-action-tag = tagging { $source } as { $target }
docker-action-push = pushing { $image }
docker-action-export = exporting image { $image }
docker-action-login = logging in to registry { $server }

## The build context and the Go module

context-root = cannot read the build context folder { $path }: { $detail }. Check that context under [app] in ferry.toml names an existing folder.
context-read = cannot read { $path } for the build context: { $detail }. Close programs that lock it, or add it to .dockerignore.
context-non-utf8 = "{ $path }" has a name that is not valid UTF-8 (unreadable parts shown as �): Docker and Linux need UTF-8 names. Rename it, or add it to .dockerignore.
context-extra-path = cannot add the generated file `{ $path }` to the build context: its path must be relative and stay inside the context
context-tar = cannot add { $path } to the build context tar: { $detail }
dockerignore-read = cannot read { $path }: { $detail }. Check that Ferry may read it, or delete it.
dockerignore-bad-pattern = { $file } line { $line }: `{ $pattern }` is not a valid pattern ({ $reason }). Docker would refuse it too: fix or delete that line.
gomod-none = there is no go.mod in { $root }: Ferry builds Go modules. Run `go mod init <module path>` there, set context under [app] in ferry.toml to the folder that has go.mod, or commit your own Dockerfile.
gomod-read = cannot read { $path }: { $detail }
gomod-no-module = { $path } has no `module` line: add one like `module example.com/myapp` at its top.
gomod-no-main = no `package main` in { $root } or in its cmd/<name>/ folders, so Ferry cannot tell what to build. Set main = "./path/to/main" under [app] in ferry.toml to the folder of your program's main package.
gomod-no-main-found = no `package main` in { $root } or in its cmd/<name>/ folders, so Ferry cannot tell what to build. Main packages found: { $found }. Set main = "{ $first }" under [app] in ferry.toml to build it.
gomod-several-mains = found several main packages in { $root }: { $found }. Choose the one to deploy: set main = "{ $first }" (or another) under [app] in ferry.toml.
gomod-bad-main = main = "{ $main }" in ferry.toml: { $problem }. Set it to the folder of your main package, relative to the build context, like "./cmd/server".
gomod-main-outside = it must be a folder inside the build context
gomod-main-no-folder = there is no folder { $dir }
gomod-main-not-main = { $dir } has no `package main` .go file
config-unknown-field = unknown field `{ $field }`, expected one of { $expected }
config-unknown-variant = unknown value `{ $value }`, expected one of { $expected }
config-missing-field = missing field `{ $field }`: add it
config-invalid-type = { $got } is the wrong type here: expected { $expected }
config-toml-syntax = this is not valid TOML: { $detail }
error-internal = internal error in Ferry: { $detail } (this is a bug; please report it)
diagnosis-load-failed = the server could not load the new image
cause-disk-full = the server's disk is full: free some space (`docker image prune -a` removes images no container uses; `df -h /var/lib/docker` shows how full it is) and try again
cli-step-failed = { $step } failed ({ $secs } s)

## ferry status

status-app-on = { $app } on { $host }
status-app = app
status-state = state
status-health = health
status-http-check = http check
status-version = version
status-image = image
status-started = started
status-restarts = restarts
status-ports = ports
status-cpu = cpu
status-memory = memory
status-previous = previous
