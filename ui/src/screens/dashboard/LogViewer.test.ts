import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';

vi.mock('@tauri-apps/api/core', async () => {
  const m = await import('../../test/tauri-mock');
  return { invoke: m.invoke, Channel: m.FakeChannel };
});
const dialog = vi.hoisted(() => ({ save: vi.fn(async (): Promise<string | null> => null) }));
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(async () => null), save: dialog.save }));

import { emit, invoke, route } from '../../test/tauri-mock';
import LogViewer from './LogViewer.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import { isoDay } from '$lib/format';

const configPath = '/home/me/hello/ferry.toml';
/** The arguments of the last `logs` call (a reload also cancels the run before it). */
const lastLogs = () => invoke.mock.calls.filter((c) => c[0] === 'logs').at(-1)?.[1];

describe('log viewer', () => {
  beforeEach(() => {
    invoke.mockReset();
    setLang('en');
    route({ logs: () => 5, cancel: () => null, save_log: () => null });
  });

  it('asks for the lines since a time, and shows each line’s time in the user’s zone', async () => {
    render(LogViewer, { configPath, app: 'hello', timeZone: 'Asia/Shanghai' });
    expect(screen.getByTestId('logs-zone').textContent).toBe('times in Asia/Shanghai');
    // A new choice loads again at once.
    await fireEvent.change(screen.getByTestId('logs-since'), { target: { value: '1h' } });
    await vi.waitFor(() => expect(lastLogs()).toEqual(expect.objectContaining({ configPath, lines: 200, follow: true, since: '1h' })));
    emit('logs', [
      { event: 'log', step: 'logs', line: 'GET /healthz 200', at: '2024-05-01T06:03:12Z' },
      { event: 'log', step: 'logs', line: 'panic: nil map', at: '2024-05-01T06:03:13.250Z' },
    ]);
    const times = await screen.findAllByTestId('log-time');
    expect(times.map((el) => el.textContent)).toEqual(['05/01, 14:03:12', '05/01, 14:03:13']);
    setLang('zh');
    await vi.waitFor(() => expect(screen.getAllByTestId('log-time')[0].textContent).toBe('05/01 14:03:12'));

    // An empty count: every line since then.
    await fireEvent.input(screen.getByTestId('logs-lines'), { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('logs-start'));
    expect(lastLogs()).toEqual(expect.objectContaining({ lines: null, since: '1h' }));
  });

  it('saves the lines as shown, with their local times', async () => {
    dialog.save.mockResolvedValue('/home/me/hello.log');
    render(LogViewer, { configPath, app: 'hello', timeZone: 'UTC' });
    await vi.waitFor(() => expect(invoke).toHaveBeenCalledWith('logs', expect.objectContaining({ since: null })));
    emit('logs', [
      { event: 'log', step: 'logs', line: 'GET /healthz 200', at: '2024-05-01T06:03:12Z' },
      { event: 'log', step: 'logs', line: 'panic: nil map', at: '2024-05-01T06:03:13Z' },
      { event: 'log', step: 'logs', line: 'GET /orders 500', at: '2024-05-01T06:03:14Z' },
    ]);
    await fireEvent.input(screen.getByTestId('logs-search'), { target: { value: 'get' } });
    await fireEvent.click(screen.getByTestId('logs-only-matching'));
    await fireEvent.click(screen.getByTestId('logs-save'));
    expect((await screen.findByTestId('logs-saved')).textContent).toBe('Saved to /home/me/hello.log');
    expect(dialog.save).toHaveBeenCalledWith(expect.objectContaining({ defaultPath: `hello-${isoDay()}.log` }));
    expect(invoke).toHaveBeenCalledWith('save_log', {
      path: '/home/me/hello.log',
      text: '2024-05-01 06:03:12 +00:00  GET /healthz 200\n2024-05-01 06:03:14 +00:00  GET /orders 500\n',
    });
  });

  it('says why a save failed', async () => {
    dialog.save.mockResolvedValue('/root/x.log');
    route({ logs: () => 5, cancel: () => null, save_log: () => Promise.reject({ kind: 'other', message: 'permission denied' }) });
    render(LogViewer, { configPath, app: 'hello', timeZone: 'UTC' });
    await vi.waitFor(() => expect(invoke).toHaveBeenCalledWith('logs', expect.anything()));
    emit('logs', [{ event: 'log', step: 'logs', line: 'x', at: null }]);
    await fireEvent.click(screen.getByTestId('logs-save'));
    expect((await screen.findByTestId('logs-save-error')).textContent).toMatch(/permission denied/);
  });
});
