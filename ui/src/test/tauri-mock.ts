// The test-only stand-in for the Tauri shell: `invoke` is a vi.fn() each test programs, and
// Channel is a plain object whose onmessage the test calls to push events.

import { vi } from 'vitest';
import type { Event } from '../lib/types';

export class FakeChannel {
  onmessage: (e: Event) => void;
  constructor(onmessage?: (e: Event) => void) {
    this.onmessage = onmessage ?? (() => {});
  }
}

export const invoke = vi.fn();

/** Sends events through the channel passed to the last call of `command`. */
export function emit(command: string, events: Event[]): void {
  const call = [...invoke.mock.calls].reverse().find((c) => c[0] === command);
  if (!call) throw new Error(`no ${command} call`);
  const ch = (call[1] as { onEvent: FakeChannel }).onEvent;
  for (const e of events) ch.onmessage(e);
}

/** Routes invoke by command name. */
export function route(handlers: Record<string, (args: Record<string, unknown>) => unknown>): void {
  invoke.mockImplementation(async (command: string, args: Record<string, unknown>) => {
    const h = handlers[command];
    if (!h) throw { kind: 'other', message: `unexpected command ${command}` };
    return h(args ?? {});
  });
}
