import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';

vi.mock('@tauri-apps/api/core', async () => {
  const m = await import('../../test/tauri-mock');
  return { invoke: m.invoke, Channel: m.FakeChannel };
});
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(async () => null) }));

import { route } from '../../test/tauri-mock';
import ServerPage from './ServerPage.svelte';
import { forgetServerWatches, SERVER_POLL_MS } from '$lib/server.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import { overview } from './fixtures';

const configPath = '/home/me/hello/ferry.toml';

describe('server page', () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    forgetServerWatches();
    setLang('en');
  });
  afterEach(() => {
    forgetServerWatches();
    vi.useRealTimers();
  });

  it('shows the host with its bars and numbers, and every container, Ferry’s or not', async () => {
    route({ server_overview: () => overview });
    render(ServerPage, { configPath });
    const memory = await screen.findByTestId('server-memory-bar');
    expect(screen.getByTestId('server-host').textContent).toMatch(/Ubuntu 22\.04\.4 LTS/);
    expect(screen.getByTestId('server-load').textContent).toBe('0.12 / 0.30 / 0.25');
    expect(screen.getByTestId('server-docker-version').textContent).toMatch(/26\.1\.3 · storage driver overlay2/);
    expect(screen.getByTestId('server-memory-bar-text').textContent).toBe('3.1 GiB of 7.7 GiB used');
    expect(screen.getByTestId('server-memory-bar-percent').textContent).toBe('40 %');
    expect(memory.dataset.level).toBe('ok');
    // 85 %: a warning; 92.5 %: an error.
    expect(screen.getByTestId('server-swap-bar').dataset.level).toBe('warn');
    expect(screen.getByTestId('server-disk-root').dataset.percent).toBe('93');
    expect(screen.getByTestId('server-disk-root').dataset.level).toBe('err');
    expect(screen.getByTestId('server-disk-docker').textContent).toMatch(/the same filesystem as \//);
    expect(screen.getByTestId('server-cost').textContent).toBe('420 ms · 3.2 KiB');

    const rows = screen.getByTestId('server-containers').querySelectorAll('tbody tr');
    expect(rows).toHaveLength(2);
    const hello = screen.getByTestId('server-container-hello');
    expect(hello.dataset.state).toBe('running');
    expect(hello.textContent).toMatch(/Ferry · hello · 20240501-101500/);
    expect(hello.textContent).toMatch(/12\.5 MiB \/ 256 MiB/);
    expect(hello.textContent).toMatch(/0\.5 %/);
    const pg = screen.getByTestId('server-container-postgres');
    expect(pg.dataset.state).toBe('exited');
    expect(pg.dataset.ferry).toBe('false');
    expect(pg.textContent).toMatch(/not Ferry’s/);
    expect(screen.getByTestId('server-seen').textContent).toMatch(/^seen \d+s ago$/);
  });

  it('keeps the last answer, greyed, when the server stops answering, and says since when', async () => {
    let down = false;
    route({
      server_overview: () => {
        if (down) throw { kind: 'unreachable', message: '203.0.113.10:22: connection timed out' };
        return overview;
      },
    });
    render(ServerPage, { configPath });
    await screen.findByTestId('server-memory-bar');
    down = true;
    await vi.advanceTimersByTimeAsync(SERVER_POLL_MS + 10);
    const error = await screen.findByTestId('server-error');
    expect(error.textContent).toMatch(/Unreachable since \d\d:\d\d:\d\d · last seen \d\d:\d\d:\d\d/);
    expect(error.textContent).toMatch(/connection timed out/);
    // The old data is still there.
    expect(screen.getByTestId('server-container-postgres')).toBeTruthy();
    expect(screen.getByTestId('server-memory-bar-text').textContent).toBe('3.1 GiB of 7.7 GiB used');
    expect(screen.getByTestId('server-host').closest('[data-stale]')?.getAttribute('data-stale')).toBe('true');
    expect(screen.getByTestId('server-seen').textContent).toMatch(/^seen \d+s ago$/);

    down = false;
    await vi.advanceTimersByTimeAsync(SERVER_POLL_MS + 10);
    expect(screen.queryByTestId('server-error')).toBeNull();
  });
});
