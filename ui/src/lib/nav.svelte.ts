// Which screen is showing. Three screens, no router.

export type View =
  | { name: 'dashboard' }
  | { name: 'wizard' }
  | { name: 'deploy'; configPath: string; mode: 'deploy' | 'rollback'; autostart: boolean; ship: 'push' | 'transfer' | null };

export const nav = $state<{ view: View }>({ view: { name: 'wizard' } });

export function go(view: View): void {
  nav.view = view;
  // A new screen starts at its top, not where the last one was scrolled to.
  if (typeof document !== 'undefined' && document.documentElement) document.documentElement.scrollTop = 0;
}
