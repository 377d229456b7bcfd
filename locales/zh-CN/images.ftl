### 构建开始前检查它要下载的东西：基础镜像（`images.*` 检查结果）和 Go 模块代理（`goproxy.*`）。

## 共用的建议
-mirror-advice = 在 Docker Desktop → Settings → Docker Engine 中添加镜像加速器：`"registry-mirrors": ["https://<加速器地址>"]`，然后点 Apply & restart（国内可用公司的镜像，或云服务商的加速器，例如阿里云容器镜像服务控制台里显示的专属加速器地址）
-own-registry = 把镜像复制到你能访问的镜像仓库（阿里云 ACR、Harbor 或公司的仓库），再
images-change-config = 在 ferry.toml 的 [app] 中设置 `{ $key } = "<你的仓库>/{ $name }"`
images-change-from = 把 { $file } 第 { $line } 行改为 `FROM <你的仓库>/{ $name }`

## 基础镜像
images-base_unreachable = 基础镜像 `{ $image }` 本机没有，它所在的镜像仓库 { $registry } 从这里也连不上（{ $detail }）：构建会停在它的 FROM 行
images-base_unreachable-mirrors = 基础镜像 `{ $image }` 本机没有，Docker 引擎配置的镜像加速器里也没有，{ $registry } 从这里也连不上（{ $detail }）：构建会停在它的 FROM 行
images-base_unreachable-fix-hub = 让 `{ $image }` 可以拉取：{ -mirror-advice }；或者通过加速器拉取一次再改回原名：`docker pull { $mirror_image }`，然后 `docker tag { $mirror_image } { $image }`；或者{ -own-registry}{ $change }。
images-base_unreachable-fix-other = Docker 的镜像加速器只对 Docker Hub 的镜像有效，{ $registry } 的镜像需要：在能访问它的机器上拉取 `{ $image }` 再拷到本机（`docker save` / `docker load`），或者{ -own-registry}{ $change }。
images-base_missing = 基础镜像 `{ $image }` 在 { $registry } 中不存在：仓库里没有这个镜像或标签，构建会停在它的 FROM 行
images-base_missing-fix = 检查镜像名和标签（`docker pull { $image }` 会显示仓库的回答）；如果它是你放在别处的副本，{ $change }。
images-base_wrong_platform = 基础镜像 `{ $image }` 存在，但没有 { $platform } 版本（仓库里有：{ $available }）：为服务器构建会失败
images-base_wrong_platform-fix = 换一个发布了 { $platform } 版本的镜像（官方镜像通常支持多平台，可以换个标签试试），或者{ $change }。
images-base_wrong_platform-local = 本机的基础镜像 `{ $image }` 只有 { $local } 版本，构建需要 { $platform } 版本，而 { $registry } 从这里连不上（{ $detail }）
images-base_wrong_platform-local-fix = 通过加速器或你自己的仓库拉取正确平台的版本：`docker pull --platform { $platform } <加速器>/{ $image }`，再 `docker tag` 为 `{ $image }`。
images-base_needs_login = 镜像仓库 { $registry } 要求先登录才显示 `{ $image }`：只有 Docker 已登录该仓库，构建才能拉取它（对于不存在的仓库，Docker Hub 也这样回答）
images-base_needs_login-fix = 如果这是你自己的镜像，让 Docker 登录：`docker login { $registry }`；否则请检查镜像名。
images-base_unresolved = 基础镜像 `{ $image }` 用到的构建参数在这里没有值（没有默认值，也不在 [app] build_args 中）：未检查它
images-autofix-config = 改用副本 `{ $image }`：在 ferry.toml 中设置 { $key }
images-autofix-from = 在 { $file } 第 { $line } 行改用副本 `{ $image }`

## Go 模块代理
images-goproxy_unreachable = 构建通过 { $proxy } 下载 Go 模块，但它从这里连不上（{ $detail }）：`go mod download` 会失败
images-goproxy_unreachable-fix = 把 { $proxy } 换成能连上的代理，例如 `GOPROXY=https://goproxy.cn,direct`（或 goproxy.io、公司的代理）；或者只声明 `ARG GOPROXY` 不写值，由 Ferry 传入的构建参数（你的 `go env GOPROXY` 或 [app] build_args）决定。
images-goproxy_default_unreachable = 构建要下载 Go 模块，但没有设置 GOPROXY，而 Go 默认的代理 { $proxy } 从这里连不上（{ $detail }）：`go mod download` 会失败
images-goproxy_default_unreachable-fix = 在 Dockerfile 第 { $line } 行之前加上 `ENV GOPROXY=https://goproxy.cn,direct`（或 goproxy.io、公司的代理）；或者在那里写 `ARG GOPROXY`，并在 ferry.toml 的 [app] 中设置 `build_args = { "{" } GOPROXY = "https://goproxy.cn,direct" { "}" }`。
images-goproxy_go_env_unreachable = 你的 `go env GOPROXY` 是 { $value }，Ferry 会把它传给构建，但 { $proxy } 从这里连不上（{ $detail }）：`go mod download` 会失败
images-goproxy-fix-go_env = 生成的 Dockerfile 使用你自己的 Go 设置：运行 `go env -w GOPROXY=https://goproxy.cn,direct`（或 goproxy.io、公司的代理）后重新构建。
