### 诊断（doctor）的检查结果：每项检查的说明（`check-<类别>-<检查>`）、处理建议（`...-fix`）
### 和自动修复按钮的文字（`...-autofix`）。id 与检查结果的 id 对应。

## 几项检查共用的建议
-docker-ce-repo = https://mirrors.aliyun.com/docker-ce/linux/centos/docker-ce.repo
# 从 Docker 官方仓库（国内可访问的镜像）安装 Docker CE，适用于使用 yum 的 CentOS/RHEL。
check-docker-install = sudo yum install -y yum-utils && sudo yum-config-manager --add-repo { -docker-ce-repo } && sudo yum install -y docker-ce && sudo systemctl enable --now docker

## 本机：Docker 引擎和磁盘
check-local-docker_unreachable-fix = 启动 Docker Desktop（或 docker 服务）后重新检查
check-local-windows_containers = Docker Desktop 当前是 Windows 容器模式；Ferry 构建的是 Linux 镜像
check-local-windows_containers-fix = 在 Docker Desktop 托盘菜单中选择 "Switch to Linux containers..."
check-local-no_buildkit = Docker { $version } 不支持 BuildKit：只能构建 { $native_platform } 镜像
check-local-no_buildkit-fix = 升级 Docker（18.09 或更新）才能为其他架构构建
check-local-low_disk-error = Docker 构建目录只剩 { $gib } GiB 空间：构建会失败
check-local-low_disk-warning = Docker 构建目录只剩 { $gib } GiB 空间：Go 构建可能不够用
check-local-docker_unreachable = 无法连接本机的 Docker：{ $error }
check-local-docker_error = 本机 Docker 出错：{ $error }
check-local-low_disk-fix = 清理磁盘空间：`docker system prune` 会删除已停止的容器、无用的镜像和构建缓存
check-image-arch_mismatch = 上次为此应用构建的镜像（{ $tag }）是 { $image_arch }，但服务器是 { $machine }：直接运行会报 "exec format error"
check-image-arch_mismatch-fix = 用 Ferry 部署（会按服务器的 CPU 构建），或用 `--platform linux/{ $server_arch }` 构建

## Dockerfile
check-dockerfile-missing = ferry.toml 指定了 dockerfile = "{ $configured }"，但构建上下文 { $context } 中没有这个文件
check-dockerfile-missing-fix = 改正路径（相对于构建上下文），或删除 dockerfile 这一行，让 Ferry 使用 ./Dockerfile 或自动生成
check-dockerfile-cgo_runtime-musl = Go 程序在 { $builder }（glibc）上启用 cgo 编译，却运行在 { $runtime_name }（musl）中：可能报 "no such file or directory"，DNS 解析行为也可能不同
check-dockerfile-cgo_runtime-no_libc = Go 程序编译时没有关闭 cgo（未设置 CGO_ENABLED=0），却运行在没有 C 库的 { $runtime_name } 中：启动时会报 "no such file or directory"
check-dockerfile-cgo_runtime-autofix = 编译静态二进制（在构建阶段加入 ENV CGO_ENABLED=0）
check-dockerfile-cgo_runtime-fix = 在构建阶段第 { $line } 行之前加入 `ENV CGO_ENABLED=0`（或写成 `RUN CGO_ENABLED=0 go build ...`）
check-dockerfile-hardcoded_arch = Dockerfile 写死了 { $arch } 架构，但服务器需要 { $want }：容器会报 "exec format error"
check-dockerfile-hardcoded_arch-fix = 让构建跟随目标平台：在构建阶段声明 `ARG TARGETARCH`，用 `GOARCH=$TARGETARCH` 编译；构建阶段用 `FROM --platform=$BUILDPLATFORM`，最终阶段不要写 --platform
check-dockerfile-copy_before_download = 在 `go mod download` 之前复制了整个项目：每次改代码都会重新下载全部依赖（很慢，模块代理连不上时还会失败）
check-dockerfile-copy_before_download-fix = 在第 { $line } 行之前只复制模块文件并下载：`COPY { $sources } ./`，然后 `RUN go mod download`；这样只要 go.mod 不变，下载结果就一直走缓存
check-dockerfile-copy_before_download-autofix = 先下载依赖，再复制代码
check-dockerfile-latest_tag = 镜像没有写版本标签（或用了 latest）：上游一发布新版本，你的构建就跟着变，服务器上可能跑着没测试过的东西
check-dockerfile-scratch_no_ca = 最终镜像是 scratch，没有 CA 证书，而代码会发起 HTTPS 请求：会报 "x509: certificate signed by unknown authority"
check-dockerfile-scratch_no_ca-fix = 在最终阶段加入：`{ $copy }`
check-dockerfile-scratch_no_tzdata = 设置了 TZ={ $tz }，但镜像中没有时区数据库：time.LoadLocation 会失败，日志时间显示为 UTC
check-dockerfile-scratch_no_tzdata-fix = 把时区数据编进程序：在 `go build` 中加 `-tags timetzdata`，或在 main 包中加入 `import _ "time/tzdata"`{ $extra }
check-dockerfile-runs_as_root = 应用在容器中以 root 运行：程序一旦有漏洞，挂载进容器的所有内容都会被以 root 权限访问
check-dockerfile-runs_as_root-fix = 在最终阶段（ENTRYPOINT/CMD 之前）加入 `USER 65532:65532`。应用要写入的服务器目录（卷）也要属于这个用户：在服务器上执行 `{ $chown }`
check-dockerfile-expose_mismatch = ferry.toml 发布的是容器端口 { $container }，但 Dockerfile EXPOSE 的是 { $listed }：如果应用监听 { $listed }，服务器的 { $host } 端口将无法访问，健康检查会失败
check-dockerfile-expose_mismatch-fix = 让两者一致：如果应用监听 { $other }，在 ferry.toml 的 [container] 中设置 ports = ["{ $host }:{ $other }"]；否则把 Dockerfile 改为 `EXPOSE { $container }`
check-dockerfile-windows_path = Dockerfile 中使用了 Windows 路径：Linux 构建会把 `\` 当作文件名的一部分，也不认识盘符，这一步会报 "not found"
check-dockerfile-windows_path-fix = 使用 `/` 和相对于构建上下文的路径（第 { $line } 行）：例如 `COPY config/app.yaml /etc/app/`；上下文之外的文件需要先移到上下文中
check-dockerfile-windows_path-autofix = 把相对路径中的 \ 改成 /
check-dockerfile-latest_tag-fix_config = 在 ferry.toml 的 [app] 中为 builder_image / runtime_image 指定版本，例如 "{ $example }"
check-dockerfile-latest_tag-fix_from = 在每个 FROM 中写明版本，例如 `FROM { $example }`
check-dockerfile-scratch_no_tzdata-apk = ，或在最终阶段安装：`RUN apk add --no-cache tzdata`

## 构建上下文
check-context-large_without_dockerignore = 构建上下文有 { $total }，却没有 .dockerignore：每次构建都要先把它全部发送给 Docker
check-context-large_without_dockerignore-autofix = 为构建上下文创建 .dockerignore
check-context-crlf_scripts = shell 脚本使用了 Windows（CRLF）换行符：在容器中运行会报 "$'\r': command not found" 或 "bad interpreter"
check-context-crlf_scripts-converted = 脚本使用了 Windows（CRLF）换行符：Ferry 发送时会转换为 LF，但直接 `docker build` 不会
check-context-crlf_scripts-fix = 把它们保存为 LF 换行（VS Code：点击状态栏的 "CRLF"，选择 LF），并在 .gitattributes 中加入 `*.sh text eol=lf`，让 Git 保持 LF
check-context-crlf_scripts-autofix = 把脚本转换为 LF 换行
check-context-non_utf8 = 有文件不是 UTF-8 编码（中文 Windows 编辑器常存为 GBK）：在容器中会显示乱码，Go 源文件无法编译，非 UTF-8 的文件名会让构建失败
check-context-non_utf8-fix = 把它们另存为 UTF-8（VS Code：点击状态栏的编码，选择“通过编码保存”，UTF-8）；文件名不是 UTF-8 的请重命名，或加入 .dockerignore
check-context-non_utf8-autofix = 把 GBK 编码的文件转换为 UTF-8
check-context-large_without_dockerignore-fix =
    在 Dockerfile 旁创建 .dockerignore，列出构建用不到的内容，例如：
    { $content }

## go.mod
check-gomod-go_too_new-enforced = go.mod 要求 Go { $required }，但构建使用的是 Go { $have }：会报 "go: go.mod requires go >= { $required }"
check-gomod-go_too_new-unreadable = go.mod 要求 Go { $required }，但构建使用的 Go { $have } 读不了这个 go.mod（`{ $line }` 是 Go 1.21 起的写法）：会报 "{ $says }"
check-gomod-go_too_new-not_enforced = go.mod 要求 Go { $required }，但构建使用的是 Go { $have }，它不强制检查这一行（Go 1.21 及以后才会）：构建可能成功，但如果代码用到了比 Go { $have } 新的语言特性或标准库 API，就会失败（"note: module requires Go { $required }"）
check-gomod-go_too_new-fix = 使用 { $image } 构建；如果代码并不需要 Go { $required }，也可以降低 go.mod 中的 go 版本
check-gomod-go_too_new-autofix = 使用 { $image } 构建

## [container] 设置
check-container-start_first_embedded_db-bolt_health = 新副本的 Open 会一直等待正在运行的副本持有的文件锁（默认无限等待），因此永远通不过健康检查，每次部署都会失败
check-container-start_first_embedded_db-bolt = 新副本的 Open 会一直等待正在运行的副本持有的文件锁（默认无限等待）：它会卡住，而没有 [health] path 时只要容器没退出就算健康，所以切换前的检查什么也没验证
check-container-start_first_embedded_db-badger = 新副本的 Open 会报 "Cannot acquire directory lock"（锁在正在运行的副本手里），新版本无法启动，每次部署都会失败
check-container-start_first_embedded_db-leveldb = 新副本无法打开数据库：正在运行的副本持有它的 LOCK 文件（"resource temporarily unavailable"），新版本无法启动，每次部署都会失败
check-container-start_first_embedded_db-pebble = 新副本无法打开数据库：正在运行的副本持有它的 LOCK 文件，新版本无法启动，每次部署都会失败
check-container-start_first_embedded_db-sqlite = 两个副本写同一个数据库文件：一方持有锁时另一方写入会报 "database is locked"，迁移等启动工作会同时执行两次；如果卷所在的文件系统不共享文件锁（网络文件系统），数据库文件可能损坏
check-container-start_first_embedded_db-fix = 在 ferry.toml 的 [container] 中设置 strategy = "stop-first"：先停止正在运行的副本再启动新版本，两个副本不会同时运行；重启期间（几秒钟）应用不可用
check-container-start_first_embedded_db-autofix = 在 [container] 中设置 strategy = "stop-first"
check-container-start_first_embedded_db = 应用使用了 { $uses }，而 [container] strategy 是 start-first：部署时会有两个应用副本同时运行，共用{ $count ->
       *[other] 卷
    } { $volumes }；{ $said }
check-container-start_first_embedded_db-store = { $store }（{ $modules }）
check-container-start_first_embedded_db-store_said = { $store }：{ $said }

## 已保存的密码
check-secrets-registry_password_missing = 没有保存镜像仓库 { $server } 的密码
check-secrets-registry_password_missing-fix = 用此命令保存：ferry secret set { $entry }

## 服务器（通过 SSH）
check-server-arch_mismatch-autofix = 按服务器的 CPU 构建（platform = "auto"）
check-server-arch_mismatch-fix = 在 ferry.toml 的 [app] 中设置 platform = "auto"（按服务器的 CPU 构建）
check-server-auth_failed-fix = 检查 ferry.toml 中 [server] 的 user 和 identity_file，或保存密码：ferry secret set ssh/USER@HOST:PORT
check-server-host_key-unknown-fix = 在服务器控制台运行 `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` 核对 { $fingerprint }；一致时在 ferry.toml 的 [server] 中加入 host_key = "{ $fingerprint }"
check-server-host_key-changed-fix = 先向服务器管理员确认服务器是否重装过；确认后再把新指纹写入 ferry.toml 的 [server] host_key
check-server-docker_not_running-fix = sudo systemctl enable --now docker
check-server-docker_denied-fix = sudo usermod -aG docker { $user }（然后重新登录），或为 docker 配置免密码 sudo
check-server-unreachable-fix = 检查 ferry.toml 中 [server] 的 host 和 port、服务器是否开机，以及防火墙（和云服务商的安全组）是否放行 SSH
check-server-podman = 服务器上的 `docker` 实际是 Podman（{ $version }），不是 Docker：Ferry 可以使用，但 Podman 没有守护进程，只有启用 podman-restart.service 后容器才会在重启后恢复，且无 root 的 Podman 不能发布 1024 以下的端口
check-server-podman-fix = 继续用 Podman 时运行 `sudo systemctl enable --now podman-restart.service`；或改装 Docker CE：`sudo dnf remove -y podman-docker && sudo dnf config-manager --add-repo { -docker-ce-repo } && sudo dnf install -y docker-ce && sudo systemctl enable --now docker`
check-server-docker_too_old-unmaintained = 服务器上的 Docker { $version } 早于 18.09，已不再维护
check-server-docker_too_old-fix = 从 Docker 官方仓库安装 Docker CE（CentOS 7 自带的 `docker` 包是 1.13）：sudo yum remove -y docker docker-common docker-client && { $install }
check-server-selinux_volume = 服务器的 SELinux 处于 Enforcing 模式，卷 { $list } 没有 :Z 标签：容器内访问会报 "permission denied"
check-server-selinux_volume-fix = 在 ferry.toml 的 [container] volumes 中给每个目录挂载加上 :Z（"/srv/app/data:/data:Z"，已有选项时写 ":ro,Z"）：Docker 会为此容器重新标记该目录。不要用于 /etc、/home 等系统目录，确有需要时用 `sudo chcon -Rt container_file_t 目录` 自行标记
check-server-selinux_volume-autofix = 为 ferry.toml 中的卷加上 :Z
check-server-firewalld_port_closed = 服务器运行着 firewalld，但没有放行端口 { $list }：服务器外的客户端可能无法访问应用
check-server-firewalld_port_closed-fix = 放行端口：{ $shown }。云服务器还需在云服务商（阿里云、腾讯云等）的安全组中放行
check-server-firewalld_port_closed-autofix = 在 firewalld 中放行 { $list }
check-server-port_in_use = 服务器的端口 { $port } 已被{ $by }占用：新容器会因 "address already in use" 启动失败
check-server-port_in_use-fix = { $stop }，或在 ferry.toml 的 [container] ports 中改用其他服务器端口，例如 "{ $other }:{ $container }"
check-server-low_disk-error = 服务器上 Docker 存放镜像的目录（{ $dir }）只剩 { $gib } GiB：新镜像放不下
check-server-low_disk-warning = 服务器上 Docker 存放镜像的目录（{ $dir }）只剩 { $gib } GiB：再部署几个版本就会占满
check-server-low_disk-fix = 清理服务器磁盘：`docker image prune -a` 删除没有容器使用的镜像（Ferry 保留最近 3 个版本的容器），`docker system df` 可查看空间占用
check-server-timezone_mismatch-no_tz = 容器没有设置 TZ，应用日志将使用 UTC 时间，而服务器显示的是 { $zone }
check-server-timezone_mismatch-other_tz = 容器的 TZ 是 { $tz }，而服务器的时区是 { $zone }
check-server-timezone_mismatch-fix = 在 ferry.toml 的 [container] env 中设置 TZ = "{ $zone }"。镜像里需要时区数据：Ferry 生成的 Dockerfile 已包含；自己的 Dockerfile 需复制 /usr/share/zoneinfo，或在 Go 程序中 import _ "time/tzdata"
check-server-timezone_mismatch-autofix = 为容器设置 TZ = "{ $zone }"
check-server-memory_limit-total = memory = "{ $memory }" 超过了服务器的全部内存（{ $total }）：这个限制不起作用，应用内存增长时内核的 OOM killer 会在整台服务器上挑选进程杀掉
check-server-memory_limit-available = memory = "{ $memory }" 超过了服务器的可用内存（{ $available }）：应用还没到上限，内核就会因内存不足（OOM）杀掉它或其他进程
check-server-memory_limit-fix = 把 [container] 中的 memory 设为应用实际需要的值，低于 { $room }（例如 "{ $suggest }m"），或为服务器增加内存
check-server-eol_os = 服务器运行的是 { $name }，已于 { $date } 停止维护：没有安全更新，yum 的镜像源也已下线
check-server-eol_os-fix = 迁移到 Rocky Linux 或 AlmaLinux（9 或 8）。迁移前把 /etc/yum.repos.d/CentOS-*.repo 中的 baseurl 改为归档源 https://mirrors.aliyun.com/centos-vault/{ $vault }/（或 https://vault.centos.org/{ $vault }/）
check-server-docker_too_old-no_stdin = 服务器上的 Docker { $version } 早于 17.07：没有 `docker login --password-stdin`，无法在不暴露密码的情况下登录镜像仓库
check-server-port_in_use-container = 容器 `{ $name }`
check-server-port_in_use-program = 其他程序
check-server-port_in_use-stop_container = 停止它（`docker stop { $name }`）
check-server-port_in_use-stop_program = 停止它（`sudo ss -ltunp | grep :{ $port }` 可查看是哪个进程）

## 列表的连接方式
check-join-and = { $first }和{ $rest }
check-join-semicolon = { $first }；{ $rest }

## 应用修复

fix-outside-project = 修复涉及 `{ $path }`，它不在项目文件夹内（或通过符号链接指向了外面）；没有做任何改动
fix-changed = `{ $path }` 在 Ferry 检查之后被改动过；没有做任何改动。请重新运行检查并应用新的修复。
fix-exists = `{ $path }` 已经存在；没有做任何改动。请重新运行检查。
fix-no-finding = 刚才的检查没有发现 `{ $id }`（已经修复，或不是检查项 id）；没有做任何改动。目前可自动修复的检查项：{ $fixable }
fix-no-autofix = `{ $id }` 没有自动修复（建议的修复方法见 `ferry doctor`）；没有做任何改动。目前可自动修复的检查项：{ $fixable }
fix-not-as-shown = `{ $id }` 的修复已不是你看到的那个：检查之后，{ $what }变了；没有做任何改动。请重新运行检查并查看新的修复。
fix-io = 无法读写 { $path }：{ $detail }
fix-what-writes = 它写入 { $paths } 的内容
fix-what-runs = 它在服务器上运行的命令
fix-file = { $verb ->
    [rewrite] 重写 { $path }
   *[create] 创建 { $path }
}
fix-run-on-server = 在服务器上运行：{ $command }

## 步骤日志中的行

log-build-context = 构建上下文：{ $files } 个文件，{ $size }
log-waiting-for-http = 正在等待服务器上的 GET { $url }
log-waiting-for-up = 正在等待容器持续运行 { $secs } 秒
log-stopping-release = 正在停止版本 { $version }
log-healthy-beside = 新版本已在运行中的版本旁通过健康检查：正在切换
log-removing-old-release = 正在删除旧版本 { $version }
