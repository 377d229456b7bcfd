// The onboarding wizard's state: one object for every step, so going Back never loses what was
// typed, and the pure functions that turn it into a Config and decide whether a step is done.

import type { AppError, Builder, BuildTools, Config, EngineInfo, Platform, ProjectInfo, RestartPolicy, ServerInfo } from './types';
import * as v from './validate';

export const STEPS = ['docker', 'project', 'server', 'arch', 'registry', 'container', 'review'] as const;
export type WizardStep = (typeof STEPS)[number];

export type AuthKind = 'key' | 'agent' | 'password';
export type RegistryKind = 'none' | 'dockerhub' | 'acr' | 'other';

export const DOCKER_HUB = 'docker.io';

/** Alibaba Cloud Container Registry regions (personal and enterprise public endpoints). */
export const ACR_REGIONS = [
  'cn-hangzhou',
  'cn-shanghai',
  'cn-qingdao',
  'cn-beijing',
  'cn-zhangjiakou',
  'cn-huhehaote',
  'cn-wulanchabu',
  'cn-shenzhen',
  'cn-heyuan',
  'cn-guangzhou',
  'cn-chengdu',
  'cn-hongkong',
  'ap-southeast-1',
  'ap-northeast-1',
  'us-west-1',
  'us-east-1',
  'eu-central-1',
] as const;

export const acrServer = (region: string) => `registry.${region}.aliyuncs.com`;

/** Why saving failed: a secret the keyring refused (then ferry.toml was not written), or
 *  ferry.toml itself; `savedSecrets` are the keyring entries written before the failure. */
export type SaveError = AppError & { secretEntry?: string; savedSecrets?: string[] };

export type WizardState = {
  step: number;
  /** The furthest step reached, for the stepper's links. */
  furthest: number;
  docker: {
    info: EngineInfo | null;
    error: AppError | null;
    /** `build_tools`: the Go toolchain and whether Docker is installed; null before its answer
     *  (or when the shell could not tell). */
    tools: BuildTools | null;
    checking: boolean;
  };
  /** The builder the user chose in step 1; null keeps the project's (`base`), else `auto`. */
  builder: Builder | null;
  project: {
    dir: string;
    info: ProjectInfo | null;
    inspected: string | null;
    error: AppError | null;
    loading: boolean;
    /** Images for the generated Dockerfile; empty means Ferry's default. */
    builderImage: string;
    runtimeImage: string;
  };
  server: {
    host: string;
    port: string;
    user: string;
    auth: AuthKind;
    keyFile: string;
    /** The key's passphrase (key auth), empty for a key without one. */
    passphrase: string;
    savePassphrase: boolean;
    password: string;
    savePassword: boolean;
    /** The fingerprint pinned into config.server.host_key. */
    hostKey: string | null;
    /** `host:port` the pinned fingerprint belongs to. */
    hostKeyFor: string | null;
    /** The fingerprint a test met and the user has not confirmed yet. */
    pendingKey: { fingerprint: string; expected: string | null } | null;
    info: ServerInfo | null;
    /** `user@host:port` of the last successful test. */
    tested: string | null;
    error: AppError | null;
    testing: boolean;
  };
  platform: Platform | null;
  registry: {
    kind: RegistryKind;
    region: string;
    server: string;
    username: string;
    repository: string;
    password: string;
    save: boolean;
    tested: string | null;
    error: AppError | null;
    testing: boolean;
  };
  container: {
    name: string;
    ports: string[];
    env: v.EnvPair[];
    volumes: string[];
    restart: RestartPolicy;
    memory: string;
    healthPath: string;
    healthTimeout: string;
    timeZone: string;
    /** Keyring entries (`env/<app>/<NAME>`) known to hold a value, from `secret_status`. */
    secretsSaved: Record<string, boolean>;
    /** `secret_status` failed: the keyring could not be read. */
    secretsError: AppError | null;
  };
  review: { toml: string | null; error: AppError | null; loading: boolean; saving: boolean; saveError: SaveError | null };
  /** The project's existing ferry.toml, kept so fields the wizard does not edit survive. */
  base: Config | null;
};

export function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone ?? '';
  } catch {
    return '';
  }
}

export function newWizard(timeZone = localTimeZone()): WizardState {
  return {
    step: 0,
    furthest: 0,
    docker: { info: null, error: null, tools: null, checking: false },
    builder: null,
    project: { dir: '', info: null, inspected: null, error: null, loading: false, builderImage: '', runtimeImage: '' },
    server: {
      host: '',
      port: '22',
      user: 'root',
      auth: 'key',
      keyFile: '~/.ssh/id_ed25519',
      passphrase: '',
      savePassphrase: true,
      password: '',
      savePassword: true,
      hostKey: null,
      hostKeyFor: null,
      pendingKey: null,
      info: null,
      tested: null,
      error: null,
      testing: false,
    },
    platform: null,
    registry: {
      kind: 'none',
      region: 'cn-hangzhou',
      server: '',
      username: '',
      repository: '',
      password: '',
      save: true,
      tested: null,
      error: null,
      testing: false,
    },
    container: {
      name: '',
      ports: ['8080:8080'],
      env: [],
      volumes: [],
      restart: 'unless-stopped',
      memory: '',
      healthPath: '',
      healthTimeout: '30',
      timeZone,
      secretsSaved: {},
      secretsError: null,
    },
    review: { toml: null, error: null, loading: false, saving: false, saveError: null },
    base: null,
  };
}

/** A container name suggested from the Go module path or the folder name. */
export function suggestName(module: string | null, dir: string): string {
  const last = (s: string) => s.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
  let name = module ? last(module) : last(dir);
  if (/^v\d+$/.test(name) && module) name = last(module.replace(/\/v\d+$/, ''));
  name = name.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  return name.slice(0, 64) || 'app';
}

/** The registry kind and region an address belongs to. */
export function registryKind(server: string): { kind: RegistryKind; region: string | null } {
  const s = server.trim().toLowerCase();
  if (s === 'docker.io' || s === 'index.docker.io' || s === 'registry-1.docker.io') {
    return { kind: 'dockerhub', region: null };
  }
  const m = /^registry\.([a-z0-9-]+)\.aliyuncs\.com$/.exec(s);
  if (m && (ACR_REGIONS as readonly string[]).includes(m[1])) return { kind: 'acr', region: m[1] };
  return { kind: 'other', region: null };
}

/** The registry address the wizard's choice stands for. */
export function registryServer(r: WizardState['registry']): string {
  switch (r.kind) {
    case 'dockerhub':
      return DOCKER_HUB;
    case 'acr':
      return acrServer(r.region);
    default:
      return r.server.trim();
  }
}

/** `user@host:port`: what a connection test was for. */
export function serverKey(s: WizardState['server']): string {
  return `${s.user.trim()}@${s.host.trim()}:${s.port.trim()}`;
}

/** `host:port`: what a pinned host key belongs to. */
export function hostPort(s: { host: string; port: string }): string {
  return `${s.host.trim()}:${s.port.trim()}`;
}

/** The pinned fingerprint, when it belongs to the server now in the form. */
export function pinnedKey(s: WizardState['server']): string | null {
  return s.hostKey !== null && s.hostKeyFor === hostPort(s) ? s.hostKey : null;
}

/** The keyring entry of the container's secret variable `name` (as ferry-core's `env_entry`). */
export function envEntry(app: string, name: string): string {
  return `env/${app.trim() || 'APP'}/${name.trim() || 'NAME'}`;
}

/** A secret row's value: `new` (typed here, saved with ferry.toml), `saved` (in the keyring
 *  already; empty keeps it) or `missing` (no value known). */
export type SecretRowState = 'new' | 'saved' | 'missing';

export function secretState(c: WizardState['container'], pair: v.EnvPair): SecretRowState {
  if (pair.value !== '') return 'new';
  return c.secretsSaved[envEntry(c.name, pair.key)] ? 'saved' : 'missing';
}

/** The secret rows to save in the keyring before ferry.toml: named, with a value typed. */
export function secretsToSave(c: WizardState['container']): { name: string; value: string }[] {
  return c.env
    .filter((p) => p.secret && p.key.trim() !== '' && p.value !== '')
    .map((p) => ({ name: p.key.trim(), value: p.value }));
}

/** The secret variables' names, in row order. */
export function secretNames(c: WizardState['container']): string[] {
  return c.env.filter((p) => p.secret && p.key.trim() !== '').map((p) => p.key.trim());
}

/** Fills the wizard from a project's existing ferry.toml. */
export function fromConfig(w: WizardState, c: Config): void {
  w.base = c;
  w.project.builderImage = c.app.builder_image ?? '';
  w.project.runtimeImage = c.app.runtime_image ?? '';
  w.server.host = c.server.host;
  w.server.port = String(c.server.port ?? 22);
  w.server.user = c.server.user;
  if (c.server.identity_file) {
    w.server.auth = 'key';
    w.server.keyFile = c.server.identity_file;
  } else {
    w.server.auth = 'agent';
  }
  w.server.hostKey = c.server.host_key ?? null;
  w.server.hostKeyFor = c.server.host_key ? hostPort(w.server) : null;
  w.platform = c.app.platform === 'auto' ? null : c.app.platform;
  if (c.registry) {
    const { kind, region } = registryKind(c.registry.server);
    w.registry.kind = kind;
    if (region) w.registry.region = region;
    w.registry.server = kind === 'other' ? c.registry.server : '';
    w.registry.username = c.registry.username;
    w.registry.repository = c.registry.repository;
  } else {
    w.registry.kind = 'none';
  }
  const env = { ...(c.container?.env ?? {}) };
  if (env.TZ !== undefined) {
    w.container.timeZone = env.TZ;
    delete env.TZ;
  }
  w.container.name = c.app.name;
  w.container.ports = [...(c.container?.ports ?? [])];
  w.container.env = [
    ...Object.entries(env).map(([key, value]) => ({ key, value })),
    // A secret's value stays in the keyring: the row shows whether it is saved (secret_status).
    ...(c.container?.secret_env ?? []).map((key) => ({ key, value: '', secret: true })),
  ];
  w.container.secretsSaved = {};
  w.container.secretsError = null;
  w.container.volumes = [...(c.container?.volumes ?? [])];
  w.container.restart = c.container?.restart ?? 'unless-stopped';
  w.container.memory = c.container?.memory ?? '';
  w.container.healthPath = c.health?.path ?? '';
  w.container.healthTimeout = String(c.health?.timeout_secs ?? 30);
}

/** Drops undefined fields, so the JSON sent to the shell has only what is set. */
function clean<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, val]) => val !== undefined)) as T;
}

/** The Config the wizard describes. */
export function toConfig(w: WizardState): Config {
  const base = w.base;
  const c = w.container;
  const env: Record<string, string> = {};
  for (const { key, value, secret } of c.env) {
    if (key.trim() !== '' && !secret) env[key.trim()] = value;
  }
  const secretEnv = secretNames(c);
  if (c.timeZone.trim() !== '') env.TZ = c.timeZone.trim();
  const healthPath = c.healthPath.trim();
  const health =
    healthPath !== '' || base?.health?.port !== undefined
      ? clean({
          path: healthPath || undefined,
          port: base?.health?.port,
          timeout_secs: Number(c.healthTimeout.trim()) || 30,
        })
      : undefined;
  const server = w.server;
  return clean({
    app: clean({
      ...(base?.app ?? {}),
      name: c.name.trim(),
      context: base?.app.context ?? '.',
      platform: w.platform ?? base?.app.platform ?? 'auto',
      builder: builderOf(w) === 'auto' ? undefined : builderOf(w),
      builder_image: w.project.builderImage.trim() || undefined,
      runtime_image: w.project.runtimeImage.trim() || undefined,
    }),
    registry:
      w.registry.kind === 'none'
        ? undefined
        : {
            server: registryServer(w.registry),
            username: w.registry.username.trim(),
            repository: w.registry.repository.trim(),
          },
    server: clean({
      host: server.host.trim(),
      port: Number(server.port.trim()),
      user: server.user.trim(),
      identity_file: server.auth === 'key' ? server.keyFile.trim() : undefined,
      host_key: pinnedKey(server) ?? undefined,
    }),
    container: clean({
      ports: c.ports.map((p) => p.trim()).filter((p) => p !== ''),
      env,
      secret_env: secretEnv.length > 0 ? secretEnv : undefined,
      volumes: c.volumes.map((x) => x.trim()).filter((x) => x !== ''),
      restart: c.restart,
      memory: c.memory.trim() || undefined,
      strategy: base?.container?.strategy,
    }),
    health,
  }) as Config;
}

export function serverFieldsOk(s: WizardState['server']): boolean {
  const auth =
    s.auth === 'key' ? v.required(s.keyFile) : s.auth === 'password' ? v.required(s.password) : null;
  return v.allOk(v.host(s.host), v.port(s.port), v.user(s.user), auth);
}

export function registryFieldsOk(r: WizardState['registry']): boolean {
  if (r.kind === 'none') return true;
  return v.allOk(
    r.kind === 'other' ? v.registryServer(r.server) : null,
    v.required(r.username),
    v.repository(r.repository),
  );
}

export function containerFieldsOk(c: WizardState['container']): boolean {
  return v.allOk(
    v.containerName(c.name),
    v.portMappings(c.ports),
    v.envPairs(c.env),
    v.volumes(c.volumes),
    v.memory(c.memory),
    v.healthPath(c.healthPath),
    v.healthTimeout(c.healthTimeout),
    v.timeZone(c.timeZone),
  );
}

/** The builder ferry.toml will name: the one chosen in step 1, else the project's, else auto. */
export function builderOf(w: WizardState): Builder {
  return w.builder ?? w.base?.app.builder ?? 'auto';
}

/** What step 1 found: `ok` (the engine answers in Linux mode), `windows` (Windows-containers
 *  mode), `go` (no engine, but a Go toolchain: Ferry can build without Docker), `stopped`
 *  (Docker is installed, its engine does not answer, no Go), `none` (neither Docker nor Go),
 *  `down` (no engine; whether Docker or Go is there is not known). */
export type BuildCheck = 'checking' | 'ok' | 'windows' | 'go' | 'stopped' | 'none' | 'down';

export function buildCheck(d: WizardState['docker']): BuildCheck {
  if (d.info) return d.info.os_type === 'linux' ? 'ok' : 'windows';
  if (!d.error) return 'checking';
  if (d.tools?.go) return 'go';
  if (!d.tools) return 'down';
  return d.tools.docker_installed ? 'stopped' : 'none';
}

/** Step 1's “Build with Go”: ferry.toml gets `builder = "go"`. */
export function chooseGo(w: WizardState): void {
  w.builder = 'go';
}

/** Back to Docker: the project's own choice unless that was Go. */
export function chooseDocker(w: WizardState): void {
  w.builder = w.base?.app.builder === 'go' ? 'docker' : null;
}

/** Whether the step's values let the user go on. */
export function stepValid(w: WizardState, step: WizardStep): boolean {
  switch (step) {
    case 'docker':
      // The Go builder needs a Go toolchain, not Docker; the others need the engine in Linux mode.
      if (builderOf(w) === 'go') return !!w.docker.tools?.go;
      return w.docker.info !== null && w.docker.info.os_type === 'linux';
    case 'project': {
      const p = w.project;
      return (
        p.info !== null &&
        p.inspected === p.dir.trim() &&
        p.error === null &&
        (p.info.module !== null || p.info.has_dockerfile)
      );
    }
    case 'server':
      return (
        serverFieldsOk(w.server) &&
        w.server.tested === serverKey(w.server) &&
        pinnedKey(w.server) !== null &&
        w.server.pendingKey === null
      );
    case 'arch':
      return w.platform !== null;
    case 'registry':
      return registryFieldsOk(w.registry);
    case 'container':
      return containerFieldsOk(w.container);
    case 'review':
      return w.review.toml !== null && w.review.error === null;
  }
}

/** Whether an image for `platform` runs on the server (null: not known). */
export function runsOnServer(platform: Platform | null, server: ServerInfo | null): boolean | null {
  if (!platform || !server || !server.platform) return null;
  return platform === server.platform;
}

/** The step to fix a `config_toml` error in: the core's message starts with the key
 *  (`container.ports[0]: …`, `server.port: …`). */
export function stepForConfigError(message: string): WizardStep | null {
  const m = /^([a-z_]+)(?:\.([a-z_]+))?/.exec(message.trim());
  if (!m) return null;
  const [, section, field] = m;
  switch (section) {
    case 'app':
      if (field === 'name') return 'container';
      if (field === 'platform') return 'arch';
      return 'project';
    case 'registry':
      return 'registry';
    case 'server':
      return 'server';
    case 'container':
    case 'health':
      return 'container';
    default:
      return null;
  }
}
