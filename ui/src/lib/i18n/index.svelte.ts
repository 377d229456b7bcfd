// The UI's texts and the core's, from one catalog (catalog.ts), in the current language, which
// is reactive state: whatever a template renders through t/tm/te follows a language switch.

import { bundle, eventMsg, fluentId, format, renderMsg, type Lang, type MsgLike } from './catalog';
import { pick } from '../preflight';
import type { AppError, FindingText } from '../types';
import type { Problem } from '../validate';

export { eventMsg };
export type { Lang, MsgLike };

export const LANGS: Lang[] = ['en', 'zh'];

/** The language for a BCP 47 tag such as navigator.language ("zh-CN" → zh). */
export function detectLanguage(tag: string | null | undefined): Lang {
  return tag && tag.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export const locale = $state<{ lang: Lang }>({
  lang: detectLanguage(typeof navigator === 'undefined' ? 'en' : navigator.language),
});

export function setLang(lang: Lang): void {
  locale.lang = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

/** The UI message `key` (`wizard.title`) in the current language (English, then the key, when missing). */
export function t(key: string, params?: Record<string, string | number>): string {
  const id = fluentId(key);
  return format(locale.lang, id, params) ?? format('en', id, params) ?? key;
}

/** The message for a validation problem, or '' for none. */
export function tp(p: Problem | null | undefined): string {
  return p ? t(p.key, p.params) : '';
}

/** The message for `key`, or `fallback` when the catalog lacks it (e.g. a state Docker added). */
export function tOr(key: string, fallback: string): string {
  return bundle('en').hasMessage(fluentId(key)) ? t(key) : fallback;
}

/** A core message (`{id, args, text}`) in the current language; its `text` when the id is unknown. */
export function tm(m: MsgLike | null | undefined): string {
  return m ? renderMsg(locale.lang, m) : '';
}

/** An event's message in the current language. */
export function te(e: { message: string; message_id?: string | null; args?: Record<string, unknown> }): string {
  return tm(eventMsg(e));
}

/** A finding's text, whichever shape the core sent: a message, or both languages (`{en, zh}`). */
export function tx(text: FindingText | null | undefined): string {
  return pick(text, locale.lang);
}

/** A command's error in the current language, or why there is none to show (no desktop shell). */
export function terr(e: AppError | null | undefined): string {
  if (!e) return '';
  const text = e.message_id ? tm({ id: e.message_id, args: e.args, text: e.message }) : e.message;
  return text || t('error.no_shell');
}
