import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';

vi.mock('@tauri-apps/api/core', async () => {
  const m = await import('../../test/tauri-mock');
  return { invoke: m.invoke, Channel: m.FakeChannel };
});
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(async () => null), save: vi.fn(async () => null) }));

// uPlot draws on a canvas jsdom lacks: a stand-in records what the chart wrapper gives it.
const charts: { opts: { series: { label?: string }[] }; data: (number | null)[][] }[] = [];
vi.mock('uplot', () => ({
  default: class {
    constructor(opts: { series: { label?: string }[] }, data: (number | null)[][]) {
      charts.push({ opts, data });
    }
    setData(data: (number | null)[][]) {
      charts[charts.length - 1].data = data;
    }
    setSize() {}
    destroy() {}
  },
}));

import { route } from '../../test/tauri-mock';
import AppDetail from './AppDetail.svelte';
import { monitor, stopMonitors } from '$lib/monitor.svelte';
import { nav } from '$lib/nav.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import type { Releases, Status } from '$lib/types';

const configPath = '/home/me/hello/ferry.toml';
const MiB = 2 ** 20;

const status: Status = {
  app: 'hello',
  host: '203.0.113.10',
  state: 'running',
  health: 'healthy',
  http_check: null,
  started_at: new Date(Date.now() - 3600_000).toISOString(),
  restart_count: 0,
  image: 'registry.example.com/team/hello:20240501-101500',
  version: '20240501-101500',
  ports: ['8080:8080'],
  cpu: '0.52%',
  memory: '12.5MiB / 256MiB',
  cpu_percent: 0.52,
  memory_bytes: 12.5 * MiB,
  memory_limit_bytes: 256 * MiB,
  previous: ['20240420-090000'],
};

const releases: Releases = {
  app: 'hello',
  keep: 3,
  releases: [
    {
      version: '20240501-101500',
      container: 'hello',
      image: status.image!,
      size_bytes: 14 * MiB,
      deployed_at: '2024-05-01T02:15:00Z',
      deployed_by: 'laptop',
      running: true,
      state: 'running',
    },
    {
      version: '20240420-090000',
      container: 'hello-20240420-090000',
      image: 'registry.example.com/team/hello:20240420-090000',
      size_bytes: 13 * MiB,
      deployed_at: '2024-04-20T01:00:00Z',
      deployed_by: null,
      running: false,
      state: 'exited',
    },
  ],
};

describe('app page', () => {
  beforeEach(() => {
    charts.length = 0;
    stopMonitors();
    setLang('en');
    // What uPlot needs to be loaded at all.
    vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }));
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({} as CanvasRenderingContext2D);
    route({
      inspect_project: () => ({ config: null }),
      status: () => status,
      releases: () => releases,
      logs: () => 4,
      cancel: () => null,
    });
  });
  afterEach(() => {
    stopMonitors();
    vi.unstubAllGlobals();
  });

  it('charts CPU and memory from the monitor, with the memory limit as a line', async () => {
    const mon = monitor(configPath);
    const now = Date.now();
    for (let i = 4; i >= 1; i--) mon.answered({ ...status, memory_bytes: (10 + i) * MiB }, now - i * 5000);
    render(AppDetail, { configPath, timeZone: 'Asia/Shanghai' });
    expect(screen.getByTestId('app-detail')).toBeTruthy();
    await vi.waitFor(() => expect(charts).toHaveLength(2));
    const memory = charts.find((c) => c.opts.series.length === 3)!;
    expect(memory.opts.series.map((s) => s.label)).toEqual(['Time', 'Memory', 'limit']);
    const limit = memory.data[2];
    expect(limit.length).toBeGreaterThan(4);
    expect(limit.every((v) => v === 256 * MiB)).toBe(true);
    expect(screen.getByTestId('chart-memory').dataset.limit).toBe(String(256 * MiB));
    expect(Number(screen.getByTestId('chart-cpu').dataset.points)).toBeGreaterThanOrEqual(4);
    expect(screen.getByTestId('detail-version').textContent).toBe('20240501-101500');
  });

  it('lists the releases, marks the running one, and switches to another through the deploy screen', async () => {
    render(AppDetail, { configPath, timeZone: 'Asia/Shanghai' });
    const running = await screen.findByTestId('release-20240501-101500');
    expect(running.dataset.running).toBe('true');
    expect(running.textContent).toMatch(/14\.0 MiB/);
    expect(running.textContent).toMatch(/laptop/);
    expect(screen.queryByTestId('release-switch-20240501-101500')).toBeNull();
    expect(screen.getByTestId('release-20240420-090000').dataset.running).toBe('false');
    await fireEvent.click(screen.getByTestId('release-switch-20240420-090000'));
    expect(nav.view).toEqual({ name: 'deploy', configPath, mode: 'rollback', autostart: true, ship: null, to: '20240420-090000' });
  });
});
