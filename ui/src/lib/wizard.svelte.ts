// The one wizard state object all the steps edit (module state, so it outlives the steps).

import { api, joinPath } from './api';
import { addRecentProject } from './settings.svelte';
import { envEntry, newWizard, secretsToSave, toConfig, type SaveError, type WizardState } from './wizard';
import type { AppError } from './types';

export const wizard: WizardState = $state(newWizard());

/** Starts a new deployment from scratch. */
export function resetWizard(): void {
  Object.assign(wizard, newWizard());
}

/** Step 1: asks the Docker engine and looks for the build tools (Go, an installed Docker)
 *  together. A shell without `build_tools` leaves `tools` null: step 1 then says what it said
 *  before there was a Go builder. */
export async function checkBuild(): Promise<void> {
  const d = wizard.docker;
  if (d.checking) return;
  d.checking = true;
  try {
    const [engine, tools] = await Promise.allSettled([api.dockerInfo(), api.buildTools()]);
    if (engine.status === 'fulfilled') {
      d.info = engine.value;
      d.error = null;
    } else {
      d.info = null;
      d.error = engine.reason as AppError;
    }
    d.tools = tools.status === 'fulfilled' ? tools.value : null;
  } finally {
    d.checking = false;
  }
}

/** Asks the keyring which of the project's secret variables (its ferry.toml's `secret_env`)
 *  already hold a value; the values themselves never come back. */
export async function loadSecretStatus(dir: string): Promise<void> {
  const c = wizard.container;
  try {
    const entries = await api.secretStatus(joinPath(dir, 'ferry.toml'));
    c.secretsSaved = Object.fromEntries(entries.filter((e) => e.name.startsWith('env/')).map((e) => [e.name, e.saved]));
    c.secretsError = null;
  } catch (e) {
    c.secretsSaved = {};
    c.secretsError = e as AppError;
  }
}

/** Writes the wizard's ferry.toml into the project folder; returns its path. The secret
 *  variables typed in the wizard go to the OS keyring first, one by one: when the keyring
 *  refuses one, ferry.toml is not written and the error names the entry (and the entries
 *  already saved). A saved value leaves the wizard's state: the row then shows it as saved. */
export async function saveWizardConfig(): Promise<string> {
  const config = toConfig(wizard);
  const c = wizard.container;
  const app = config.app.name;
  const saved: string[] = [];
  for (const { name, value } of secretsToSave(c)) {
    const entry = envEntry(app, name);
    try {
      await api.saveEnvSecret(app, name, value);
    } catch (e) {
      throw { ...(e as AppError), secretEntry: entry, savedSecrets: saved } satisfies SaveError;
    }
    saved.push(entry);
    c.secretsSaved[entry] = true;
    for (const pair of c.env) {
      if (pair.secret && pair.key.trim() === name) pair.value = '';
    }
  }
  let path: string;
  try {
    path = await api.saveConfig(wizard.project.dir.trim(), config);
  } catch (e) {
    throw { ...(e as AppError), savedSecrets: saved } satisfies SaveError;
  }
  addRecentProject(path);
  return path;
}
