// The server page's data: `server_overview` asked every 5 s while the page shows, on its own
// timer. The last answer is kept per project (re-entering the page shows it at once), and a
// failure keeps it too, with when the answers stopped.

import { api, toAppError } from './api';
import type { AppError, ServerOverview } from './types';

export const SERVER_POLL_MS = 5000;

export class ServerWatch {
  readonly configPath: string;
  overview: ServerOverview | null = $state.raw(null);
  error: AppError | null = $state.raw(null);
  loading = $state(true);
  /** When the server last answered (ms since the epoch). */
  seenAt: number | null = $state(null);
  /** The first failure since the last answer. */
  failingSince: number | null = $state(null);

  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private asking = false;

  constructor(configPath: string) {
    this.configPath = configPath;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.poll();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  private async poll(): Promise<void> {
    if (this.asking) return;
    this.asking = true;
    try {
      const overview = await api.serverOverview(this.configPath);
      this.overview = overview;
      this.error = null;
      this.seenAt = Date.now();
      this.failingSince = null;
    } catch (e) {
      this.error = toAppError(e);
      this.failingSince ??= Date.now();
    } finally {
      this.asking = false;
      this.loading = false;
      if (this.running) this.timer = setTimeout(() => void this.poll(), SERVER_POLL_MS);
    }
  }
}

const watches = new Map<string, ServerWatch>();

export function serverWatch(configPath: string): ServerWatch {
  let w = watches.get(configPath);
  if (!w) {
    w = new ServerWatch(configPath);
    watches.set(configPath, w);
  }
  return w;
}

/** Stops and forgets every watch (tests). */
export function forgetServerWatches(): void {
  for (const w of watches.values()) w.stop();
  watches.clear();
}
