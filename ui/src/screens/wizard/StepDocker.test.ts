// Step 1: Docker, or the Go builder when no engine answers (docker_info and build_tools mocked).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';

vi.mock('@tauri-apps/api/core', async () => {
  const m = await import('../../test/tauri-mock');
  return { invoke: m.invoke, Channel: m.FakeChannel };
});
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(async () => null) }));
vi.mock('@tauri-apps/plugin-store', () => ({ load: vi.fn(async () => Promise.reject(new Error('no store'))) }));

import { invoke, route } from '../../test/tauri-mock';
import Wizard from './Wizard.svelte';
import { resetWizard, wizard } from '$lib/wizard.svelte';
import { toConfig } from '$lib/wizard';
import { setLang } from '$lib/i18n/index.svelte';
import type { BuildTools, Config, EngineInfo } from '$lib/types';

const engine: EngineInfo = { version: '27.0.3', api_version: '1.46', os_type: 'linux', arch: 'x86_64', buildkit_available: true };
const go = {
  path: 'C:\\Program Files\\Go\\bin\\go.exe',
  version: 'go1.19.8',
  env: { GOPROXY: 'https://goproxy.cn,direct', GOPRIVATE: '', GONOSUMDB: '', GOFLAGS: '' },
};
const down = () => {
  throw { kind: 'docker_unreachable', message: 'cannot connect to npipe:////./pipe/docker_engine' };
};

const next = () => screen.getByTestId('wizard-next') as HTMLButtonElement;
const state = (id: string) => screen.getByTestId(id).dataset.state;

/** Renders step 1 against an engine (or none) and these build tools; waits for the answer. */
async function step1(dockerInfo: () => EngineInfo, tools: BuildTools | (() => BuildTools)) {
  route({ docker_info: dockerInfo, build_tools: typeof tools === 'function' ? tools : () => tools });
  render(Wizard);
  await vi.waitFor(() => expect(wizard.docker.checking).toBe(false));
  await vi.waitFor(() => expect(invoke).toHaveBeenCalledWith('build_tools', undefined));
}

describe('step 1: Docker or Go', () => {
  beforeEach(() => {
    invoke.mockReset();
    resetWizard();
    setLang('en');
  });

  it('(a) the engine answers: ok, and Go is mentioned as an optional alternative', async () => {
    await step1(() => engine, { go, docker_installed: true });
    await vi.waitFor(() => expect(state('docker-status')).toBe('ok'));
    expect(next().disabled).toBe(false);
    const alt = screen.getByTestId('go-alternative');
    expect(alt.dataset.state).toBe('offered');
    expect(alt.textContent).toMatch(/Go go1\.19\.8 is installed too/);
    expect(screen.queryByTestId('go-builder')).toBeNull();

    await fireEvent.click(screen.getByTestId('go-use'));
    expect(screen.getByTestId('go-alternative').dataset.state).toBe('chosen');
    expect(screen.getByTestId('go-alternative').textContent).toMatch(/Ferry will build with Go go1\.19\.8, not with Docker/);
    expect(toConfig(wizard).app.builder).toBe('go');
    expect(next().disabled).toBe(false);

    await fireEvent.click(screen.getByTestId('docker-use'));
    expect(toConfig(wizard).app.builder).toBeUndefined();
    expect(screen.getByTestId('go-alternative').dataset.state).toBe('offered');
  });

  it('(a) without Go there is no alternative to mention', async () => {
    await step1(() => engine, { go: null, docker_installed: true });
    await vi.waitFor(() => expect(state('docker-status')).toBe('ok'));
    expect(screen.queryByTestId('go-alternative')).toBeNull();
    expect(next().disabled).toBe(false);
  });

  it('(b) no engine but Go: offers the Go builder; choosing it enables Next and writes builder = "go"', async () => {
    await step1(down, { go, docker_installed: true });
    const card = await screen.findByTestId('go-builder');
    expect(card.dataset.state).toBe('offered');
    expect(card.textContent).toMatch(/Build with Go, no Docker needed/);
    expect(screen.getByTestId('go-version').textContent).toBe('go1.19.8');
    expect(screen.getByTestId('go-path').textContent).toBe('C:\\Program Files\\Go\\bin\\go.exe');
    expect(screen.getByTestId('go-proxy').textContent).toBe('https://goproxy.cn,direct');
    // goproxy.cn is set: no hint about the default proxy.
    expect(screen.queryByTestId('go-proxy-hint')).toBeNull();
    // Docker is installed: secondary, how to start it.
    const docker = screen.getByTestId('docker-status');
    expect(docker.dataset.state).toBe('unreachable');
    expect(docker.textContent).toMatch(/Docker Desktop is not running/);
    expect(docker.textContent).toMatch(/Start Docker Desktop/);
    expect(next().disabled).toBe(true);
    expect(screen.getByTestId('wizard-why').textContent).toMatch(/Choose “Build with Go”/);

    const use = screen.getByTestId('go-use');
    expect(use.getAttribute('aria-pressed')).toBe('false');
    await fireEvent.click(use);
    expect(screen.getByTestId('go-builder').dataset.state).toBe('chosen');
    expect(screen.getByTestId('go-use').getAttribute('aria-pressed')).toBe('true');
    expect(next().disabled).toBe(false);
    expect(screen.queryByTestId('wizard-why')).toBeNull();
    // Docker's steps give way to a line.
    expect(screen.getByTestId('docker-status').textContent).toBe('Docker Desktop is not running: it is not needed to build with Go.');
    expect(screen.getByTestId('docker-status').querySelector('ol')).toBeNull();

    // The choice reaches ferry.toml.
    let sent: Config | null = null;
    route({ config_toml: (args) => ((sent = args.config as Config), '[app]\nbuilder = "go"\n') });
    wizard.step = 6;
    wizard.furthest = 6;
    await screen.findByTestId('review-toml');
    expect(sent!.app.builder).toBe('go');
    expect(screen.getByTestId('review-summary-builder').textContent).toMatch(/Built with Go go1\.19\.8, no Docker/);
  });

  it('(b) Docker not installed: the Go card alone, nothing about Docker Desktop', async () => {
    await step1(down, { go: { ...go, env: { ...go.env, GOPROXY: 'https://proxy.golang.org,direct' } }, docker_installed: false });
    await screen.findByTestId('go-builder');
    expect(screen.queryByTestId('docker-status')).toBeNull();
    expect(document.body.textContent).not.toMatch(/Docker Desktop is not running/);
    // The default proxy: the hint for users in China.
    expect(screen.getByTestId('go-proxy-hint').textContent).toMatch(/GOPROXY=https:\/\/goproxy\.cn,direct/);
    await fireEvent.click(screen.getByTestId('go-use'));
    expect(next().disabled).toBe(false);
  });

  it('(c) Docker installed, no Go: Docker Desktop is not running, with the steps', async () => {
    await step1(down, { go: null, docker_installed: true });
    await vi.waitFor(() => expect(state('docker-status')).toBe('unreachable'));
    const card = screen.getByTestId('docker-status');
    expect(card.querySelector('h3')?.textContent).toBe('Docker Desktop is not running');
    expect(card.querySelectorAll('ol li')).toHaveLength(3);
    expect(screen.getByTestId('docker-error').textContent).toMatch(/docker_engine/);
    expect(screen.getByTestId('go-install-hint').textContent).toMatch(/Cannot run Docker Desktop\? Install Go .*https:\/\/golang\.google\.cn\/dl\//);
    expect(screen.queryByTestId('go-builder')).toBeNull();
    expect(screen.queryByTestId('go-use')).toBeNull();
    expect(next().disabled).toBe(true);
    expect(screen.getByTestId('wizard-why').textContent).toMatch(/Docker must be running/);
  });

  it('(c) neither Docker nor Go: both ways out, then Check again finds Go', async () => {
    let tools: BuildTools = { go: null, docker_installed: false };
    await step1(down, () => tools);
    await vi.waitFor(() => expect(state('docker-status')).toBe('missing'));
    const card = screen.getByTestId('docker-status');
    expect(card.querySelector('h3')?.textContent).toBe('Neither Docker nor Go is installed');
    expect(screen.getByTestId('install-go').textContent).toMatch(/https:\/\/go\.dev\/dl\/ \(in China: https:\/\/golang\.google\.cn\/dl\/\)/);
    expect(screen.getByTestId('install-docker').textContent).toMatch(/Docker Desktop/);
    expect(card.textContent).toMatch(/Check again/);
    expect(document.body.textContent).not.toMatch(/Docker Desktop is not running/);
    expect(next().disabled).toBe(true);
    expect(screen.getByTestId('wizard-why').textContent).toBe('Install Go or Docker, then check again.');

    tools = { go, docker_installed: false };
    await fireEvent.click(screen.getByTestId('docker-retry'));
    expect((await screen.findByTestId('go-builder')).dataset.state).toBe('offered');
    expect(invoke.mock.calls.filter((c) => c[0] === 'build_tools')).toHaveLength(2);
    expect(invoke.mock.calls.filter((c) => c[0] === 'docker_info')).toHaveLength(2);
  });

  it('a shell without build_tools: says what it said before there was a Go builder', async () => {
    route({ docker_info: down });
    render(Wizard);
    await vi.waitFor(() => expect(state('docker-status')).toBe('unreachable'));
    expect(screen.getByTestId('docker-status').querySelector('h3')?.textContent).toBe('Docker is not reachable');
    expect(screen.queryByTestId('go-builder')).toBeNull();
    expect(next().disabled).toBe(true);
  });

  it('a project set to builder = "go" on a machine without Go cannot go on', async () => {
    await step1(() => engine, { go: null, docker_installed: true });
    wizard.base = { app: { name: 'hello', context: '.', platform: 'auto', builder: 'go' } } as Config;
    const note = await screen.findByTestId('go-not-found');
    expect(note.textContent).toMatch(/builder = "go", but no Go toolchain was found/);
    expect(next().disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('docker-use'));
    expect(toConfig(wizard).app.builder).toBe('docker');
    expect(next().disabled).toBe(false);
  });

  it('speaks Chinese', async () => {
    setLang('zh');
    await step1(down, { go, docker_installed: true });
    const card = await screen.findByTestId('go-builder');
    expect(card.textContent).toMatch(/使用 Go 构建，无需 Docker/);
    expect(screen.getByTestId('docker-status').textContent).toMatch(/Docker Desktop 没有运行/);
    expect(screen.getByTestId('wizard-why').textContent).toMatch(/请选择“使用 Go 构建”/);
    await fireEvent.click(screen.getByTestId('go-use'));
    expect(screen.getByTestId('go-use').textContent).toMatch(/将使用 Go 构建/);

    resetWizard();
    route({ docker_info: down, build_tools: () => ({ go: null, docker_installed: false }) });
    await fireEvent.click(screen.getByTestId('docker-retry'));
    await vi.waitFor(() => expect(screen.getByTestId('docker-status').dataset.state).toBe('missing'));
    expect(screen.getByTestId('docker-status').textContent).toMatch(/本机既没有安装 Docker，也没有安装 Go/);
    expect(screen.getByTestId('install-go').textContent).toMatch(/golang\.google\.cn/);
  });
});
