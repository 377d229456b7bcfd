// Which screen is showing. A handful of views, no router.

export type View =
  | { name: 'dashboard' }
  | { name: 'wizard' }
  | {
      name: 'deploy';
      configPath: string;
      mode: 'deploy' | 'rollback';
      autostart: boolean;
      ship: 'push' | 'transfer' | null;
      /** Rollback only: the kept release to switch to; null is the previous one. */
      to: string | null;
    }
  /** One project: its charts, releases and log. */
  | { name: 'app'; configPath: string }
  /** The server a project deploys to: the host and every container on it. */
  | { name: 'server'; configPath: string };

export const nav = $state<{ view: View }>({ view: { name: 'wizard' } });

export function go(view: View): void {
  nav.view = view;
  // A new screen starts at its top, not where the last one was scrolled to.
  if (typeof document !== 'undefined' && document.documentElement) document.documentElement.scrollTop = 0;
}
