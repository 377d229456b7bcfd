import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FluentResource } from '@fluent/bundle';
import type { Expression, Pattern } from '@fluent/bundle/esm/ast';
import { detectLanguage, LANGS, locale, setLang, t, te, terr, tm } from './index.svelte';
import { bundle, fluentId, SOURCES, type Lang } from './catalog';
import { ACR_REGIONS, STEPS } from '../wizard';

// Vitest runs in ui/.
const SRC = join(process.cwd(), 'src');
const REPO = join(process.cwd(), '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(svelte|ts)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

function expressionVars(e: Expression, out: Set<string>): void {
  if (e.type === 'var') out.add(e.name);
  if (e.type === 'select') {
    expressionVars(e.selector, out);
    for (const v of e.variants) patternVars(v.value, out);
  }
  if (e.type === 'func' || e.type === 'term') {
    for (const a of e.args) if (a.type !== 'narg') expressionVars(a, out);
  }
}

function patternVars(p: Pattern, out: Set<string> = new Set()): Set<string> {
  if (typeof p !== 'string') for (const el of p) if (typeof el !== 'string') expressionVars(el, out);
  return out;
}

/** The messages of one catalog file: id → [text as written, its variables]. */
function messages(lang: Lang, file: string): Map<string, { text: string; vars: string }> {
  const path = Object.keys(SOURCES[lang]).find((p) => p.endsWith(`/${file}`));
  expect(path, `${lang} has ${file}`).toBeDefined();
  const out = new Map<string, { text: string; vars: string }>();
  for (const m of new FluentResource(SOURCES[lang][path!]).body) {
    if (m.id.startsWith('-') || m.value === null) continue;
    const text = typeof m.value === 'string' ? m.value : m.value.map((el) => (typeof el === 'string' ? el : '{}')).join('');
    out.set(m.id, { text, vars: [...patternVars(m.value)].sort().join() });
  }
  return out;
}

const FILES = (lang: Lang) => Object.keys(SOURCES[lang]).map((p) => p.split('/').pop()!).sort();

/** The UI keys the sources name literally (`t('wizard.title')`, `problem('...')`). */
function literalKeys(): Set<string> {
  const used = new Set<string>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/\bproblem\(\s*'([^']+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/\btOr\(\s*'([^']+)'/g)) used.add(m[1]);
  }
  return used;
}

const builtKeys = [
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

describe('the catalog', () => {
  it('loads the files the core lists (catalog_files! in catalog.rs), in both languages', () => {
    const rust = readFileSync(join(REPO, 'crates/ferry-core/src/catalog.rs'), 'utf8');
    const listed = /catalog_files!\(([^)]*)\)/.exec(rust)![1].match(/"[^"]+"/g)!.map((s) => s.slice(1, -1));
    expect(listed).toContain('ui.ftl');
    for (const lang of LANGS) expect(FILES(lang)).toEqual([...listed].sort());
  });

  it.each(FILES('en'))('%s: both languages hold the same messages with the same variables', (file) => {
    const en = messages('en', file);
    const zh = messages('zh', file);
    expect([...zh.keys()].filter((id) => !en.has(id)), 'only in Chinese').toEqual([]);
    expect([...en.keys()].filter((id) => !zh.has(id)), 'not in Chinese').toEqual([]);
    const differ = [...en].filter(([id, m]) => zh.get(id)!.vars !== m.vars).map(([id]) => id);
    expect(differ, 'variables differ').toEqual([]);
  });

  it('no UI message shares an id with a core one', () => {
    const ui = messages('en', 'ui.ftl');
    const others = FILES('en').filter((f) => f !== 'ui.ftl');
    const shared = others.flatMap((f) => [...messages('en', f).keys()].filter((id) => ui.has(id)));
    expect(shared).toEqual([]);
    // The bundle refuses a second message with the same id, so both languages build.
    for (const lang of LANGS) expect(() => bundle(lang)).not.toThrow();
  });

  it('ui.ftl has no empty message, and its Chinese is really translated', () => {
    const en = messages('en', 'ui.ftl');
    const zh = messages('zh', 'ui.ftl');
    expect([...en].filter(([, m]) => m.text.trim() === '').map(([id]) => id)).toEqual([]);
    expect([...zh].filter(([, m]) => m.text.trim() === '').map(([id]) => id)).toEqual([]);
    const same = [...en].filter(([id, m]) => /[a-z]{4,} [a-z]{4,}/i.test(m.text) && zh.get(id)?.text === m.text);
    expect(same.map(([id]) => id)).toEqual([]);
  });

  it('every UI key the sources use, literally or built from a template, is a message', () => {
    const used = literalKeys();
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used, ...builtKeys].filter((k) => !bundle('en').hasMessage(fluentId(k)));
    expect(missing).toEqual([]);
  });

  it('no two UI keys map to the same Fluent id', () => {
    const byId = new Map<string, Set<string>>();
    for (const key of [...literalKeys(), ...builtKeys]) {
      byId.set(fluentId(key), (byId.get(fluentId(key)) ?? new Set()).add(key));
    }
    expect([...byId.values()].filter((keys) => keys.size > 1).map((keys) => [...keys])).toEqual([]);
    expect(fluentId('server.key_unknown.body')).toBe('server-key_unknown-body');
  });
});

describe('t', () => {
  it('fills variables and follows the language', () => {
    setLang('en');
    expect(t('server.ok', { target: 'root@h:22' })).toBe('Connected to root@h:22');
    setLang('zh');
    expect(locale.lang).toBe('zh');
    expect(t('server.ok', { target: 'root@h:22' })).toBe('已连接 root@h:22');
    setLang('en');
  });
  it('prints numbers as the core does (a port, not 2,222)', () => {
    expect(t('log.dropped', { n: 12345 })).toContain('12345');
  });
  it('falls back to the key for an unknown one', () => {
    expect(t('no.such.key')).toBe('no.such.key');
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

describe('tm: a core message in the UI language', () => {
  // The wrong-password error as ferry-core serializes it (ssh/error.rs): a list and nested messages.
  const refused = {
    id: 'ssh-auth-refused',
    args: {
      host: '10.250.0.2:22',
      user: 'deployer',
      tried: [{ id: 'ssh-auth-password' }, { id: 'ssh-auth-agent', text: 'ssh agent' }],
      accepted: { id: 'ssh-auth-accepts', args: { methods: 'publickey,password' } },
      closed: { id: 'empty' },
    },
    text: 'the core rendered this in its own language',
  };

  it('renders nested messages and a list in each language', () => {
    setLang('en');
    const en = tm(refused);
    expect(en).toContain('10.250.0.2:22 refused the login as `deployer` (tried: password, ssh agent).');
    expect(en).toContain('The server accepts: publickey,password.');
    setLang('zh');
    const zh = tm(refused);
    expect(zh).toContain('10.250.0.2:22');
    expect(zh).toContain('、');
    expect(zh).not.toContain('refused');
    expect(zh).not.toBe(refused.text);
    setLang('en');
  });

  it('shows the core’s text for an id the catalog lacks (a newer core)', () => {
    expect(tm({ id: 'from-a-newer-core', text: 'as the core said it' })).toBe('as the core said it');
    expect(tm(null)).toBe('');
  });

  it('renders events and errors by their id, else their text', () => {
    setLang('zh');
    expect(te({ message: 'pushed', message_id: 'step-push-done' })).not.toBe('pushed');
    expect(te({ message: 'an old event' })).toBe('an old event');
    expect(terr({ kind: 'other', message: 'pushed', message_id: 'step-push-done' })).toBe(te({ message: '', message_id: 'step-push-done' }));
    expect(terr({ kind: 'other', message: '' })).toBe(t('error.no_shell'));
    setLang('en');
  });
});
