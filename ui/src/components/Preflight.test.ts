import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';

vi.mock('@tauri-apps/api/core', async () => {
  const m = await import('../test/tauri-mock');
  return { invoke: m.invoke, Channel: m.FakeChannel };
});
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(async () => null) }));

import { emit, invoke, route } from '../test/tauri-mock';
import Harness from '../test/PreflightHarness.svelte';
import { archMismatch, crlf, finding, root, timezone } from '$lib/preflight-fixtures';
import { setLang } from '$lib/i18n/index.svelte';

const PATH = 'C:\\Users\\me\\hello\\ferry.toml';
const doctorCalls = () => invoke.mock.calls.filter((c) => c[0] === 'doctor').length;

async function settle() {
  for (let i = 0; i < 5; i++) await tick();
}

describe('Preflight panel', () => {
  beforeEach(() => {
    invoke.mockReset();
    setLang('en');
    route({ doctor: () => 3, apply_fix: () => crlf.auto_fix!.label });
  });

  it('lists findings errors first, with severity words, ids, evidence and fixes', async () => {
    render(Harness, { configPath: PATH });
    await settle();
    expect(invoke).toHaveBeenCalledWith('doctor', expect.objectContaining({ configPath: PATH, trustHostKey: null }));
    expect(screen.getByTestId('preflight-summary').dataset.state).toBe('running');
    emit('doctor', [finding(root), finding(crlf), finding(archMismatch), finding(timezone)]);
    emit('doctor', [{ event: 'finished', message: '1 error(s), 2 warning(s)' }]);
    await settle();

    const rows = [...document.querySelectorAll('[data-testid^="finding-"][data-severity]')] as HTMLElement[];
    expect(rows.map((r) => r.dataset.severity)).toEqual(['error', 'warning', 'warning', 'info']);
    expect(rows[0].dataset.testid).toBe('finding-server.arch_mismatch');
    // Not colour alone: the word is there.
    expect(rows[0].textContent).toMatch(/Error/);
    expect(rows[1].textContent).toMatch(/Warning/);
    expect(rows[1].textContent).toMatch(/context\.crlf_scripts/);
    expect(screen.getByTestId('preflight-summary').textContent?.trim()).toBe('1 error, 2 warnings, 1 note');
    expect(screen.getByTestId('finding-evidence-context.crlf_scripts').closest('details')?.open).toBe(false);
    expect(screen.getByTestId('finding-fix-context.crlf_scripts').textContent).toMatch(/LF line endings/);
    // No automatic fix, no button.
    expect(screen.queryByTestId('finding-apply-dockerfile.runs_as_root')).toBeNull();
  });

  it('shows what a fix changes, applies it on confirmation, then checks again', async () => {
    render(Harness, { configPath: PATH });
    await settle();
    emit('doctor', [finding(crlf), { event: 'finished', message: '0 error(s), 1 warning(s)' }]);
    await settle();

    const open = screen.getByTestId('finding-apply-context.crlf_scripts');
    expect(open.textContent).toMatch(/Convert to LF/);
    expect(open.tagName).toBe('BUTTON');
    await fireEvent.click(open);
    expect(open.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByTestId('finding-preview').textContent).toMatch(/scripts\/setup\.sh/);
    expect(screen.getByTestId('finding-preview-file').textContent).toBe('set -e\necho setting up\nmkdir -p /data\n');
    // Nothing is applied before the user confirms.
    expect(invoke.mock.calls.some((c) => c[0] === 'apply_fix')).toBe(false);

    await fireEvent.click(screen.getByTestId('finding-apply-confirm'));
    await settle();
    // The finding's id and the digest of the fix shown, never the fix itself.
    expect(invoke).toHaveBeenCalledWith('apply_fix', {
      configPath: PATH,
      id: 'context.crlf_scripts',
      digest: crlf.auto_fix!.digest,
      trustHostKey: null,
    });
    const sent = JSON.stringify(invoke.mock.calls.find((c) => c[0] === 'apply_fix'));
    expect(sent).not.toMatch(/set -e|scripts\/setup\.sh|base_sha256|argv/);
    expect(doctorCalls()).toBe(2);
    expect(screen.getByTestId('preflight-applied').textContent).toMatch(/Applied: Convert to LF\. Checking again/);
    expect(screen.getByTestId('preflight-applied').dataset.state).toBe('checking');
    emit('doctor', [{ event: 'finished', message: 'no problems found' }]);
    await settle();
    expect(screen.getByTestId('preflight-applied').dataset.state).toBe('done');
    expect(screen.queryByTestId('finding-context.crlf_scripts')).toBeNull();
    expect(screen.getByTestId('preflight-summary').textContent?.trim()).toBe('No problems found');
  });

  it('shows the exact server commands, and Cancel applies nothing', async () => {
    render(Harness, { configPath: PATH });
    await settle();
    emit('doctor', [finding(timezone), { event: 'finished', message: '' }]);
    await settle();
    await fireEvent.click(screen.getByTestId('finding-apply-server.timezone_mismatch'));
    expect(screen.getByTestId('finding-preview-commands').textContent).toBe("$ sudo -n timedatectl set-timezone 'Asia/Shanghai'");
    await fireEvent.click(screen.getByTestId('finding-apply-cancel'));
    expect(screen.queryByTestId('finding-preview')).toBeNull();
    expect(invoke.mock.calls.some((c) => c[0] === 'apply_fix')).toBe(false);
  });

  it('says why a fix was refused and keeps the finding', async () => {
    route({
      doctor: () => 3,
      apply_fix: () => {
        throw {
          kind: 'fix_refused',
          message:
            'the fix of `context.crlf_scripts` is no longer the one you were shown: what it writes to `scripts/setup.sh` changed since the check; nothing was changed. Run the checks again and review the new fix.',
        };
      },
    });
    render(Harness, { configPath: PATH });
    await settle();
    emit('doctor', [finding(crlf), { event: 'finished', message: '' }]);
    await settle();
    await fireEvent.click(screen.getByTestId('finding-apply-context.crlf_scripts'));
    await fireEvent.click(screen.getByTestId('finding-apply-confirm'));
    await settle();
    const err = screen.getByTestId('finding-apply-error');
    expect(err.dataset.kind).toBe('fix_refused');
    expect(err.textContent).toMatch(/no longer the one you were shown: what it writes to `scripts\/setup\.sh` changed/);
    expect(screen.getByTestId('finding-context.crlf_scripts')).toBeTruthy();
    expect(doctorCalls()).toBe(1);
  });

  it('speaks Chinese', async () => {
    setLang('zh');
    render(Harness, { configPath: PATH });
    await settle();
    emit('doctor', [finding(archMismatch), finding(crlf), { event: 'finished', message: '' }]);
    await settle();
    expect(screen.getByTestId('preflight-summary').textContent?.trim()).toBe('1 个错误，1 个警告');
    expect(screen.getByTestId('finding-message-context.crlf_scripts').textContent).toMatch(/换行/);
    expect(screen.getByTestId('finding-server.arch_mismatch').textContent).toMatch(/错误/);
    expect(screen.getByTestId('finding-apply-server.arch_mismatch').textContent).toMatch(/将 platform 设为 auto/);
    expect(screen.getByTestId('preflight-recheck').textContent).toMatch(/重新检查/);
    setLang('en');
  });

  it('reports checks that could not run, and Check again runs them again', async () => {
    render(Harness, { configPath: PATH });
    await settle();
    emit('doctor', [
      { event: 'data', step: 'connect', kind: 'error', data: { kind: 'unreachable', message: '10.0.0.9:22: connection timed out' } },
      { event: 'failed', message: '10.0.0.9:22: connection timed out', diagnosis: null },
    ]);
    await settle();
    const err = screen.getByTestId('preflight-error');
    expect(err.dataset.kind).toBe('unreachable');
    expect(err.textContent).toMatch(/timed out/);
    await fireEvent.click(screen.getByTestId('preflight-recheck'));
    expect(doctorCalls()).toBe(2);
  });
});
