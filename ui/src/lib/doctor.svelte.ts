// One run of the doctor (the checks of this machine, the project and the server), collected from
// its event stream. The final event, not the promise, ends a run.

import { api } from './api';
import { addFinding, findingOf } from './preflight';
import type { AppError, Event, Finding } from './types';

export class DoctorRun {
  findings: Finding[] = $state.raw([]);
  running = $state(false);
  /** Whether a run has started at least once. */
  started = $state(false);
  /** Why the checks could not run (the server unreachable, ferry.toml invalid, …). */
  error: AppError | null = $state(null);
  /** The `finished` event's message ("1 error(s), 2 warning(s)"). */
  message: string | null = $state(null);
  private run = 0;
  private failure: AppError | null = null;
  private done: (() => void) | null = null;

  private handle(run: number, e: Event): void {
    if (run !== this.run) return;
    const f = findingOf(e);
    if (f) {
      this.findings = addFinding(this.findings, f);
      return;
    }
    if (e.event === 'data' && e.kind === 'error' && e.data && typeof e.data === 'object') {
      this.failure = e.data as AppError;
    } else if (e.event === 'finished') {
      this.message = e.message;
      this.end();
    } else if (e.event === 'failed') {
      this.error = this.failure ?? { kind: 'other', message: e.message, message_id: e.message_id, args: e.args };
      if (!this.error.message) this.error = { ...this.error, message: e.message };
      this.end();
    }
  }

  private end(): void {
    this.running = false;
    const done = this.done;
    this.done = null;
    done?.();
  }

  /** Runs the checks; resolves once the stream has ended. */
  start(configPath: string, trustHostKey: string | null = null): Promise<void> {
    const run = ++this.run;
    this.done?.();
    this.findings = [];
    this.error = null;
    this.message = null;
    this.failure = null;
    this.running = true;
    this.started = true;
    const ended = new Promise<void>((resolve) => (this.done = resolve));
    api.doctor(configPath, trustHostKey, (e) => this.handle(run, e)).catch((e: unknown) => {
      if (run !== this.run) return;
      const err = e as AppError;
      this.handle(run, { event: 'data', step: 'check', kind: 'error', data: err });
      this.handle(run, { event: 'failed', message: err.message || err.kind, diagnosis: null });
    });
    return ended;
  }

  /** Forgets the results (e.g. a new deploy starts). */
  reset(): void {
    this.run++;
    this.end();
    this.findings = [];
    this.error = null;
    this.message = null;
    this.started = false;
  }
}
