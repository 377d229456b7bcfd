// Every recent project's status, asked every 5 s whichever view is showing, with the last 30
// minutes of CPU and memory kept per project (in memory: they survive leaving a view, not a
// restart of the app). Each project polls on its own, so one slow or unreachable server only
// delays its own answers.

import { api, dirOf, toAppError } from './api';
import { parseCpu, parseMemory } from './format';
import { Ring } from './ring';
import type { AppError, Status } from './types';

export const POLL_MS = 5000;
/** 30 minutes at one sample every 5 seconds. */
export const SAMPLE_LIMIT = 360;

/** One answer's numbers; all null while the container is not running or the server did not answer. */
export type Sample = { at: number; cpu: number | null; memory: number | null; limit: number | null };

/** What the project's ferry.toml says, once read. */
export type ProjectConfig = { app: string; host: string; registry: boolean };

export class ProjectMonitor {
  readonly configPath: string;
  status: Status | null = $state.raw(null);
  error: AppError | null = $state.raw(null);
  /** No answer yet, neither a status nor an error. */
  loading = $state(true);
  samples: Sample[] = $state.raw([]);
  /** When the server last answered (ms since the epoch). */
  seenAt: number | null = $state(null);
  /** When the answers stopped (the first failure since the last success). */
  failingSince: number | null = $state(null);
  config: ProjectConfig | null = $state.raw(null);

  private readonly ring = new Ring<Sample>(SAMPLE_LIMIT);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  private asking: Promise<void> | null = null;

  constructor(configPath: string) {
    this.configPath = configPath;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.readConfig();
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Asks now (after an action) instead of at the next tick. */
  refresh(): Promise<void> {
    return this.poll();
  }

  private async poll(): Promise<void> {
    // A refresh while an answer is on its way waits for that answer.
    if (this.asking) return this.asking;
    clearTimeout(this.timer);
    this.asking = this.ask();
    await this.asking;
    this.asking = null;
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), POLL_MS);
  }

  private async ask(): Promise<void> {
    try {
      const status = await api.status(this.configPath);
      if (!this.stopped) this.answered(status, Date.now());
    } catch (e) {
      if (!this.stopped) this.failed(toAppError(e), Date.now());
    }
  }

  /** Records an answer (public for tests that feed samples directly). */
  answered(status: Status, at: number): void {
    this.status = status;
    this.error = null;
    this.loading = false;
    this.seenAt = at;
    this.failingSince = null;
    this.push(sampleOf(status, at));
  }

  failed(error: AppError, at: number): void {
    this.error = error;
    this.loading = false;
    this.failingSince ??= at;
    // A gap in the charts where the server did not answer.
    this.push({ at, cpu: null, memory: null, limit: null });
  }

  private push(sample: Sample): void {
    this.ring.push(sample);
    this.samples = this.ring.toArray();
  }

  private async readConfig(): Promise<void> {
    try {
      const info = await api.inspectProject(dirOf(this.configPath));
      const c = info.config;
      if (c) this.config = { app: c.app.name, host: c.server.host, registry: !!c.registry };
    } catch {
      // The views name the project after its folder until a status arrives.
    }
  }
}

/** A status as a sample: the numbers when the core sends them, else its texts parsed. */
export function sampleOf(status: Status, at: number): Sample {
  if (status.state !== 'running') return { at, cpu: null, memory: null, limit: null };
  return {
    at,
    cpu: status.cpu_percent ?? parseCpu(status.cpu),
    memory: status.memory_bytes ?? parseMemory(status.memory),
    limit: status.memory_limit_bytes ?? null,
  };
}

const monitors = new Map<string, ProjectMonitor>();

/** The project's monitor, started on first use. */
export function monitor(configPath: string): ProjectMonitor {
  let m = monitors.get(configPath);
  if (!m) {
    m = new ProjectMonitor(configPath);
    monitors.set(configPath, m);
  }
  m.start();
  return m;
}

/** Keeps a monitor running for exactly these projects (the recent ones). */
export function watchProjects(configPaths: string[]): void {
  for (const path of configPaths) monitor(path);
  for (const [path, m] of monitors) {
    if (!configPaths.includes(path)) {
      m.stop();
      monitors.delete(path);
    }
  }
}

/** Stops and forgets every monitor (tests). */
export function stopMonitors(): void {
  watchProjects([]);
}
