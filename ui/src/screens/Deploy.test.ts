import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';

vi.mock('@tauri-apps/api/core', async () => {
  const m = await import('../test/tauri-mock');
  return { invoke: m.invoke, Channel: m.FakeChannel };
});
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(async () => null) }));

import { emit, invoke, route } from '../test/tauri-mock';
import Deploy from './Deploy.svelte';
import { failedDeploy, registryDeploy } from '$lib/deploy/fixtures';
import { setLang } from '$lib/i18n/index.svelte';
import { archMismatch, crlf, finding } from '$lib/preflight-fixtures';

const history = [
  { version: '20240420-090000', started_at: '2024-04-20T09:00:00Z', duration_ms: 41_000, result: 'finished', message: 'ok' },
];

let n = 0;
const uniquePath = () => `C:\\Users\\me\\hello${++n}\\ferry.toml`;

describe('deploy screen', () => {
  beforeEach(() => {
    invoke.mockReset();
    setLang('en');
    route({ deploy: () => 7, rollback: () => 8, history: () => history, cancel: () => null });
  });

  it('follows a registry deploy to the end, with byte progress on the way', async () => {
    const configPath = uniquePath();
    render(Deploy, { configPath, mode: 'deploy', autostart: true, ship: 'push' });
    await tick();
    expect(invoke).toHaveBeenCalledWith('deploy', expect.objectContaining({ configPath, trustHostKey: null }));
    const status = screen.getByTestId('deploy-status');
    expect(status.dataset.phase).toBe('running');

    const push = registryDeploy.findIndex((e) => e.event === 'progress' && e.step === 'push');
    emit('deploy', registryDeploy.slice(0, push + 1));
    await tick();
    expect(screen.getByTestId('deploy-step-build').dataset.state).toBe('done');
    expect(screen.getByTestId('deploy-step-ship').dataset.state).toBe('running');
    expect(screen.getByTestId('deploy-progress-ship').textContent).toMatch(/1\.0 MB \/ 4\.0 MB · 25%/);
    expect(screen.getByTestId('deploy-log').textContent).toMatch(/go build/);

    emit('deploy', registryDeploy.slice(push + 1));
    await tick();
    expect(status.dataset.phase).toBe('finished');
    expect(screen.getByTestId('deploy-result').textContent).toMatch(/is running on 203\.0\.113\.10/);
    expect(screen.getByTestId('deploy-step-health').dataset.state).toBe('done');
    expect(screen.queryByTestId('deploy-cancel')).toBeNull();
    // The history is read again when the stream ends.
    expect(invoke.mock.calls.filter((c) => c[0] === 'history').length).toBeGreaterThanOrEqual(2);
    expect(await screen.findByTestId('history-row-0')).toBeTruthy();
  });

  it('says the running release was never stopped when the new one failed beside it', async () => {
    const configPath = uniquePath();
    render(Deploy, { configPath, mode: 'deploy', autostart: true, ship: 'transfer' });
    await tick();
    const failed = failedDeploy.map((e) =>
      e.event === 'failed' && e.diagnosis ? { ...e, diagnosis: { ...e.diagnosis, previous_untouched: true } } : e,
    );
    emit('deploy', failed);
    await tick();
    const restored = screen.getByTestId('diagnosis-restored').textContent ?? '';
    expect(restored).toMatch(/20240420-090000 was never stopped and still serves/);
    expect(restored).not.toMatch(/running again/);
  });

  it('explains a failed release and offers roll back and retry', async () => {
    const configPath = uniquePath();
    render(Deploy, { configPath, mode: 'deploy', autostart: true, ship: 'transfer' });
    await tick();
    emit('deploy', failedDeploy);
    await tick();
    const card = screen.getByTestId('diagnosis');
    expect(screen.getByTestId('deploy-status').dataset.phase).toBe('failed');
    expect(screen.getByTestId('diagnosis-message').textContent).toMatch(/did not become healthy/);
    expect(screen.getByTestId('diagnosis-hint').textContent).toMatch(/more memory than its limit/);
    expect(screen.getByTestId('diagnosis-exit-code').textContent).toMatch(/137/);
    expect(screen.getByTestId('diagnosis-oom')).toBeTruthy();
    expect(screen.getByTestId('diagnosis-log-tail').textContent).toMatch(/signal: killed/);
    expect(screen.getByTestId('diagnosis-restored').textContent).toMatch(/20240420-090000 is running again/);
    expect(card).toBeTruthy();

    await fireEvent.click(screen.getByTestId('rollback'));
    expect(invoke).toHaveBeenCalledWith('rollback', expect.objectContaining({ configPath }));
    expect(screen.getByTestId('deploy-step-rollback')).toBeTruthy();
  });

  it('Cancel calls cancel with the operation id', async () => {
    const configPath = uniquePath();
    render(Deploy, { configPath, mode: 'deploy', autostart: true, ship: 'push' });
    await tick();
    await tick();
    await fireEvent.click(screen.getByTestId('deploy-cancel'));
    expect(invoke).toHaveBeenCalledWith('cancel', { op: 7 });
    emit('deploy', [{ event: 'failed', message: 'cancelled', diagnosis: null }]);
    await tick();
    expect(screen.getByTestId('deploy-status').dataset.phase).toBe('cancelled');
    expect(screen.getByTestId('deploy-cancelled')).toBeTruthy();
  });

  it('asks to trust an unknown server, then deploys with its key', async () => {
    const configPath = uniquePath();
    let first = true;
    route({
      deploy: () => {
        if (first) {
          first = false;
          throw { kind: 'unknown_host_key', message: 'unknown host key', fingerprint: 'SHA256:xyz' };
        }
        return 9;
      },
      history: () => [],
    });
    render(Deploy, { configPath, mode: 'deploy', autostart: true, ship: null });
    expect((await screen.findByTestId('fingerprint')).textContent).toBe('SHA256:xyz');
    await fireEvent.click(screen.getByTestId('trust-host-key'));
    expect(invoke).toHaveBeenLastCalledWith('deploy', expect.objectContaining({ trustHostKey: 'SHA256:xyz' }));
  });

  it('a deploy to a first-seen server fails with the key in the stream: trust it and deploy again', async () => {
    const configPath = uniquePath();
    render(Deploy, { configPath, mode: 'deploy', autostart: true, ship: null });
    await tick();
    emit('deploy', [
      { event: 'step_started', step: 'connect', message: 'connecting to deployer@203.0.113.10:22' },
      { event: 'data', step: 'connect', kind: 'error', data: { kind: 'unknown_host_key', message: 'unknown', fingerprint: 'SHA256:abc' } },
      { event: 'failed', message: 'the host key of 203.0.113.10 is not known', diagnosis: null },
    ]);
    await tick();
    expect(screen.getByTestId('deploy-status').dataset.phase).toBe('failed');
    expect(screen.getByTestId('deploy-step-deploy').dataset.state).toBe('failed');
    expect(screen.getByTestId('fingerprint').textContent).toBe('SHA256:abc');
    await fireEvent.click(screen.getByTestId('trust-host-key'));
    expect(invoke).toHaveBeenLastCalledWith('deploy', expect.objectContaining({ configPath, trustHostKey: 'SHA256:abc' }));
    expect(screen.queryByTestId('fingerprint')).toBeNull();
  });

  it('titles the screen with the app’s name from ferry.toml', async () => {
    const configPath = uniquePath();
    route({
      history: () => [],
      deploy: () => 7,
      inspect_project: () => ({ config: { app: { name: 'hello-api' } } }),
    });
    render(Deploy, { configPath, mode: 'deploy', autostart: false, ship: null });
    expect(screen.getByTestId('deploy-title').textContent).toMatch(/^Deploy hello\d+$/);
    await tick();
    await tick();
    expect(screen.getByTestId('deploy-title').textContent).toBe('Deploy hello-api');
  });

  it('stops on preflight errors: shows the findings with their fixes and Retry', async () => {
    const configPath = uniquePath();
    route({ deploy: () => 7, history: () => [], doctor: () => 4, apply_fix: () => archMismatch.auto_fix!.label });
    render(Deploy, { configPath, mode: 'deploy', autostart: true, ship: 'transfer' });
    await tick();
    emit('deploy', [
      { event: 'step_started', step: 'connect', message: 'connecting to deployer@203.0.113.10:22' },
      { event: 'step_finished', step: 'connect', message: 'connected', elapsed_ms: 300 },
      { event: 'step_started', step: 'check', message: 'checking the project and the server' },
      finding(crlf),
      finding(archMismatch),
      { event: 'data', step: 'check', kind: 'error', data: { kind: 'preflight', message: 'the preflight found 1 error' } },
      { event: 'failed', message: 'the preflight found 1 error: nothing was built', diagnosis: null },
    ]);
    await tick();
    expect(screen.getByTestId('deploy-status').dataset.phase).toBe('failed');
    expect(screen.getByTestId('deploy-preflight-failed')).toBeTruthy();
    expect(screen.getByTestId('deploy-substep-check').dataset.state).toBe('failed');
    expect(screen.getByTestId('deploy-step-deploy').dataset.state).toBe('failed');
    expect(screen.getByTestId('deploy-step-build').dataset.state).toBe('pending');
    expect(screen.queryByTestId('diagnosis')).toBeNull();
    const rows = [...screen.getByTestId('deploy-preflight').querySelectorAll('[data-severity]')] as HTMLElement[];
    expect(rows.map((r) => r.dataset.testid)).toEqual(['finding-server.arch_mismatch', 'finding-context.crlf_scripts']);
    expect(screen.getByTestId('preflight-summary').textContent?.trim()).toBe('1 error, 1 warning');
    expect(screen.getByTestId('deploy-log').textContent).toMatch(/Error: ferry\.toml builds for linux\/arm64/);

    // A fix, then the checks again (not a deploy).
    await fireEvent.click(screen.getByTestId('finding-apply-server.arch_mismatch'));
    await fireEvent.click(screen.getByTestId('finding-apply-confirm'));
    for (let i = 0; i < 5; i++) await tick();
    expect(invoke).toHaveBeenCalledWith('apply_fix', {
      configPath,
      id: 'server.arch_mismatch',
      digest: archMismatch.auto_fix!.digest,
      trustHostKey: null,
    });
    expect(invoke).toHaveBeenLastCalledWith('doctor', expect.objectContaining({ configPath }));
    emit('doctor', [finding(crlf), { event: 'finished', message: '0 error(s), 1 warning(s)' }]);
    await tick();
    expect(screen.queryByTestId('finding-server.arch_mismatch')).toBeNull();
    expect(screen.getByTestId('preflight-summary').textContent?.trim()).toBe('1 warning');

    await fireEvent.click(screen.getByTestId('retry'));
    expect(invoke).toHaveBeenLastCalledWith('deploy', expect.objectContaining({ configPath }));
    expect(screen.queryByTestId('deploy-preflight')).toBeNull();
  });

  it('keeps warnings of a deploy that went on', async () => {
    const configPath = uniquePath();
    render(Deploy, { configPath, mode: 'deploy', autostart: true, ship: 'push' });
    await tick();
    emit('deploy', [finding(crlf), ...registryDeploy]);
    await tick();
    expect(screen.getByTestId('deploy-status').dataset.phase).toBe('finished');
    expect(screen.getByTestId('finding-context.crlf_scripts').dataset.severity).toBe('warning');
    expect(screen.getByTestId('preflight-summary').textContent?.trim()).toBe('1 warning');
  });

  it('says what went live in the user\'s language', async () => {
    const configPath = uniquePath();
    setLang('zh');
    render(Deploy, { configPath, mode: 'deploy', autostart: true, ship: 'transfer' });
    await tick();
    emit('deploy', [
      {
        event: 'data',
        step: 'start',
        kind: 'release',
        data: {
          app: 'hello',
          version: '20261125-101500',
          image: 'hello:20261125-101500',
          platform: 'linux/amd64',
          previous: null,
          url: 'http://203.0.113.10:8080/',
        },
      },
      { event: 'finished', message: 'hello 20261125-101500 is live at http://203.0.113.10:8080/' },
    ]);
    await tick();
    const result = screen.getByTestId('deploy-result-message');
    expect(result.textContent).toBe('hello 20261125-101500 已上线：http://203.0.113.10:8080/');
    setLang('en');
    await tick();
    expect(result.textContent).toBe('hello 20261125-101500 is live at http://203.0.113.10:8080/');
  });

  it('shows the diagnosis in the UI language, and again after a switch', async () => {
    const configPath = uniquePath();
    setLang('zh');
    render(Deploy, { configPath, mode: 'deploy', autostart: true, ship: 'transfer' });
    await tick();
    // As ferry-core sends it: the texts rendered in the core's language, with their ids.
    const summary = {
      id: 'diagnosis-stopped',
      args: { code: { id: 'diagnosis-exit-code', args: { code: 1 } } },
      text: 'the new container stopped with exit code 1',
    };
    const hint = { id: 'cause-exec-format', text: 'the image was built for another CPU architecture' };
    emit('deploy', [
      {
        event: 'failed',
        message: 'the new container stopped with exit code 1',
        message_id: 'release-unhealthy',
        args: { summary, previous: { id: 'empty' }, hint: { id: 'empty' } },
        diagnosis: {
          summary,
          hint,
          exit_code: 1,
          oom_killed: false,
          log_tail: ['exec /app: exec format error'],
          restored_previous: null,
          cause: 'exec_format',
        },
      },
    ]);
    await tick();
    expect(screen.getByTestId('diagnosis-message').textContent).toBe('新容器停止了（退出码 1）');
    expect(screen.getByTestId('diagnosis-hint').textContent).toMatch(/在 ferry.toml 的 \[app\] 中设置 platform = "auto"/);
    setLang('en');
    await tick();
    expect(screen.getByTestId('diagnosis-message').textContent).toBe('the new container stopped with exit code 1');
    expect(screen.getByTestId('diagnosis-hint').textContent).toMatch(/built for another CPU architecture than the server's/);
  });

  it('switches to the release it was given, and says so in its title', async () => {
    const configPath = uniquePath();
    render(Deploy, { configPath, mode: 'rollback', autostart: true, ship: null, to: '20240420-090000' });
    await tick();
    expect(invoke).toHaveBeenCalledWith('rollback', expect.objectContaining({ configPath, to: '20240420-090000' }));
    expect(screen.getByTestId('deploy-title').textContent).toBe(`Switching hello${n} to 20240420-090000`);
  });
});
