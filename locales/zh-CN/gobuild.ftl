# Go 构建器（builder = "go"：本机无需 Docker）以及不经 Docker 的推送。

error-no-go = builder = "go" 需要 Go 工具链，但这里找不到可用的 `go`（PATH 中没有，Go 安装程序的默认位置也没有）。请从 https://golang.google.cn/dl/（或 https://go.dev/dl/）安装 Go，或把 FERRY_GO 设为你的 `go`，或在 [app] 中设置 builder = "docker"。
error-no-builder = 这里没有能构建镜像的工具：Docker 引擎没有响应（{ $detail }），也没有找到 Go 工具链。请启动 Docker Desktop，或安装 Go（https://golang.google.cn/dl/），Ferry 就能不用 Docker 构建。
go-start = 无法运行 `{ $go }`：{ $detail }。请确认已安装 Go，或把 FERRY_GO 设为你的 `go`。
go-build-failed = `go build { $package }` 失败：
    { $output }
go-needs-cgo = 构建通过 { $packages } 需要 cgo（C 代码）：Go 构建器只生成不依赖 C 编译器的静态二进制。请改用纯 Go 的库（例如用 modernc.org/sqlite 代替 mattn/go-sqlite3），或用 Docker 构建：在 [app] 中设置 builder = "docker"。
go-ignores-dockerfile = Go 构建器不使用 `{ $path }`：Ferry 直接构建 Go 模块并自己生成镜像（CA 证书、非 root 用户、二进制）。如果 Dockerfile 还做了别的事，请在 [app] 中设置 builder = "docker"。
step-build-go = 正在用 { $go } 为 { $platform } 构建 { $tag }（`go build { $package }`，无需 Docker）
log-oci-archive = 镜像已写入 { $path }（OCI 归档，manifest { $digest }）；可以用 `docker load -i` 导入，或用 skopeo 复制
registry-bad-reference = `{ $image }` 不是 Ferry 能推送的镜像地址：{ $detail }
registry-unauthorized = 镜像仓库 { $registry } 拒绝了用户 `{ $user }`：请检查用户名和密码（`ferry secret set registry/{ $registry }/{ $user }`）
registry-untrusted = 这里不信任镜像仓库 { $registry } 的证书（{ $detail }）。请把仓库的 CA 证书放到 ~/.docker/certs.d/{ $registry }/ca.crt（Docker 读取它的位置），或安装到系统的证书库中。
registry-unreachable = 从这里连不上镜像仓库 { $registry }（{ $detail }）。请检查 [registry] 中的地址以及网络或代理（HTTPS_PROXY）。
registry-refused = 镜像仓库 { $registry } 拒绝了推送：{ $detail }
plan-builder = 构建器
plan-builder-docker-configured = Docker（builder = "docker"）
plan-builder-docker-auto = Docker（本地引擎有响应）
plan-builder-go-configured = Go { $go }，无需 Docker（builder = "go"）
plan-builder-go-auto = Go { $go }，无需 Docker（没有 Docker 引擎响应）
plan-go-build = go build
plan-go-ignored = 未使用
plan-go-ignored-value = { $path }（Go 构建器自己生成镜像）
check-local-builds_with_go = 无需 Docker：Ferry 用 { $go } 构建并自己生成镜像
