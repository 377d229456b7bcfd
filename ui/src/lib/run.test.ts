import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', async () => {
  const m = await import('../test/tauri-mock');
  return { invoke: m.invoke, Channel: m.FakeChannel };
});

import { emit, invoke, route } from '../test/tauri-mock';
import { api } from './api';
import { Run, type RunEnd } from './run.svelte';
import type { Event } from './types';

const launch = (onEvent: (e: Event) => void) => api.logs('/p/ferry.toml', 10, true, null, onEvent);
const refused = { kind: 'unreachable', message: '10.0.0.9:22: connection timed out' };

describe('one run of a long operation', () => {
  beforeEach(() => {
    invoke.mockReset();
    route({ logs: () => 3, cancel: () => null });
  });

  it('ends once, with the finished event, and drops what comes after', async () => {
    const run = new Run();
    const seen: Event[] = [];
    const ends: RunEnd[] = [];
    const { launched, ended } = run.start(launch, { onEvent: (e) => seen.push(e), onEnd: (e) => ends.push(e) });
    await launched;
    expect(run.running).toBe(true);
    expect(run.op).toBe(3);
    emit('logs', [
      { event: 'log', step: 'logs', line: 'hello' },
      { event: 'finished', message: 'end of the log' },
      { event: 'failed', message: 'late', diagnosis: null },
      { event: 'log', step: 'logs', line: 'late' },
    ]);
    expect(await ended).toEqual({ ok: true, message: { id: '', args: undefined, text: 'end of the log' } });
    expect(ends).toEqual([{ ok: true, message: { id: '', args: undefined, text: 'end of the log' } }]);
    expect(seen.map((e) => e.event)).toEqual(['log', 'finished']);
    expect(run.running).toBe(false);
    expect(run.op).toBeNull();
  });

  it('a failure carries the kind and keys of the error event before it', async () => {
    const run = new Run();
    const { launched, ended } = run.start(launch);
    await launched;
    const error = { kind: 'unknown_host_key', message: 'first seen', fingerprint: 'SHA256:new' };
    emit('logs', [
      { event: 'step_started', step: 'connect', message: 'connecting' },
      { event: 'step_failed', step: 'connect', message: 'connecting', elapsed_ms: 12 },
      { event: 'data', step: 'connect', kind: 'error', data: error },
      { event: 'failed', message: 'first seen', diagnosis: null },
    ]);
    expect(await ended).toEqual({ ok: false, error, diagnosis: null });
  });

  it('a command refused before its stream started ends the run with that refusal', async () => {
    invoke.mockImplementation(async () => {
      throw refused;
    });
    const run = new Run();
    const ends: RunEnd[] = [];
    const { ended } = run.start(launch, { onEnd: (e) => ends.push(e) });
    expect(await ended).toEqual({ ok: false, error: refused, diagnosis: null });
    expect(ends).toHaveLength(1);
    expect(run.running).toBe(false);
  });

  it('a cancel asked before the id came back reaches the shell once it does', async () => {
    const run = new Run();
    const { launched } = run.start(launch);
    await run.cancel();
    await launched;
    expect(invoke).toHaveBeenCalledWith('cancel', { op: 3 });
    emit('logs', [{ event: 'failed', message: 'cancelled', diagnosis: null }]);
    expect(run.end).toEqual({ ok: false, error: { kind: 'other', message: 'cancelled' }, diagnosis: null });
  });

  it('a new run drops the old one: it is cancelled and its late events ignored', async () => {
    const run = new Run();
    const seen: string[] = [];
    const first = run.start(launch, { onEvent: (e) => seen.push(`first ${e.event}`) });
    await first.launched;
    const oldChannel = invoke.mock.calls.find((c) => c[0] === 'logs')![1] as { onEvent: { onmessage: (e: Event) => void } };
    const second = run.start(launch, { onEvent: (e) => seen.push(`second ${e.event}`) });
    expect(await first.ended).toBeNull();
    expect(invoke).toHaveBeenCalledWith('cancel', { op: 3 });
    await second.launched;
    oldChannel.onEvent.onmessage({ event: 'finished', message: 'old' });
    emit('logs', [{ event: 'finished', message: 'new' }]);
    expect(seen).toEqual(['second finished']);
    expect(await second.ended).toEqual({ ok: true, message: { id: '', args: undefined, text: 'new' } });
  });
});
