import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', async () => {
  const m = await import('../test/tauri-mock');
  return { invoke: m.invoke, Channel: m.FakeChannel };
});

import { invoke, route } from '../test/tauri-mock';
import { monitor, POLL_MS, ProjectMonitor, SAMPLE_LIMIT, sampleOf, stopMonitors, watchProjects } from './monitor.svelte';
import { Ring } from './ring';
import type { Status } from './types';

const A = '/srv/a/ferry.toml';
const B = '/srv/b/ferry.toml';

const status = (over: Partial<Status> = {}): Status => ({
  app: 'a',
  host: '203.0.113.10',
  state: 'running',
  health: null,
  http_check: null,
  started_at: null,
  restart_count: 0,
  image: null,
  version: '1',
  ports: [],
  cpu: '1.5%',
  memory: '10MiB / 100MiB',
  cpu_percent: 1.5,
  memory_bytes: 10 * 2 ** 20,
  memory_limit_bytes: 100 * 2 ** 20,
  previous: [],
  ...over,
});

describe('Ring', () => {
  it('keeps the newest entries, oldest first', () => {
    const r = new Ring<number>(3);
    for (const n of [1, 2, 3, 4, 5]) r.push(n);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.length).toBe(3);
  });
});

describe('sampleOf', () => {
  it('takes the numbers, falls back to the texts, and has none for a stopped container', () => {
    expect(sampleOf(status(), 1)).toEqual({ at: 1, cpu: 1.5, memory: 10 * 2 ** 20, limit: 100 * 2 ** 20 });
    expect(sampleOf(status({ cpu_percent: null, memory_bytes: null }), 1).memory).toBe(10 * 2 ** 20);
    expect(sampleOf(status({ state: 'exited' }), 2)).toEqual({ at: 2, cpu: null, memory: null, limit: null });
  });
});

describe('the monitor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    invoke.mockReset();
  });
  afterEach(() => {
    stopMonitors();
    vi.useRealTimers();
  });

  it('keeps 30 minutes of samples per project', () => {
    const m = new ProjectMonitor(A);
    for (let i = 0; i < SAMPLE_LIMIT + 10; i++) m.answered(status({ cpu_percent: i }), i * POLL_MS);
    expect(m.samples).toHaveLength(SAMPLE_LIMIT);
    expect(m.samples[0].cpu).toBe(10);
    expect(m.samples[SAMPLE_LIMIT - 1].cpu).toBe(SAMPLE_LIMIT + 9);
  });

  it('polls each project on its own: a hanging one and a failing one do not hold up the other', async () => {
    const calls = { a: 0, b: 0 };
    route({
      inspect_project: () => ({ config: null }),
      status: (args) => {
        if (args.configPath === A) {
          calls.a++;
          return status({ cpu_percent: calls.a });
        }
        calls.b++;
        // B hangs on its first question, and fails on the next.
        if (calls.b === 1) return new Promise(() => {});
        throw { kind: 'unreachable', message: 'timed out' };
      },
    });
    watchProjects([A, B]);
    await vi.advanceTimersByTimeAsync(3 * POLL_MS + 10);
    const a = monitor(A);
    const b = monitor(B);
    expect(a.samples.map((s) => s.cpu)).toEqual([1, 2, 3, 4]);
    expect(a.seenAt).not.toBeNull();
    expect(b.loading).toBe(true);
    expect(calls.b).toBe(1);
    // The same monitor, samples and all, whoever asks for it again.
    expect(monitor(A)).toBe(a);

    watchProjects([A]);
    expect(monitor(B)).not.toBe(b);
    await vi.advanceTimersByTimeAsync(10);
    expect(monitor(B).error?.message).toBe('timed out');
    expect(monitor(B).failingSince).not.toBeNull();
    expect(monitor(B).seenAt).toBeNull();
  });

  it('an error keeps the last status and when it was seen', async () => {
    let fail = false;
    route({
      inspect_project: () => ({ config: { app: { name: 'a' }, server: { host: 'h' } } }),
      status: () => {
        if (fail) throw { kind: 'unreachable', message: 'down' };
        return status();
      },
    });
    const m = monitor(A);
    await vi.advanceTimersByTimeAsync(10);
    expect(m.config).toEqual({ app: 'a', host: 'h', registry: false });
    const seen = m.seenAt;
    fail = true;
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(m.status?.version).toBe('1');
    expect(m.error?.message).toBe('down');
    expect(m.seenAt).toBe(seen);
    expect(m.samples.at(-1)?.cpu).toBeNull();
  });
});
