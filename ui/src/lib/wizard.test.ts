import { describe, expect, it } from 'vitest';
import {
  buildCheck,
  builderOf,
  chooseDocker,
  chooseGo,
  envEntry,
  fromConfig,
  newWizard,
  registryKind,
  runsOnServer,
  secretState,
  secretsToSave,
  stepValid,
  suggestName,
  toConfig,
} from './wizard';
import type { Config, ServerInfo } from './types';

const server: ServerInfo = {
  machine: 'x86_64',
  platform: 'linux/amd64',
  os_id: 'centos',
  os_version: '7',
  os_name: 'CentOS Linux 7 (Core)',
  docker_version: '24.0.7',
  sudo: true,
};

const existing: Config = {
  app: { name: 'hello', context: '.', platform: 'auto', main: './cmd/server', build_args: { APP_ENV: 'prod' } },
  registry: { server: 'registry.cn-shanghai.aliyuncs.com', username: 'deploy', repository: 'team/hello' },
  server: { host: '203.0.113.10', port: 2222, user: 'deployer', identity_file: '~/.ssh/id_ed25519', host_key: 'SHA256:abc' },
  container: {
    ports: ['8080:8080'],
    env: { GREETING: '你好', TZ: 'Asia/Shanghai' },
    volumes: ['/srv/hello/data:/data'],
    restart: 'always',
    memory: '256m',
    strategy: 'stop-first',
  },
  health: { path: '/healthz', timeout_secs: 45 },
};

describe('wizard state', () => {
  it('fills from an existing ferry.toml and gives it back, keeping fields it does not edit', () => {
    const w = newWizard('Europe/Berlin');
    fromConfig(w, existing);
    expect(w.registry.kind).toBe('acr');
    expect(w.registry.region).toBe('cn-shanghai');
    expect(w.container.timeZone).toBe('Asia/Shanghai');
    expect(w.container.env).toEqual([{ key: 'GREETING', value: '你好' }]);
    expect(w.server.port).toBe('2222');
    expect(toConfig(w)).toEqual(existing);
  });

  it('writes the time zone as TZ, drops blank rows and leaves out what is unset', () => {
    const w = newWizard('Asia/Shanghai');
    w.container.name = 'api';
    w.container.ports = ['8080:8080', '  '];
    w.container.env = [{ key: 'A', value: '1' }, { key: '', value: '' }];
    w.server.host = 'h';
    w.server.auth = 'agent';
    w.platform = 'linux/arm64';
    const c = toConfig(w);
    expect(c.container).toEqual({ ports: ['8080:8080'], env: { A: '1', TZ: 'Asia/Shanghai' }, volumes: [], restart: 'unless-stopped' });
    expect(c.server).toEqual({ host: 'h', port: 22, user: 'root' });
    expect(c.registry).toBeUndefined();
    expect(c.health).toBeUndefined();
    expect(c.app).toEqual({ name: 'api', context: '.', platform: 'linux/arm64' });
  });

  it('writes a secret row as a name in secret_env, never its value', () => {
    const w = newWizard('');
    w.container.name = 'hello';
    w.container.env = [
      { key: 'GREETING', value: 'hi' },
      { key: ' DB_PASSWORD ', value: 's3cret', secret: true },
      { key: 'API_TOKEN', value: '', secret: true },
      { key: '', value: 'ignored', secret: true },
    ];
    const c = toConfig(w);
    expect(c.container.env).toEqual({ GREETING: 'hi' });
    expect(c.container.secret_env).toEqual(['DB_PASSWORD', 'API_TOKEN']);
    expect(JSON.stringify(c)).not.toContain('s3cret');
    expect(secretsToSave(w.container)).toEqual([{ name: 'DB_PASSWORD', value: 's3cret' }]);
    expect(envEntry('hello', 'DB_PASSWORD')).toBe('env/hello/DB_PASSWORD');

    // Switched off again, the value is a plain one.
    w.container.env[1].secret = false;
    expect(toConfig(w).container.env).toEqual({ GREETING: 'hi', DB_PASSWORD: 's3cret' });
    expect(toConfig(w).container.secret_env).toEqual(['API_TOKEN']);
  });

  it('reopens secret rows as secret, with no value and the keyring saying whether one is saved', () => {
    const w = newWizard('');
    fromConfig(w, { ...existing, container: { ...existing.container, secret_env: ['DB_PASSWORD', 'API_TOKEN'] } });
    expect(w.container.env).toEqual([
      { key: 'GREETING', value: '你好' },
      { key: 'DB_PASSWORD', value: '', secret: true },
      { key: 'API_TOKEN', value: '', secret: true },
    ]);
    w.container.secretsSaved = { 'env/hello/DB_PASSWORD': true, 'env/hello/API_TOKEN': false };
    expect(w.container.env.map((p) => secretState(w.container, p))).toEqual(['new', 'saved', 'missing']);
    expect(toConfig(w).container.secret_env).toEqual(['DB_PASSWORD', 'API_TOKEN']);
    // A renamed app has its own entries: nothing is known to be saved for them.
    w.container.name = 'hello2';
    expect(secretState(w.container, w.container.env[1])).toBe('missing');
  });

  it('maps registry choices to addresses', () => {
    const w = newWizard();
    w.registry = { ...w.registry, kind: 'dockerhub', username: 'me', repository: 'me/app' };
    expect(toConfig(w).registry?.server).toBe('docker.io');
    w.registry.kind = 'acr';
    w.registry.region = 'cn-beijing';
    expect(toConfig(w).registry?.server).toBe('registry.cn-beijing.aliyuncs.com');
    w.registry.kind = 'other';
    w.registry.server = ' harbor.example.com ';
    expect(toConfig(w).registry?.server).toBe('harbor.example.com');
    expect(registryKind('index.docker.io').kind).toBe('dockerhub');
    expect(registryKind('myinst-registry.cn-hangzhou.cr.aliyuncs.com').kind).toBe('other');
  });

  it('pins the host key only for the server it was taken from', () => {
    const w = newWizard();
    w.server.host = 'a.example.com';
    w.server.hostKey = 'SHA256:aaa';
    w.server.hostKeyFor = 'a.example.com:22';
    expect(toConfig(w).server.host_key).toBe('SHA256:aaa');
    w.server.host = 'b.example.com';
    expect(toConfig(w).server.host_key).toBeUndefined();
  });

  it('lets the server step pass only after a test of this very server with a pinned key', () => {
    const w = newWizard();
    Object.assign(w.server, { host: 'h', user: 'u', auth: 'agent' });
    expect(stepValid(w, 'server')).toBe(false);
    Object.assign(w.server, { tested: 'u@h:22', hostKey: 'SHA256:k', hostKeyFor: 'h:22', info: server });
    expect(stepValid(w, 'server')).toBe(true);
    w.server.port = '2222';
    expect(stepValid(w, 'server')).toBe(false);
  });

  it('checks the other steps', () => {
    const w = newWizard();
    expect(stepValid(w, 'docker')).toBe(false);
    w.docker.info = { version: '27', api_version: '1.46', os_type: 'windows', arch: 'x86_64', buildkit_available: true };
    expect(stepValid(w, 'docker')).toBe(false);
    w.docker.info.os_type = 'linux';
    expect(stepValid(w, 'docker')).toBe(true);

    expect(stepValid(w, 'registry')).toBe(true);
    w.registry.kind = 'other';
    expect(stepValid(w, 'registry')).toBe(false);
    Object.assign(w.registry, { server: 'r:5000', username: 'u', repository: 'x/y' });
    expect(stepValid(w, 'registry')).toBe(true);

    w.container.name = 'ok';
    expect(stepValid(w, 'container')).toBe(true);
    w.container.volumes = ['C:\\data:/data'];
    expect(stepValid(w, 'container')).toBe(false);
  });

  it('tells the build cases of step 1 apart', () => {
    const w = newWizard('');
    const d = w.docker;
    const go = { path: '/usr/bin/go', version: 'go1.19.8', env: { GOPROXY: '', GOPRIVATE: '', GONOSUMDB: '', GOFLAGS: '' } };
    d.checking = true;
    expect(buildCheck(d)).toBe('checking');
    d.checking = false;
    d.error = { kind: 'docker_unreachable', message: 'no engine' };
    expect(buildCheck(d)).toBe('down');
    d.tools = { go: null, docker_installed: true };
    expect(buildCheck(d)).toBe('stopped');
    d.tools = { go: null, docker_installed: false };
    expect(buildCheck(d)).toBe('none');
    d.tools = { go, docker_installed: false };
    expect(buildCheck(d)).toBe('go');
    expect(stepValid(w, 'docker')).toBe(false);
    chooseGo(w);
    expect(stepValid(w, 'docker')).toBe(true);
    d.tools = { go: null, docker_installed: false };
    expect(stepValid(w, 'docker')).toBe(false);

    d.info = { version: '27', api_version: '1.46', os_type: 'linux', arch: 'x86_64', buildkit_available: true };
    d.error = null;
    expect(buildCheck(d)).toBe('ok');
    d.info.os_type = 'windows';
    expect(buildCheck(d)).toBe('windows');
  });

  it('writes the builder chosen in step 1, else keeps the project’s', () => {
    const w = newWizard('');
    expect(builderOf(w)).toBe('auto');
    expect(toConfig(w).app.builder).toBeUndefined();
    chooseGo(w);
    expect(toConfig(w).app.builder).toBe('go');
    // Step 2 loads a ferry.toml afterwards: the choice made in step 1 stays.
    fromConfig(w, existing);
    expect(toConfig(w).app.builder).toBe('go');
    chooseDocker(w);
    expect(toConfig(w).app.builder).toBeUndefined();

    // An existing `builder` survives the wizard when step 1 chose nothing.
    const kept = newWizard('');
    fromConfig(kept, { ...existing, app: { ...existing.app, builder: 'docker' } });
    expect(toConfig(kept).app.builder).toBe('docker');
    fromConfig(kept, { ...existing, app: { ...existing.app, builder: 'go' } });
    expect(toConfig(kept)).toEqual({ ...existing, app: { ...existing.app, builder: 'go' } });
    // "Build with Docker" over a project set to Go writes docker.
    chooseDocker(kept);
    expect(toConfig(kept).app.builder).toBe('docker');
  });

  it('knows when an image will not run on the server', () => {
    expect(runsOnServer('linux/arm64', server)).toBe(false);
    expect(runsOnServer('linux/amd64', server)).toBe(true);
    expect(runsOnServer(null, server)).toBeNull();
  });

  it('suggests a container name', () => {
    expect(suggestName('github.com/acme/Order-Service', 'C:\\src\\x')).toBe('order-service');
    expect(suggestName('github.com/acme/api/v2', '')).toBe('api');
    expect(suggestName(null, 'C:\\Users\\me\\go\\hello world\\')).toBe('hello-world');
    expect(suggestName(null, '')).toBe('app');
  });
});

describe('config errors', () => {
  it('point at the step to fix them in', async () => {
    const { stepForConfigError } = await import('./wizard');
    expect(stepForConfigError('container.ports[0]: `80` is not a port mapping')).toBe('container');
    expect(stepForConfigError('server.port: invalid value')).toBe('server');
    expect(stepForConfigError('app.name: `-x` is not a valid container name')).toBe('container');
    expect(stepForConfigError('app.platform: unknown variant')).toBe('arch');
    expect(stepForConfigError('registry.repository: empty')).toBe('registry');
    expect(stepForConfigError('health.path: must start with /')).toBe('container');
    expect(stepForConfigError('something else went wrong')).toBeNull();
  });
});
