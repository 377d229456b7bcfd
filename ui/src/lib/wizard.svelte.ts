// The one wizard state object all the steps edit (module state, so it outlives the steps).

import { api } from './api';
import { addRecentProject } from './settings.svelte';
import { newWizard, toConfig, type WizardState } from './wizard';

export const wizard: WizardState = $state(newWizard());

/** Starts a new deployment from scratch. */
export function resetWizard(): void {
  Object.assign(wizard, newWizard());
}

/** Writes the wizard's ferry.toml into the project folder; returns its path. */
export async function saveWizardConfig(): Promise<string> {
  const path = await api.saveConfig(wizard.project.dir.trim(), toConfig(wizard));
  addRecentProject(path);
  return path;
}
