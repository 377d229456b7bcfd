import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';

vi.mock('@tauri-apps/api/core', async () => {
  const m = await import('../../test/tauri-mock');
  return { invoke: m.invoke, Channel: m.FakeChannel };
});
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(async () => null) }));

import { emit, invoke, route } from '../../test/tauri-mock';
import Dashboard from './Dashboard.svelte';
import { settings } from '$lib/settings.svelte';
import { stopMonitors } from '$lib/monitor.svelte';
import { nav } from '$lib/nav.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import type { Status } from '$lib/types';

const A = '/home/me/hello/ferry.toml';
const B = '/home/me/orders/ferry.toml';

const running: Status = {
  app: 'hello',
  host: '203.0.113.10',
  state: 'running',
  health: 'healthy',
  http_check: 'HTTP 200',
  started_at: new Date(Date.now() - 3 * 3600_000).toISOString(),
  restart_count: 1,
  image: 'registry.example.com/team/hello:20240501-101500',
  version: '20240501-101500',
  ports: ['8080:8080'],
  cpu: '0.52%',
  memory: '12.5MiB / 256MiB',
  cpu_percent: 0.52,
  memory_bytes: 12.5 * 2 ** 20,
  memory_limit_bytes: 256 * 2 ** 20,
  previous: ['20240420-090000'],
};

describe('dashboard', () => {
  beforeEach(() => {
    invoke.mockReset();
    stopMonitors();
    setLang('en');
    settings.recent_projects = [A, B];
  });
  afterEach(() => {
    stopMonitors();
    settings.recent_projects = [];
  });

  it('shows each project on its own: one unreachable server does not hold up the other', async () => {
    let releaseB: (v: unknown) => void = () => {};
    route({
      inspect_project: () => {
        throw { kind: 'other', message: 'n/a' };
      },
      status: (args) => {
        if (args.configPath === A) return running;
        // B answers late, and then with an error.
        return new Promise((_, reject) => (releaseB = () => reject({ kind: 'unreachable', message: 'connection timed out' })));
      },
    });
    render(Dashboard);
    const row = await screen.findByTestId('dashboard-row-hello');
    expect(row).toBeTruthy();
    expect((await screen.findByTestId('status-state-hello')).dataset.state).toBe('running');
    expect(screen.getByTestId('status-health-hello').textContent).toMatch(/healthy/);
    expect(screen.getByTestId('status-uptime-hello').textContent).toMatch(/^3h 0m$|^2h 59m$/);
    expect(screen.getByTestId('status-version-hello').textContent).toBe('20240501-101500');
    expect(screen.getByTestId('status-cpu-hello').textContent).toBe('0.52%');
    expect(screen.getByTestId('status-memory-hello').textContent).toBe('12.5 MB');
    expect(screen.getByTestId('spark-cpu-hello').dataset.points).toBe('1');
    // orders is still waiting, named after its folder.
    expect(screen.getByTestId('status-state-orders').dataset.state).toBe('loading');

    releaseB(null);
    expect((await screen.findByTestId('dashboard-error-orders')).textContent).toMatch(/connection timed out/);
    expect(screen.getByTestId('status-state-orders').dataset.state).toBe('unreachable');
    expect(screen.getByTestId('dashboard-error-orders').textContent).toMatch(/no answer yet/);
    expect(screen.getByTestId('status-state-hello').dataset.state).toBe('running');
  });

  it('opens the app page from the app’s name and the server page from its host', async () => {
    route({ inspect_project: () => ({ config: null }), status: (args) => (args.configPath === A ? running : { ...running, app: 'orders' }) });
    render(Dashboard);
    await screen.findByTestId('open-server-orders');
    await fireEvent.click(screen.getByTestId('open-app-hello'));
    expect(nav.view).toEqual({ name: 'app', configPath: A });
    await fireEvent.click(screen.getByTestId('open-server-hello'));
    expect(nav.view).toEqual({ name: 'server', configPath: A });
    // One entry per server, however many projects deploy to it.
    await fireEvent.click(screen.getByTestId('dashboard-server-203.0.113.10'));
    expect(nav.view).toEqual({ name: 'server', configPath: A });
    expect(screen.getAllByTestId(/^dashboard-server-/)).toHaveLength(1);
  });

  it('runs container actions and opens the log viewer with search', async () => {
    route({
      inspect_project: () => ({ config: null }),
      status: (args) => (args.configPath === A ? running : { ...running, app: 'orders', state: 'exited', previous: [] }),
      container_action: () => null,
      logs: () => 3,
      cancel: () => null,
    });
    render(Dashboard);
    await fireEvent.click(await screen.findByTestId('action-restart-hello'));
    expect(invoke).toHaveBeenCalledWith('container_action', { configPath: A, action: 'restart' });
    expect(await screen.findByTestId('action-start-orders')).toBeTruthy();
    expect((screen.getByTestId('action-rollback-orders') as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.click(screen.getByTestId('action-logs-hello'));
    await vi.waitFor(() => expect(invoke).toHaveBeenCalledWith('logs', expect.objectContaining({ configPath: A, lines: 200, follow: true })));
    emit('logs', [
      { event: 'log', step: 'logs', line: 'GET /healthz 200' },
      { event: 'log', step: 'logs', line: 'panic: nil map' },
      { event: 'log', step: 'logs', line: 'GET /orders 500' },
    ]);
    await fireEvent.input(screen.getByTestId('logs-search'), { target: { value: 'get' } });
    const out = screen.getByTestId('logs-output');
    expect(out.querySelectorAll('mark')).toHaveLength(2);
    expect(screen.getByTestId('logs-matches').textContent).toMatch(/2 matching/);
    await fireEvent.click(screen.getByTestId('logs-only-matching'));
    expect(out.textContent).not.toMatch(/panic/);

    await fireEvent.click(screen.getByTestId('logs-close'));
    expect(invoke).toHaveBeenCalledWith('cancel', { op: 3 });
  });
});
