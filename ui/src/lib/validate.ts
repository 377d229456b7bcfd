// Field rules for the wizard, the same ones ferry-core applies when it parses ferry.toml, so a
// value that passes here is accepted there. Each rule returns null or a Problem: an i18n key
// with its parameters, so the message can say why in the user's language.

export type Problem = { key: string; params?: Record<string, string | number> };

const ok = null;
const problem = (key: string, params?: Record<string, string | number>): Problem => ({ key, params });

/** A TCP/UDP port number 1-65535 written in decimal, or null. */
function portNumber(s: string): number | null {
  if (!/^\d{1,5}$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= 65535 ? n : null;
}

/** The SSH server: a host name or IP address, without user, scheme or port. */
export function host(value: string): Problem | null {
  const s = value.trim();
  if (s === '') return problem('v.host.empty');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return problem('v.host.scheme', { value: s });
  if (s.includes('@')) return problem('v.host.user', { value: s });
  if (/\s/.test(s)) return problem('v.host.spaces');
  if (/^[^:\]]+:\d+$/.test(s)) return problem('v.host.port', { value: s });
  return ok;
}

/** A port field (SSH, health): 1-65535. */
export function port(value: string): Problem | null {
  const s = value.trim();
  if (s === '') return problem('v.port.empty');
  return portNumber(s) === null ? problem('v.port.range', { value: s }) : ok;
}

/** A login name on the server. */
export function user(value: string): Problem | null {
  const s = value.trim();
  if (s === '') return problem('v.user.empty');
  if (/\s|@/.test(s)) return problem('v.user.format', { value: s });
  return ok;
}

/** A published port: `SERVER:CONTAINER`, `IP:SERVER:CONTAINER`, optionally `/tcp` or `/udp`. */
export function portMapping(value: string): Problem | null {
  const s = value.trim();
  if (s === '') return problem('v.mapping.empty');
  if (/^\d+$/.test(s)) return problem('v.mapping.single', { value: s });
  let addr = s;
  const slash = s.indexOf('/');
  if (slash >= 0) {
    const proto = s.slice(slash + 1);
    if (proto !== 'tcp' && proto !== 'udp') return problem('v.mapping.protocol', { value: s });
    addr = s.slice(0, slash);
  }
  const parts = addr.split(':');
  if (parts.length !== 2 && parts.length !== 3) return problem('v.mapping.format', { value: s });
  const [hostPort, containerPort] = parts.slice(-2);
  if (parts.length === 3 && parts[0] === '') return problem('v.mapping.format', { value: s });
  if (!/^\d+$/.test(hostPort) || !/^\d+$/.test(containerPort)) {
    return problem('v.mapping.format', { value: s });
  }
  if (portNumber(hostPort) === null || portNumber(containerPort) === null) {
    return problem('v.mapping.range', { value: s });
  }
  return ok;
}

/** The server-side port of a valid mapping (with its IP and protocol, for duplicate checks). */
export function mappingKey(value: string): string {
  const s = value.trim();
  const [addr, proto = 'tcp'] = s.split('/');
  const parts = addr.split(':');
  const ip = parts.length === 3 ? parts[0] : '';
  return `${ip}:${parts[parts.length - 2]}/${proto}`;
}

/** Problems for a list of port mappings, one per row (blank rows are ignored). */
export function portMappings(values: string[]): (Problem | null)[] {
  const seen = new Map<string, number>();
  return values.map((v) => {
    if (v.trim() === '') return ok;
    const p = portMapping(v);
    if (p) return p;
    const key = mappingKey(v);
    if (seen.has(key)) return problem('v.mapping.duplicate', { port: v.trim().split(':').slice(-2)[0] });
    seen.set(key, 1);
    return ok;
  });
}

/** A Docker container name: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`, at most 64 characters. */
export function containerName(value: string): Problem | null {
  const s = value.trim();
  if (s === '') return problem('v.name.empty');
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(s)) return problem('v.name.format', { value: s });
  if (s.length > 64) return problem('v.name.long');
  return ok;
}

/** Bytes of a memory limit as Docker takes it (`256m`, `1g`), or null when not one. */
export function memoryBytes(value: string): number | null {
  const m = /^(\d+)([bkmg]?)$/i.exec(value.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  const shift = unit === 'k' ? 10 : unit === 'm' ? 20 : unit === 'g' ? 30 : 0;
  return n * 2 ** shift;
}

/** Docker refuses memory limits under 6 MiB. */
const MIN_MEMORY = 6 * 2 ** 20;

/** An optional memory limit: a number with b, k, m or g. */
export function memory(value: string): Problem | null {
  const s = value.trim();
  if (s === '') return ok;
  if (/^\d+(\.\d+)?\s*(mb|gb|mib|gib|kb)$/i.test(s)) return problem('v.memory.unit', { value: s });
  const bytes = memoryBytes(s);
  if (bytes === null) return problem('v.memory.format', { value: s });
  if (bytes < MIN_MEMORY) return problem('v.memory.small', { value: s });
  return ok;
}

/** A volume: `/server/path:/container/path[:options]` or `named-volume:/path`, never Windows. */
export function volume(value: string): Problem | null {
  const s = value.trim();
  if (s === '') return problem('v.volume.empty');
  if (s.includes('\\') || s.charAt(1) === ':') return problem('v.volume.windows', { value: s });
  const parts = s.split(':');
  const good = (parts.length === 2 || parts.length === 3) && parts[0] !== '' && parts[1].startsWith('/');
  if (!good) return problem('v.volume.format', { value: s });
  if (!parts[0].startsWith('/') && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(parts[0])) {
    return problem('v.volume.relative', { value: s });
  }
  return ok;
}

/** Problems for a list of volumes, one per row (blank rows are ignored). */
export function volumes(values: string[]): (Problem | null)[] {
  return values.map((v) => (v.trim() === '' ? ok : volume(v)));
}

/** An optional HTTP health path: starts with `/`, no spaces. */
export function healthPath(value: string): Problem | null {
  const s = value.trim();
  if (s === '') return ok;
  if (/^https?:\/\//i.test(s)) return problem('v.health.url', { value: s });
  if (!s.startsWith('/')) return problem('v.health.slash', { value: s });
  if (/\s/.test(s)) return problem('v.health.spaces');
  return ok;
}

/** Seconds to wait for the health check: 1-3600. */
export function healthTimeout(value: string): Problem | null {
  const s = value.trim();
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 3600) return problem('v.timeout.range');
  return ok;
}

/** An environment variable name. */
export function envKey(value: string): Problem | null {
  const s = value.trim();
  if (s === '') return problem('v.env.empty');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) return problem('v.env.key', { value: s });
  return ok;
}

/** An environment row; a `secret` row's value goes to the OS keyring, its name to `secret_env`. */
export type EnvPair = { key: string; value: string; secret?: boolean };

/** Problems for the environment rows (a row with neither key nor value is ignored). */
export function envPairs(pairs: EnvPair[]): (Problem | null)[] {
  const seen = new Set<string>();
  return pairs.map(({ key, value }) => {
    if (key.trim() === '' && value === '') return ok;
    const p = envKey(key);
    if (p) return p;
    const k = key.trim();
    if (k === 'TZ') return problem('v.env.tz');
    if (seen.has(k)) return problem('v.env.duplicate', { value: k });
    seen.add(k);
    return ok;
  });
}

/** An optional IANA time zone name such as `Asia/Shanghai` or `UTC`. */
export function timeZone(value: string): Problem | null {
  const s = value.trim();
  if (s === '') return ok;
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(s)) return problem('v.tz.format', { value: s });
  return ok;
}

/** A registry address: `host[:port]`, no scheme, no path. */
export function registryServer(value: string): Problem | null {
  const s = value.trim();
  if (s === '') return problem('v.registry.server_empty');
  if (/^[a-z]+:\/\//i.test(s)) return problem('v.registry.scheme', { value: s });
  if (s.includes('/') || /\s/.test(s)) return problem('v.registry.server', { value: s });
  return ok;
}

/** A repository path in the registry: lowercase `namespace/name`, no tag. */
export function repository(value: string): Problem | null {
  const s = value.trim();
  if (s === '') return problem('v.registry.repo_empty');
  if (s.includes(':') || s.includes('@')) return problem('v.registry.repo_tag', { value: s });
  if (s !== s.toLowerCase()) return problem('v.registry.repo_case', { value: s });
  const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
  if (!new RegExp(`^${component}(?:/${component})*$`).test(s)) {
    return problem('v.registry.repo_format', { value: s });
  }
  return ok;
}

/** A non-empty value (user names, key files, passwords...). */
export function required(value: string): Problem | null {
  return value.trim() === '' ? problem('v.required') : ok;
}

/** Whether every problem in the list is null. */
export function allOk(...problems: (Problem | null | (Problem | null)[])[]): boolean {
  return problems.flat().every((p) => p === null);
}
