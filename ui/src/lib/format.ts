// Small formatting helpers shared by the screens. Pure, so they are tested directly.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB" (powers of 1024, like Docker prints them). */
export function bytes(n: number): string {
  return scaled(n, UNITS);
}

/** `n` bytes in the largest of `units` (each 1024 times the one before) that keeps it ≥ 1. */
function scaled(n: number, units: string[]): string {
  if (!Number.isFinite(n) || n < 0) return '–';
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** Bytes per second between two readings `[ms, bytes]`, once they are far enough apart to mean
 *  something (half a second); `null` before. */
export function speed(first: [number, number] | null, last: [number, number]): number | null {
  if (!first) return null;
  const ms = last[0] - first[0];
  if (ms < 500 || last[1] < first[1]) return null;
  return ((last[1] - first[1]) * 1000) / ms;
}

export function percent(current: number, total: number | null): number | null {
  if (total === null || total <= 0) return null;
  return Math.max(0, Math.min(100, Math.round((current / total) * 100)));
}

/** Seconds → "3d 4h", "2h 5m", "12m 3s", "45s". */
export function duration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${sec}s`;
  return `${sec}s`;
}

/** Time since an RFC 3339 instant, or null when there is none (or Docker's zero time). */
export function uptime(startedAt: string | null, now: number = Date.now()): string | null {
  if (!startedAt || startedAt.startsWith('0001-')) return null;
  const t = Date.parse(startedAt);
  if (Number.isNaN(t)) return null;
  return duration((now - t) / 1000);
}

export function durationMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return duration(ms / 1000);
}

/** A local date and time, e.g. "2024-05-01 14:03". */
export function dateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** "12.5%" → 12.5. */
export function parseCpu(cpu: string | null): number | null {
  if (!cpu) return null;
  const n = parseFloat(cpu.replace('%', ''));
  return Number.isFinite(n) ? n : null;
}

const SIZE: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Docker's "12.3MiB / 256MiB" (or "12.3MiB") → 12.3 MiB in bytes (the used part). */
export function parseMemory(memory: string | null): number | null {
  if (!memory) return null;
  const m = /^\s*([\d.]+)\s*([a-z]+)/i.exec(memory);
  if (!m) return null;
  const unit = SIZE[m[2].toLowerCase()];
  const n = parseFloat(m[1]);
  return unit && Number.isFinite(n) ? n * unit : null;
}

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 3.3e9 → "3.1 GiB" (powers of 1024, named as such; the server page and the charts). */
export function bytesIEC(n: number): string {
  return scaled(n, IEC);
}

/** The BCP 47 locale of a UI language, for Intl. */
export function intlLocale(lang: 'en' | 'zh'): string {
  return lang === 'zh' ? 'zh-CN' : 'en';
}

/** A time of day (24 h, with seconds) in `lang`'s format, in `timeZone` (default: the user's). */
export function clockTime(at: number | Date, lang: 'en' | 'zh', timeZone?: string): string {
  return new Intl.DateTimeFormat(intlLocale(lang), {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(at);
}

/** A date and time of day (24 h) in `lang`'s format, in `timeZone` (default: the user's). */
export function localDateTime(at: number | Date, lang: 'en' | 'zh', timeZone?: string, seconds = false): string {
  return new Intl.DateTimeFormat(intlLocale(lang), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: seconds ? '2-digit' : undefined,
    hourCycle: 'h23',
    timeZone,
  }).format(at);
}

/** The user's time zone, e.g. `Asia/Shanghai`. */
export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** A log line's time: month, day and time of day with seconds, in `lang`'s format and `timeZone`. */
export function logTimeFormat(lang: 'en' | 'zh', timeZone?: string): (at: number) => string {
  const f = new Intl.DateTimeFormat(intlLocale(lang), {
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone,
  });
  return (at) => f.format(at);
}

/** A time for a saved log, as the CLI writes it: `2026-12-02 22:01:03 +08:00` in `timeZone`
 * (the year and the offset make a saved line unambiguous, also when the clock goes back). */
export function fileTimeFormat(timeZone?: string): (at: number) => string {
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone,
  };
  let f: Intl.DateTimeFormat;
  let withOffset = true;
  try {
    f = new Intl.DateTimeFormat('en-CA', { ...options, timeZoneName: 'longOffset' });
  } catch {
    // An engine without `longOffset`: the time without its offset.
    f = new Intl.DateTimeFormat('en-CA', options);
    withOffset = false;
  }
  return (at) => {
    const p: Record<string, string> = {};
    for (const part of f.formatToParts(at)) p[part.type] = part.value;
    const time = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
    if (!withOffset) return time;
    return `${time} ${(p.timeZoneName ?? '').replace('GMT', '') || '+00:00'}`;
  };
}

/** A date as `YYYY-MM-DD` in the user's time zone (file names). */
export function isoDay(at: number | Date = Date.now()): string {
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
