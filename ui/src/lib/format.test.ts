import { describe, expect, it } from 'vitest';
import { bytes, dateTime, duration, durationMs, fileTimeFormat, parseCpu, parseMemory, percent, speed, uptime } from './format';
import { pushSample, sparkPath } from './sparkline';
import { highlight, visibleLines } from './logfilter';
import { baseName, dirOf } from './api';

describe('format', () => {
  it('bytes', () => {
    expect(bytes(512)).toBe('512 B');
    expect(bytes(1536)).toBe('1.5 KB');
    expect(bytes(9_437_184)).toBe('9.0 MB');
    expect(bytes(300 * 2 ** 20)).toBe('300 MB');
  });
  it('percent', () => {
    expect(percent(1, 4)).toBe(25);
    expect(percent(5, null)).toBeNull();
    expect(percent(5, 0)).toBeNull();
    expect(percent(9, 4)).toBe(100);
  });
  it('durations and uptime', () => {
    expect(duration(45)).toBe('45s');
    expect(duration(125)).toBe('2m 5s');
    expect(duration(3 * 3600 + 120)).toBe('3h 2m');
    expect(duration(2 * 86400 + 3600)).toBe('2d 1h');
    expect(durationMs(950)).toBe('950 ms');
    expect(durationMs(12_300)).toBe('12.3 s');
    const now = Date.parse('2024-05-01T12:00:00Z');
    expect(uptime('2024-05-01T10:00:00.123456789Z', now)).toBe('1h 59m');
    expect(uptime('0001-01-01T00:00:00Z', now)).toBeNull();
    expect(uptime(null, now)).toBeNull();
    expect(dateTime('not a date')).toBe('not a date');
    expect(dateTime('2024-05-01T12:00:00Z')).toMatch(/^2024-05-01 \d\d:\d\d$/);
  });
  it('reads docker stats', () => {
    expect(parseCpu('12.5%')).toBe(12.5);
    expect(parseCpu(null)).toBeNull();
    expect(parseMemory('12.5MiB / 256MiB')).toBe(12.5 * 2 ** 20);
    expect(parseMemory('1.2GiB / 1.9GiB')).toBeCloseTo(1.2 * 2 ** 30);
    expect(parseMemory('980kB')).toBe(980_000);
    expect(parseMemory('--')).toBeNull();
  });
  it('paths', () => {
    expect(dirOf('C:\\Users\\me\\hello\\ferry.toml')).toBe('C:\\Users\\me\\hello');
    expect(dirOf('/home/me/hello/ferry.toml')).toBe('/home/me/hello');
    expect(baseName('C:\\Users\\me\\hello')).toBe('hello');
    expect(baseName('/srv/x/')).toBe('x');
  });
});

describe('sparkline', () => {
  it('draws a path over the box, with gaps for missing samples', () => {
    expect(sparkPath([], 80, 20)).toBe('');
    expect(sparkPath([null, null], 80, 20)).toBe('');
    expect(sparkPath([0, 10], 80, 20)).toBe('M0.0,19.0L80.0,1.0');
    expect(sparkPath([5, null, 5], 80, 20, 10)).toBe('M0.0,10.0M80.0,10.0');
  });
  it('keeps the newest samples', () => {
    expect(pushSample([1, 2, 3], 4, 3)).toEqual([2, 3, 4]);
  });
});

describe('log search', () => {
  it('highlights every case-insensitive match', () => {
    expect(highlight('Error: error!', 'error')).toEqual([
      { text: 'Error', hit: true },
      { text: ': ', hit: false },
      { text: 'error', hit: true },
      { text: '!', hit: false },
    ]);
    expect(highlight('abc', '')).toEqual([{ text: 'abc', hit: false }]);
  });
  it('filters only when asked', () => {
    const lines = ['GET /a 200', 'GET /b 500', 'POST /c 500'];
    expect(visibleLines(lines, '500', false)).toHaveLength(3);
    expect(visibleLines(lines, '500', true).map((l) => l.index)).toEqual([1, 2]);
  });
});

describe('speed', () => {
  it('is bytes per second between two readings, once they are half a second apart', () => {
    expect(speed(null, [1000, 10])).toBeNull();
    expect(speed([0, 0], [400, 1000])).toBeNull();
    expect(speed([0, 0], [2000, 1 << 20])).toBe(512 * 1024);
    expect(speed([0, 500], [1000, 100])).toBeNull();
  });
});

describe('fileTimeFormat', () => {
  it('writes the date, the time and the offset of the zone', () => {
    const at = Date.parse('2026-12-02T14:01:03Z');
    expect(fileTimeFormat('Asia/Shanghai')(at)).toBe('2026-12-02 22:01:03 +08:00');
    expect(fileTimeFormat('UTC')(at)).toBe('2026-12-02 14:01:03 +00:00');
    expect(fileTimeFormat('America/New_York')(at)).toBe('2026-12-02 09:01:03 -05:00');
  });
});
