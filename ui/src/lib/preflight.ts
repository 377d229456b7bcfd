// The doctor's findings as the Preflight panel shows them. Pure: ordering, counting, the
// summary, picking a language, and what an automatic fix will change.

import type { Event, Finding, FixAction, Severity, Text } from './types';
import { renderMsg, type Lang, type MsgLike } from './i18n/catalog';

export const SEVERITIES: Severity[] = ['error', 'warning', 'info'];

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then info; the checks' own order within each. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (RANK[a.f.severity] ?? 3) - (RANK[b.f.severity] ?? 3) || a.i - b.i)
    .map(({ f }) => f);
}

/** The non-empty severity groups, in order. */
export function groupFindings(findings: readonly Finding[]): { severity: Severity; findings: Finding[] }[] {
  return SEVERITIES.map((severity) => ({ severity, findings: findings.filter((f) => f.severity === severity) })).filter(
    (g) => g.findings.length > 0,
  );
}

export type Counts = Record<Severity, number>;

export function countFindings(findings: readonly Finding[]): Counts {
  const counts: Counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) if (f.severity in counts) counts[f.severity] += 1;
  return counts;
}

/** The message keys (with their counts) of the summary line: "2 errors, 1 warning", or
 *  "No problems found" (with the notes, when there are only notes). */
export function summaryParts(counts: Counts): { key: string; n: number }[] {
  const parts: { key: string; n: number }[] = [];
  if (counts.error > 0) parts.push({ key: counts.error === 1 ? 'preflight.errors.one' : 'preflight.errors', n: counts.error });
  if (counts.warning > 0) {
    parts.push({ key: counts.warning === 1 ? 'preflight.warnings.one' : 'preflight.warnings', n: counts.warning });
  }
  if (parts.length === 0) parts.push({ key: 'preflight.none', n: 0 });
  if (counts.info > 0) parts.push({ key: counts.info === 1 ? 'preflight.notes.one' : 'preflight.notes', n: counts.info });
  return parts;
}

/** A finding's text in `lang`, whichever shape the core sent: a catalog message, or both
 *  languages (`{en, zh}`, English when the Chinese is missing). */
export function pick(text: MsgLike | Text | null | undefined, lang: Lang): string {
  if (!text) return '';
  if ('id' in text) return renderMsg(lang, text);
  return (lang === 'zh' && text.zh?.trim() ? text.zh : text.en) ?? '';
}

/** A `finding` data event's finding, or null for any other event. */
export function findingOf(e: Event): Finding | null {
  if (e.event !== 'data' || e.kind !== 'finding' || !e.data || typeof e.data !== 'object') return null;
  const f = e.data as Finding;
  return typeof f.id === 'string' && typeof f.severity === 'string' && f.message ? f : null;
}

/** Adds a finding, replacing an earlier one with the same id and evidence (a check run twice). */
export function addFinding(findings: readonly Finding[], f: Finding): Finding[] {
  const i = findings.findIndex((x) => x.id === f.id && x.evidence === f.evidence);
  if (i < 0) return findings.concat(f);
  const next = findings.slice();
  next[i] = f;
  return next;
}

/** What applying a fix changes, as the preview shows it. */
export type FixPreview =
  | {
      kind: 'files';
      files: { path: string; isNew: boolean; lines: number; content: string; eol: 'lf' | 'crlf' | 'none' }[];
    }
  | { kind: 'commands'; lines: string[] };

function eolOf(content: string): 'lf' | 'crlf' | 'none' {
  if (content.includes('\r\n')) return 'crlf';
  return content.includes('\n') ? 'lf' : 'none';
}

export function previewFix(action: FixAction): FixPreview {
  if (action.kind === 'run_on_server') {
    return { kind: 'commands', lines: action.commands.map((c) => c.shell) };
  }
  return {
    kind: 'files',
    files: action.files.map((f) => ({
      path: f.path,
      isNew: f.base_sha256 === null,
      lines: f.content === '' ? 0 : f.content.replace(/\r?\n$/, '').split(/\r?\n/).length,
      content: f.content,
      eol: eolOf(f.content),
    })),
  };
}

/** Whether applying `action` rewrites the project's ferry.toml. */
export function editsConfig(action: FixAction): boolean {
  return action.kind === 'edit_files' && action.files.some((f) => f.path.replace(/^\.\//, '') === 'ferry.toml');
}

/** A text split at its `backquoted` parts, which the panel shows as code. */
export function codeSpans(text: string): { code: boolean; text: string }[] {
  const parts = text.split('`');
  // An odd backquote is just a character.
  if (parts.length % 2 === 0) return [{ code: false, text }];
  return parts.map((t, i) => ({ code: i % 2 === 1, text: t })).filter((p) => p.text !== '');
}
