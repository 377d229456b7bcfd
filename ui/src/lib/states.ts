// Which badge colour a container's state or health gets (the dashboard, the app and server pages).

export function stateClass(state: string): string {
  if (state === 'running') return 'ok';
  if (state === 'restarting' || state === 'paused') return 'warn';
  if (state === 'exited' || state === 'dead') return 'err';
  return '';
}

export function healthClass(health: string | null): string {
  if (health === 'healthy') return 'ok';
  if (health === 'unhealthy') return 'err';
  if (health === 'starting') return 'warn';
  return '';
}
