// The one wizard state object all the steps edit (module state, so it outlives the steps).

import { newWizard, type WizardState } from './wizard';

export const wizard: WizardState = $state(newWizard());

/** Starts a new deployment from scratch. */
export function resetWizard(): void {
  Object.assign(wizard, newWizard());
}
