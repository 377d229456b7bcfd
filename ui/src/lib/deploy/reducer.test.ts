import { describe, expect, it } from 'vitest';
import { groups, initialState, LOG_LIMIT, logText, reduce, rejected, replay, requestCancel, started } from './reducer';
import { cancelledDeploy, failedDeploy, registryDeploy } from './fixtures';
import type { Event } from '../types';

describe('deploy reducer', () => {
  it('a registry deploy ends finished with every row done', () => {
    const s = replay(registryDeploy);
    expect(s.phase).toBe('finished');
    expect(s.ship).toBe('push');
    expect(s.message).toMatch(/is running on 203\.0\.113\.10/);
    expect(s.server?.platform).toBe('linux/amd64');
    expect(s.image?.architecture).toBe('amd64');
    const rows = groups(s);
    expect(rows.map((g) => [g.id, g.status])).toEqual([
      ['build', 'done'],
      ['ship', 'done'],
      ['deploy', 'done'],
      ['health', 'done'],
    ]);
    const deploy = rows.find((g) => g.id === 'deploy')!;
    expect(deploy.parts.map((p) => p.step)).toEqual(['connect', 'probe', 'pull', 'start']);
    expect(s.steps.push?.elapsed_ms).toBe(5200);
    expect(s.log.at(-1)).toMatchObject({ kind: 'final' });
  });

  it('shows byte progress while pushing', () => {
    const upToPush = registryDeploy.slice(0, registryDeploy.findIndex((e) => e.event === 'progress' && e.step === 'push') + 1);
    const s = replay(upToPush);
    const ship = groups(s).find((g) => g.id === 'ship')!;
    expect(ship.status).toBe('running');
    expect(ship.progress).toEqual({ step: 'push', current: 1_048_576, total: 4_194_304 });
    // The build row is done and shows no bar any more.
    expect(groups(s)[0].status).toBe('done');
  });

  it('the deploy row waits (connected) while the image is built', () => {
    const upToBuild = registryDeploy.slice(0, registryDeploy.findIndex((e) => e.event === 'step_started' && e.step === 'build') + 1);
    const rows = groups(replay(upToBuild));
    expect(rows.find((g) => g.id === 'build')!.status).toBe('running');
    const deploy = rows.find((g) => g.id === 'deploy')!;
    expect(deploy.status).toBe('pending');
    expect(deploy.parts.filter((p) => p.view.status === 'done').map((p) => p.step)).toEqual(['connect', 'probe']);
  });

  it('health runs from its first log line inside start', () => {
    const i = registryDeploy.findIndex((e) => e.event === 'log' && e.step === 'health');
    const s = replay(registryDeploy.slice(0, i + 1));
    expect(s.steps.health?.status).toBe('running');
    expect(groups(s).find((g) => g.id === 'health')!.status).toBe('running');
  });

  it('keeps the core’s messages so the log and the rows render in the UI language', () => {
    const s = replay([
      { event: 'step_started', step: 'push', message: 'pushing to r/x:1', message_id: 'step-push', args: { image: 'r/x:1' } },
      { event: 'step_finished', step: 'pull', message: 'pulled', message_id: 'step-pull-done', elapsed_ms: 1500 },
    ]);
    expect(s.steps.pull?.msg).toEqual({ id: 'step-pull-done', args: undefined, text: 'pulled' });
    expect(logText(s.log[0], 'en')).toBe('pushing to r/x:1');
    expect(logText(s.log[1], 'en')).toBe('pulled (1.5 s)');
    expect(logText(s.log[1], 'zh')).not.toMatch(/pulled/);
    expect(logText(s.log[1], 'zh')).toMatch(/\(1\.5 s\)$/);
  });

  it('a failed deploy keeps the diagnosis and marks the running steps failed', () => {
    const s = replay(failedDeploy);
    expect(s.phase).toBe('failed');
    expect(s.ship).toBe('transfer');
    expect(s.diagnosis).toMatchObject({ exit_code: 137, oom_killed: true, restored_previous: '20240420-090000' });
    expect(s.diagnosis?.log_tail).toHaveLength(3);
    expect(s.steps.start?.status).toBe('failed');
    expect(s.steps.health?.status).toBe('failed');
    expect(s.steps.transfer?.status).toBe('done');
    expect(s.warnings.map((w) => w.text)).toEqual(['the new container stopped with exit code 137']);
    const rows = groups(s);
    expect(rows.find((g) => g.id === 'deploy')!.parts.map((p) => p.step)).toEqual(['connect', 'probe', 'start']);
    expect(rows.find((g) => g.id === 'deploy')!.status).toBe('failed');
    expect(s.log.at(-1)).toMatchObject({ kind: 'error' });
  });

  it('a failure after Cancel is a cancellation', () => {
    const before = cancelledDeploy.slice(0, -1);
    let s = requestCancel(replay(before));
    s = reduce(s, cancelledDeploy.at(-1)!);
    expect(s.phase).toBe('cancelled');
    expect(s.steps.push?.status).toBe('pending');
    expect(s.steps.push?.total).toBeNull();
  });

  it('ignores anything after the final event', () => {
    const s = replay(registryDeploy);
    const after = reduce(s, { event: 'log', step: 'build', line: 'late' });
    expect(after).toBe(s);
  });

  it('never changes the state it is given', () => {
    const s0 = started(initialState());
    const frozen = JSON.stringify(s0);
    reduce(s0, registryDeploy[0]);
    expect(JSON.stringify(s0)).toBe(frozen);
  });

  it('keeps the log bounded', () => {
    const lines: Event[] = Array.from({ length: LOG_LIMIT + 10 }, (_, i) => ({ event: 'log', step: 'build', line: `l${i}` }));
    const s = replay(lines);
    expect(s.log).toHaveLength(LOG_LIMIT);
    expect(s.dropped).toBe(10);
    expect(s.log[0].text).toBe('l10');
  });

  it('a rollback shows connect, roll back and health', () => {
    const events: Event[] = [
      { event: 'step_started', step: 'connect', message: 'connecting' },
      { event: 'step_finished', step: 'connect', message: 'connected', elapsed_ms: 10 },
      { event: 'step_started', step: 'rollback', message: 'rolling back to release 20240420-090000' },
      { event: 'log', step: 'health', line: 'HTTP 200 from /healthz' },
      { event: 'step_finished', step: 'rollback', message: 'release 20240420-090000 is healthy', elapsed_ms: 900 },
      { event: 'finished', message: 'rolled back to 20240420-090000' },
    ];
    const rows = groups(replay(events), 'rollback');
    expect(rows.map((g) => [g.id, g.status])).toEqual([
      ['deploy', 'done'],
      ['rollback', 'done'],
      ['health', 'done'],
    ]);
  });
});

describe('deploy reducer: the failure kind', () => {
  it('keeps the error sent before failed, and a cancelled kind is a cancellation', () => {
    const s = replay([
      { event: 'step_started', step: 'push', message: 'pushing' },
      { event: 'data', step: 'push', kind: 'error', data: { kind: 'cancelled', message: 'cancelled' } },
      { event: 'failed', message: 'cancelled', diagnosis: null },
    ]);
    expect(s.phase).toBe('cancelled');
    expect(s.error?.kind).toBe('cancelled');
  });

  it('an unknown host key arrives with its fingerprint', () => {
    const s = replay([
      { event: 'step_started', step: 'connect', message: 'connecting to deployer@203.0.113.10:22' },
      { event: 'data', step: 'connect', kind: 'error', data: { kind: 'unknown_host_key', message: 'unknown host key', fingerprint: 'SHA256:k' } },
      { event: 'failed', message: 'unknown host key for 203.0.113.10', diagnosis: null },
    ]);
    expect(s.phase).toBe('failed');
    expect(s.error).toMatchObject({ kind: 'unknown_host_key', fingerprint: 'SHA256:k' });
    expect(s.steps.connect?.status).toBe('failed');
  });

  it('a step that stopped unfinished is failed, and stays failed when the run fails', () => {
    const s = replay([
      { event: 'step_started', step: 'pull', message: 'pulling reg/app:1 on the server' },
      { event: 'step_failed', step: 'pull', message: 'pulling reg/app:1 on the server', elapsed_ms: 1500 },
      { event: 'failed', message: 'the server could not pull reg/app:1', diagnosis: null },
    ]);
    expect(s.steps.pull).toMatchObject({ status: 'failed', elapsed_ms: 1500 });
    expect(s.log.map((l) => l.kind)).toEqual(['step', 'error', 'error']);
    expect(s.phase).toBe('failed');
  });

  it('a command refused before its stream started fails the run with its error, once', () => {
    const error = { kind: 'config', message: 'ferry.toml:2:1: unknown field memroy' };
    const s = rejected(started(initialState()), error);
    expect(s).toMatchObject({ phase: 'failed', message: error.message, error });
    expect(rejected(s, { kind: 'other', message: 'again' })).toBe(s);
  });
});
