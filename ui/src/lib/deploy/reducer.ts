// Turns the Event stream of a deploy (or rollback) into what the deploy screen shows. Pure:
// `reduce(state, event)` returns a new state and never touches the old one.

import type { AppError, Diagnosis, Event, Finding, FindingText, ServerInfo, Severity, Step } from '../types';
import { addFinding, findingOf, pick } from '../preflight';
import { eventMsg, format, type Lang, type MsgLike } from '../i18n/catalog';

export type StepStatus = 'pending' | 'running' | 'done' | 'failed';
export type Phase = 'idle' | 'running' | 'finished' | 'failed' | 'cancelled';

export type StepView = {
  status: StepStatus;
  /** The core's text, and the message it rendered it from (shown in the UI's language). */
  message: string;
  msg: MsgLike | null;
  elapsed_ms: number | null;
  current: number | null;
  total: number | null;
};

export type LogKind = 'log' | 'step' | 'done' | 'info' | 'warning' | 'error' | 'final';
/** A line of the log: a container's or a build's `text` as it is, or a core message (`msg`, with
 *  the step's time or the finding it reports) that `logText` renders in the UI's language. */
export type LogEntry = {
  id: number;
  step: Step | null;
  kind: LogKind;
  text: string;
  msg?: MsgLike | FindingText;
  elapsed_ms?: number;
  finding?: { id: string; severity: Severity };
};

export type ImageInfo = { tag: string; id: string; os: string; architecture: string; size: number };
/** What a deploy put live (`data` event of kind `release`). */
export type ReleaseInfo = {
  app: string;
  version: string;
  image: string;
  platform: string;
  previous: string | null;
  url: string | null;
};

export type DeployState = {
  phase: Phase;
  cancelRequested: boolean;
  steps: Partial<Record<Step, StepView>>;
  /** How the image leaves this machine, once known. */
  ship: 'push' | 'transfer' | null;
  log: LogEntry[];
  /** Log entries dropped from the front to keep the log bounded. */
  dropped: number;
  nextId: number;
  /** The final event's message (the core's text), and as a message. */
  message: string | null;
  final: MsgLike | null;
  diagnosis: Diagnosis | null;
  server: ServerInfo | null;
  image: ImageInfo | null;
  release: ReleaseInfo | null;
  warnings: MsgLike[];
  /** The preflight's findings (`data` events of kind `finding`, step `check`). */
  findings: Finding[];
  /** The failure's kind (and host key fingerprints), sent as `data`/`error` before `failed`. */
  error: AppError | null;
};

export const LOG_LIMIT = 5000;

export function initialState(ship: 'push' | 'transfer' | null = null): DeployState {
  return {
    phase: 'idle',
    cancelRequested: false,
    steps: {},
    ship,
    log: [],
    dropped: 0,
    nextId: 0,
    message: null,
    final: null,
    diagnosis: null,
    server: null,
    image: null,
    release: null,
    warnings: [],
    findings: [],
    error: null,
  };
}

/** The state when an operation has been asked for (before its first event). */
export function started(state: DeployState): DeployState {
  return { ...initialState(state.ship), phase: 'running' };
}

/** The user pressed Cancel: the next `failed` means cancelled. */
export function requestCancel(state: DeployState): DeployState {
  return { ...state, cancelRequested: true };
}

const emptyStep = (): StepView => ({
  status: 'pending',
  message: '',
  msg: null,
  elapsed_ms: null,
  current: null,
  total: null,
});

function withStep(state: DeployState, step: Step, change: (s: StepView) => StepView): DeployState {
  const before = state.steps[step] ?? emptyStep();
  return { ...state, steps: { ...state.steps, [step]: change(before) } };
}

/** A step that reports anything is running, if it was not already done. */
const touch = (s: StepView): StepView => (s.status === 'pending' ? { ...s, status: 'running' } : s);

function appendLog(
  state: DeployState,
  step: Step | null,
  kind: LogKind,
  text: string,
  more: Pick<LogEntry, 'msg' | 'elapsed_ms' | 'finding'> = {},
): DeployState {
  const entry: LogEntry = { id: state.nextId, step, kind, text, ...more };
  let log = state.log.concat(entry);
  let dropped = state.dropped;
  if (log.length > LOG_LIMIT) {
    const extra = log.length - LOG_LIMIT;
    log = log.slice(extra);
    dropped += extra;
  }
  return { ...state, log, dropped, nextId: state.nextId + 1 };
}

function mapSteps(state: DeployState, f: (s: StepView, step: Step) => StepView): DeployState {
  const steps: Partial<Record<Step, StepView>> = {};
  for (const [step, view] of Object.entries(state.steps) as [Step, StepView][]) {
    steps[step] = f(view, step);
  }
  return { ...state, steps };
}

export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m} min ${s} s`;
}

export function reduce(state: DeployState, event: Event): DeployState {
  // Exactly one final event ends a stream; anything after it is ignored.
  if (isEnded(state)) return state;
  let s: DeployState = state.phase === 'idle' ? { ...state, phase: 'running' } : state;

  switch (event.event) {
    case 'step_started': {
      if (event.step === 'push' || event.step === 'transfer') s = { ...s, ship: event.step };
      const msg = eventMsg(event);
      s = withStep(s, event.step, () => ({ ...emptyStep(), status: 'running', message: event.message, msg }));
      return appendLog(s, event.step, 'step', event.message, { msg });
    }
    case 'step_finished': {
      const msg = eventMsg(event);
      const elapsed_ms = event.elapsed_ms;
      s = withStep(s, event.step, (v) => ({ ...v, status: 'done', message: event.message, msg, elapsed_ms }));
      // The health gate runs inside `start`: when the release is up, the health check passed.
      if (event.step === 'start' || event.step === 'rollback') {
        const health = s.steps.health;
        if (health && health.status === 'running') s = withStep(s, 'health', (v) => ({ ...v, status: 'done' }));
      }
      return appendLog(s, event.step, 'done', `${event.message} (${formatElapsed(elapsed_ms)})`, { msg, elapsed_ms });
    }
    case 'step_failed': {
      const status: StepStatus = s.cancelRequested ? 'pending' : 'failed';
      s = withStep(s, event.step, (v) => ({ ...v, status, elapsed_ms: event.elapsed_ms }));
      return appendLog(s, event.step, 'error', `${event.message} (${formatElapsed(event.elapsed_ms)})`, {
        msg: eventMsg(event),
        elapsed_ms: event.elapsed_ms,
      });
    }
    case 'progress': {
      if (event.step === 'push' || event.step === 'transfer') s = { ...s, ship: event.step };
      return withStep(s, event.step, (v) => ({ ...touch(v), current: event.current, total: event.total }));
    }
    case 'log': {
      if (event.step !== 'logs' && event.step !== 'cleanup') s = withStep(s, event.step, touch);
      return appendLog(s, event.step, 'log', event.line);
    }
    case 'notice': {
      const msg = eventMsg(event);
      if (event.level === 'warning') s = { ...s, warnings: s.warnings.concat(msg) };
      return appendLog(s, event.step, event.level === 'warning' ? 'warning' : 'info', event.message, { msg });
    }
    case 'data': {
      const finding = findingOf(event);
      if (finding) {
        s = { ...s, findings: addFinding(s.findings, finding) };
        const kind: LogKind = finding.severity === 'error' ? 'error' : finding.severity === 'warning' ? 'warning' : 'info';
        const entry = { msg: finding.message, finding: { id: finding.id, severity: finding.severity } };
        return appendLog(s, event.step, kind, logText({ id: 0, step: null, kind, text: '', ...entry }, 'en'), entry);
      }
      if (event.kind === 'server') return { ...s, server: event.data as ServerInfo };
      if (event.kind === 'image') return { ...s, image: event.data as ImageInfo };
      if (event.kind === 'release') return { ...s, release: event.data as ReleaseInfo };
      if (event.kind === 'error' && event.data && typeof event.data === 'object') {
        return { ...s, error: event.data as AppError };
      }
      return s;
    }
    case 'finished': {
      s = mapSteps(s, (v) => (v.status === 'running' ? { ...v, status: 'done' } : v));
      const msg = eventMsg(event);
      s = { ...s, phase: 'finished', message: event.message, final: msg };
      return appendLog(s, null, 'final', event.message, { msg });
    }
    case 'failed':
      return failed(s, eventMsg(event), event.diagnosis);
  }
}

/** The operation was refused before its stream started (the shell rejected the command). */
export function rejected(state: DeployState, error: AppError): DeployState {
  if (isEnded(state)) return state;
  const said = { message: error.message || error.kind, message_id: error.message_id, args: error.args };
  return failed({ ...state, error }, eventMsg(said), error.diagnosis ?? null);
}

function isEnded(state: DeployState): boolean {
  return state.phase === 'finished' || state.phase === 'failed' || state.phase === 'cancelled';
}

/** Ends the run as failed (or cancelled, when the user asked or the failure says so). */
function failed(state: DeployState, msg: MsgLike, diagnosis: Diagnosis | null): DeployState {
  const cancelled = state.cancelRequested || state.error?.kind === 'cancelled';
  const message = msg.text ?? msg.id;
  let s = mapSteps(state, (v) => (v.status === 'running' ? { ...v, status: cancelled ? 'pending' : 'failed' } : v));
  s = { ...s, phase: cancelled ? 'cancelled' : 'failed', message, final: msg, diagnosis };
  return appendLog(s, null, 'error', message, { msg });
}

/** A log entry's text in `lang`: the core's messages from the catalog, other lines as they are. */
export function logText(e: LogEntry, lang: Lang): string {
  if (!e.msg) return e.text;
  const text = pick(e.msg, lang);
  if (e.finding) {
    const severity = format(lang, `severity-${e.finding.severity}`) ?? e.finding.severity;
    return `${severity}: ${text} [${e.finding.id}]`;
  }
  return e.elapsed_ms === undefined ? text : `${text} (${formatElapsed(e.elapsed_ms)})`;
}

/** Replays a whole recorded stream. */
export function replay(events: Event[], from: DeployState = initialState()): DeployState {
  return events.reduce(reduce, from);
}

// ---------------------------------------------------------------------------------------------
// The four rows the deploy screen shows, each made of the core's finer steps.

export type GroupId = 'build' | 'ship' | 'deploy' | 'health' | 'rollback';
export type Group = {
  id: GroupId;
  status: StepStatus;
  /** The sub-steps with their own states (for the Deploy row: connect, probe, pull, start). */
  parts: { step: Step; view: StepView }[];
  /** The step whose progress the row's bar shows. */
  progress: { step: Step; current: number; total: number | null } | null;
  message: string;
  msg: MsgLike | null;
};

export type Mode = 'deploy' | 'rollback';

function groupSteps(
  mode: Mode,
  ship: 'push' | 'transfer' | null,
  preflight: boolean,
): { id: GroupId; steps: Step[]; last: Step }[] {
  if (mode === 'rollback') {
    return [
      { id: 'deploy', steps: ['connect', 'probe'], last: 'probe' },
      { id: 'rollback', steps: ['rollback'], last: 'rollback' },
      { id: 'health', steps: ['health'], last: 'health' },
    ];
  }
  const shipStep: Step = ship ?? 'push';
  return [
    { id: 'build', steps: ['build'], last: 'build' },
    { id: 'ship', steps: [shipStep], last: shipStep },
    {
      id: 'deploy',
      // The preflight checks (after connecting, before building), once the core reports them.
      steps: [
        'connect',
        'probe',
        ...(preflight ? (['check'] as Step[]) : []),
        ...(ship === 'transfer' ? (['start'] as Step[]) : (['pull', 'start'] as Step[])),
      ],
      last: 'start',
    },
    { id: 'health', steps: ['health'], last: 'health' },
  ];
}

export function groups(state: DeployState, mode: Mode = 'deploy'): Group[] {
  return groupSteps(mode, state.ship, state.steps.check !== undefined).map(({ id, steps, last }) => {
    const parts = steps.map((step) => ({ step, view: state.steps[step] ?? emptyStep() }));
    let status: StepStatus;
    if (parts.some((p) => p.view.status === 'failed')) status = 'failed';
    else if (parts.some((p) => p.view.status === 'running')) status = 'running';
    else if ((state.steps[last]?.status ?? 'pending') === 'done') status = 'done';
    else status = 'pending';
    // The health check passed when the release that waited for it became healthy.
    if (id === 'health' && status === 'pending' && state.phase === 'finished') status = 'done';
    // A finished operation finished every row it got into.
    if (status === 'pending' && state.phase === 'finished' && parts.some((p) => p.view.status === 'done')) status = 'done';
    const withProgress = parts.find((p) => p.view.current !== null && p.view.status !== 'pending');
    const shown = parts.filter((p) => p.view.message !== '').pop();
    return {
      id,
      status,
      parts,
      progress: withProgress
        ? { step: withProgress.step, current: withProgress.view.current ?? 0, total: withProgress.view.total }
        : null,
      message: shown?.view.message ?? '',
      msg: shown?.view.msg ?? null,
    };
  });
}

/** Steps whose progress counts bytes (the others count build steps). */
export const BYTE_STEPS: Step[] = ['push', 'transfer', 'pull'];
