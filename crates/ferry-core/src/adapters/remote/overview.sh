# The server overview in one round trip: the host, then every container. $1 is "sudo" when
# docker needs `sudo -n`; $2 the `docker inspect` template (one JSON object per container),
# $3 the one for an engine that refuses $2 (podman: no missing keys in templates).
if [ "$1" = sudo ]; then d() { sudo -n docker "$@"; }; else d() { docker "$@"; }; fi
echo '@@ferry uname'; uname -srm
echo '@@ferry os-release'; cat /etc/os-release 2>/dev/null
echo '@@ferry uptime'; cat /proc/uptime
echo '@@ferry loadavg'; cat /proc/loadavg
echo '@@ferry cpus'; getconf _NPROCESSORS_ONLN 2>/dev/null || grep -c ^processor /proc/cpuinfo
echo '@@ferry meminfo'
grep -E '^(MemTotal|MemFree|MemAvailable|Buffers|Cached|SwapTotal|SwapFree):' /proc/meminfo
echo '@@ferry docker'
info=$(d info --format '{{.DockerRootDir}}|{{.ServerVersion}}|{{.Driver}}' 2>/dev/null)
echo "$info"
root=${info%%|*}
echo '@@ferry df'; df -Pk / "${root:-/}" 2>/dev/null
echo '@@ferry inspect'
ids=$(d ps --all --quiet --no-trunc 2>/dev/null)
# Its errors too: a container removed meanwhile is one line, an engine that refuses the
# template is all there is (the parser tells them apart).
[ -n "$ids" ] && { d inspect --format "$2" $ids 2>/dev/null || d inspect --format "$3" $ids 2>&1; }
echo '@@ferry stats'
# A stuck container can hang `docker stats`: it gets 10 s, the rest of the overview stands.
t=; command -v timeout >/dev/null 2>&1 && t='timeout 10'
if [ -n "$(d ps --quiet 2>/dev/null)" ]; then
  f='{{.ID}} {{.CPUPerc}} {{.MemUsage}}'
  if [ "$1" = sudo ]; then $t sudo -n docker stats --no-stream --format "$f"
  else $t docker stats --no-stream --format "$f"; fi 2>/dev/null
fi
echo '@@ferry end'
