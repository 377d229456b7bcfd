# 通过 SSH 逐层发送镜像（flows/ship.rs）。
archive-io = 无法在本机读写镜像归档：{ $detail }。请检查临时目录的剩余空间后重试。
archive-format = 本地 Docker 引擎导出的镜像归档 Ferry 无法读取（{ $detail }）。请用 `docker save` 检查该镜像，或重新构建。
ship-layer-have = 第 { $index }/{ $count } 层（{ $size }）：服务器上已有
ship-layer-extract = 第 { $index }/{ $count } 层（{ $size }）：服务器上已有，从它自己的镜像中复制
ship-layer-full = 第 { $index }/{ $count } 层（{ $size }）：整层发送，压缩后 { $sent }
ship-layer-delta = 第 { $index }/{ $count } 层（{ $size }）：相对 { $base } 的增量 { $sent }
ship-layer-archive = 第 { $index }/{ $count } 层（{ $size }）：放入压缩归档
ship-base-not-local = 第 { $index }/{ $count } 层：本地 Docker 引擎中没有服务器上的 { $base } 可供比较，因此整层发送
ship-resume = 继续上次的传输：已到达 { $done }，还剩 { $rest }
ship-delta-failed = 服务器无法用增量重建某一层（{ $detail }）；改为整层发送有变化的层。
ship-piece-bad = 服务器上的一个镜像分片与其摘要不符（{ $detail }）；服务器已将其删除，现在重新发送。
ship-no-python = 服务器上没有 Python 2.7 或 3（已尝试 python3、/usr/libexec/platform-python、python、python2），有变化的层只能整层发送，无法只发送很小的增量。`ferry doctor` 会给出安装命令。
ship-containerd-store = 服务器的 Docker 使用 containerd 镜像存储：它已有的层会从它自己的镜像中复制到要加载的归档里。
ship-cleanup-failed = 无法删除服务器上本次传输的分片（{ $detail }）；下次部署时会删除。
ship-what-delta = 增量 { $bytes }，镜像 { $image }，第 { $index }/{ $count } 层
ship-what-layers = 为 { $image } 的镜像发送了 { $bytes }：{ $count } 层中的 { $layers } 层{ $deltas ->
    [0] {""}
   *[other] ，其中 { $deltas } 层为增量
}
ship-what-nothing = 无需发送：服务器已有这个 { $image } 镜像的每一层
ship-what-archive = 发送了服务器缺少的层的压缩归档 { $bytes }（镜像 { $image }）
step-transfer-done = 服务器已加载 { $image }：{ $what }
ship-what-registry = 为 { $image } 的镜像推送了 { $bytes }：{ $count } 层中的 { $layers } 层，其余的镜像仓库中已有
step-push-done = 已推送：{ $what }
check-server-no_python = 服务器上没有 Python 2.7 或 3，Ferry 无法在那里用很小的增量重建有变化的层：每次通过 SSH 重新部署都要整层发送（在慢速网络上是几 MB 而不是几 KB）。
check-server-no_python-fix = 在服务器上安装 Python 3：`{ $command }`。不需要别的，Ferry 自带所需的脚本。
