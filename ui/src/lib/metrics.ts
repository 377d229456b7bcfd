// CPU and memory samples per project, kept in memory for the dashboard's sparklines (they
// survive leaving the dashboard, not a restart of the app).

import { parseCpu, parseMemory } from './format';
import { pushSample } from './sparkline';
import type { Status } from './types';

export type Sample = { at: number; cpu: number | null; memory: number | null };

/** 5 minutes of samples at one every 5 seconds. */
export const SAMPLE_LIMIT = 60;

const samples = new Map<string, Sample[]>();

export function record(configPath: string, status: Status, at = Date.now()): Sample[] {
  const running = status.state === 'running';
  const sample: Sample = {
    at,
    cpu: running ? parseCpu(status.cpu) : null,
    memory: running ? parseMemory(status.memory) : null,
  };
  const next = pushSample(samples.get(configPath) ?? [], sample, SAMPLE_LIMIT);
  samples.set(configPath, next);
  return next;
}

export function history(configPath: string): Sample[] {
  return samples.get(configPath) ?? [];
}
