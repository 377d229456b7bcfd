// The command contract with the Tauri shell, as docs/app-api.md defines it. Field names are
// snake_case exactly as ferry-core serializes them.

export type Platform = 'linux/amd64' | 'linux/arm64';
export type RestartPolicy = 'no' | 'always' | 'on-failure' | 'unless-stopped';

export type ErrorKind =
  | 'unknown_host_key'
  | 'host_key_mismatch'
  | 'auth_failed'
  | 'unreachable'
  | 'docker_unreachable'
  | 'config'
  | 'registry_auth'
  | 'cancelled'
  | 'unhealthy'
  | 'preflight'
  | 'fix_refused'
  | 'lock'
  | 'other';

/** A text of the core: its catalog id, arguments, and the text rendered in the core's language. */
export type CoreMsg = {
  id: string;
  args?: Record<string, unknown>;
  text: string;
};

export type Diagnosis = {
  summary: CoreMsg;
  hint: CoreMsg | null;
  exit_code: number | null;
  oom_killed: boolean;
  log_tail: string[];
  restored_previous: string | null;
  /** The previous release was never stopped (start-first: the new one failed beside it). */
  previous_untouched?: boolean;
  /** Stable id of what was recognised, e.g. `exec_format`. */
  cause?: string | null;
};

export type AppError = {
  kind: ErrorKind | string;
  /** The core's text; with `message_id` and `args`, the UI renders it in its own language. */
  message: string;
  message_id?: string | null;
  args?: Record<string, unknown>;
  fingerprint?: string;
  expected?: string;
  diagnosis?: Diagnosis;
};

export type Step =
  | 'check'
  | 'build'
  /** The build context on its way to Docker (bytes; progress only, within `build`). */
  | 'context'
  | 'push'
  | 'transfer'
  | 'connect'
  | 'probe'
  | 'pull'
  | 'start'
  | 'health'
  | 'rollback'
  | 'cleanup'
  | 'status'
  | 'logs';

/** An event's text: rendered by the core (`message`), and as a catalog id with its arguments. */
type Said = { message: string; message_id?: string | null; args?: Record<string, unknown> };

export type Event =
  | ({ event: 'step_started'; step: Step } & Said)
  | ({ event: 'step_finished'; step: Step; elapsed_ms: number } & Said)
  /** A step that stopped before it finished; `message` is the one it started with. */
  | ({ event: 'step_failed'; step: Step; elapsed_ms: number } & Said)
  | { event: 'progress'; step: Step; current: number; total: number | null }
  /** `at`: the line's time (RFC 3339, UTC) when the log was asked for with timestamps. */
  | { event: 'log'; step: Step; line: string; at?: string | null }
  | ({ event: 'notice'; step: Step; level: 'info' | 'warning' } & Said)
  | { event: 'data'; step: Step; kind: string; data: unknown }
  | ({ event: 'finished' } & Said)
  | ({ event: 'failed'; diagnosis: Diagnosis | null } & Said);

/** What builds the image (`[app] builder`): `auto` (the default, left out of ferry.toml) is
 *  Docker when a local engine answers, else Go when a Go toolchain is found. */
export type Builder = 'auto' | 'docker' | 'go';

export type Config = {
  app: {
    name: string;
    context: string;
    dockerfile?: string;
    platform: Platform | 'auto';
    /** Omitted: `auto`. */
    builder?: Builder;
    main?: string;
    builder_image?: string;
    runtime_image?: string;
    build_args?: Record<string, string>;
  };
  registry?: { server: string; username: string; repository: string };
  server: { host: string; port: number; user: string; identity_file?: string; host_key?: string };
  container: {
    ports: string[];
    env: Record<string, string>;
    /** Variables whose values live in the OS keyring (`env/<app>/<NAME>`), never in ferry.toml. */
    secret_env?: string[];
    volumes: string[];
    restart: RestartPolicy;
    memory?: string;
    /** How a new release replaces the running one (default start-first); the wizard keeps it. */
    strategy?: 'start-first' | 'stop-first';
  };
  health?: { path?: string; port?: number; timeout_secs: number };
};

export type EngineInfo = {
  version: string;
  api_version: string;
  os_type: string;
  arch: string;
  buildkit_available: boolean;
};

/** A Go toolchain that answered `go env`. */
export type GoToolchain = {
  /** The `go` command. */
  path: string;
  /** `go1.19.8`. */
  version: string;
  env: { GOPROXY: string; GOPRIVATE: string; GONOSUMDB: string; GOFLAGS: string };
};

/** `build_tools`: what can build images here besides the engine `docker_info` asks. */
export type BuildTools = {
  /** null: no Go toolchain found. */
  go: GoToolchain | null;
  /** Docker is installed (CLI or Docker Desktop), running or not. */
  docker_installed: boolean;
};

export type ServerInfo = {
  machine: string;
  platform: Platform | null;
  os_id: string;
  os_version: string;
  os_name: string;
  docker_version: string;
  sudo: boolean;
};

export type ProjectInfo = {
  dir: string;
  module: string | null;
  go_version: string | null;
  main_package: string | null;
  has_dockerfile: boolean;
  generated_dockerfile: string | null;
  config: Config | null;
  config_error: string | null;
  go_error: string | null;
};

export type Status = {
  app: string;
  host: string;
  state: string;
  health: string | null;
  /** The configured health path's answer now, e.g. `HTTP 200`. */
  http_check: string | null;
  started_at: string | null;
  restart_count: number;
  image: string | null;
  version: string | null;
  ports: string[];
  cpu: string | null;
  memory: string | null;
  /** The same as numbers: percent of one CPU (can exceed 100 on several), bytes. */
  cpu_percent: number | null;
  memory_bytes: number | null;
  /** The container's memory limit (`[container] memory`), else the host's memory; bytes. */
  memory_limit_bytes: number | null;
  previous: string[];
};

/** `server_overview` (as `ferry server --json`): the host and every container on it. */
export type ServerOverview = {
  /** ferry.toml's `[server]` host, user and port. */
  host: string;
  user: string;
  port: number;
  /** When this was taken (RFC 3339). */
  seen_at: string;
  /** What the one batched command of this refresh cost: wall time, bytes from the server. */
  took_ms: number;
  bytes: number;
  system: HostSystem;
  containers: ServerContainer[];
};

export type HostSystem = {
  os_name: string;
  kernel: string;
  arch: string;
  uptime_secs: number | null;
  /** 1, 5 and 15 minute load averages. */
  load: [number, number, number] | null;
  cpus: number | null;
  /** Bytes; `used` is total − available (what the kernel cannot give back). */
  memory: { total: number; used: number; available: number } | null;
  swap: { total: number; used: number } | null;
  /** `/` and Docker's root directory (two entries even when they are one filesystem). */
  disks: Disk[];
  docker: { version: string; storage_driver: string; root_dir: string } | null;
};

export type Disk = {
  /** `root`: the filesystem of `/`; `docker`: that of Docker's root directory. */
  label: 'root' | 'docker';
  path: string;
  mount: string;
  total: number;
  used: number;
  available: number;
};

export type ServerContainer = {
  id: string;
  name: string;
  image: string;
  /** Docker's: running, exited, restarting, paused, created, dead. */
  state: string;
  health: string | null;
  created_at: string | null;
  /** RFC 3339; null when it never started. */
  started_at: string | null;
  restart_count: number;
  ports: string[];
  cpu_percent: number | null;
  memory_bytes: number | null;
  /** The limit set on the container (`--memory`); null when it has none. */
  memory_limit_bytes: number | null;
  /** Ferry's containers (those with its `ferry.version` label): the app and the release. */
  app: string | null;
  release: string | null;
};

/** `releases` (as `ferry releases --json`): the app's kept releases, newest first. */
export type Releases = { app: string; keep: number; releases: Release[] };
export type Release = {
  version: string;
  container: string;
  image: string;
  size_bytes: number | null;
  /** When its container was created (RFC 3339). */
  deployed_at: string | null;
  /** The machine that deployed it (its host name), when the release says. */
  deployed_by: string | null;
  running: boolean;
  state: string;
};

export type HistoryEntry = {
  version: string | null;
  started_at: string;
  duration_ms: number;
  result: 'finished' | 'failed' | 'cancelled';
  message: string;
};

export type SshAuth =
  | { kind: 'key'; identity_file: string; passphrase?: string; save?: boolean }
  | { kind: 'agent' }
  | { kind: 'password'; password: string; save: boolean };

export type ServerTarget = { host: string; port: number; user: string };
export type RegistryTarget = { server: string; username: string; repository: string };
export type ConnectionResult = { fingerprint: string; server: ServerInfo };
export type SecretState = { name: string; saved: boolean };
export type ContainerAction = 'restart' | 'stop' | 'start';

/** A text in both of Ferry's languages. */
export type Text = { en: string; zh: string };
/** A finding's text: a core message, or (from an older core) both languages. */
export type FindingText = CoreMsg | Text;
export type Severity = 'error' | 'warning' | 'info';

export type FileEdit = {
  /** Relative to the project folder, with `/` separators. */
  path: string;
  /** SHA-256 of the content the check read; null creates a new file. */
  base_sha256: string | null;
  content: string;
};
export type ServerCommand = { argv: string[]; shell: string };
export type FixAction =
  | { kind: 'edit_files'; files: FileEdit[] }
  | { kind: 'run_on_server'; commands: ServerCommand[] };
/** A change Ferry makes only when the user accepts it. */
export type AutoFix = {
  label: FindingText;
  action: FixAction;
  /** SHA-256 of the action: Apply sends it back with the finding's id, and the shell applies
   * the fix the checks derive again only if it is still this one. */
  digest: string;
};

/** What a doctor check (or the deploy's preflight) reports: a `data` event of kind `finding`. */
export type Finding = {
  /** Stable, e.g. `context.crlf_scripts`. */
  id: string;
  severity: Severity;
  message: FindingText;
  evidence: string | null;
  fix: FindingText | null;
  auto_fix: AutoFix | null;
};

/** The Dockerfile a Docker build uses: the project's own, or one Ferry generates. */
export type DockerfilePlan =
  | { source: 'own'; path: string }
  | {
      source: 'generated';
      path: string;
      module: string;
      main_package: string;
      builder_image: string;
      runtime_image: string;
      text: string;
    };

/** A Go build: the local toolchain cross-compiles, Ferry assembles the image (no Docker). */
export type GoBuildPlan = {
  /** `go1.19.8`. */
  go_version: string;
  module: string;
  main_package: string;
  goos: string;
  goarch: string;
  /** The arguments after `go`. */
  args: string[];
  env: Record<string, string>;
  /** The project's Dockerfile, which this build does not use. */
  ignored_dockerfile: string | null;
  image: {
    user: string;
    entrypoint: string[];
    exposed_ports: number[];
    env: Record<string, string>;
    labels: Record<string, string>;
  };
};

/** What builds the image, and why. */
export type BuilderPlan =
  | { kind: 'docker'; reason: 'configured' | 'engine_answers'; dockerfile: DockerfilePlan }
  | { kind: 'go'; reason: 'configured' | 'no_engine'; go: GoBuildPlan };

/** What a deploy would do now (`plan`, as `ferry deploy --plan --json`). */
export interface Plan {
  app: string;
  version: string;
  platform: { platform: Platform; reason: 'configured' | 'server_arch'; server_machine: string };
  builder: BuilderPlan;
  build: {
    platform: Platform;
    tag: string;
    build_args: Record<string, string>;
    labels: Record<string, string>;
  };
  transport: { via: 'registry'; image: string } | { via: 'ssh' };
  container: {
    name: string;
    image: string;
    ports: string[];
    env: Record<string, string>;
    /** Names only: the values never leave the keyring for a plan. */
    secret_env: string[];
    volumes: string[];
    restart: string;
    memory: string | null;
    strategy: string;
    labels: Record<string, string>;
  };
  health: {
    path: string | null;
    port: number | null;
    host_ip: string | null;
    container_port: number | null;
    timeout_secs: number;
  };
  url: string | null;
}
