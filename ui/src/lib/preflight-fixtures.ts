// Findings as ferry-core's doctor reports them (the ids the checks use), for the tests.

import type { Event, Finding } from './types';

export const crlf: Finding = {
  id: 'context.crlf_scripts',
  severity: 'warning',
  message: {
    en: 'scripts/setup.sh has Windows (CRLF) line endings and no shebang line: sh on the server fails on the \\r',
    zh: 'scripts/setup.sh 使用 Windows (CRLF) 换行且没有 shebang 行：服务器上的 sh 会因 \\r 出错',
  },
  evidence: 'scripts/setup.sh: 3 lines end with \\r\\n',
  fix: { en: 'Save the script with LF line endings.', zh: '用 LF 换行保存该脚本。' },
  auto_fix: {
    label: { en: 'Convert to LF', zh: '转换为 LF 换行' },
    action: {
      kind: 'edit_files',
      files: [{ path: 'scripts/setup.sh', base_sha256: 'ab'.repeat(32), content: 'set -e\necho setting up\nmkdir -p /data\n' }],
    },
    digest: '1a'.repeat(32),
  },
};

export const archMismatch: Finding = {
  id: 'server.arch_mismatch',
  severity: 'error',
  message: {
    en: 'ferry.toml builds for linux/arm64 but the server is x86_64: the container would stop with “exec format error”',
    zh: 'ferry.toml 为 linux/arm64 构建，但服务器是 x86_64：容器会因 “exec format error” 退出',
  },
  evidence: 'uname -m: x86_64',
  fix: { en: 'Set platform = "auto" in ferry.toml.', zh: '在 ferry.toml 中设置 platform = "auto"。' },
  auto_fix: {
    label: { en: 'Set platform to auto', zh: '将 platform 设为 auto' },
    action: {
      kind: 'edit_files',
      files: [{ path: 'ferry.toml', base_sha256: 'cd'.repeat(32), content: '[app]\nname = "hello"\nplatform = "auto"\n' }],
    },
    digest: '2b'.repeat(32),
  },
};

export const timezone: Finding = {
  id: 'server.timezone_mismatch',
  severity: 'warning',
  message: {
    en: 'The server’s clock is in UTC, the container’s TZ is Asia/Shanghai',
    zh: '服务器时区为 UTC，容器的 TZ 为 Asia/Shanghai',
  },
  evidence: 'timedatectl: Time zone: Etc/UTC (UTC, +0000)',
  fix: { en: 'Set the server’s time zone.', zh: '设置服务器的时区。' },
  auto_fix: {
    label: { en: 'Set the server’s time zone', zh: '设置服务器时区' },
    action: {
      kind: 'run_on_server',
      commands: [{ argv: ['sudo', '-n', 'timedatectl', 'set-timezone', 'Asia/Shanghai'], shell: "sudo -n timedatectl set-timezone 'Asia/Shanghai'" }],
    },
    digest: '3c'.repeat(32),
  },
};

export const root: Finding = {
  id: 'dockerfile.runs_as_root',
  severity: 'info',
  message: { en: 'The image runs as root', zh: '镜像以 root 用户运行' },
  evidence: 'Dockerfile: no USER instruction',
  fix: { en: 'Add USER nonroot to the final stage.', zh: '在最后阶段加上 USER nonroot。' },
  auto_fix: null,
};

export const finding = (f: Finding): Event => ({ event: 'data', step: 'check', kind: 'finding', data: f });
