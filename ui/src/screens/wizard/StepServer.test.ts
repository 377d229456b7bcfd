import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';

vi.mock('@tauri-apps/api/core', async () => {
  const m = await import('../../test/tauri-mock');
  return { invoke: m.invoke, Channel: m.FakeChannel };
});
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(async () => null) }));

import { invoke } from '../../test/tauri-mock';
import StepServer from './StepServer.svelte';
import { resetWizard, wizard } from '$lib/wizard.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import { stepValid, toConfig } from '$lib/wizard';
import type { ServerInfo } from '$lib/types';

const server: ServerInfo = {
  machine: 'aarch64',
  platform: 'linux/arm64',
  os_id: 'rocky',
  os_version: '9.3',
  os_name: 'Rocky Linux 9.3 (Blue Onyx)',
  docker_version: '26.1.3',
  sudo: true,
};
const FP = 'SHA256:q2G1mB9n7vUVrSxZWz0Jf2ZbVYpQw9a6k3JZ0fP0c8E';

async function fillServer() {
  await fireEvent.input(screen.getByTestId('server-host'), { target: { value: '203.0.113.10' } });
  await fireEvent.input(screen.getByTestId('server-user'), { target: { value: 'deployer' } });
}

describe('wizard Server step', () => {
  beforeEach(() => {
    invoke.mockReset();
    resetWizard();
    setLang('en');
  });

  it('shows the fingerprint on unknown_host_key and connects again only once trusted', async () => {
    invoke
      .mockRejectedValueOnce({ kind: 'unknown_host_key', message: 'unknown host key', fingerprint: FP })
      .mockResolvedValueOnce({ fingerprint: FP, server });
    render(StepServer);
    await fillServer();
    await fireEvent.click(screen.getByTestId('test-connection'));

    expect((await screen.findByTestId('fingerprint')).textContent).toBe(FP);
    expect(screen.getByTestId('host-key-prompt').dataset.state).toBe('unknown');
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke).toHaveBeenLastCalledWith('test_connection', {
      server: { host: '203.0.113.10', port: 22, user: 'deployer' },
      auth: { kind: 'key', identity_file: '~/.ssh/id_ed25519' },
      trustHostKey: null,
    });
    expect(stepValid(wizard, 'server')).toBe(false);

    await fireEvent.click(screen.getByTestId('trust-host-key'));
    await screen.findByTestId('server-info');
    expect(invoke).toHaveBeenCalledTimes(2);
    expect(invoke.mock.calls[1][1]).toMatchObject({ trustHostKey: FP });
    expect(screen.queryByTestId('host-key-prompt')).toBeNull();
    expect(screen.getByTestId('server-os').textContent).toBe('Rocky Linux 9.3 (Blue Onyx)');
    expect(screen.getByTestId('server-arch').textContent).toBe('aarch64 (linux/arm64)');
    expect(screen.getByTestId('server-sudo').textContent).toMatch(/sudo -n/);

    // The fingerprint is pinned into the config, the architecture preselected.
    expect(toConfig(wizard).server.host_key).toBe(FP);
    expect(wizard.platform).toBe('linux/arm64');
    expect(stepValid(wizard, 'server')).toBe(true);
  });

  it('Cancel drops the unknown key without connecting again', async () => {
    invoke.mockRejectedValueOnce({ kind: 'unknown_host_key', message: 'unknown host key', fingerprint: FP });
    render(StepServer);
    await fillServer();
    await fireEvent.click(screen.getByTestId('test-connection'));
    await screen.findByTestId('fingerprint');
    await fireEvent.click(screen.getByTestId('cancel-host-key'));
    expect(screen.queryByTestId('fingerprint')).toBeNull();
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(toConfig(wizard).server.host_key).toBeUndefined();
  });

  it('asks again when the server shows another key than the pinned one', async () => {
    wizard.server.host = '203.0.113.10';
    wizard.server.hostKey = 'SHA256:old';
    wizard.server.hostKeyFor = '203.0.113.10:22';
    // The shell is asked to trust the pinned key; the server shows another.
    invoke.mockRejectedValueOnce({
      kind: 'host_key_mismatch',
      message: 'the host key changed',
      fingerprint: FP,
      expected: 'SHA256:old',
    });
    invoke.mockResolvedValue({ fingerprint: FP, server });
    render(StepServer);
    await fireEvent.click(screen.getByTestId('test-connection'));
    expect(invoke.mock.calls[0][1]).toMatchObject({ trustHostKey: 'SHA256:old' });
    expect((await screen.findByTestId('expected-fingerprint')).textContent).toBe('SHA256:old');
    expect(screen.getByTestId('fingerprint').textContent).toBe(FP);
    expect(stepValid(wizard, 'server')).toBe(false);
    await fireEvent.click(screen.getByTestId('trust-host-key'));
    await screen.findByTestId('server-info');
    expect(toConfig(wizard).server.host_key).toBe(FP);
  });

  it('sends the password with the keyring choice, and shows why a login failed', async () => {
    invoke.mockRejectedValueOnce({ kind: 'auth_failed', message: 'deployer@203.0.113.10 rejected the password' });
    render(StepServer);
    await fillServer();
    await fireEvent.click(screen.getByTestId('server-auth-password'));
    await fireEvent.input(screen.getByTestId('server-password'), { target: { value: 's3cret' } });
    await fireEvent.click(screen.getByTestId('server-save-password'));
    expect(screen.getByTestId('server-password-not-saved')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('test-connection'));
    const err = await screen.findByTestId('server-error');
    expect(err.dataset.kind).toBe('auth_failed');
    expect(err.textContent).toMatch(/rejected the password/);
    expect(invoke.mock.calls[0][1]).toMatchObject({ auth: { kind: 'password', password: 's3cret', save: false } });
  });

  it('says why a value is wrong as you type, in Chinese too', async () => {
    render(StepServer);
    const host = screen.getByTestId('server-host');
    await fireEvent.input(host, { target: { value: 'root@example.com' } });
    expect(screen.getByTestId('server-host-error').textContent).toMatch(/User field/);
    expect(host.getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByTestId('test-connection') as HTMLButtonElement).disabled).toBe(true);
    setLang('zh');
    await tick();
    expect(screen.getByTestId('server-host-error').textContent).toMatch(/用户名/);
    expect(screen.getByTestId('test-connection').textContent).toMatch(/测试连接/);
    await fireEvent.input(screen.getByTestId('server-port'), { target: { value: '70000' } });
    expect(screen.getByTestId('server-port-error').textContent).toMatch(/65535/);
  });

  it('sends a key passphrase with the keyring choice, and none when left empty', async () => {
    invoke.mockResolvedValue({ fingerprint: FP, server });
    render(StepServer);
    await fillServer();
    const field = screen.getByTestId('server-passphrase') as HTMLInputElement;
    expect(field.type).toBe('password');
    expect(screen.getByLabelText('Key passphrase')).toBe(field);
    const save = screen.getByTestId('server-save-passphrase') as HTMLInputElement;
    expect(save.checked).toBe(true);
    expect(screen.getByLabelText('Save in the OS keyring')).toBe(save);

    await fireEvent.click(screen.getByTestId('test-connection'));
    expect(invoke.mock.calls[0][1]).toMatchObject({ auth: { kind: 'key', identity_file: '~/.ssh/id_ed25519' } });
    expect('passphrase' in (invoke.mock.calls[0][1] as { auth: object }).auth).toBe(false);
    await screen.findByTestId('server-info');

    await fireEvent.input(field, { target: { value: 'correct horse' } });
    await fireEvent.click(save);
    await fireEvent.click(screen.getByTestId('test-connection'));
    expect(invoke.mock.calls[1][1]).toMatchObject({
      auth: { kind: 'key', identity_file: '~/.ssh/id_ed25519', passphrase: 'correct horse', save: false },
    });
    // Only with a key file: not for the agent.
    await fireEvent.click(screen.getByTestId('server-auth-agent'));
    expect(screen.queryByTestId('server-passphrase')).toBeNull();
    setLang('zh');
    await fireEvent.click(screen.getByTestId('server-auth-key'));
    expect(screen.getByLabelText('私钥密码')).toBeTruthy();
  });
});
