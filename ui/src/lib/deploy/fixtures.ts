// Event streams as ferry-core emits them (messages from crates/ferry-core), for the reducer's
// tests and the deploy screen's component test.

import type { Event } from '../types';

const server = {
  machine: 'x86_64',
  platform: 'linux/amd64',
  os_id: 'rocky',
  os_version: '9.3',
  os_name: 'Rocky Linux 9.3 (Blue Onyx)',
  docker_version: '26.1.3',
  sudo: false,
};

const connect: Event[] = [
  { event: 'step_started', step: 'connect', message: 'connecting to deployer@203.0.113.10:22' },
  { event: 'step_finished', step: 'connect', message: 'connected; host key SHA256:mE0jB1vD8o2x', elapsed_ms: 412 },
  { event: 'step_started', step: 'probe', message: 'looking at the server' },
  { event: 'data', step: 'probe', kind: 'server', data: server },
  { event: 'step_finished', step: 'probe', message: 'Rocky Linux 9.3 (Blue Onyx) on x86_64, Docker 26.1.3', elapsed_ms: 230 },
];

const build: Event[] = [
  { event: 'step_started', step: 'build', message: 'building hello:20240501-101500 for linux/amd64 (Docker 27.0.3)' },
  {
    event: 'notice',
    step: 'build',
    level: 'info',
    message: 'no Dockerfile: generating one for example.com/hello (golang:1.22 → gcr.io/distroless/static-debian12)',
  },
  { event: 'log', step: 'build', line: 'build context: 14 files, 38.2 KB' },
  { event: 'progress', step: 'build', current: 1, total: 12 },
  { event: 'log', step: 'build', line: '[builder 1/6] FROM docker.io/library/golang:1.22' },
  { event: 'progress', step: 'build', current: 6, total: 12 },
  { event: 'log', step: 'build', line: '[builder 5/6] RUN go build -trimpath -ldflags "-s -w" -o /out/app ./cmd/server' },
  { event: 'progress', step: 'build', current: 12, total: 12 },
  {
    event: 'data',
    step: 'build',
    kind: 'image',
    data: { tag: 'hello:20240501-101500', id: 'sha256:4f1c', os: 'linux', architecture: 'amd64', size: 9_437_184 },
  },
  { event: 'step_finished', step: 'build', message: 'built hello:20240501-101500 (linux/amd64, 9.0 MB)', elapsed_ms: 21_400 },
];

/** A deploy through a registry that ends healthy. */
export const registryDeploy: Event[] = [
  ...connect,
  ...build,
  {
    event: 'step_started',
    step: 'push',
    message: 'pushing to registry.cn-hangzhou.aliyuncs.com/team/hello:20240501-101500',
  },
  { event: 'progress', step: 'push', current: 1_048_576, total: 4_194_304 },
  { event: 'progress', step: 'push', current: 4_194_304, total: 4_194_304 },
  { event: 'step_finished', step: 'push', message: 'pushed', elapsed_ms: 5_200 },
  { event: 'step_started', step: 'pull', message: 'pulling registry.cn-hangzhou.aliyuncs.com/team/hello:20240501-101500 on the server' },
  { event: 'step_finished', step: 'pull', message: 'pulled', elapsed_ms: 3_100 },
  { event: 'step_started', step: 'start', message: 'starting release 20240501-101500' },
  { event: 'log', step: 'start', line: 'docker run --detach --name hello --label ferry.app=hello …' },
  { event: 'log', step: 'health', line: 'waiting for http://127.0.0.1:8080/healthz' },
  { event: 'log', step: 'health', line: 'HTTP 200 from /healthz' },
  { event: 'log', step: 'cleanup', line: 'removed hello-20240420-090000' },
  { event: 'step_finished', step: 'start', message: 'release 20240501-101500 is healthy', elapsed_ms: 2_800 },
  { event: 'finished', message: 'hello 20240501-101500 is running on 203.0.113.10: http://203.0.113.10:8080' },
];

/** A deploy over SSH whose new release crashes; the previous release is started again. */
export const failedDeploy: Event[] = [
  ...connect,
  ...build,
  { event: 'step_started', step: 'transfer', message: 'sending hello:20240501-101500 to the server (9.0 MB)' },
  { event: 'progress', step: 'transfer', current: 2_359_296, total: 9_437_184 },
  { event: 'progress', step: 'transfer', current: 9_437_184, total: 9_437_184 },
  { event: 'step_finished', step: 'transfer', message: 'loaded on the server', elapsed_ms: 7_900 },
  { event: 'step_started', step: 'start', message: 'starting release 20240501-101500' },
  { event: 'log', step: 'health', line: 'waiting for http://127.0.0.1:8080/healthz' },
  { event: 'notice', step: 'start', level: 'warning', message: 'the new container stopped with exit code 137' },
  {
    event: 'failed',
    message: 'release 20240501-101500 did not become healthy: the new container stopped with exit code 137',
    diagnosis: {
      summary: {
        id: 'diagnosis-stopped',
        args: { code: { id: 'diagnosis-exit-code', args: { code: 137 }, text: ' with exit code 137' } },
        text: 'the new container stopped with exit code 137',
      },
      hint: {
        id: 'cause-oom-killed',
        text: 'the kernel killed the container for using more memory than its limit (OOMKilled, exit 137): raise `memory` under [container] in ferry.toml, or find what uses the memory',
      },
      exit_code: 137,
      oom_killed: true,
      log_tail: ['loading cache…', 'allocating 600 MB buffer', 'signal: killed'],
      restored_previous: '20240420-090000',
    },
  },
];

/** A deploy cancelled by the user during the push. */
export const cancelledDeploy: Event[] = [
  ...connect,
  ...build,
  { event: 'step_started', step: 'push', message: 'pushing to registry.example.com/team/hello:20240501-101500' },
  { event: 'progress', step: 'push', current: 1_048_576, total: null },
  { event: 'failed', message: 'cancelled', diagnosis: null },
];
