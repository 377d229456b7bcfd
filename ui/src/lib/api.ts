// Typed calls into the Tauri shell, one function per command of docs/app-api.md. This is the
// only module that talks to the shell. Argument keys are camelCase (Tauri's default mapping of
// the Rust commands' snake_case parameters); nested objects keep ferry-core's snake_case fields.

import { Channel, invoke } from '@tauri-apps/api/core';
import { open, save } from '@tauri-apps/plugin-dialog';
import type {
  AppError,
  BuildTools,
  Config,
  ConnectionResult,
  ContainerAction,
  EngineInfo,
  Event,
  HistoryEntry,
  Plan,
  ProjectInfo,
  RegistryTarget,
  SecretState,
  ServerTarget,
  SshAuth,
  Status,
  ServerOverview,
  Releases,
  FindingText,
} from './types';

/** Kind used when the page runs without the Tauri shell (a plain browser). */
export const NO_SHELL = 'no_shell';

function hasShell(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

/** Turns whatever a command rejected with into an AppError. */
export function toAppError(e: unknown): AppError {
  if (e && typeof e === 'object' && 'kind' in e && 'message' in e) {
    const err = e as AppError;
    return { ...err, kind: String(err.kind), message: String(err.message) };
  }
  if (!hasShell()) return { kind: NO_SHELL, message: '' };
  if (typeof e === 'string') return { kind: 'other', message: e };
  if (e instanceof Error) return { kind: 'other', message: e.message };
  return { kind: 'other', message: String(e) };
}

export function isAppError(e: unknown): e is AppError {
  return !!e && typeof e === 'object' && 'kind' in e && 'message' in e;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toAppError(e);
  }
}

/** A channel that hands each event to `onEvent`. */
function channel(onEvent: (e: Event) => void): Channel<Event> {
  // The handler is set before the channel goes to the shell, so no event is missed.
  return new Channel<Event>(onEvent);
}

async function stream(
  command: string,
  args: Record<string, unknown>,
  onEvent: (e: Event) => void,
): Promise<number> {
  let ch: Channel<Event>;
  try {
    ch = channel(onEvent);
  } catch (e) {
    throw toAppError(e);
  }
  return call<number>(command, { ...args, onEvent: ch });
}

export const api = {
  dockerInfo: () => call<EngineInfo>('docker_info'),
  /** The Go toolchain (null: none) and whether Docker is installed, running or not. */
  buildTools: () => call<BuildTools>('build_tools'),
  inspectProject: (dir: string) => call<ProjectInfo>('inspect_project', { dir }),
  testConnection: (server: ServerTarget, auth: SshAuth, trustHostKey: string | null) =>
    call<ConnectionResult>('test_connection', { server, auth, trustHostKey }),
  testRegistry: (registry: RegistryTarget, password: string, save: boolean) =>
    call<null>('test_registry', { registry, password, save }),
  configToml: (config: Config) => call<string>('config_toml', { config }),
  saveConfig: (dir: string, config: Config) => call<string>('save_config', { dir, config }),
  deploy: (configPath: string, trustHostKey: string | null, onEvent: (e: Event) => void) =>
    stream('deploy', { configPath, trustHostKey }, onEvent),
  /** Back to the previous release, or to exactly the kept release `to`. */
  rollback: (configPath: string, onEvent: (e: Event) => void, to: string | null = null) =>
    stream('rollback', { configPath, to }, onEvent),
  cancel: (op: number) => call<null>('cancel', { op }),
  /** The language the core renders its texts in from now on. */
  setLanguage: (lang: 'en' | 'zh') => call<null>('set_language', { lang }),
  status: (configPath: string) => call<Status>('status', { configPath }),
  containerAction: (configPath: string, action: ContainerAction) =>
    call<null>('container_action', { configPath, action }),
  /** The log's last `lines` (null: all) since `since` (`1h`, `30m`, RFC 3339; null: any
   * time), each line with its time (`at`). */
  logs: (
    configPath: string,
    lines: number | null,
    follow: boolean,
    since: string | null,
    onEvent: (e: Event) => void,
  ) => stream('logs', { configPath, lines, follow, since }, onEvent),
  /** Writes `text` to `path` (a path the user picked in the save dialog). */
  saveLog: (path: string, text: string) => call<null>('save_log', { path, text }),
  serverOverview: (configPath: string) => call<ServerOverview>('server_overview', { configPath }),
  releases: (configPath: string) => call<Releases>('releases', { configPath }),
  doctor: (configPath: string, trustHostKey: string | null, onEvent: (e: Event) => void) =>
    stream('doctor', { configPath, trustHostKey }, onEvent),
  /** Applies the fix of finding `id` as shown (`digest`); the shell derives it again itself. */
  applyFix: (configPath: string, id: string, digest: string, trustHostKey: string | null = null) =>
    call<FindingText>('apply_fix', { configPath, id, digest, trustHostKey }),
  /** What a deploy would do now; builds nothing and changes nothing on the server. */
  plan: (configPath: string, trustHostKey: string | null = null) =>
    call<Plan>('plan', { configPath, trustHostKey }),
  history: (configPath: string) => call<HistoryEntry[]>('history', { configPath }),
  secretStatus: (configPath: string) => call<SecretState[]>('secret_status', { configPath }),
  /** Saves a secret variable's value in the keyring entry `env/<app>/<name>`; returns the entry. */
  saveEnvSecret: (app: string, name: string, value: string) =>
    call<string>('save_env_secret', { app, name, value }),
};

/** Opens the native folder picker; null when cancelled or unavailable. */
export async function pickFolder(defaultPath?: string): Promise<string | null> {
  try {
    const picked = await open({ directory: true, multiple: false, defaultPath: defaultPath || undefined });
    return typeof picked === 'string' ? picked : null;
  } catch {
    return null;
  }
}

/** Opens the native file picker; null when cancelled or unavailable. */
export async function pickFile(defaultPath?: string): Promise<string | null> {
  try {
    const picked = await open({ directory: false, multiple: false, defaultPath: defaultPath || undefined });
    return typeof picked === 'string' ? picked : null;
  } catch {
    return null;
  }
}

/** Opens the native save dialog; null when cancelled or unavailable. */
export async function pickSavePath(defaultPath: string): Promise<string | null> {
  try {
    const picked = await save({ defaultPath, filters: [{ name: 'Log', extensions: ['log', 'txt'] }] });
    return typeof picked === 'string' ? picked : null;
  } catch {
    return null;
  }
}

/** The folder holding a ferry.toml path (Windows or POSIX separators). */
export function dirOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (i < 0) return '.';
  if (i === 0) return path.slice(0, 1);
  return path.slice(0, i);
}

/** `name` inside the folder `dir`, with the folder's own separator (Windows or POSIX). */
export function joinPath(dir: string, name: string): string {
  const trimmed = dir.replace(/[\\/]+$/, '');
  const sep = trimmed.includes('\\') && !trimmed.includes('/') ? '\\' : '/';
  return `${trimmed}${sep}${name}`;
}

/** The last element of a path. */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const i = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return trimmed.slice(i + 1);
}
