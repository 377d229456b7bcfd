import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { detectLanguage, dictionaries, format, LANGS, locale, setLang, t } from './index.svelte';
import { en } from './en';
import { ACR_REGIONS, STEPS } from '../wizard';

// Vitest runs in ui/.
const SRC = join(process.cwd(), 'src');
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(svelte|ts)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('dictionaries', () => {
  const keys = Object.keys(en).sort();

  it.each(LANGS)('%s has exactly the English keys', (lang) => {
    const dict = dictionaries[lang];
    const missing = keys.filter((k) => !(k in dict));
    const extra = Object.keys(dict).filter((k) => !(k in en));
    expect(missing, `missing in ${lang}`).toEqual([]);
    expect(extra, `unknown in ${lang}`).toEqual([]);
  });

  it.each(LANGS)('%s has no empty message', (lang) => {
    const empty = Object.entries(dictionaries[lang]).filter(([, v]) => v.trim() === '');
    expect(empty).toEqual([]);
  });

  it.each(LANGS)('%s uses the same {placeholders} as English', (lang) => {
    const wrong = keys.filter(
      (k) => placeholders(dictionaries[lang][k as keyof typeof en]).join() !== placeholders(en[k as keyof typeof en]).join(),
    );
    expect(wrong).toEqual([]);
  });

  it('Chinese is really translated (not English copied over)', () => {
    const same = keys.filter((k) => {
      const e = en[k as keyof typeof en];
      return /[a-z]{4,} [a-z]{4,}/i.test(e) && dictionaries.zh[k as keyof typeof en] === e;
    });
    expect(same).toEqual([]);
  });

  it('every literal key used in the sources exists', () => {
    const used = new Set<string>();
    for (const file of sources(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) used.add(m[1]);
      for (const m of text.matchAll(/\bproblem\(\s*'([^']+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });

  it('every key built from a template exists', () => {
    const built = [
      ...STEPS.flatMap((s) => [`step.${s}`, `step.${s}.title`, `wizard.why.${s}`]),
      ...ACR_REGIONS.map((r) => `region.${r}`),
      ...['none', 'dockerhub', 'acr', 'other'].flatMap((k) => [`registry.${k}`, `registry.${k}.help`]),
      ...['dockerhub', 'acr', 'other'].flatMap((k) => [`registry.repository.help.${k}`, `registry.password.help.${k}`]),
      ...['amd64', 'arm64'].map((a) => `arch.${a}.help`),
      ...['unless-stopped', 'always', 'on-failure', 'no'].map((r) => `restart.${r}`),
      ...['idle', 'running', 'finished', 'failed', 'cancelled'].map((p) => `phase.${p}`),
      ...['build', 'ship', 'push', 'transfer', 'deploy', 'health', 'rollback'].map((g) => `group.${g}`),
      ...['connect', 'probe', 'check', 'pull', 'start'].map((s) => `substep.${s}`),
      ...['pending', 'running', 'done', 'failed'].map((s) => `state.${s}`),
      ...['finished', 'failed', 'cancelled'].map((r) => `result.${r}`),
      ...['error', 'warning', 'info'].map((s) => `severity.${s}`),
      ...['errors', 'warnings', 'notes'].flatMap((k) => [`preflight.${k}`, `preflight.${k}.one`]),
      ...['auth_failed', 'unreachable', 'host_key_mismatch', 'other'].map((k) => `server.error.${k}`),
      ...['running', 'exited', 'restarting', 'paused', 'created', 'dead', 'missing'].map((s) => `cstate.${s}`),
    ];
    expect(built.filter((k) => !(k in en))).toEqual([]);
  });
});

describe('t', () => {
  it('fills placeholders and follows the language', () => {
    setLang('en');
    expect(t('server.ok', { target: 'root@h:22' })).toBe('Connected to root@h:22');
    setLang('zh');
    expect(locale.lang).toBe('zh');
    expect(t('server.ok', { target: 'root@h:22' })).toBe('已连接 root@h:22');
    setLang('en');
  });
  it('falls back to the key for an unknown one', () => {
    expect(t('no.such.key')).toBe('no.such.key');
  });
  it('leaves unknown placeholders alone', () => {
    expect(format('{a} {b}', { a: 1 })).toBe('1 {b}');
  });
  it('picks Chinese for any zh locale', () => {
    expect(detectLanguage('zh-CN')).toBe('zh');
    expect(detectLanguage('zh-Hans-CN')).toBe('zh');
    expect(detectLanguage('zh-TW')).toBe('zh');
    expect(detectLanguage('en-US')).toBe('en');
    expect(detectLanguage('de')).toBe('en');
    expect(detectLanguage(undefined)).toBe('en');
  });
});
