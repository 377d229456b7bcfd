// A running (or finished) deploy or rollback, kept outside the screen so that going to the
// dashboard and back shows it still going. One session per ferry.toml.

import { api, dirOf } from '../api';
import { DoctorRun } from '../doctor.svelte';
import { Run } from '../run.svelte';
import type { AppError, HistoryEntry } from '../types';
import { initialState, reduce, rejected, requestCancel, started, type DeployState, type Mode } from './reducer';

export class Session {
  readonly configPath: string;
  mode: Mode = $state('deploy');
  /** The release a rollback switches to (null: the previous one). */
  to: string | null = $state(null);
  state: DeployState = $state.raw(initialState());
  /** The operation's stream and its one end. */
  readonly run = new Run();
  /** A host key the server showed that nobody has trusted yet. */
  hostKey: { fingerprint: string; expected: string | null } | null = $state(null);
  history: HistoryEntry[] = $state.raw([]);
  historyError: AppError | null = $state(null);
  /** `[app] name` of the ferry.toml, once read. */
  appName: string | null = $state(null);
  /** The checks run again from the deploy screen (after a fix), replacing the run's findings. */
  readonly doctor = new DoctorRun();

  constructor(configPath: string, ship: 'push' | 'transfer' | null) {
    this.configPath = configPath;
    this.state = initialState(ship);
  }

  get running(): boolean {
    return this.state.phase === 'running';
  }

  /** The operation's id while it runs. */
  get op(): number | null {
    return this.run.op;
  }

  async start(mode: Mode, trustHostKey: string | null = null, to: string | null = null): Promise<void> {
    if (this.running) return;
    this.mode = mode;
    this.to = mode === 'rollback' ? to : null;
    this.hostKey = null;
    this.doctor.reset();
    this.state = started(this.state);
    const launch =
      mode === 'rollback'
        ? (onEvent: Parameters<typeof api.rollback>[1]) => api.rollback(this.configPath, onEvent, this.to)
        : (onEvent: Parameters<typeof api.rollback>[1]) => api.deploy(this.configPath, trustHostKey, onEvent);
    await this.run.start(launch, {
      onEvent: (e) => (this.state = reduce(this.state, e)),
      onEnd: (end) => {
        if (!end.ok) {
          // A command refused before its stream started has no `failed` event of its own.
          this.state = rejected(this.state, end.error);
          this.askHostKey(end.error);
        }
        void this.loadHistory();
      },
    }).launched;
  }

  /** A first-seen or changed host key: the screen shows it (and offers trust for a new one). */
  private askHostKey(err: AppError | null): void {
    if (!err?.fingerprint) return;
    if (err.kind === 'unknown_host_key') this.hostKey = { fingerprint: err.fingerprint, expected: null };
    else if (err.kind === 'host_key_mismatch') this.hostKey = { fingerprint: err.fingerprint, expected: err.expected ?? null };
  }

  async cancel(): Promise<void> {
    if (!this.running) return;
    this.state = requestCancel(this.state);
    // The final event tells how it ended.
    await this.run.cancel();
  }

  /** Reads the app's name from its ferry.toml (the screen shows the folder's name until then). */
  async loadName(): Promise<void> {
    try {
      const info = await api.inspectProject(dirOf(this.configPath));
      this.appName = info.config?.app.name || null;
    } catch {
      // The title keeps the folder's name.
    }
  }

  async loadHistory(): Promise<void> {
    try {
      this.history = await api.history(this.configPath);
      this.historyError = null;
    } catch (e) {
      this.historyError = e as AppError;
    }
  }
}

const sessions = new Map<string, Session>();

export function session(configPath: string, ship: 'push' | 'transfer' | null = null): Session {
  let s = sessions.get(configPath);
  if (!s) {
    s = new Session(configPath, ship);
    sessions.set(configPath, s);
  }
  return s;
}
