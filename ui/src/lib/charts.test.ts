import { describe, expect, it } from 'vitest';
import type uPlot from 'uplot';
import { chartData, chartOptions, WINDOW_S, type ChartColors } from './charts';
import type { Sample } from './monitor.svelte';

const colors: ChartColors = { text: '#aaa', grid: '#333', line: '#5a92ef', fill: '#1f2b3d', limit: '#ef6a72', font: 'sans-serif' };
const MiB = 2 ** 20;
// 2024-05-01 06:00:00 UTC, then every 5 s.
const t0 = Date.UTC(2024, 4, 1, 6, 0, 0);
const samples: Sample[] = [0, 1, 2].map((i) => ({ at: t0 + i * 5000, cpu: i, memory: (10 + i) * MiB, limit: 256 * MiB }));

describe('chart data', () => {
  it('spans 30 minutes and draws the limit across the whole memory chart', () => {
    const now = t0 + 10_000;
    const [xs, mem, limit] = chartData('memory', samples, 256 * MiB, now);
    expect(xs[xs.length - 1] - xs[0]).toBe(WINDOW_S);
    expect(mem).toEqual([null, 10 * MiB, 11 * MiB, 12 * MiB]);
    expect(limit).toEqual(xs.map(() => 256 * MiB));
  });

  it('has no limit series for CPU, and leaves out samples older than the window', () => {
    const old: Sample = { at: t0 - (WINDOW_S + 60) * 1000, cpu: 99, memory: null, limit: null };
    const data = chartData('cpu', [old, ...samples], null, t0 + 10_000);
    expect(data).toHaveLength(2);
    expect(data[1]).toEqual([null, 0, 1, 2]);
  });
});

describe('chart options', () => {
  const u = {} as uPlot;
  it('labels time in the given time zone and values with units', () => {
    const opts = chartOptions({ kind: 'memory', lang: 'en', timeZone: 'Asia/Shanghai', colors, text: { time: 'Time', value: 'Memory', limit: 'limit' } });
    expect(opts.series.map((s) => s.label)).toEqual(['Time', 'Memory', 'limit']);
    expect(opts.series[2].dash).toEqual([6, 4]);
    expect(opts.series[2].stroke).toBe(colors.limit);
    const xValues = opts.axes![0].values as (u: uPlot, splits: number[]) => string[];
    expect(xValues(u, [t0 / 1000])).toEqual(['14:00']);
    const yValues = opts.axes![1].values as (u: uPlot, splits: number[]) => string[];
    expect(yValues(u, [0, 64 * MiB])).toEqual(['0 B', '64.0 MiB']);
  });

  it('CPU in percent, with no limit line', () => {
    const opts = chartOptions({ kind: 'cpu', lang: 'zh', timeZone: 'UTC', colors, text: { time: 'Time', value: 'CPU', limit: '' } });
    expect(opts.series).toHaveLength(2);
    const yValues = opts.axes![1].values as (u: uPlot, splits: number[]) => string[];
    expect(yValues(u, [0.5, 25])).toEqual(['0.5 %', '25 %']);
    const xValues = opts.axes![0].values as (u: uPlot, splits: number[]) => string[];
    expect(xValues(u, [t0 / 1000])).toEqual(['06:00']);
  });
});

describe('the legend', () => {
  it('shows the latest values while the cursor is off the chart', () => {
    const opts = chartOptions({ kind: 'memory', lang: 'en', timeZone: 'UTC', colors, text: { time: 'Time', value: 'Memory', limit: 'limit' } });
    const data = chartData('memory', samples, 256 * MiB, t0 + 10_000);
    const u = { data } as unknown as uPlot;
    const value = (i: number) => opts.series[i].value as (u: uPlot, v: number | null, s: number, idx: number | null) => string;
    expect(value(0)(u, null, 0, null)).toBe('06:00:10');
    expect(value(1)(u, null, 1, null)).toBe('12.0 MiB');
    expect(value(2)(u, null, 2, null)).toBe('256 MiB');
    expect(value(1)(u, 10 * MiB, 1, 1)).toBe('10.0 MiB');
  });
});
