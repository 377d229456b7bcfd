// One long operation (deploy, rollback, doctor, logs) as the UI sees it: its event stream, and
// how it ended. The shell's stream ends with exactly one `finished` or `failed`; a command
// rejected before its stream started ends the run with that rejection instead. Events of an
// older run, and anything after the end, are dropped.

import { api } from './api';
import { eventMsg, type MsgLike } from './i18n/index.svelte';
import type { AppError, Diagnosis, Event } from './types';

export type RunEnd =
  | { ok: true; message: MsgLike }
  | { ok: false; error: AppError; diagnosis: Diagnosis | null };

/** Starts the operation with the run's event handler; resolves to its id for `cancel`. */
export type Launch = (onEvent: (e: Event) => void) => Promise<number>;

export type Handlers = {
  /** Each event of the stream, the final one included. */
  onEvent?: (e: Event) => void;
  /** Once, when the run ended (by its final event or a rejection). */
  onEnd?: (end: RunEnd) => void;
};

export type Started = {
  /** Settles once the shell has answered the command (with the id, or a rejection). */
  launched: Promise<void>;
  /** Resolves when the run has ended; `null` when it was dropped first. */
  ended: Promise<RunEnd | null>;
};

export class Run {
  running = $state(false);
  /** The operation's id once the shell has answered, while it runs. */
  op: number | null = $state(null);
  /** How the last run ended; `null` while one runs or before the first. */
  end: RunEnd | null = $state.raw(null);
  private generation = 0;
  private cancelWanted = false;
  /** The `data` event of kind `error` that precedes `failed`: the failure's kind and keys. */
  private failure: AppError | null = null;
  private handlers: Handlers = {};
  private resolve: ((end: RunEnd | null) => void) | null = null;

  /** Starts a run (forgetting the one before). */
  start(launch: Launch, handlers: Handlers = {}): Started {
    this.drop();
    const generation = this.generation;
    this.handlers = handlers;
    this.running = true;
    const ended = new Promise<RunEnd | null>((resolve) => (this.resolve = resolve));
    const launched = launch((e) => this.handle(generation, e)).then(
      (op) => {
        if (generation !== this.generation) {
          void api.cancel(op).catch(() => undefined);
        } else if (this.running) {
          this.op = op;
          if (this.cancelWanted) void api.cancel(op).catch(() => undefined);
        }
      },
      (e: unknown) => {
        if (generation !== this.generation || !this.running) return;
        const error = e as AppError;
        this.finish({ ok: false, error, diagnosis: error.diagnosis ?? null });
      },
    );
    return { launched, ended };
  }

  /** Asks the shell to stop the run; its final event says how it ended. */
  async cancel(): Promise<void> {
    if (!this.running) return;
    this.cancelWanted = true;
    if (this.op !== null) await api.cancel(this.op).catch(() => undefined);
  }

  /** Forgets the current run: a running operation is cancelled and its late events dropped. */
  drop(): void {
    const op = this.running ? this.op : null;
    this.generation++;
    this.running = false;
    this.op = null;
    this.end = null;
    this.cancelWanted = false;
    this.failure = null;
    this.resolve?.(null);
    this.resolve = null;
    if (op !== null) void api.cancel(op).catch(() => undefined);
  }

  private handle(generation: number, e: Event): void {
    if (generation !== this.generation || !this.running) return;
    if (e.event === 'data' && e.kind === 'error' && e.data && typeof e.data === 'object') {
      this.failure = e.data as AppError;
    }
    this.handlers.onEvent?.(e);
    if (e.event === 'finished') {
      this.finish({ ok: true, message: eventMsg(e) });
    } else if (e.event === 'failed') {
      const said = { message: e.message, message_id: e.message_id, args: e.args };
      const error: AppError = this.failure?.message ? this.failure : { ...(this.failure ?? { kind: 'other' }), ...said };
      this.finish({ ok: false, error, diagnosis: e.diagnosis });
    }
  }

  private finish(end: RunEnd): void {
    this.running = false;
    this.op = null;
    this.end = end;
    this.handlers.onEnd?.(end);
    this.resolve?.(end);
    this.resolve = null;
  }
}
