// One run of the doctor (the checks of this machine, the project and the server), collected from
// its event stream. The final event, not the promise, ends a run.

import { api } from './api';
import { addFinding, findingOf } from './preflight';
import { Run } from './run.svelte';
import type { MsgLike } from './i18n/index.svelte';
import type { AppError, Finding } from './types';

export class DoctorRun {
  findings: Finding[] = $state.raw([]);
  /** Whether a run has started at least once. */
  started = $state(false);
  private readonly run = new Run();

  get running(): boolean {
    return this.run.running;
  }

  /** Why the checks could not run (the server unreachable, ferry.toml invalid, …). */
  get error(): AppError | null {
    const end = this.run.end;
    return end && !end.ok ? end.error : null;
  }

  /** The `finished` event's message ("1 error(s), 2 warning(s)"). */
  get message(): MsgLike | null {
    const end = this.run.end;
    return end?.ok ? end.message : null;
  }

  /** Runs the checks; resolves once the stream has ended. */
  async start(configPath: string, trustHostKey: string | null = null): Promise<void> {
    this.findings = [];
    this.started = true;
    await this.run.start((onEvent) => api.doctor(configPath, trustHostKey, onEvent), {
      onEvent: (e) => {
        const f = findingOf(e);
        if (f) this.findings = addFinding(this.findings, f);
      },
    }).ended;
  }

  /** Forgets the results (e.g. a new deploy starts). */
  reset(): void {
    this.run.drop();
    this.findings = [];
    this.started = false;
  }
}
