# The app's own texts (ui/). Call sites use dotted keys: t('wizard.title') is wizard-title here.

app-loading = Loading…

## header

nav-label = Main
nav-dashboard = Dashboard
nav-new = New deployment
header-language = Language
header-theme = Theme
theme-system = System theme
theme-light = Light
theme-dark = Dark

## common

common-yes = yes
common-no = no
common-browse = Browse…
common-cancel = Cancel
common-retry = Retry
common-close = Close
error-no_shell = The Ferry desktop shell is not available: this page is open in a plain browser, so it cannot reach Docker, your files or your server. Start Ferry itself.

## wizard

wizard-title = New deployment
wizard-subtitle = From your Go project to a running container on your server, in seven steps.
wizard-back = Back
wizard-next = Next
wizard-save_only = Save only
wizard-save_deploy = Save & Deploy
wizard-saving = Saving…
wizard-why-docker = Docker must be running in Linux-containers mode to go on.
wizard-why-docker_go = Choose “Build with Go” to go on.
wizard-why-docker_none = Install Go or Docker, then check again.
wizard-why-project = Choose a folder with a Go module or a Dockerfile.
wizard-why-server = Test the connection (and trust the server) to go on.
wizard-why-arch = Choose an architecture.
wizard-why-registry = Fill in the registry fields, or choose “Send over SSH”.
wizard-why-container = Fix the fields marked in red.
wizard-why-review = The configuration must be valid to save it.
step-docker = Docker / Go
step-project = Project
step-server = Server
step-arch = Architecture
step-registry = Registry
step-container = Container
step-review = Review
step-docker-title = Building on this computer
step-project-title = Your Go project
step-server-title = The server
step-arch-title = CPU architecture
step-registry-title = How the image gets to the server
step-container-title = The container
step-review-title = Review ferry.toml

## docker

docker-intro = Ferry builds your image on this computer: with the Docker engine (Docker Desktop on Windows), or with Go alone when Docker is not available.
docker-checking = Checking Docker and Go…
docker-retry = Check again
docker-ok = Docker is running
docker-version = Version
docker-os = OS type
docker-arch = Architecture
docker-windows-title = Docker is in Windows-containers mode
docker-windows-body = Your server runs Linux containers, so Ferry needs Docker Desktop in Linux-containers mode.
docker-windows-step1 = Right-click the Docker whale icon in the taskbar notification area.
docker-windows-step2 = Choose “Switch to Linux containers…” and confirm.
docker-windows-step3 = Wait until Docker Desktop says “Engine running”, then check again.
docker-down-title = Docker is not reachable
docker-down-body = Ferry could not talk to the Docker engine on this computer.
docker-down-step1 = Start Docker Desktop (install it from docker.com if it is missing).
docker-down-step2 = Wait until it says “Engine running” (the whale icon stops moving).
docker-down-step3 = Then press “Check again”.
docker-details = Details
docker-stopped-title = Docker Desktop is not running
docker-stopped-body = Docker is installed on this computer, but its engine does not answer.
docker-stopped-or = To build with Docker instead:
docker-stopped-step1 = Start Docker Desktop (from the Start menu).
docker-stopped-not_needed = Docker Desktop is not running: it is not needed to build with Go.
go-title = Build with Go, no Docker needed
go-body = Ferry compiles your service with Go for the server’s architecture and assembles the image itself: no Docker Desktop needed here. The server still runs the image with its own Docker.
go-version = Go version
go-path = Go command
go-proxy_hint = In China the default module proxy (proxy.golang.org) is often unreachable. If downloads fail, run: go env -w GOPROXY=https://goproxy.cn,direct
go-use = Build with Go
go-chosen = Building with Go
go-chosen-next = Press Next to choose your project.
go-alt = Go { $version } is installed too: Ferry can also build without Docker.
go-alt-use = Build with Go instead
go-alt-chosen = Ferry will build with Go { $version }, not with Docker.
go-alt-docker = Build with Docker
go-not_found = This project’s ferry.toml says builder = "go", but no Go toolchain was found on this computer. Install Go from https://go.dev/dl/ (in China: https://golang.google.cn/dl/), then check again.
go-install_hint = Cannot run Docker Desktop? Install Go from https://go.dev/dl/ (in China: https://golang.google.cn/dl/) and Ferry builds your image without Docker.
build-none-title = Neither Docker nor Go is installed
build-none-body = Ferry needs one of them on this computer to build your image:
build-none-go = Go (lighter, no Docker needed): install it from https://go.dev/dl/ (in China: https://golang.google.cn/dl/).
build-none-docker = Or Docker Desktop: install it from docker.com, start it and wait until it says “Engine running”.
build-none-then = Then press “Check again”.

## project

project-intro = The folder of the Go service to deploy: the one with go.mod (and your Dockerfile, if you have one).
project-dir = Project folder
project-dir-help = Type or paste the path, or pick it with Browse.
project-inspect = Inspect
project-loading = Reading the project…
project-error = Cannot read this folder
project-folder = Folder
project-module = Go module
project-go = Go version
project-main = Main package
project-dockerfile-own = the project’s own Dockerfile
project-dockerfile-generated = none: Ferry generates one
project-dockerfile-preview = Show the Dockerfile Ferry will use
project-builder_image = Go build image
project-runtime_image = Runtime image
project-images-help = Leave empty for the defaults; behind a registry mirror, name the mirrored images here.
project-not_go = No go.mod and no Dockerfile here: choose the folder of a Go module.
project-config_found = Found ferry.toml: its values fill in the next steps.
project-config_error = There is a ferry.toml here, but it has an error; finishing the wizard writes a new one:

## server

server-intro = The Linux server (CentOS, Rocky, …) that runs the container. Ferry connects over SSH.
server-host = Host
server-port = SSH port
server-user = User
server-auth = Sign in with
server-auth-key = Key file
server-auth-agent = SSH agent
server-auth-password = Password
server-key_file = Private key file
server-key_file-help = e.g. ~/.ssh/id_ed25519 or C:\Users\you\.ssh\id_rsa
server-passphrase = Key passphrase
server-passphrase-help = Only for a key protected by a passphrase; leave empty otherwise.
server-save_passphrase = Save in the OS keyring
server-agent-help = Ferry uses the keys loaded in your SSH agent (Windows OpenSSH Authentication Agent or Pageant).
server-password = Password
server-save_password = Save the password in the OS keyring (Windows Credential Manager)
server-password_not_saved = Without saving it, deploys cannot sign in with this password (unless FERRY_SSH_PASSWORD is set).
server-test = Test connection
server-testing = Connecting…
server-stale = The server changed since the last test: test again.
server-key_unknown-title = First connection to this server
server-key_unknown-body = Ferry has not seen { $host } before. This is its host key fingerprint:
server-key_unknown-hint = Trust it only if it matches what the server shows. On the server (or its console), run:
server-trust = Trust this server
server-key_changed-title = The server’s host key has changed
server-key_changed-body = { $host } now shows a different host key than the one pinned in ferry.toml. Someone may be intercepting the connection, or the server was reinstalled.
server-key_changed-hint = Trust the new key only if you know why it changed (check it on the server’s console).
server-key_expected = Pinned fingerprint
server-key_now = Fingerprint the server shows now
server-trust_new = Trust the new key
server-error-auth_failed = The server refused the login
server-error-unreachable = The server is not reachable
server-error-host_key_mismatch = The host key does not match
server-error-other = The connection test failed
server-ok = Connected to { $target }
server-os = OS
server-arch = Architecture
server-sudo-yes = needed (Ferry runs docker through sudo -n)
server-sudo-no = not needed
server-host_key = Host key (pinned)
server-pinned = Host key pinned:

## architecture

arch-intro = Ferry builds the image for the server’s CPU. Go cross-compiles, so no emulation is needed.
arch-server = Server { $host }: { $machine } ({ $platform })
arch-amd64-help = Intel and AMD servers (x86_64): most cloud servers.
arch-arm64-help = ARM servers (aarch64): e.g. Alibaba Cloud Yitian, AWS Graviton, Kunpeng.
arch-matches = matches the server
arch-mismatch-title = This image will not run on the server
arch-mismatch-body = A { $platform } image cannot start on a { $machine } server: the container would stop at once with “exec format error”.
arch-unknown = Ferry does not know the server’s architecture ({ $machine }): choose carefully.
arch-cross = Docker on this computer is { $local }: the image is cross-built for { $platform }.

## registry

registry-intro = Push the image to a registry the server pulls from, or send it straight over SSH.
registry-none = Send over SSH
registry-none-help = No registry: the whole image is streamed into the server’s docker load on every deploy.
registry-dockerhub = Docker Hub
registry-dockerhub-help = docker.io. Often slow or blocked from mainland China.
registry-acr = Alibaba Cloud ACR
registry-acr-help = Container Registry (registry.<region>.aliyuncs.com): fast within China.
registry-other = Harbor / other
registry-other-help = Any registry with a login: Harbor, GitLab, Tencent TCR, your own.
registry-region = Region
registry-server = Registry address
registry-server-help = host[:port], without https://
registry-username = Username
registry-repository = Repository
registry-repository-help-dockerhub = yourname/app: lowercase, no tag
registry-repository-help-acr = namespace/app, as created in the ACR console
registry-repository-help-other = project/app: lowercase, no tag
registry-password = Password
registry-password-help-dockerhub = A personal access token works (Account settings → Personal access tokens).
registry-password-help-acr = The fixed password set in the ACR console, not your Alibaba Cloud account password.
registry-password-help-other = The user’s password, or a robot account’s token.
registry-image = Image:
registry-save = Save the password in the OS keyring
registry-test = Test login
registry-testing = Logging in…
registry-ok = Login works
registry-ok_saved = Login works, password saved
registry-password_note = Deploys read the registry password from the OS keyring (or FERRY_REGISTRY_PASSWORD): test the login with “save” checked.

## Alibaba Cloud regions

region-cn-hangzhou = China East 1 (Hangzhou)
region-cn-shanghai = China East 2 (Shanghai)
region-cn-qingdao = China North 1 (Qingdao)
region-cn-beijing = China North 2 (Beijing)
region-cn-zhangjiakou = China North 3 (Zhangjiakou)
region-cn-huhehaote = China North 5 (Hohhot)
region-cn-wulanchabu = China North 6 (Ulanqab)
region-cn-shenzhen = China South 1 (Shenzhen)
region-cn-heyuan = China South 2 (Heyuan)
region-cn-guangzhou = China South 3 (Guangzhou)
region-cn-chengdu = China Southwest 1 (Chengdu)
region-cn-hongkong = China (Hong Kong)
region-ap-southeast-1 = Singapore
region-ap-northeast-1 = Japan (Tokyo)
region-us-west-1 = US (Silicon Valley)
region-us-east-1 = US (Virginia)
region-eu-central-1 = Germany (Frankfurt)

## container

container-intro = How the container runs on the server.
container-name = Container name
container-name-help = Letters, digits, _ . - (e.g. hello-api).
container-restart = Restart policy
restart-unless-stopped = restart unless stopped by hand
restart-always = always restart
restart-on-failure = restart when it crashes
restart-no = never restart
container-ports = Ports
container-ports-help = SERVER_PORT:CONTAINER_PORT, e.g. 8080:8080
container-ports-add = Add port
container-volumes = Volumes
container-volumes-help = Server path : container path, e.g. /srv/app/data:/data
container-volumes-add = Add volume
container-env = Environment
container-env-help = Passed to the container. For passwords and tokens switch on “Secret”: the value goes to the OS keyring and only the name to ferry.toml, which stays a plain file you may commit.
container-env-keyring_error = Could not check the OS keyring for saved values: { $message }
container-memory = Memory limit
container-memory-help = e.g. 256m or 1g; empty: no limit
container-health = Health check path
container-health-help = HTTP GET on the first published port; empty: “stays up” is healthy
container-timeout = Timeout (s)
container-tz = Time zone
container-tz-help = Set as TZ in the container.
list-remove = Remove
kv-name = Name
kv-value = Value
kv-add = Add variable
kv-secret = Secret
kv-secret-title = Keep the value in the OS keyring, not in ferry.toml
kv-secret-new = Saved in the OS keyring as { $entry } when you save, never in ferry.toml.
kv-secret-saved = Saved in the OS keyring as { $entry }. Leave empty to keep it, or type a new value.
kv-secret-missing = Not saved yet: type the value; it is saved in the OS keyring as { $entry }.
kv-secret-placeholder_saved = saved in the keyring

## review

review-intro = This is the ferry.toml Ferry will write to { $dir }.
review-server = Server { $target }, image for { $platform }
review-via_registry = Through the registry: { $image }
review-via_ssh = Image sent over SSH (no registry)
review-container = Container { $name }, ports { $ports }
review-builder = Built with { $builder }
builder-docker = Docker (engine { $version })
builder-docker-plain = Docker
builder-go = Go { $version }, no Docker
builder-go-plain = Go, no Docker
review-loading = Preparing ferry.toml…
review-goto = Fix it in “{ $step }”
review-error = This configuration is not valid
review-save_error = Could not save ferry.toml
review-no_secrets = No passwords in this file: they stay in the OS keyring.
review-secrets = Secret variables (in the OS keyring, not in ferry.toml): { $names }
review-secret_missing = No value for { $name } yet: a deploy stops until you type it in “{ $step }”, save it with `ferry secret set { $entry }` or set FERRY_SECRET_{ $name }.
review-secret_error = Could not save { $entry } in the OS keyring, so ferry.toml was not written
review-secrets_kept = Already saved in the OS keyring: { $entries }.
review-check = Check for problems
review-check-help = Saves ferry.toml and checks this computer, the project and the server for known deployment traps.
review-check-saving = Saving…
review-check-errors = Deploy will stop on the errors below: fix them first (Deploy stays available).
review-check-warnings = Warnings do not stop a deploy.

## validation

v-required = Required.
v-dir-empty = Enter the project folder.
v-host-empty = Enter the server’s host name or IP address.
v-host-scheme = “{ $value }” is a URL: enter only the host name or IP address.
v-host-user = “{ $value }” includes a user: put the user in the User field and only the host here.
v-host-spaces = A host name cannot contain spaces.
v-host-port = “{ $value }” includes a port: put it in the SSH port field.
v-port-empty = Enter a port (22 for SSH).
v-port-range = “{ $value }” is not a port: use a number from 1 to 65535.
v-user-empty = Enter the user to sign in as (e.g. root or deploy).
v-user-format = “{ $value }” is not a user name: no spaces or @.
v-mapping-empty = Enter a port mapping or remove the row.
v-mapping-single = “{ $value }” is one port: write SERVER:CONTAINER, e.g. { $value }:{ $value }.
v-mapping-protocol = “{ $value }”: the protocol after / must be tcp or udp.
v-mapping-format = “{ $value }” is not a port mapping: write SERVER_PORT:CONTAINER_PORT, e.g. 8080:8080.
v-mapping-range = “{ $value }”: ports go from 1 to 65535.
v-mapping-duplicate = Server port { $port } is published twice.
v-name-empty = Enter a container name.
v-name-format = “{ $value }” is not a valid container name: use letters, digits, _ . and -, starting with a letter or digit.
v-name-long = At most 64 characters.
v-memory-unit = “{ $value }”: write Docker’s units: a whole number with k, m or g, e.g. 256m or 1g.
v-memory-format = “{ $value }” is not a memory limit: write a whole number with k, m or g, e.g. 256m or 1g.
v-memory-small = “{ $value }” is too small: Docker needs at least 6m.
v-volume-empty = Enter a volume or remove the row.
v-volume-windows = “{ $value }” is a Windows path: the volume lives on the Linux server, write it like /srv/app/data:/data.
v-volume-format = “{ $value }” is not a volume: write SERVER_PATH:CONTAINER_PATH, e.g. /srv/app/data:/data.
v-volume-relative = “{ $value }”: the server path must be absolute (start with /) or a volume name.
v-health-url = “{ $value }” is a URL: enter only the path, e.g. /healthz.
v-health-slash = “{ $value }” must start with /, e.g. /healthz.
v-health-spaces = A path cannot contain spaces.
v-timeout-range = Enter seconds, from 1 to 3600.
v-env-empty = Enter a variable name.
v-env-key = “{ $value }” is not a variable name: letters, digits and _, not starting with a digit.
v-env-tz = Set TZ with the Time zone field below.
v-env-duplicate = { $value } is set twice.
v-tz-format = “{ $value }” is not a time zone: use a name like Asia/Shanghai or UTC.
v-registry-server_empty = Enter the registry address.
v-registry-scheme = “{ $value }”: leave out https://, enter only host[:port].
v-registry-server = “{ $value }” is not a registry address: host[:port], no path.
v-registry-repo_empty = Enter the repository, e.g. team/hello.
v-registry-repo_tag = “{ $value }”: no tag here, Ferry tags each release with its version.
v-registry-repo_case = “{ $value }”: repositories are lowercase.
v-registry-repo_format = “{ $value }” is not a repository: lowercase words separated by /, e.g. team/hello.

## deploy screen

deploy-title = Deploy { $project }
deploy-title_rollback = Roll back { $project }
deploy-title_switch = Switching { $project } to { $version }
deploy-cancelling = Cancelling…
deploy-cancelled = Cancelled.
deploy-open_dashboard = Open the dashboard
deploy-log = Log
deploy-key_unknown = The server’s host key is not pinned yet. Check this fingerprint on the server before trusting it:
deploy-key_changed = Ferry will not connect. Check the key on the server’s console, then pin the right one in the wizard.
deploy-preflight-title = The deploy stopped before building
deploy-preflight-body = The preflight checks found errors: nothing was built or changed on the server. Fix them, then retry.
deploy-preflight-findings = Preflight checks of this deploy
phase-idle = Not started
phase-running = Running
phase-finished = Deployed
phase-failed = Failed
phase-cancelled = Cancelled
group-build = Build image
group-ship = Push or send image
group-push = Push to registry
group-transfer = Send over SSH
group-deploy = Deploy on server
group-health = Health check
group-rollback = Roll back
substep-connect = connect
substep-probe = probe
substep-check = check
substep-pull = pull
substep-start = start
state-pending = waiting
state-running = running
state-done = done
state-failed = failed
progress-steps = { $current } / { $total } steps
diagnosis-title = The deploy failed
diagnosis-hint = What to do:
diagnosis-exit_code = exit code { $code }
diagnosis-oom = killed: out of memory (OOMKilled)
diagnosis-restored = The previous release { $version } is running again.
diagnosis-untouched = Release { $version } was never stopped and still serves: the new one failed beside it.
diagnosis-log_tail = The container’s last { $n } log lines
history-title = Deploy history
history-empty = No deploys yet.
history-version = Version
history-time = Time
history-result = Result
history-duration = Duration
history-message = Message
result-finished = deployed
result-failed = failed
result-cancelled = cancelled

## preflight (doctor findings)

preflight-title = Preflight checks
preflight-running = Checking…
preflight-failed = The checks did not finish
preflight-none = No problems found
preflight-errors = { $n } errors
preflight-errors-one = { $n } error
preflight-warnings = { $n } warnings
preflight-warnings-one = { $n } warning
preflight-notes = { $n } notes
preflight-notes-one = { $n } note
preflight-recheck = Check again
preflight-evidence = What Ferry saw
preflight-fix = Fix:
preflight-error = The checks could not run:
preflight-preview-files = Ferry will write these files in the project folder:
preflight-preview-new = new file, { $n } lines
preflight-preview-replace = replaces the file: { $n } lines, { $eol } line endings
preflight-preview-commands = Ferry will run these commands on the server, exactly as shown:
preflight-apply = Apply
preflight-applying = Applying…
preflight-applied = Applied: { $label }.
preflight-applied_checking = Applied: { $label }. Checking again…
preflight-refused = Not applied, nothing was changed:
preflight-apply_failed = The fix failed:
severity-error = Error
severity-warning = Warning
severity-info = Info

## actions

action-deploy = Deploy
action-redeploy = Redeploy
action-rollback = Roll back
action-retry = Retry
action-restart = Restart
action-stop = Stop
action-start = Start
action-logs = Logs

## logs

log-jump = Latest
log-search = Search the log
log-only_matching = Only matching lines
log-matches = { $n } matching lines
log-count = { $n } lines
log-dropped = { $n } earlier lines are not shown.
log-empty = Nothing yet.
logs-title = Logs: { $app }
logs-lines = Last
logs-follow = Follow
logs-load = Load
logs-restart = Reload
logs-stop = Stop
logs-waiting = Waiting for the server…
logs-following = Following: new lines appear as the container prints them.
logs-since = Since
logs-since-all = any time
logs-since-15m = last 15 minutes
logs-since-1h = last hour
logs-since-6h = last 6 hours
logs-since-24h = last 24 hours
logs-zone = times in { $zone }
logs-save = Save…
logs-saved = Saved to { $path }
logs-save_failed = Could not save the log: { $error }

## dashboard

dash-title = Dashboard
dash-refresh = Refreshes every 5 s
dash-empty-title = No deployments yet
dash-empty-body = Set up your first Go service: Ferry walks you through it.
dash-col-app = App
dash-col-state = State · health
dash-col-release = Version · ports
dash-no_health = no health check
dash-no_answer = no answer
dash-col-uptime = Uptime
dash-col-memory = Memory
dash-col-actions = Actions
dash-restarts = restarts
dash-loading = loading…
dash-error_plain = Cannot read the status:
dash-unreachable = unreachable
dash-error = Cannot read the status from { $host }:
dash-cpu_trend = CPU of { $app }, last minutes
dash-memory_trend = Memory of { $app }, last minutes
dash-actions_for = Actions for { $app }
dash-rollback_to = Back to release { $version }
dash-no_previous = No earlier release kept on the server
dash-remove = Remove { $app } from the dashboard
dash-open_app = Open { $app }: charts, releases, log
dash-open_server = Open the server { $host }: host and every container
dash-last_seen = last answer { $ago } ago
dash-never_seen = no answer yet
dash-servers = Servers
cstate-running = running
cstate-exited = exited
cstate-restarting = restarting
cstate-paused = paused
cstate-created = created
cstate-dead = dead
cstate-removing = removing
cstate-missing = not deployed

## Review: the deploy plan

review-plan = Show the plan
review-plan-help = Saves ferry.toml, asks the server and this computer, and shows what a deploy would do. Builds nothing, changes nothing.
review-plan-loading = Working out the plan…
review-plan-error = No plan: { $message }
review-plan-title = What Deploy will do ({ $version })
review-plan-platform = Platform
review-plan-platform-server_arch = { $platform }, the server’s architecture ({ $machine })
review-plan-platform-configured = { $platform }, as configured (the server is { $machine })
review-plan-builder = Builder
review-plan-builder-configured = { $builder }, as configured in ferry.toml
review-plan-builder-engine_answers = { $builder }: the Docker engine here answers
review-plan-builder-no_engine = { $builder }: no Docker engine answered here
review-plan-main = Main package
review-plan-main-value = { $main } in { $module }
review-plan-target = Target
review-plan-target-value = { $goos }/{ $goarch }, compiled on this computer; Ferry assembles the image
review-plan-dockerfile-ignored = The project’s { $path } is not used: the Go builder compiles the module and assembles the image without it, so whatever that Dockerfile adds (packages, files, USER, ENTRYPOINT) is not in the image. To use it, build with Docker (step “{ $step }”).
review-plan-dockerfile = Dockerfile
review-plan-dockerfile-own = { $path }, the project’s own
review-plan-dockerfile-generated = { $path }, generated ({ $builder } → { $runtime })
review-plan-transport = Image route
review-plan-transport-registry = pushed to { $image }, pulled by the server
review-plan-transport-ssh = sent over SSH into the server’s Docker engine
review-plan-container = Container
review-plan-container-value = { $name }, ports { $ports }, restart { $restart }, { $strategy }
review-plan-secret_env = Secret env
review-plan-secret_env-value = { $names } (values from the keyring, never shown)
review-plan-health = Health gate
review-plan-health-http = GET { $path } on port { $port }, within { $timeout } s
review-plan-health-up = stays up (no health path), within { $timeout } s
review-plan-url = URL

## The server page

common-back = Back
usage-used_of = { $used } of { $total } used
srv-title = Server
srv-seen = seen { $ago } ago
srv-cost = { $ms } · { $bytes }
srv-cost_help = What the last refresh cost: one batched command over SSH, its time and the bytes the server sent
srv-loading = Asking the server…
srv-unreachable = Unreachable since { $since } · last seen { $seen }
srv-unreachable_never = Unreachable since { $since } · no answer yet
srv-host = Host
srv-os = System
srv-kernel = Kernel
srv-arch = Architecture
srv-uptime = Up for
srv-load = Load (1 / 5 / 15 min)
srv-cpus = CPUs
srv-docker_value = { $version } · storage driver { $driver }
srv-docker_root = Docker root directory
srv-usage = Memory and disks
srv-memory = Memory
srv-available = { $n } available
srv-swap = Swap
srv-no_swap = none
srv-disk_root = Disk /
srv-disk_docker = Docker’s disk
srv-disk_note = { $path } on { $mount }
srv-disk_same = { $path } on { $mount }, the same filesystem as /
srv-containers = Containers
srv-no_containers = No containers on this server.
srv-col-name = Name
srv-col-image = Image
srv-col-restarts = Restarts
srv-col-ports = Ports
srv-not_ferry = not Ferry’s

## The app page

detail-version = Version
detail-chart_cpu = CPU, last 30 minutes
detail-chart_memory = Memory, last 30 minutes
detail-limit = limit
detail-time = Time
detail-now = now { $value }
detail-releases = Releases on the server
detail-keep = keeps { $n }
detail-col-version = Version
detail-col-size = Size
detail-col-deployed_at = Deployed
detail-col-deployed_by = By
detail-running = running
detail-switch_to = Switch to
detail-no_releases = No releases kept on the server.
