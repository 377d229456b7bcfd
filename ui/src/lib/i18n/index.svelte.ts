// A small i18n module: one dictionary per language (en.ts defines the keys, zh.ts must have
// every one of them), `{name}` placeholders, and the current language as reactive state.

import { en, type MessageKey } from './en';
import { zh } from './zh';
import type { Problem } from '../validate';

export type Lang = 'en' | 'zh';
export type { MessageKey };

export const LANGS: Lang[] = ['en', 'zh'];
export const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, zh };

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

export function format(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** The message for `key` in the current language (English, then the key, when missing). */
export function t(key: MessageKey | string, params?: Record<string, string | number>): string {
  const dict = dictionaries[locale.lang] as Record<string, string>;
  const text = dict[key] ?? (en as Record<string, string>)[key] ?? key;
  return format(text, params);
}

/** The message for a validation problem, or '' for none. */
export function tp(p: Problem | null | undefined): string {
  return p ? t(p.key, p.params) : '';
}

/** The message for `key`, or `fallback` when no dictionary has it (e.g. a state Docker added). */
export function tOr(key: string, fallback: string): string {
  return key in en ? t(key) : fallback;
}
