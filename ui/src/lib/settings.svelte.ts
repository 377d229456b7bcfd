// Non-secret app state, persisted in tauri-plugin-store's settings.json (docs/app-api.md).
// Without the shell (tests, a plain browser) the values live in memory only.

import { load, type Store } from '@tauri-apps/plugin-store';
import { api } from './api';
import { detectLanguage, setLang, type Lang } from './i18n/index.svelte';

export type Theme = 'system' | 'light' | 'dark';

export const settings = $state({
  /** null: from the OS (navigator.language). */
  language: null as Lang | null,
  theme: 'system' as Theme,
  /** ferry.toml paths, newest first. */
  recent_projects: [] as string[],
  /** Wizard steps the user has completed at least once. */
  wizard: {} as Record<string, boolean>,
  loaded: false,
});

let store: Store | null = null;
const RECENT_LIMIT = 20;

async function persist(key: string, value: unknown): Promise<void> {
  if (!store) return;
  try {
    await store.set(key, value);
  } catch {
    // Settings are a convenience: a failed write must not break the screen.
  }
}

const osDark =
  typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia('(prefers-color-scheme: dark)')
    : null;
let appliedTheme: Theme = 'system';

/** Sets `data-theme` to `light` or `dark`; `system` follows the OS, also when it changes. */
export function applyTheme(theme: Theme): void {
  appliedTheme = theme;
  if (typeof document === 'undefined') return;
  const dark = theme === 'dark' || (theme === 'system' && osDark?.matches === true);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

osDark?.addEventListener('change', () => {
  if (appliedTheme === 'system') applyTheme('system');
});

export async function loadSettings(): Promise<void> {
  try {
    store = await load('settings.json', { autoSave: 200, defaults: {} });
    const language = await store.get<Lang | null>('language');
    const theme = await store.get<Theme>('theme');
    const recent = await store.get<string[]>('recent_projects');
    const wizard = await store.get<Record<string, boolean>>('wizard');
    if (language === 'en' || language === 'zh') settings.language = language;
    if (theme === 'light' || theme === 'dark' || theme === 'system') settings.theme = theme;
    if (Array.isArray(recent)) settings.recent_projects = recent.filter((p) => typeof p === 'string');
    if (wizard && typeof wizard === 'object') settings.wizard = wizard;
  } catch {
    store = null;
  }
  const lang = settings.language ?? detectLanguage(typeof navigator === 'undefined' ? 'en' : navigator.language);
  setLang(lang);
  tellCore(lang);
  applyTheme(settings.theme);
  settings.loaded = true;
}

/** The core renders its own texts (errors, steps) in the UI's language too. */
function tellCore(lang: Lang): void {
  void api.setLanguage(lang).catch(() => undefined);
}

export function setLanguage(lang: Lang): void {
  settings.language = lang;
  setLang(lang);
  tellCore(lang);
  void persist('language', lang);
}

export function setTheme(theme: Theme): void {
  settings.theme = theme;
  applyTheme(theme);
  void persist('theme', theme);
}

export function addRecentProject(configPath: string): void {
  const rest = settings.recent_projects.filter((p) => p !== configPath);
  settings.recent_projects = [configPath, ...rest].slice(0, RECENT_LIMIT);
  void persist('recent_projects', $state.snapshot(settings.recent_projects));
}

export function removeRecentProject(configPath: string): void {
  settings.recent_projects = settings.recent_projects.filter((p) => p !== configPath);
  void persist('recent_projects', $state.snapshot(settings.recent_projects));
}

export function markWizardStep(step: string): void {
  if (settings.wizard[step]) return;
  settings.wizard[step] = true;
  void persist('wizard', $state.snapshot(settings.wizard));
}
