import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';

vi.mock('@tauri-apps/api/core', async () => {
  const m = await import('../../test/tauri-mock');
  return { invoke: m.invoke, Channel: m.FakeChannel };
});
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(async () => null) }));
vi.mock('@tauri-apps/plugin-store', () => ({ load: vi.fn(async () => Promise.reject(new Error('no store'))) }));

import { emit, invoke, route } from '../../test/tauri-mock';
import { archMismatch, crlf, finding } from '$lib/preflight-fixtures';
import Wizard from './Wizard.svelte';
import { resetWizard, wizard } from '$lib/wizard.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import type { ProjectInfo } from '$lib/types';

const engine = { version: '27.0.3', api_version: '1.46', os_type: 'linux', arch: 'x86_64', buildkit_available: true };
const project: ProjectInfo = {
  dir: 'C:\\src\\hello',
  module: 'example.com/hello',
  go_version: '1.22',
  main_package: './cmd/server',
  has_dockerfile: false,
  generated_dockerfile: 'FROM golang:1.22 AS build\n…',
  config: null,
  config_error: null,
  go_error: null,
};

const next = () => screen.getByTestId('wizard-next') as HTMLButtonElement;

describe('wizard', () => {
  beforeEach(() => {
    invoke.mockReset();
    resetWizard();
    setLang('en');
  });

  it('stops at Docker when it is not reachable, and goes on once it is', async () => {
    let up = false;
    route({
      docker_info: () => {
        if (!up) throw { kind: 'docker_unreachable', message: 'cannot connect to npipe:////./pipe/docker_engine' };
        return engine;
      },
    });
    render(Wizard);
    const status = await screen.findByTestId('docker-status');
    await vi.waitFor(() => expect(screen.getByTestId('docker-status').dataset.state).toBe('unreachable'));
    expect(status).toBeTruthy();
    expect(screen.getByTestId('docker-error').textContent).toMatch(/docker_engine/);
    expect(next().disabled).toBe(true);
    expect(screen.getByTestId('wizard-why').textContent).toMatch(/Docker must be running/);

    up = true;
    await fireEvent.click(screen.getByTestId('docker-retry'));
    await vi.waitFor(() => expect(screen.getByTestId('docker-status').dataset.state).toBe('ok'));
    expect(screen.getByTestId('docker-arch').textContent).toBe('x86_64');
    expect(next().disabled).toBe(false);
  });

  it('explains Windows-containers mode', async () => {
    route({ docker_info: () => ({ ...engine, os_type: 'windows' }) });
    render(Wizard);
    await vi.waitFor(() => expect(screen.getByTestId('docker-status').dataset.state).toBe('windows'));
    expect(screen.getByTestId('docker-status').textContent).toMatch(/Switch to Linux containers/);
    expect(next().disabled).toBe(true);
  });

  it('Back never loses what was typed', async () => {
    route({ docker_info: () => engine, inspect_project: () => project });
    render(Wizard);
    await vi.waitFor(() => expect(next().disabled).toBe(false));
    await fireEvent.click(next());

    const dir = screen.getByTestId('project-dir') as HTMLInputElement;
    await fireEvent.input(dir, { target: { value: 'C:\\src\\hello' } });
    await fireEvent.click(screen.getByTestId('project-inspect'));
    expect((await screen.findByTestId('project-module')).textContent).toBe('example.com/hello');
    expect(screen.getByTestId('project-dockerfile-text').textContent).toMatch(/FROM golang/);
    expect(invoke).toHaveBeenCalledWith('inspect_project', { dir: 'C:\\src\\hello' });
    expect(wizard.container.name).toBe('hello');
    await fireEvent.click(next());

    await fireEvent.input(screen.getByTestId('server-host'), { target: { value: '203.0.113.10' } });
    expect(next().disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('wizard-back'));
    expect((screen.getByTestId('project-dir') as HTMLInputElement).value).toBe('C:\\src\\hello');
    expect(screen.getByTestId('project-module').textContent).toBe('example.com/hello');
    await fireEvent.click(next());
    expect((screen.getByTestId('server-host') as HTMLInputElement).value).toBe('203.0.113.10');
    // Earlier steps stay reachable from the stepper.
    await fireEvent.click(screen.getByTestId('wizard-step-docker'));
    expect(screen.getByTestId('docker-status').dataset.state).toBe('ok');
    expect((screen.getByTestId('wizard-step-arch') as HTMLButtonElement).disabled).toBe(true);
  });

  it('Review: Check saves ferry.toml, runs the doctor and says Deploy will stop on errors', async () => {
    const saved = 'C:\\src\\hello\\ferry.toml';
    route({
      config_toml: () => '[app]\nname = "hello"\n',
      save_config: () => saved,
      doctor: () => 5,
      apply_fix: () => archMismatch.auto_fix!.label,
      inspect_project: () => ({ ...project, config: { app: { name: 'hello', context: '.', platform: 'auto' } } }),
    });
    Object.assign(wizard.project, { dir: 'C:\\src\\hello', info: project, inspected: 'C:\\src\\hello' });
    Object.assign(wizard.server, { host: '203.0.113.10', user: 'deployer' });
    wizard.container.name = 'hello';
    wizard.platform = 'linux/arm64';
    wizard.step = 6;
    wizard.furthest = 6;
    render(Wizard);
    await screen.findByTestId('review-toml');
    await fireEvent.click(screen.getByTestId('preflight-check'));
    await vi.waitFor(() => expect(invoke).toHaveBeenCalledWith('doctor', expect.objectContaining({ configPath: saved })));
    expect(invoke.mock.calls.findIndex((c) => c[0] === 'save_config')).toBeLessThan(
      invoke.mock.calls.findIndex((c) => c[0] === 'doctor'),
    );
    emit('doctor', [finding(crlf), finding(archMismatch), { event: 'finished', message: '1 error(s), 1 warning(s)' }]);
    const note = await screen.findByTestId('review-preflight-note');
    expect(note.dataset.state).toBe('errors');
    expect(note.textContent).toMatch(/Deploy will stop/);
    // Deploy is not hidden.
    expect((screen.getByTestId('wizard-save-deploy') as HTMLButtonElement).disabled).toBe(false);

    // The arch fix rewrites ferry.toml: the wizard takes platform = "auto" from it.
    await fireEvent.click(screen.getByTestId('finding-apply-server.arch_mismatch'));
    await fireEvent.click(screen.getByTestId('finding-apply-confirm'));
    await vi.waitFor(() => expect(invoke.mock.calls.filter((c) => c[0] === 'doctor')).toHaveLength(2));
    expect(wizard.platform).toBeNull();
    emit('doctor', [finding(crlf), { event: 'finished', message: '0 error(s), 1 warning(s)' }]);
    await vi.waitFor(() => expect(screen.getByTestId('review-preflight-note').dataset.state).toBe('warnings'));
  });
});
