// A running (or finished) deploy or rollback, kept outside the screen so that going to the
// dashboard and back shows it still going. One session per ferry.toml.

import { api, dirOf } from '../api';
import { DoctorRun } from '../doctor.svelte';
import type { AppError, Event, HistoryEntry } from '../types';
import { initialState, reduce, requestCancel, started, type DeployState, type Mode } from './reducer';

export class Session {
  readonly configPath: string;
  mode: Mode = $state('deploy');
  state: DeployState = $state.raw(initialState());
  op: number | null = $state(null);
  /** A host key the server showed that nobody has trusted yet. */
  hostKey: { fingerprint: string; expected: string | null } | null = $state(null);
  history: HistoryEntry[] = $state.raw([]);
  historyError: AppError | null = $state(null);
  /** `[app] name` of the ferry.toml, once read. */
  appName: string | null = $state(null);
  /** The checks run again from the deploy screen (after a fix), replacing the run's findings. */
  readonly doctor = new DoctorRun();
  /** Bumps with each run, so late events of an older run are dropped. */
  private run = 0;

  constructor(configPath: string, ship: 'push' | 'transfer' | null) {
    this.configPath = configPath;
    this.state = initialState(ship);
  }

  get running(): boolean {
    return this.state.phase === 'running';
  }

  private handler(run: number): (e: Event) => void {
    return (e) => {
      if (run !== this.run) return;
      this.state = reduce(this.state, e);
      if (e.event === 'data' && e.kind === 'error') this.askHostKey(this.state.error);
      if (e.event === 'finished' || e.event === 'failed') {
        this.op = null;
        void this.loadHistory();
      }
    };
  }

  async start(mode: Mode, trustHostKey: string | null = null): Promise<void> {
    if (this.running) return;
    const run = ++this.run;
    this.mode = mode;
    this.hostKey = null;
    this.op = null;
    this.doctor.reset();
    this.state = started(this.state);
    const onEvent = this.handler(run);
    try {
      const op =
        mode === 'rollback'
          ? await api.rollback(this.configPath, onEvent)
          : await api.deploy(this.configPath, trustHostKey, onEvent);
      if (run === this.run && this.running) {
        this.op = op;
        if (this.state.cancelRequested) await api.cancel(op).catch(() => undefined);
      }
    } catch (e) {
      const err = e as AppError;
      if (run !== this.run) return;
      // The operation never started: end the stream here, as the shell would have.
      onEvent({ event: 'data', step: 'check', kind: 'error', data: err });
      onEvent({ event: 'failed', message: err.message || err.kind, diagnosis: err.diagnosis ?? null });
    }
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
    if (this.op !== null) {
      try {
        await api.cancel(this.op);
      } catch {
        // The final event tells how it ended.
      }
    }
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
