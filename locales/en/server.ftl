# The server overview (`ferry server`), the releases (`ferry releases`) and the log's range.

step-overview = reading { $host }: the host and every container
overview-done = { $host }: { $containers } containers ({ $ferry } of them Ferry's); refresh took { $ms } ms, { $bytes }
step-kept-releases = reading the app's releases
kept-done = { $app }: { $count ->
    [one] 1 release
   *[other] { $count } releases
} on the server (keeping { $keep })
since-bad = `{ $value }` is not a time to show the log from: use a duration such as 15m, 1h, 1h30m or 2d, or a time such as 2026-12-02 09:30 (your time zone) or 2026-12-02T01:30:00Z

overview-host = host
overview-os = system
overview-uptime = up
overview-load = load
overview-cpus-n = { $n ->
    [one] 1 CPU
   *[other] { $n } CPUs
}
overview-memory = memory
overview-swap = swap
overview-disk-root = disk /
overview-disk-docker = disk of Docker ({ $path })
overview-docker = Docker
overview-used-of = { $used } of { $total } used ({ $percent }%)
overview-none = none
overview-col-name = NAME
overview-col-image = IMAGE
overview-col-state = STATE
overview-col-up = UP
overview-col-restarts = RESTARTS
overview-col-cpu = CPU
overview-col-memory = MEMORY
overview-col-ports = PORTS
overview-col-ferry = FERRY
overview-not-ferry = not Ferry's
overview-refresh-cost = one refresh: { $ms } ms, { $bytes } from the server

kept-col-version = VERSION
kept-col-deployed = DEPLOYED
kept-col-by = BY
kept-col-size = SIZE
kept-col-image = IMAGE
kept-running = running
kept-switch-hint = switch to one: ferry rollback --to VERSION
overview-dur-d = { $d }d { $h }h
overview-dur-h = { $h }h { $m }m
overview-dur-m = { $m }m
overview-dur-s = { $s }s
cli-log-file = cannot write the log to { $path }: { $detail }. Choose a folder you can write to, or leave out --output to see the log here
