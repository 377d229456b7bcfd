// The message catalog the core renders from (locales/<lang>/*.ftl at the repository's root),
// for the UI: its own texts (ui.ftl) and the core's, by id, in either language. Pure: the
// language is a parameter; index.svelte.ts adds the reactive current one.

import { FluentBundle, FluentNumber, FluentResource, type FluentVariable } from '@fluent/bundle';

export type Lang = 'en' | 'zh';

/** A core text as it crosses the wire: catalog id, arguments, and the core's own rendering. */
export type MsgLike = { id: string; args?: Record<string, unknown>; text?: string };

/** The catalog files of each language, by path (every family file, as the Rust side lists them). */
export const SOURCES: Record<Lang, Record<string, string>> = {
  en: import.meta.glob('../../../../locales/en/*.ftl', { query: '?raw', import: 'default', eager: true }),
  zh: import.meta.glob('../../../../locales/zh-CN/*.ftl', { query: '?raw', import: 'default', eager: true }),
};

const LOCALE: Record<Lang, string> = { en: 'en', zh: 'zh-CN' };
const LIST_SEPARATOR: Record<Lang, string> = { en: ', ', zh: '、' };

/** What an event (`message` + `message_id` + `args`) carries, as a message. */
export function eventMsg(e: { message: string; message_id?: string | null; args?: Record<string, unknown> }): MsgLike {
  return { id: e.message_id ?? '', args: e.args, text: e.message };
}

/** The Fluent id of a UI key: Fluent ids cannot hold dots, so `wizard.title` is `wizard-title`. */
export const fluentId = (key: string): string => key.replaceAll('.', '-');

const bundles: Partial<Record<Lang, FluentBundle>> = {};

export function bundle(lang: Lang): FluentBundle {
  const cached = bundles[lang];
  if (cached) return cached;
  // Bidi isolation marks would end up in copied text and logs (the core leaves them out too).
  const b = new FluentBundle(LOCALE[lang], { useIsolating: false });
  for (const [path, source] of Object.entries(SOURCES[lang])) {
    const errors = b.addResource(new FluentResource(source));
    // A broken or clashing catalog is a bug to see at once, not a text that silently goes missing.
    if (errors.length > 0) throw new Error(`${path}: ${errors.map(String).join('; ')}`);
  }
  bundles[lang] = b;
  return b;
}

export function isMsg(value: unknown): value is MsgLike {
  return typeof value === 'object' && value !== null && typeof (value as MsgLike).id === 'string';
}

function fluentArg(lang: Lang, value: unknown): FluentVariable {
  // Ports and counts as the core prints them: 2222, not 2,222.
  if (typeof value === 'number') return new FluentNumber(value, { useGrouping: false });
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((m) => renderMsg(lang, m)).join(LIST_SEPARATOR[lang]);
  if (isMsg(value)) return renderMsg(lang, value);
  return String(value);
}

/** The message `id` in `lang` with its arguments, or null when the catalog has no such id. */
export function format(lang: Lang, id: string, args?: Record<string, unknown>): string | null {
  const b = bundle(lang);
  const pattern = b.getMessage(id)?.value;
  if (!pattern) return null;
  const fluentArgs: Record<string, FluentVariable> = {};
  for (const [name, value] of Object.entries(args ?? {})) fluentArgs[name] = fluentArg(lang, value);
  return b.formatPattern(pattern, fluentArgs, []);
}

/** A core message in `lang`; one the catalog lacks (a newer core) shows as the core rendered it. */
export function renderMsg(lang: Lang, m: unknown): string {
  if (typeof m === 'string') return m;
  if (!isMsg(m)) return '';
  return format(lang, m.id, m.args) ?? m.text ?? m.id;
}
