# 服务器概览（`ferry server`）、版本列表（`ferry releases`）和日志的时间范围。

step-overview = 正在读取 { $host }：主机和所有容器
overview-done = { $host }：{ $containers } 个容器（其中 { $ferry } 个属于 Ferry）；刷新用时 { $ms } 毫秒，{ $bytes }
step-kept-releases = 正在读取应用的版本
kept-done = { $app }：服务器上有 { $count } 个版本（保留 { $keep } 个）
since-bad = `{ $value }` 不是可用的日志起始时间：请用时长，例如 15m、1h、1h30m 或 2d，或时间，例如 2026-12-02 09:30（你的时区）或 2026-12-02T01:30:00Z

overview-host = 主机
overview-os = 系统
overview-uptime = 运行时间
overview-load = 负载
overview-cpus-n = { $n } 个 CPU
overview-memory = 内存
overview-swap = 交换区
overview-disk-root = 磁盘 /
overview-disk-docker = Docker 所在磁盘（{ $path }）
overview-docker = Docker
overview-used-of = 已用 { $used } / 共 { $total }（{ $percent }%）
overview-none = 无
overview-col-name = 名称
overview-col-image = 镜像
overview-col-state = 状态
overview-col-up = 运行时间
overview-col-restarts = 重启
overview-col-cpu = CPU
overview-col-memory = 内存
overview-col-ports = 端口
overview-col-ferry = FERRY
overview-not-ferry = 非 Ferry 管理
overview-refresh-cost = 一次刷新：{ $ms } 毫秒，从服务器传回 { $bytes }

kept-col-version = 版本
kept-col-deployed = 部署时间
kept-col-by = 部署机器
kept-col-size = 大小
kept-col-image = 镜像
kept-running = 运行中
kept-switch-hint = 切换到某个版本：ferry rollback --to 版本号
overview-dur-d = { $d }天 { $h }小时
overview-dur-h = { $h }小时 { $m }分
overview-dur-m = { $m }分钟
overview-dur-s = { $s }秒
cli-log-file = 无法把日志写入 { $path }：{ $detail }。请选择一个可写的文件夹，或去掉 --output 直接在这里查看日志
