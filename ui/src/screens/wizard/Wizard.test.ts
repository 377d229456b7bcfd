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
import type { Plan, ProjectInfo } from '$lib/types';

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

  it('Review: Show the plan saves ferry.toml and shows what Deploy will do, secrets by name only', async () => {
    const saved = 'C:\\src\\hello\\ferry.toml';
    const plan: Plan = {
      app: 'hello',
      version: '20260101-120000',
      platform: { platform: 'linux/arm64', reason: 'server_arch', server_machine: 'aarch64' },
      builder: {
        kind: 'docker',
        reason: 'engine_answers',
        dockerfile: {
          source: 'generated',
          path: 'Dockerfile.ferry',
          module: 'example.com/hello',
          main_package: './cmd/server',
          builder_image: 'golang:1.22',
          runtime_image: 'gcr.io/distroless/static-debian12',
          text: '# Generated by Ferry.\nFROM golang:1.22 AS build\n',
        },
      },
      build: { platform: 'linux/arm64', tag: 'hello:20260101-120000', build_args: {}, labels: {} },
      transport: { via: 'ssh' },
      container: {
        name: 'hello',
        image: 'hello:20260101-120000',
        ports: ['8080:8080'],
        env: {},
        secret_env: ['DB_PASSWORD'],
        volumes: [],
        restart: 'unless-stopped',
        memory: null,
        strategy: 'start-first',
        labels: {},
      },
      health: { path: '/healthz', port: 8080, host_ip: null, container_port: 8080, timeout_secs: 30 },
      url: 'http://203.0.113.10:8080/',
    };
    route({ config_toml: () => '[app]\nname = "hello"\n', save_config: () => saved, plan: () => plan });
    Object.assign(wizard.project, { dir: 'C:\\src\\hello', info: project, inspected: 'C:\\src\\hello' });
    Object.assign(wizard.server, { host: '203.0.113.10', user: 'deployer' });
    // The engine answers (and Go is there too): auto builds with Docker.
    wizard.docker.info = engine;
    wizard.docker.tools = {
      go: { path: '/usr/bin/go', version: 'go1.19.8', env: { GOPROXY: '', GOPRIVATE: '', GONOSUMDB: '', GOFLAGS: '' } },
      docker_installed: true,
    };
    wizard.container.name = 'hello';
    wizard.step = 6;
    wizard.furthest = 6;
    render(Wizard);
    await screen.findByTestId('review-toml');
    expect(screen.getByTestId('review-summary-builder').dataset.kind).toBe('docker');
    expect(screen.getByTestId('review-summary-builder').textContent?.trim()).toBe('Built with Docker (engine 27.0.3)');
    await fireEvent.click(screen.getByTestId('review-plan-show'));
    const shown = await screen.findByTestId('review-plan');
    expect(invoke).toHaveBeenCalledWith('plan', expect.objectContaining({ configPath: saved }));
    expect(screen.getByTestId('review-plan-platform').textContent).toMatch(/linux\/arm64, the server’s architecture \(aarch64\)/);
    expect(screen.getByTestId('review-plan-transport').textContent).toMatch(/over SSH/);
    expect(screen.getByTestId('review-plan-url').textContent).toBe('http://203.0.113.10:8080/');
    expect(screen.getByTestId('review-plan-dockerfile-text').textContent).toMatch(/FROM golang:1.22/);
    expect(screen.getByTestId('review-plan-dockerfile').textContent).toMatch(/Dockerfile.ferry, generated \(golang:1.22 → /);
    expect(screen.getByTestId('review-plan-builder').dataset.kind).toBe('docker');
    expect(screen.getByTestId('review-plan-builder').textContent).toMatch(/^\s*Docker \(engine 27\.0\.3\): the Docker engine here answers\s*$/);
    expect(screen.queryByTestId('review-plan-main')).toBeNull();
    expect(screen.queryByTestId('review-plan-go-command')).toBeNull();
    expect(shown.textContent).toMatch(/DB_PASSWORD \(values from the keyring, never shown\)/);
  });

  it('Review: with the Go builder the plan shows Go, the main package and the target, and warns of an unused Dockerfile', async () => {
    const saved = 'C:\\src\\hello\\ferry.toml';
    const plan: Plan = {
      app: 'hello',
      version: '20260101-120000',
      platform: { platform: 'linux/arm64', reason: 'server_arch', server_machine: 'aarch64' },
      builder: {
        kind: 'go',
        reason: 'no_engine',
        go: {
          go_version: 'go1.19.8',
          module: 'example.com/hello',
          main_package: './cmd/server',
          goos: 'linux',
          goarch: 'arm64',
          args: ['build', '-trimpath', '-ldflags', '-s -w', '-o', 'app', './cmd/server'],
          env: { CGO_ENABLED: '0', GOOS: 'linux', GOARCH: 'arm64' },
          ignored_dockerfile: 'Dockerfile',
          image: { user: '65532', entrypoint: ['/app'], exposed_ports: [8080], env: {}, labels: {} },
        },
      },
      build: { platform: 'linux/arm64', tag: 'hello:20260101-120000', build_args: {}, labels: {} },
      transport: { via: 'ssh' },
      container: {
        name: 'hello',
        image: 'hello:20260101-120000',
        ports: ['8080:8080'],
        env: {},
        secret_env: [],
        volumes: [],
        restart: 'unless-stopped',
        memory: null,
        strategy: 'start-first',
        labels: {},
      },
      health: { path: null, port: null, host_ip: null, container_port: null, timeout_secs: 30 },
      url: null,
    };
    route({ config_toml: () => '[app]\nname = "hello"\n', save_config: () => saved, plan: () => plan });
    Object.assign(wizard.project, { dir: 'C:\\src\\hello', info: { ...project, has_dockerfile: true }, inspected: 'C:\\src\\hello' });
    Object.assign(wizard.server, { host: '203.0.113.10', user: 'deployer' });
    wizard.docker.error = { kind: 'docker_unreachable', message: 'no engine' };
    wizard.docker.tools = {
      go: { path: '/usr/bin/go', version: 'go1.19.8', env: { GOPROXY: '', GOPRIVATE: '', GONOSUMDB: '', GOFLAGS: '' } },
      docker_installed: false,
    };
    wizard.container.name = 'hello';
    wizard.step = 6;
    wizard.furthest = 6;
    render(Wizard);
    await screen.findByTestId('review-toml');
    // Before the plan: auto, no engine, Go found: the summary already says Go.
    const summary = screen.getByTestId('review-summary-builder');
    expect(summary.dataset.kind).toBe('go');
    expect(summary.textContent).toMatch(/Built with Go go1\.19\.8, no Docker/);

    await fireEvent.click(screen.getByTestId('review-plan-show'));
    await screen.findByTestId('review-plan');
    const builder = screen.getByTestId('review-plan-builder');
    expect(builder.dataset.kind).toBe('go');
    expect(builder.textContent?.trim()).toBe('Go go1.19.8, no Docker: no Docker engine answered here');
    expect(screen.queryByTestId('review-plan-dockerfile')).toBeNull();
    expect(screen.queryByTestId('review-plan-dockerfile-text')).toBeNull();
    expect(screen.getByTestId('review-plan-main').textContent).toBe('./cmd/server in example.com/hello');
    expect(screen.getByTestId('review-plan-target').textContent).toMatch(/^linux\/arm64, compiled on this computer/);
    expect(screen.getByTestId('review-plan-go-command').textContent).toBe(
      'GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o app ./cmd/server',
    );
    expect(screen.getByTestId('review-plan-dockerfile-ignored').textContent).toMatch(/The project’s Dockerfile is not used/);

    setLang('zh');
    await vi.waitFor(() => expect(screen.getByTestId('review-plan-builder').textContent?.trim()).toBe('Go go1.19.8，无需 Docker：本机没有可用的 Docker 引擎'));
    expect(screen.getByTestId('review-plan-dockerfile-ignored').textContent).toMatch(/项目中的 Dockerfile 不会被使用/);
    expect(screen.getByTestId('review-summary-builder').textContent).toMatch(/构建方式：Go go1\.19\.8/);
  });

  it('Review: a configured Go builder says so', async () => {
    const goPlan = {
      builder: { kind: 'go', reason: 'configured', go: { go_version: 'go1.22.4', module: 'm', main_package: '.', goos: 'linux', goarch: 'amd64', args: ['build'], env: {}, ignored_dockerfile: null, image: { user: 'nobody', entrypoint: [], exposed_ports: [], env: {}, labels: {} } } },
    };
    route({
      config_toml: () => '[app]\nbuilder = "go"\n',
      save_config: () => 'C:\\src\\hello\\ferry.toml',
      plan: () => ({
        app: 'hello', version: 'v1', platform: { platform: 'linux/amd64', reason: 'configured', server_machine: 'x86_64' },
        ...goPlan,
        build: { platform: 'linux/amd64', tag: 'hello:v1', build_args: {}, labels: {} },
        transport: { via: 'ssh' },
        container: { name: 'hello', image: 'hello:v1', ports: [], env: {}, secret_env: [], volumes: [], restart: 'no', memory: null, strategy: 'start-first', labels: {} },
        health: { path: null, port: null, host_ip: null, container_port: null, timeout_secs: 30 },
        url: null,
      }),
    });
    Object.assign(wizard.project, { dir: 'C:\\src\\hello', info: project, inspected: 'C:\\src\\hello' });
    Object.assign(wizard.server, { host: '203.0.113.10', user: 'deployer' });
    wizard.docker.info = engine;
    wizard.builder = 'go';
    wizard.container.name = 'hello';
    wizard.step = 6;
    wizard.furthest = 6;
    render(Wizard);
    await screen.findByTestId('review-toml');
    // Go was chosen although the engine answers; its version is not known here.
    expect(screen.getByTestId('review-summary-builder').textContent).toMatch(/Built with Go, no Docker/);
    await fireEvent.click(screen.getByTestId('review-plan-show'));
    expect((await screen.findByTestId('review-plan-builder')).textContent?.trim()).toBe('Go go1.22.4, no Docker, as configured in ferry.toml');
    expect(screen.queryByTestId('review-plan-dockerfile-ignored')).toBeNull();
  });

  describe('secret environment variables', () => {
    /** The wizard filled up to the container step (`step` 5) or Review (6). */
    function filled(step: number) {
      Object.assign(wizard.project, { dir: 'C:\\src\\hello', info: project, inspected: 'C:\\src\\hello' });
      Object.assign(wizard.server, { host: '203.0.113.10', user: 'deployer' });
      wizard.container.name = 'hello';
      wizard.container.timeZone = '';
      wizard.platform = 'linux/amd64';
      wizard.step = step;
      wizard.furthest = 6;
    }

    it('a row switched to Secret is masked, says where its value lives and leaves ferry.toml', async () => {
      filled(5);
      render(Wizard);
      await fireEvent.click(screen.getByTestId('container-env-add'));
      await fireEvent.input(screen.getByTestId('container-env-key-0'), { target: { value: 'DB_PASSWORD' } });
      await fireEvent.input(screen.getByTestId('container-env-value-0'), { target: { value: 's3cret' } });
      const value = screen.getByTestId('container-env-value-0') as HTMLInputElement;
      expect(value.type).toBe('text');
      expect(screen.queryByTestId('container-env-secret-note-0')).toBeNull();

      const toggle = screen.getByTestId('container-env-secret-0') as HTMLInputElement;
      expect(toggle.type).toBe('checkbox');
      expect(toggle.getAttribute('role')).toBe('switch');
      expect(toggle.tabIndex).toBe(0);
      expect(toggle.closest('label')?.textContent).toMatch(/Secret/);
      await fireEvent.click(toggle);
      expect(toggle.checked).toBe(true);
      expect((screen.getByTestId('container-env-value-0') as HTMLInputElement).type).toBe('password');
      const note = screen.getByTestId('container-env-secret-note-0');
      expect(note.dataset.state).toBe('new');
      expect(note.textContent).toMatch(/OS keyring as env\/hello\/DB_PASSWORD/);
      expect(toggle.getAttribute('aria-describedby')).toBe('container-env-secret-note-0');
      expect(wizard.container.env[0]).toEqual({ key: 'DB_PASSWORD', value: 's3cret', secret: true });
      // The help no longer says "no secrets here".
      expect(screen.getByText(/switch on “Secret”/)).toBeTruthy();

      setLang('zh');
      await vi.waitFor(() => expect(screen.getByTestId('container-env-secret-note-0').textContent).toMatch(/系统钥匙串/));
      expect(toggle.closest('label')?.textContent).toMatch(/保密/);
      setLang('en');

      await fireEvent.click(toggle);
      expect((screen.getByTestId('container-env-value-0') as HTMLInputElement).type).toBe('text');
      expect(screen.queryByTestId('container-env-secret-note-0')).toBeNull();
    });

    it('the preview has secret_env and never the value; Review lists the secret', async () => {
      let sent: unknown = null;
      route({
        config_toml: (args) => {
          sent = args.config;
          return '[container]\nsecret_env = ["DB_PASSWORD"]\n';
        },
      });
      filled(6);
      wizard.container.env = [
        { key: 'GREETING', value: 'hi' },
        { key: 'DB_PASSWORD', value: 's3cret', secret: true },
      ];
      render(Wizard);
      expect((await screen.findByTestId('review-toml')).textContent).toMatch(/secret_env = \["DB_PASSWORD"\]/);
      const config = sent as { container: { env: Record<string, string>; secret_env: string[] } };
      expect(config.container.secret_env).toEqual(['DB_PASSWORD']);
      expect(config.container.env).toEqual({ GREETING: 'hi' });
      expect(JSON.stringify(sent)).not.toContain('s3cret');
      expect(screen.getByTestId('review-summary-secrets').textContent).toMatch(/DB_PASSWORD/);
      expect(screen.queryByTestId('review-secret-missing')).toBeNull();
    });

    it('Save puts the secret in the keyring first, then a ferry.toml without it', async () => {
      const saved = 'C:\\src\\hello\\ferry.toml';
      route({
        config_toml: () => '[app]\nname = "hello"\n',
        save_env_secret: (args) => `env/${args.app}/${args.name}`,
        save_config: () => saved,
      });
      filled(6);
      wizard.container.env = [{ key: 'DB_PASSWORD', value: 's3cret', secret: true }];
      render(Wizard);
      await screen.findByTestId('review-toml');
      await fireEvent.click(screen.getByTestId('wizard-save'));
      await vi.waitFor(() => expect(invoke).toHaveBeenCalledWith('save_config', expect.anything()));
      const names = invoke.mock.calls.map((c) => c[0]);
      expect(names.indexOf('save_env_secret')).toBeLessThan(names.indexOf('save_config'));
      expect(invoke).toHaveBeenCalledWith('save_env_secret', { app: 'hello', name: 'DB_PASSWORD', value: 's3cret' });
      const call = invoke.mock.calls.find((c) => c[0] === 'save_config')!;
      expect(call[1].config.container.secret_env).toEqual(['DB_PASSWORD']);
      expect(JSON.stringify(call[1])).not.toContain('s3cret');
      // The value is gone from the wizard; the row knows it is saved.
      expect(wizard.container.env[0].value).toBe('');
      expect(wizard.container.secretsSaved['env/hello/DB_PASSWORD']).toBe(true);
    });

    it('a keyring failure is shown and ferry.toml is not written', async () => {
      route({
        config_toml: () => '[app]\nname = "hello"\n',
        save_env_secret: (args) => {
          if (args.name === 'API_TOKEN') throw { kind: 'other', message: 'the OS keyring is not available (no Secret Service)' };
          return `env/${args.app}/${args.name}`;
        },
        save_config: () => 'never',
      });
      filled(6);
      wizard.container.env = [
        { key: 'DB_PASSWORD', value: 's3cret', secret: true },
        { key: 'API_TOKEN', value: 't0ken', secret: true },
      ];
      render(Wizard);
      await screen.findByTestId('review-toml');
      await fireEvent.click(screen.getByTestId('wizard-save-deploy'));
      const err = await screen.findByTestId('review-save-error');
      expect(err.textContent).toMatch(/Could not save env\/hello\/API_TOKEN in the OS keyring, so ferry.toml was not written/);
      expect(err.textContent).toMatch(/no Secret Service/);
      expect(screen.getByTestId('review-secrets-kept').textContent).toMatch(/env\/hello\/DB_PASSWORD/);
      expect(invoke).not.toHaveBeenCalledWith('save_config', expect.anything());
      expect(err.textContent).not.toMatch(/t0ken|s3cret/);
      // Still on Review, the unsaved value kept for another try.
      expect(screen.getByTestId('wizard-step-title').textContent).toMatch(/ferry.toml/);
      expect(wizard.container.env[1].value).toBe('t0ken');
    });

    it('reopening a project keeps its secret rows secret and shows whether each is saved', async () => {
      const config = {
        app: { name: 'hello', context: '.', platform: 'auto' },
        server: { host: '203.0.113.10', port: 22, user: 'deployer' },
        container: { ports: ['8080:8080'], env: {}, secret_env: ['DB_PASSWORD', 'API_TOKEN'], volumes: [], restart: 'unless-stopped' },
      };
      route({
        docker_info: () => engine,
        inspect_project: () => ({ ...project, dir: '/src/hello', config }),
        secret_status: () => [
          { name: 'ssh/deployer@203.0.113.10:22', saved: false },
          { name: 'env/hello/DB_PASSWORD', saved: true },
          { name: 'env/hello/API_TOKEN', saved: false },
        ],
      });
      wizard.step = 1;
      wizard.furthest = 1;
      render(Wizard);
      await fireEvent.input(screen.getByTestId('project-dir'), { target: { value: '/src/hello' } });
      await fireEvent.click(screen.getByTestId('project-inspect'));
      await vi.waitFor(() => expect(invoke).toHaveBeenCalledWith('secret_status', { configPath: '/src/hello/ferry.toml' }));
      wizard.step = 5;
      wizard.furthest = 6;
      const first = (await screen.findByTestId('container-env-secret-0')) as HTMLInputElement;
      expect(first.checked).toBe(true);
      expect((screen.getByTestId('container-env-secret-1') as HTMLInputElement).checked).toBe(true);
      const value = screen.getByTestId('container-env-value-0') as HTMLInputElement;
      expect(value.type).toBe('password');
      expect(value.value).toBe('');
      expect(value.placeholder).toMatch(/saved in the keyring/);
      expect(screen.getByTestId('container-env-secret-note-0').dataset.state).toBe('saved');
      expect(screen.getByTestId('container-env-secret-note-1').dataset.state).toBe('missing');
    });
  });
});
