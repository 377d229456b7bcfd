// A server overview as `server_overview` answers it: a small host with Ferry's app and a
// database nobody deployed with Ferry.
import type { ServerOverview } from '$lib/types';

const GiB = 2 ** 30;

export const overview: ServerOverview = {
  host: '203.0.113.10',
  user: 'deploy',
  port: 22,
  seen_at: '2024-05-01T10:15:00Z',
  took_ms: 420,
  bytes: 3300,
  system: {
    os_name: 'Ubuntu 22.04.4 LTS',
    kernel: '5.15.0-105-generic',
    arch: 'x86_64',
    uptime_secs: 3 * 86400 + 4 * 3600,
    load: [0.12, 0.3, 0.25],
    cpus: 2,
    memory: { total: 7.7 * GiB, used: 3.1 * GiB, available: 4.6 * GiB },
    swap: { total: 2 * GiB, used: 1.7 * GiB },
    disks: [
      { label: 'root', path: '/', mount: '/', total: 40 * GiB, used: 37 * GiB, available: 3 * GiB },
      { label: 'docker', path: '/var/lib/docker', mount: '/', total: 40 * GiB, used: 37 * GiB, available: 3 * GiB },
    ],
    docker: { version: '26.1.3', storage_driver: 'overlay2', root_dir: '/var/lib/docker' },
  },
  containers: [
    {
      id: 'a1',
      name: 'hello',
      image: 'registry.example.com/team/hello:20240501-101500',
      state: 'running',
      health: 'healthy',
      created_at: '2024-05-01T10:15:00Z',
      started_at: new Date(Date.now() - 2 * 3600_000).toISOString(),
      restart_count: 0,
      ports: ['8080:8080'],
      cpu_percent: 0.52,
      memory_bytes: 12.5 * 2 ** 20,
      memory_limit_bytes: 256 * 2 ** 20,
      app: 'hello',
      release: '20240501-101500',
    },
    {
      id: 'b2',
      name: 'postgres',
      image: 'postgres:16',
      state: 'exited',
      health: null,
      created_at: '2024-04-01T08:00:00Z',
      started_at: '2024-04-01T08:00:01Z',
      restart_count: 3,
      ports: [],
      cpu_percent: null,
      memory_bytes: null,
      memory_limit_bytes: null,
      app: null,
      release: null,
    },
  ],
};
