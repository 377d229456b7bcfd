# Ferry 核心的文字：错误、步骤、诊断。

test-plural = { $count } 个问题
cancelled = 已取消：服务器上正在运行的版本保持原样

## SSH

ssh-unreachable-dns = 找不到 { $host }：域名无法解析（{ $detail }）。请检查 ferry.toml 中的 host，以及本机的 DNS 或网络。
ssh-unreachable-timeout = { $host } 没有响应（{ $detail }）。请检查主机和端口、服务器是否开机，以及是否有防火墙丢弃了该端口的 SSH 连接。
ssh-unreachable-refused = { $host } 拒绝了连接：该端口没有程序在监听，或被防火墙拒绝。请检查 ferry.toml 中的端口，以及服务器上的 sshd 是否在运行。
ssh-unreachable-no-route = 没有到 { $host } 的路由（{ $detail }）。请检查地址、本机网络或 VPN，以及沿途的防火墙。
ssh-unreachable-other = 无法连接到 { $host }：{ $detail }。请检查主机、端口和防火墙。
ssh-handshake = { $host } 接受了 TCP 连接，但 SSH 握手失败：{ $detail }。请确认该端口是 SSH 服务（sshd）的端口，且服务器上的 sshd 工作正常。
ssh-key-origin-pinned = ferry.toml 中的 host_key
ssh-key-origin-trusted = 你之前接受的指纹
ssh-key-origin-known-hosts = { $path } 第 { $line } 行
ssh-key-fix-pinned = 在服务器上核对之后，把 ferry.toml 中的 host_key 改为 "{ $actual }"
ssh-key-fix-trusted = 在接受新的指纹之前，请先在服务器上再次核对
ssh-key-fix-known-hosts = 用 `ssh-keygen -R '{ $name }' -f { $path }` 删除旧条目后重新连接
ssh-host-key-mismatch = 服务器的主机密钥变了：{ $host } 现在出示的 { $key_type } 密钥是 { $actual }，但 { $whence } 记录的是 { $expected }。这可能意味着有人在拦截连接；除非你知道原因，否则不要继续。如果服务器重装过，请{ $fix }。
ssh-unknown-host-key = { $host } 还不是已知的服务器。它的 { $key_type } 主机密钥指纹是 { $fingerprint }。请在服务器上核对（在其控制台执行 `ssh-keygen -lf /etc/ssh/ssh_host_{ $short }_key.pub`）；一致的话，用 `--trust-host-key { $fingerprint }` 重新运行，或在 ferry.toml 中写上 `host_key = "{ $fingerprint }"` 固定它。
ssh-host-key-revoked = { $host } 的 { $key_type } 主机密钥（{ $fingerprint }）在 { $path } 第 { $line } 行被标记为 @revoked：Ferry 不会连接。请向服务器管理员索取新的密钥。
ssh-invalid-fingerprint = 作为 { $field } 给出的 `{ $value }` 不是 OpenSSH 的 SHA256 指纹；它应形如 SHA256:9f1kWfU0kY5tqE9r0l8hQvH0c3m2p6s4dX2cS7jQe1Y（即 `ssh-keygen -lf` 的输出）
ssh-key-file-missing = SSH 密钥文件 { $path } 不存在。请检查 ferry.toml 中的 identity_file。
ssh-key-needs-passphrase = SSH 密钥 { $path } 有密码保护，但没有提供密码。请为本次运行设置 FERRY_SSH_KEY_PASSPHRASE、把它保存到系统钥匙串，或把密钥加入 SSH agent（`ssh-add`）。
ssh-key-unreadable = 无法使用 SSH 密钥 { $path }：{ $detail }。{ $passphrase ->
    [given] 请检查密码（FERRY_SSH_KEY_PASSPHRASE 或钥匙串中的），以及该文件是否为 OpenSSH 或 PEM 格式的私钥。
   *[none] 请检查该文件是否为 OpenSSH 或 PEM 格式的私钥，以及你是否有权读取它。
}
ssh-auth-no-way = 无法以 `{ $user }` 登录 { $host }：没有设置 identity_file，没有运行带密钥的 SSH agent，~/.ssh 中没有密钥，也没有保存密码。{ $accepted }请在 ferry.toml 中设置 identity_file，或保存该服务器的密码。
ssh-auth-accepts = 服务器接受：{ $methods }。
ssh-auth-server-closed = 服务器在尝试过程中断开了连接（提供的密钥太多？sshd 的 MaxAuthTries）。
ssh-auth-refused = { $host } 拒绝了以 `{ $user }` 登录（已尝试：{ $tried }）。{ $accepted }{ $closed }请检查用户名、你的公钥是否在服务器的 ~{ $user }/.ssh/authorized_keys 中，或保存的密码是否正确。
ssh-auth-identity-file = 密钥文件
ssh-auth-agent = SSH agent
ssh-auth-default-keys = 默认密钥（~/.ssh/id_*）
ssh-auth-password = 密码
ssh-auth-keyboard = 键盘交互
ssh-channel = 无法在 { $host } 上{ $action }：{ $detail }
ssh-disconnected = 在{ $action }时，到 { $host } 的 SSH 连接断开了：{ $detail }。请检查网络和服务器是否在线，然后重试。
ssh-forwarding-refused = { $host } 不允许 SSH 端口转发（{ $detail }），Ferry 无法直接访问服务器本机的端口
ssh-port-closed = 服务器 { $host } 上的 { $addr }:{ $port } 没有程序响应（连接被拒绝）
ssh-http-timeout = 服务器 { $host } 上的 { $addr }:{ $port } 在 { $secs } 秒内没有 HTTP 响应
ssh-bad-http-response = 服务器 { $host } 上的 { $addr }:{ $port } 没有以 HTTP 响应：{ $said ->
    [none] 它一言不发地关闭了连接
   *[some] 它返回了 `{ $response }`
}
ssh-command-timeout = { $host } 上的 `{ $command }` { $idle ->
    [yes] 已有
   *[no] 在
} { $secs } 秒{ $idle ->
    [yes] 没有任何输出
   *[no] 内没有完成
}；Ferry 不再等待（连接可能已断开）
ssh-invalid-http-path = `{ $path }` 不是有效的 HTTP 路径：必须以 `/` 开头，且不含空格或控制字符
ssh-input = 读取要发送到 { $host } 的数据失败：{ $detail }
ssh-action-open = 打开到 { $addr }:{ $port } 的连接
ssh-action-http = 通过 HTTP 访问 { $addr }:{ $port }
ssh-action-run = 运行 `{ $command }`
ssh-action-running = 运行 `{ $command }`
ssh-action-wait = 等待 `{ $command }` 结束

## 公用片段

empty = {""}
as-is = { $text }

## 版本与切换

release-foreign-container = 服务器上已有一个名为 `{ $name }` 的容器在运行，它不是 Ferry 启动的。请重命名或删除它（`docker rename { $name } { $name }-old`），或在 [app] 中换一个 `name`。
release-nothing-to-roll-back = 服务器上没有 `{ $app }` 的上一个版本可以回滚
release-already-running = `{ $app }` 的版本 { $version } 正是当前运行的版本，无需切换（`ferry releases` 列出保留的版本）
release-not-kept = 服务器上没有保留 `{ $app }` 的版本 { $version }；保留的版本：{ $kept }（`ferry releases` 可列出）
release-previous-untouched = 版本 { $version } 从未停止，仍在提供服务
release-previous-restored = 上一个版本 { $version } 已重新运行
release-unhealthy = { $summary }{ $previous }{ $hint }
release-part-previous = ；{ $text }
release-part-hint = 。{ $text }
release-interrupted-cancelled = 已取消：放弃了新版本
release-interrupted-failed = 版本切换中止：{ $error }
release-serves-again = 版本 { $version } 已恢复服务
release-new-removed = 新版本已删除
release-switch-completed = 版本 { $version } 已通过健康检查，因此完成了到它的切换
release-switch-pending = Ferry 无法连接服务器来{ $has_previous ->
    [no] 删除新版本
   *[yes] 恢复版本 { $previous }
}：服务器上保留了这次切换的记录，下一条针对 `{ $app }` 的 `ferry` 命令（例如 `ferry status`）会先完成它
release-interrupted = { $what }；{ $now }
release-cancel-putting-back = 已取消：放弃新版本，正在恢复版本 { $version }
release-cancel-abandoning = 已取消：放弃新版本
release-switch-stopped = 切换中止：{ $error }
release-prune-failed = 旧版本没有被删除：{ $error }
restore-gave-up = 无法完成恢复：{ $error }
restore-retrying = 暂时无法恢复上一个版本（{ $error }）；{ $secs } 秒后重试
restore-left-alone = 服务器上记录着 `{ $app }` 的一次版本切换，暂不处理：{ $error }
restore-finishing-committed = `{ $app }` 到版本 { $version } 的切换在通过健康检查后被中断：正在完成它
restore-putting-back = `{ $app }` 到版本 { $version } 的切换被中断（{ $holder }）：正在恢复版本 { $previous }
restore-removing-first = `{ $app }` 的首次部署（版本 { $version }）被中断：正在删除它
restore-removed-interrupted = 被中断的版本已删除
restore-serves = 版本 { $version } 在提供服务

## 部署锁

lock-held = 服务器上正在进行 `{ $app }` 的另一次部署或回滚（{ $holder }，{ $age } 秒前仍在活动）；没有做任何改动。请等它结束：部署停止维持的锁会在 { $stale } 秒后被接管。
lock-lost = 在本次切换进行时，`{ $app }` 的部署锁被 { $holder } 接管了（它已 { $stale } 秒没有刷新）；本次切换已停止
lock-holder = 来自 { $machine } 的 { $what }
lock-holder-unknown = 持有者未知
lock-holder-another = 另一次部署
lock-took-over-gone = 接管了 { $holder } 的部署锁：那个 Ferry 已不在运行
lock-took-over-stale = 接管了一个 { $age } 秒无人维持的部署锁（{ $holder }）

## 服务器

server-command-failed = 服务器上的 `{ $command }` 失败了（退出码 { $status }）：{ $stderr }
server-docker-missing = 服务器（{ $host }）上没有安装 Docker。请安装 Docker CE（CentOS 上：从 Docker 的软件源执行 `sudo yum install -y docker-ce`），并用 `sudo systemctl enable --now docker` 启动它。
server-docker-not-running = 服务器（{ $host }）上装了 Docker，但引擎没有运行：`sudo systemctl enable --now docker`。（{ $detail }）
server-docker-denied = 用户 `{ $user }` 无权使用服务器上的 Docker（其 socket 提示 permission denied），也没有免密码的 `sudo`。请把该用户加入 docker 组（`sudo usermod -aG docker { $user }`，然后重新登录），或允许它免密码 sudo 执行 docker。
server-unknown-arch = 服务器的 CPU 是 `{ $arch }`，Ferry 无法为它构建：请明确选择 linux/amd64 或 linux/arm64
server-registry-ca = 服务器不信任镜像仓库 { $registry } 的证书：请把仓库的 CA 证书复制到服务器的 /etc/docker/certs.d/{ $registry }/ca.crt。（{ $stderr }）
server-registry-rejected = 服务器登录时，镜像仓库 { $registry } 拒绝了用户 `{ $user }`：请检查为它保存的密码。（{ $stderr }）
server-registry-login = 服务器无法登录镜像仓库 { $registry }：{ $stderr }
server-pull-failed = 服务器无法拉取 { $image }：{ $stderr }
server-load-disk-full = 服务器在加载新镜像时磁盘空间用完了；正在运行的版本没有被改动。请在服务器上腾出空间（`docker image prune -a` 会删除没有容器使用的镜像；`df -h /var/lib/docker` 可查看使用情况），然后重新部署。（{ $stderr }）
server-load-failed = 服务器上的 `docker load` 失败了；正在运行的版本没有被改动：{ $stderr }
server-parse = 服务器对 `{ $command }` 的回答出乎意料：{ $detail }

## 密钥与钥匙串

secrets-unavailable = 系统钥匙串不可用（{ $detail }）。在 Linux 上请启动一个 Secret Service（GNOME Keyring 或 KeePassXC），或为本次运行把密码放在 FERRY_REGISTRY_PASSWORD / FERRY_SSH_PASSWORD / FERRY_SSH_KEY_PASSPHRASE 中。
secrets-entry = 钥匙串条目 `{ $name }`：{ $detail }
secrets-bad-name = `{ $name }` 不是 Ferry 的密钥名称：请使用 registry/仓库地址/用户名、ssh/用户@主机:端口、ssh-key/路径 或 env/应用/变量名
secrets-empty = 没有给出 `{ $name }` 的值：请从标准输入传入，例如 `echo -n 密码 | ferry secret set { $name }`
secrets-env-bad-app = 密钥变量 { $name }：{ $detail }
secrets-env-bad-name = `{ $name }` 不是环境变量名：只能用字母、数字和 `_`，且不能以数字开头（例如 DB_PASSWORD）
secrets-env-empty = 没有给出 { $name } 的值：请输入它，以保存为 `{ $entry }`（空的密钥不会被保存）
secrets-env-nul = { $name } 的值中含有 NUL 字符（\u0000），环境变量无法容纳它：请删除它

## 整个操作的错误

error-missing-registry-password = 没有镜像仓库 { $server }（用户 `{ $user }`）的密码：请用 `ferry secret set { $entry }` 保存（从标准输入读取），或为本次运行设置 FERRY_REGISTRY_PASSWORD
error-missing-secret-env = 密钥变量 { $name }（列在 secret_env 中）没有值：请用 `ferry secret set { $entry }` 保存（从标准输入读取），或为本次运行设置 FERRY_SECRET_{ $name }。没有构建或改动任何东西。
error-platform-mismatch = ferry.toml 要求 { $wanted }，但服务器 { $host } 是 { $machine }（{ $server_platform }）：容器会因 "exec format error" 而失败。请在 [app] 中设置 platform = "auto" 或 "{ $server_platform }"。
error-windows-containers = 本机的 Docker 运行的是 Windows 容器；Ferry 构建的是 Linux 镜像。请在 Docker Desktop 中选择 "Switch to Linux containers..." 后重试。
error-missing-dockerfile = ferry.toml 中指定的 Dockerfile `{ $path }` 不在构建上下文中
error-preflight = 预检发现了 { $count } 个会导致部署失败的问题：{ $problems }。没有构建任何东西，也没有改动服务器。运行 `ferry doctor` 查看详情和修复方法。
error-no-container = 服务器上没有容器 `{ $app }`：请先用 `ferry deploy` 部署它
error-logs-ended = `docker logs` 以状态 { $status } 结束

## 版本或镜像仓库失败的原因

diagnosis-exit-code = （退出码 { $code }）
diagnosis-could-not-start = 新容器无法启动
diagnosis-stopped = 新容器停止了{ $code }
diagnosis-restarting = 新容器不断重启{ $code }
diagnosis-health-timeout = 健康检查在 { $secs } 秒内没有通过（最后的响应：{ $answer }）
diagnosis-push-refused = 镜像仓库拒绝了推送
diagnosis-pull-failed = 服务器无法从镜像仓库拉取镜像
diagnosis-login-failed = 服务器无法登录镜像仓库
cause-exec-format = 镜像的 CPU 架构与服务器不同（"exec format error"）：在 ferry.toml 的 [app] 中设置 platform = "auto"（或服务器的架构），不要在 Dockerfile 或构建脚本里写死 GOARCH
cause-oom-killed = 容器使用的内存超过了限制，被内核杀掉（OOMKilled，退出码 137）：调大 ferry.toml 中 [container] 的 memory，或查明是什么占用了内存
cause-segfault = 程序因段错误崩溃（退出码 139）：常见原因是开启 CGO 编译的程序运行在缺少对应 C 库的镜像上；请用 CGO_ENABLED=0 构建
cause-address-in-use = 服务器上的端口已被占用：停掉占用它的程序（`ss -ltnp` 可查看），或在 [container] 的 ports 中换一个端口
cause-permission-denied = 程序访问文件被拒绝：挂载卷上通常是 SELinux 所致（在 ferry.toml 的卷后加 `:Z`），或服务器上目录的属主不对（应用以 uid 65532 运行：`sudo chown -R 65532:65532 目录`）
cause-no-such-file = 容器启动时找不到文件：脚本是 Windows（CRLF）换行（解释器变成了 `/bin/sh\r`）、镜像里没有所需的解释器（alpine 或 scratch 中没有 bash），或开启 CGO 的程序运行在 scratch/alpine 上（请用 CGO_ENABLED=0 构建）
cause-registry-ca = Docker 不信任镜像仓库的 TLS 证书（"x509: certificate signed by unknown authority"）：把签发它的 CA 证书放到出错那台机器的 /etc/docker/certs.d/仓库地址/ca.crt（拉取失败是服务器，推送失败是本机 Docker Desktop），然后重试
cause-registry-unauthorized = 镜像仓库拒绝登录（401）：检查 [registry] 中的用户名，并用 `ferry secret set registry/仓库地址/用户名` 保存正确的密码（阿里云 ACR 用的是控制台里设置的仓库密码，不是阿里云账号密码）
cause-registry-denied = 镜像仓库接受了登录，但拒绝访问该仓库（403）：先创建仓库（或命名空间），或给该用户推送/拉取权限
cause-registry-not-found = 镜像仓库中没有这个镜像或仓库（404）：检查 [registry] 中的 repository；推送可能用了别的名字
cause-restart-loop = 容器每次启动后很快退出，Docker 不断重启它：请看下面最后几行日志中的第一个错误
cause-health-timeout = 检查应用是否在容器端口上监听 0.0.0.0（而不是 127.0.0.1）并能响应健康检查路径，或调大 [health] 的 timeout_secs
cause-crashed = 请看下面容器最后几行日志

## 操作的步骤及其报告

step-connect = 正在连接 { $user }@{ $host }:{ $port }
step-connect-done = 已连接；主机密钥 { $fingerprint }
step-probe = 正在查看服务器
step-probe-done = { $os }，{ $machine }，Docker { $docker }{ $sudo ->
    [yes] （通过 sudo）
   *[no] {""}
}
step-build = 正在为 { $platform } 构建 { $tag }（Docker { $docker }）
step-build-done = 已构建 { $tag }（{ $platform }，{ $size }）
step-build-generated-dockerfile = 没有 Dockerfile：为 { $module } 生成一个（{ $builder } → { $runtime }）
step-push = 正在推送到 { $image }
step-pull = 服务器正在拉取 { $image }
step-pull-done = 已拉取
step-transfer = 正在通过 SSH 发送 { $image }（{ $size }）
step-start = 正在启动版本 { $version }（{ $strategy }）
step-start-done = 版本 { $version } 健康
step-status = 正在读取应用的容器
step-status-done = { $app } 的状态：{ $state }
step-check-all = 正在检查本机、项目和服务器
step-check-preflight = 正在检查项目和服务器
step-fix = 正在修复 { $id }：{ $label }
step-fix-done = 已修复
fix-wrote = 已写入 { $path }
rollback-already-undone = 被中断的到版本 { $version } 的切换已撤销：版本 { $to } 已恢复服务；无需再回滚
build-classic-builder = 这个 Docker 引擎没有 BuildKit：改用经典构建器，它只能为引擎自身的平台（{ $platform }）构建
build-crlf-script = { $path } 使用 Windows（CRLF）换行；已转为 LF 换行发送，以便在 Linux 上运行（用 LF 保存该文件即可消除此提示）
doctor-no-problems = 没有发现问题
doctor-summary = { $errors } 个错误，{ $warnings } 个警告
step-rollback = 正在回滚到版本 { $version }
deploy-live = { $app } { $version } 已上线：{ $url }
deploy-running = { $app } { $version } 正在运行
rollback-done = { $version } 已重新运行

## 命令行

cli-error = 错误：{ $message }
cli-hint = 提示：{ $hint }
cli-last-log-lines = 失败版本的最后几行日志：
cli-interrupted = 已中断
cli-stopping = 正在停止：进行中的版本切换会先恢复上一个版本（再按一次 Ctrl-C 立即退出）
cli-interrupted-again = 再次中断：立即退出。如果有版本切换正在进行，服务器上会保留它的记录，下一条针对该应用的 `ferry` 命令（例如 `ferry status`）会先恢复上一个版本。
cli-fix-applied = 已应用：{ $label }
cli-built = 已为 { $platform } 构建 { $tag }
cli-end-of-log = 日志结束
cli-no-current-folder = 无法读取当前文件夹：{ $detail }
cli-bad-platform = `{ $platform }` 不是 Ferry 能构建的平台：请使用 linux/amd64 或 linux/arm64
cli-secret-stdin = 无法从标准输入读取密钥：{ $detail }
cli-secret-done = { $verb ->
    [saved] 已把 { $name } 保存到系统钥匙串
    [deleted] 已从系统钥匙串删除 { $name }
   *[other] 系统钥匙串中没有 { $name }
}

## ferry.toml

config-read = 无法读取 { $path }：{ $detail }。请在你的 Go 项目文件夹中运行 Ferry，或用 --config 指定路径。
config-at = { $path }:{ $line }:{ $column }：{ $message }
config-in-file = { $path }：{ $message }
config-field = { $key }：{ $message }
config-write = 无法写入 { $path }：{ $detail }
config-not-round-trip = 这些设置写成 TOML 后无法原样读回
config-timeout-range = timeout_secs = { $value } 超出范围：版本通过健康检查的时限是 1 到 { $max } 秒（例如 30）
config-keep-range = keep_releases = { $value } 超出范围：服务器上保留 1 到 { $max } 个版本（正在运行的一个，以及 `ferry rollback` 可以回退到的版本；例如 3）
config-container-name = `{ $value }` 不是有效的容器名：只能用字母、数字、`_`、`.` 和 `-`，并以字母或数字开头（例如 "hello-api"）
config-nul = { $what ->
    [health-path] 健康检查路径
    [volume] 这个卷
   *[value] 这个值
}含有 NUL 字符（\u0000），任何命令都无法携带它：请删除它
config-control-char = { $what ->
    [health-path] 健康检查路径
    [volume] 这个卷
   *[value] 这个值
}含有控制字符 U+{ $code }：请删除它
config-one-word = `{ $value }` 必须是一个词，不能有空格
config-env-name = `{ $value }` 不是环境变量名：只能用字母、数字和 `_`，且不能以数字开头（例如 DB_HOST）
config-health-path-slash = [health] 的 path `{ $value }` 必须以 `/` 开头，例如 "/healthz"
config-health-path-space = 健康检查路径 `{ $value }` 含有空格：请写成 URL 编码（%20）
config-health-no-port = 设置了 [health] 的 path，但没有发布任何端口：请在 [container] 中加上 `ports = ["8080:8080"]`，或在 [health] 中设置 `port`
config-health-port-zero = 0 不是端口：请写发布的端口，例如 8080
config-volume-windows = `{ $value }` 用的是 Windows 路径：卷在 Linux 服务器上，请写成 `/srv/app/data:/data`
config-volume-usage = `{ $value }` 不是卷：请写 `/srv/app/data:/data`（先是服务器路径，再是容器内路径），后面可以加 `:ro` 或 `:Z`
config-volume-relative = `{ $value }` 中的 `{ $host }` 既不是服务器上的绝对路径，也不是卷名：Docker 不接受相对路径或 `~` 路径。请写完整路径，例如 `/srv/app/data:{ $inside }`
config-volume-option = `{ $value }` 中的 `{ $option }` 不是卷选项：请用 ro、rw、z 或 Z（SELinux 标签）
config-volume-space = `{ $value }` 含有空格：Docker 的卷不能包含空格
config-memory-small = `{ $value }` 低于 Docker 的最小内存限制（6m）：请写例如 "64m"
config-memory = `{ $value }` 不是内存限制：请写带 k、m 或 g 的数字，例如 "256m" 或 "1g"
config-port = `{ $value }` 不是端口映射：请写 "服务器端口:容器端口"，例如 "8080:8080"
config-registry-scheme = [registry] 的 server `{ $server }` 必须是主机名，不要带 `https://`
config-registry-host = [registry] 的 server `{ $server }` 必须是主机名（可带端口），例如 registry.cn-hangzhou.aliyuncs.com 或 10.0.0.5:5000
config-secret-env-in-env = `{ $name }` 同时在 env 和 secret_env 中：请从 env 中删除它（它的值应放在钥匙串里：`ferry secret set env/{ $app }/{ $name }`）
config-secret-env-twice = `{ $name }` 在 secret_env 中列了两次

## 本机的 Docker 引擎

docker-unreachable = Docker 没有运行（无法连接 { $address }）：请启动 Docker Desktop 或 docker 服务后重试
docker-permission-denied = 没有权限使用 { $address } 上的 Docker 引擎：请把你的用户加入 `docker` 组（`sudo usermod -aG docker $USER`，然后注销再登录）
docker-invalid-platform = `{ $platform }` 不是平台：应为 os/arch，例如 linux/amd64 或 linux/arm64
docker-buildkit-required = 在这个 { $native } 的 Docker 引擎上为 { $platform } 构建需要 BuildKit，而该引擎不提供：跨架构构建需要 Linux 上的 Docker 18.09+ 或 Docker Desktop
docker-build-failed = 构建在 `{ $step }` 处失败：
    { $detail }
docker-arch-mismatch = 镜像是为 { $got } 构建的，而不是 { $wanted }：服务器会以 "exec format error" 拒绝运行它。请检查 Dockerfile 的 FROM 行没有固定平台，且构建使用了 TARGETOS/TARGETARCH
docker-image-not-found = 本机 Docker 引擎中没有镜像 `{ $reference }`
docker-registry-auth = 镜像仓库 { $server } 拒绝了用户 `{ $user }`：请检查为它保存的密码
docker-registry-unreachable = 无法连接镜像仓库 { $server }：请检查它是否在运行，以及地址和端口是否正确（{ $detail }）
docker-login-failed = 登录镜像仓库 { $server } 失败：{ $detail }
docker-engine = Docker 引擎在{ $action }时出错：{ $detail }
docker-push-broken = 推送到镜像仓库 { $server } 失败：连接中途断开（{ $detail }）。服务器上没有任何改动。请检查到镜像仓库的网络（代理、VPN、上行带宽），然后重新部署：已推送的层不会再次发送。
docker-push-failed = 推送到镜像仓库 { $server } 失败：{ $detail }
docker-registry-plain-http = 镜像仓库 { $server } 用明文 HTTP 响应，但 Docker 只通过 HTTPS 推送：请为它启用 TLS，或把它加入 Docker daemon.json 的 "insecure-registries"（{ $detail }）
docker-registry-cert-name = 镜像仓库 { $server } 的 TLS 证书中没有 { $server } 这个名字：请重新签发证书，在 subjectAltName 中包含该地址（{ $detail }）
docker-registry-untrusted = Docker 不信任镜像仓库 { $server } 的 TLS 证书（{ $detail }）：请把签发它的 CA 证书安装为 /etc/docker/certs.d/{ $server }/ca.crt（Docker Desktop：macOS 上是 ~/.docker/certs.d/{ $server }/ca.crt，Windows 上加入受信任的根证书），重启 Docker Desktop 后重试
docker-action-version = 查询版本
docker-action-build = 构建镜像
docker-action-inspect = 查看镜像 { $image }
docker-action-list = 列出镜像
docker-action-info = 查询设置
docker-action-tag = 把 { $source } 标记为 { $target }
docker-action-push = 推送 { $image }
docker-action-export = 导出镜像 { $image }
docker-action-login = 登录镜像仓库 { $server }

## 构建上下文与 Go 模块

context-root = 无法读取构建上下文文件夹 { $path }：{ $detail }。请检查 ferry.toml 中 [app] 的 context 指向一个存在的文件夹。
context-read = 无法读取构建上下文中的 { $path }：{ $detail }。请关闭锁定它的程序，或把它加入 .dockerignore。
context-non-utf8 = "{ $path }" 的文件名不是有效的 UTF-8（无法识别的部分显示为 �）：Docker 和 Linux 需要 UTF-8 文件名。请重命名它，或把它加入 .dockerignore。
context-extra-path = 无法把生成的文件 `{ $path }` 加入构建上下文：它的路径必须是相对路径，并且在上下文之内
context-tar = 无法把 { $path } 加入构建上下文的 tar：{ $detail }
dockerignore-read = 无法读取 { $path }：{ $detail }。请确认 Ferry 有权读取它，或删除它。
dockerignore-bad-pattern = { $file } 第 { $line } 行：`{ $pattern }` 不是有效的模式（{ $reason }）。Docker 也会拒绝它：请修正或删除这一行。
gomod-none = { $root } 中没有 go.mod：Ferry 构建的是 Go 模块。请在那里运行 `go mod init <模块路径>`，把 ferry.toml 中 [app] 的 context 设为含有 go.mod 的文件夹，或提交你自己的 Dockerfile。
gomod-read = 无法读取 { $path }：{ $detail }
gomod-no-module = { $path } 中没有 `module` 行：请在文件开头加上一行，例如 `module example.com/myapp`。
gomod-no-main = { $root } 及其 cmd/<名称>/ 文件夹中都没有 `package main`，Ferry 不知道要构建什么。请在 ferry.toml 的 [app] 中把 main = "./path/to/main" 设为你的程序 main 包所在的文件夹。
gomod-no-main-found = { $root } 及其 cmd/<名称>/ 文件夹中都没有 `package main`，Ferry 不知道要构建什么。找到的 main 包：{ $found }。请在 ferry.toml 的 [app] 中设置 main = "{ $first }" 来构建它。
gomod-several-mains = 在 { $root } 中找到多个 main 包：{ $found }。请选择要部署的一个：在 ferry.toml 的 [app] 中设置 main = "{ $first }"（或其他）。
gomod-bad-main = ferry.toml 中的 main = "{ $main }"：{ $problem }。请把它设为 main 包所在的文件夹（相对于构建上下文），例如 "./cmd/server"。
gomod-main-outside = 它必须是构建上下文中的一个文件夹
gomod-main-no-folder = 没有文件夹 { $dir }
gomod-main-not-main = { $dir } 中没有 `package main` 的 .go 文件
config-unknown-field = 未知的键 `{ $field }`，应为以下之一：{ $expected }
config-unknown-variant = 未知的值 `{ $value }`，应为以下之一：{ $expected }
config-missing-field = 缺少键 `{ $field }`：请加上它
config-invalid-type = 这里的类型不对（{ $got }）：应为 { $expected }
config-toml-syntax = 这不是有效的 TOML：{ $detail }
error-internal = Ferry 内部错误：{ $detail }（这是一个缺陷，请报告它）
diagnosis-load-failed = 服务器无法载入新镜像
cause-disk-full = 服务器磁盘已满：先释放一些空间（`docker image prune -a` 删除没有容器使用的镜像；`df -h /var/lib/docker` 查看占用情况），然后重试
cli-step-failed = { $step } 失败（{ $secs } 秒）

## ferry status

status-app-on = { $app }，位于 { $host }
status-app = 应用
status-state = 状态
status-health = 健康
status-http-check = HTTP 检查
status-version = 版本
status-image = 镜像
status-started = 启动于
status-restarts = 重启次数
status-ports = 端口
status-cpu = CPU
status-memory = 内存
status-previous = 可回滚版本
