### The doctor's findings: what each check says (`check-<family>-<check>`), what to do about it
### (`...-fix`), and the button of its automatic fix (`...-autofix`). Ids follow the finding ids
### (`dockerfile.cgo_runtime` -> `check-dockerfile-cgo_runtime`).

## Shared advice, used by several checks
-docker-ce-repo = https://mirrors.aliyun.com/docker-ce/linux/centos/docker-ce.repo
# Docker CE from Docker's repository (a mirror reachable from China), on CentOS/RHEL with yum.
check-docker-install = sudo yum install -y yum-utils && sudo yum-config-manager --add-repo { -docker-ce-repo } && sudo yum install -y docker-ce && sudo systemctl enable --now docker

## This machine: its Docker engine and disk
check-local-docker_unreachable-fix = Start Docker Desktop (or the docker service) and run the checks again
check-local-windows_containers = Docker Desktop runs Windows containers; Ferry builds Linux images
check-local-windows_containers-fix = In Docker Desktop's tray menu choose "Switch to Linux containers..."
check-local-no_buildkit = Docker { $version } has no BuildKit: only { $native_platform } images can be built
check-local-no_buildkit-fix = Update Docker (18.09 or newer) to build for other architectures
check-local-low_disk-error = only { $gib } GiB free where Docker builds: the build will fail
check-local-low_disk-warning = only { $gib } GiB free where Docker builds: a Go build may run out
check-local-docker_unreachable = { $error }
check-local-docker_error = { $error }
check-local-low_disk-fix = Free disk space: `docker system prune` removes stopped containers, unused images and the build cache
check-image-arch_mismatch = the last image built for this app ({ $tag }) is { $image_arch }, but the server is { $machine }: run as it is, it fails with "exec format error"
check-image-arch_mismatch-fix = Deploy with Ferry (it builds for the server's CPU), or build with `--platform linux/{ $server_arch }`

## The Dockerfile
check-dockerfile-missing = ferry.toml sets dockerfile = "{ $configured }", but there is no such file in the build context { $context }
check-dockerfile-missing-fix = Correct the path (it is relative to the build context), or remove the dockerfile line so Ferry uses ./Dockerfile or generates one
check-dockerfile-cgo_runtime-musl = the Go binary is built with cgo on { $builder } (glibc) but runs on { $runtime_name } (musl): it may fail with "no such file or directory" or resolve DNS differently
check-dockerfile-cgo_runtime-no_libc = the Go binary is built with cgo (CGO_ENABLED is not 0) but runs on { $runtime_name }, which has no C library: the binary will fail with "no such file or directory"
check-dockerfile-cgo_runtime-autofix = Build a static binary (ENV CGO_ENABLED=0 in the build stage)
check-dockerfile-cgo_runtime-fix = Add `ENV CGO_ENABLED=0` to the build stage before line { $line } (or write `RUN CGO_ENABLED=0 go build ...`)
check-dockerfile-hardcoded_arch = the Dockerfile builds for { $arch }, but the server needs { $want }: the container will fail with "exec format error"
check-dockerfile-hardcoded_arch-fix = Let the build follow the target: declare `ARG TARGETARCH` in the build stage and build with `GOARCH=$TARGETARCH`; use `FROM --platform=$BUILDPLATFORM` for the build stage and no --platform on the final stage
check-dockerfile-copy_before_download = the whole project is copied before `go mod download`: every code change downloads all modules again (slow, and it fails when the module proxy is unreachable)
check-dockerfile-copy_before_download-fix = Before line { $line }, copy only the module files and download: `COPY { $sources } ./` then `RUN go mod download`; the download then stays cached until go.mod changes
check-dockerfile-copy_before_download-autofix = Download modules before copying the code
check-dockerfile-latest_tag = an image without a version tag (or `latest`): a new upstream release changes your build without any change of yours, and the server may run something untested
check-dockerfile-scratch_no_ca = the final image is scratch, without CA certificates, but the code makes HTTPS calls: they fail with "x509: certificate signed by unknown authority"
check-dockerfile-scratch_no_ca-fix = Add to the final stage: `{ $copy }`
check-dockerfile-scratch_no_tzdata = TZ is set to { $tz }, but the image has no time zone database: time.LoadLocation fails and logs show UTC
check-dockerfile-scratch_no_tzdata-fix = Embed the time zones in the binary: add `-tags timetzdata` to `go build`, or `import _ "time/tzdata"` in the main package{ $extra }
check-dockerfile-runs_as_root = the app runs as root in the container: a flaw in it gets root's rights over everything mounted into it
check-dockerfile-runs_as_root-fix = Add `USER 65532:65532` to the final stage (before ENTRYPOINT/CMD). Folders the app writes on the server (volumes) must then belong to that user: `{ $chown }` on the server
check-dockerfile-expose_mismatch = ferry.toml publishes container port { $container }, but the Dockerfile EXPOSEs { $listed }: if the app listens on { $listed }, the server's port { $host } leads nowhere and the health check fails
check-dockerfile-expose_mismatch-fix = Make them agree: if the app listens on { $other }, set ports = ["{ $host }:{ $other }"] under [container] in ferry.toml; otherwise change the Dockerfile to `EXPOSE { $container }`
check-dockerfile-windows_path = Windows paths in the Dockerfile: a Linux build reads `\` as part of the file name and knows no drive letters, so the step fails with "not found"
check-dockerfile-windows_path-fix = Use `/` and paths relative to the build context (line { $line }): e.g. `COPY config/app.yaml /etc/app/`; a file outside the context must be moved into it
check-dockerfile-windows_path-autofix = Write the relative paths with /
check-dockerfile-latest_tag-fix_config = Name a version in ferry.toml: builder_image / runtime_image under [app], e.g. "{ $example }"
check-dockerfile-latest_tag-fix_from = Name a version in each FROM, e.g. `FROM { $example }`
check-dockerfile-scratch_no_tzdata-apk = , or install it in the final stage: `RUN apk add --no-cache tzdata`

## The build context
check-context-large_without_dockerignore = the build context is { $total } and there is no .dockerignore: every build sends all of it to Docker first
check-context-large_without_dockerignore-autofix = Create a .dockerignore for the build context
check-context-crlf_scripts = shell scripts with Windows (CRLF) line endings: run in the container they fail with "$'\r': command not found" or "bad interpreter"
check-context-crlf_scripts-converted = scripts with Windows (CRLF) line endings: Ferry sends them with LF, but a plain `docker build` would not
check-context-crlf_scripts-fix = Save them with LF line endings (VS Code: click "CRLF" in the status bar, choose LF), and add `*.sh text eol=lf` to .gitattributes so Git keeps them that way
check-context-crlf_scripts-autofix = Convert the scripts to LF line endings
check-context-non_utf8 = files that are not UTF-8 (a Chinese Windows editor often saves GBK): in the container their text shows as garbage, Go refuses such source files, and non-UTF-8 names stop the build
check-context-non_utf8-fix = Save them as UTF-8 (VS Code: click the encoding in the status bar, "Save with Encoding", UTF-8); rename files whose names are not UTF-8, or add them to .dockerignore
check-context-non_utf8-autofix = Convert the GBK files to UTF-8
check-context-large_without_dockerignore-fix =
    Create .dockerignore next to the Dockerfile listing what the build does not need, e.g.:
    { $content }

## go.mod
check-gomod-go_too_new-enforced = go.mod needs Go { $required }, but the build uses Go { $have }: it fails with "go: go.mod requires go >= { $required }"
check-gomod-go_too_new-unreadable = go.mod needs Go { $required }, but the build uses Go { $have }, which cannot read this go.mod (`{ $line }` is Go 1.21 syntax): it fails with "{ $says }"
check-gomod-go_too_new-not_enforced = go.mod asks for Go { $required }, but the build uses Go { $have }, which does not enforce that (Go 1.21 and newer do): the build may work, but fails ("note: module requires Go { $required }") if the code uses language features or standard library APIs newer than Go { $have }
check-gomod-go_too_new-fix = Build with { $image }, or lower the go line in go.mod if the code does not need Go { $required }
check-gomod-go_too_new-autofix = Build with { $image }

## [container] settings
check-container-start_first_embedded_db-bolt_health = the new copy's Open waits for the file lock the running copy holds (forever, by default), so it never passes its health check and every deploy fails
check-container-start_first_embedded_db-bolt = the new copy's Open waits for the file lock the running copy holds (forever, by default): it hangs, and without a [health] path a copy that stays up counts as healthy, so the check before the switch tests nothing
check-container-start_first_embedded_db-badger = the new copy's Open fails with "Cannot acquire directory lock" (the running copy holds it), so the new release never starts and every deploy fails
check-container-start_first_embedded_db-leveldb = the new copy cannot open the database: the running copy holds its LOCK file ("resource temporarily unavailable"), so the new release never starts and every deploy fails
check-container-start_first_embedded_db-pebble = the new copy cannot open the database: the running copy holds its LOCK file, so the new release never starts and every deploy fails
check-container-start_first_embedded_db-sqlite = both copies write the same database file: writes fail with "database is locked" while the other copy holds the lock, start-up work such as migrations runs twice at once, and on a volume whose file system does not share locks (a network file system) the file can be corrupted
check-container-start_first_embedded_db-fix = Set strategy = "stop-first" under [container] in ferry.toml: the running copy then stops before the new one starts, so the two never run at once; the app is down for the restart (a few seconds)
check-container-start_first_embedded_db-autofix = Set strategy = "stop-first" under [container]
check-container-start_first_embedded_db = the app uses { $uses } and [container] strategy is start-first: during a deploy two copies of the app run at once and share the { $count ->
        [one] volume
       *[other] volumes
    } { $volumes }; { $said }
check-container-start_first_embedded_db-store = { $store } ({ $modules })
check-container-start_first_embedded_db-store_said = { $store }: { $said }

## Saved passwords
check-secrets-registry_password_missing = no password saved for registry { $server }
check-secrets-registry_password_missing-fix = save it with: ferry secret set { $entry }

## The server, over SSH
check-server-arch_mismatch-autofix = Build for the server's CPU (platform = "auto")
check-server-arch_mismatch-fix = set platform = "auto" under [app] in ferry.toml (build for the server's CPU)
check-server-auth_failed-fix = Check user and identity_file under [server] in ferry.toml, or save the password: ferry secret set ssh/USER@HOST:PORT
check-server-host_key-unknown-fix = Compare { $fingerprint } with `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the server's console; if it matches, add host_key = "{ $fingerprint }" under [server] in ferry.toml
check-server-host_key-changed-fix = Ask the server's administrator whether the server was reinstalled; only then put the new fingerprint in host_key under [server] in ferry.toml
check-server-docker_not_running-fix = sudo systemctl enable --now docker
check-server-docker_denied-fix = sudo usermod -aG docker { $user } (then log in again), or allow passwordless sudo for docker
check-server-unreachable-fix = Check host and port under [server] in ferry.toml, that the server is up, and that its firewall (and the cloud provider's security group) lets SSH in
check-server-podman = `docker` on the server is Podman ({ $version }), not Docker: Ferry works with it, but Podman has no daemon, so containers come back after a reboot only if podman-restart.service is enabled, and rootless Podman cannot publish ports below 1024
check-server-podman-fix = Keep Podman and run `sudo systemctl enable --now podman-restart.service`, or install Docker CE: `sudo dnf remove -y podman-docker && sudo dnf config-manager --add-repo { -docker-ce-repo } && sudo dnf install -y docker-ce && sudo systemctl enable --now docker`
check-server-docker_too_old-unmaintained = Docker { $version } on the server is older than 18.09 and no longer gets fixes
check-server-docker_too_old-fix = Install Docker CE from Docker's repository (CentOS 7's own `docker` package is 1.13): sudo yum remove -y docker docker-common docker-client && { $install }
check-server-selinux_volume = SELinux is enforcing on the server and the volume(s) { $list } have no :Z label: the app gets "permission denied" inside the container
check-server-selinux_volume-fix = Add :Z to each bind mount under [container] volumes ("/srv/app/data:/data:Z", or ":ro,Z" after other options): Docker then labels the folder for this container. Never on a system folder such as /etc or /home: label those with `sudo chcon -Rt container_file_t DIR` only if you must
check-server-selinux_volume-autofix = Add :Z to the volumes in ferry.toml
check-server-firewalld_port_closed = firewalld runs on the server and does not open port { $list }: clients outside the server may not reach the app
check-server-firewalld_port_closed-fix = Open it: { $shown }. On a cloud server, also open it in the provider's security group (Aliyun, Tencent Cloud...)
check-server-firewalld_port_closed-autofix = Open { $list } in firewalld
check-server-port_in_use = port { $port } on the server is already used by { $by }: the new container would fail with "address already in use"
check-server-port_in_use-fix = Either { $stop }, or publish another server port under [container] ports, e.g. "{ $other }:{ $container }"
check-server-low_disk-error = only { $gib } GiB free on the server where Docker keeps images ({ $dir }): the new image will not fit
check-server-low_disk-warning = only { $gib } GiB free on the server where Docker keeps images ({ $dir }): a few more releases will fill it
check-server-low_disk-fix = Free space on the server: `docker image prune -a` removes images no container uses (Ferry keeps the last 3 releases' containers), `docker system df` shows what takes the space
check-server-timezone_mismatch-no_tz = the container has no TZ, so the app's logs will be in UTC while the server shows { $zone }
check-server-timezone_mismatch-other_tz = the container's TZ is { $tz } but the server's time zone is { $zone }
check-server-timezone_mismatch-fix = Set TZ = "{ $zone }" in env under [container] in ferry.toml. The image needs the time zone data: the generated Dockerfile has it; with your own, copy /usr/share/zoneinfo into it or import _ "time/tzdata" in the Go program
check-server-timezone_mismatch-autofix = Set TZ = "{ $zone }" for the container
check-server-memory_limit-total = memory = "{ $memory }" is more than the server has in all ({ $total }): the limit limits nothing, and when the app grows the kernel's OOM killer picks processes on the whole server
check-server-memory_limit-available = memory = "{ $memory }" is more than the server has free ({ $available } available): before the app reaches its limit, the kernel will OOM-kill it or other processes
check-server-memory_limit-fix = Set memory under [container] to what the app needs, below { $room } (e.g. "{ $suggest }m"), or give the server more memory
check-server-eol_os = the server runs { $name }, which reached its end of life on { $date }: no security updates, and yum's mirrors are gone
check-server-eol_os-fix = Move to Rocky Linux or AlmaLinux (9, or 8). Until then, point yum at the vault: baseurl=https://mirrors.aliyun.com/centos-vault/{ $vault }/ (or https://vault.centos.org/{ $vault }/) in /etc/yum.repos.d/CentOS-*.repo
check-server-docker_too_old-no_stdin = Docker { $version } on the server is older than 17.07: it has no `docker login --password-stdin`, so it cannot log in to the registry without putting the password on its command line
check-server-port_in_use-container = container `{ $name }`
check-server-port_in_use-program = another program
check-server-port_in_use-stop_container = stop it (`docker stop { $name }`)
check-server-port_in_use-stop_program = stop it (`sudo ss -ltunp | grep :{ $port }` shows which process it is)

## Lists worded as sentences
check-join-and = { $first } and { $rest }
check-join-semicolon = { $first }; { $rest }

## Applying a fix

fix-outside-project = the fix names `{ $path }`, which is not a path inside the project folder (or leads out of it through a symlink); nothing was changed
fix-changed = `{ $path }` changed since Ferry checked it; nothing was changed. Run the checks again and apply the new fix.
fix-exists = `{ $path }` already exists; nothing was changed. Run the checks again.
fix-no-finding = the checks run just now found no `{ $id }` (fixed already, or not a finding id); nothing was changed. Findings with an automatic fix now: { $fixable }
fix-no-autofix = `{ $id }` has no automatic fix (its suggested fix is in `ferry doctor`); nothing was changed. Findings with an automatic fix now: { $fixable }
fix-not-as-shown = the fix of `{ $id }` is no longer the one you were shown: { $what } changed since the check; nothing was changed. Run the checks again and review the new fix.
fix-io = cannot read or write { $path }: { $detail }
fix-what-writes = what it writes to { $paths }
fix-what-runs = what it runs on the server
fix-file = { $verb ->
    [rewrite] rewrite { $path }
   *[create] create { $path }
}
fix-run-on-server = run on the server: { $command }

## Lines of a step's log

log-build-context = build context: { $files } files, { $size }
log-waiting-for-http = waiting for GET { $url } on the server
log-waiting-for-up = waiting for the container to stay up for { $secs } s
log-stopping-release = stopping release { $version }
log-healthy-beside = the new release is healthy beside the running one: switching
log-removing-old-release = removing old release { $version }
