// What the app page's two charts show, as uPlot options and data: CPU % and memory over the
// last 30 minutes, time on x in the user's time zone, the memory limit as a dashed line.
// Pure (uPlot itself is loaded by TimeChart.svelte only where a canvas exists).

import type uPlot from 'uplot';
import { bytesIEC, intlLocale } from './format';
import type { Lang } from './i18n/catalog';
import type { Sample } from './monitor.svelte';

export const WINDOW_S = 30 * 60;

export type ChartKind = 'cpu' | 'memory';

/** The palette's colours, read from the CSS variables (light or dark). */
export type ChartColors = { text: string; grid: string; line: string; fill: string; limit: string; font: string };

export function readColors(el: Element = document.documentElement): ChartColors {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text-2', '#5b636d'),
    grid: v('--border', '#dcdfe3'),
    line: v('--accent', '#2f6fdb'),
    fill: v('--accent-soft', '#e7effc'),
    limit: v('--err', '#c6303b'),
    font: v('--font', 'system-ui, sans-serif'),
  };
}

export type ChartText = { time: string; value: string; limit: string };
export type ChartSetup = { kind: ChartKind; lang: Lang; timeZone?: string; colors: ChartColors; text: ChartText };

/** x in seconds; memory also has the limit, the same value at every x. */
export function chartData(kind: ChartKind, samples: Sample[], limit: number | null, now = Date.now()): uPlot.AlignedData {
  const end = Math.max(now, samples.at(-1)?.at ?? now) / 1000;
  const start = end - WINDOW_S;
  const shown = samples.filter((s) => s.at / 1000 >= start);
  // The window's two ends as points without values, so the axis spans all 30 minutes and the
  // limit line crosses the whole chart.
  const xs = [start, ...shown.map((s) => s.at / 1000)];
  const values = [null, ...shown.map((s) => (kind === 'cpu' ? s.cpu : s.memory))];
  if (xs[xs.length - 1] < end) {
    xs.push(end);
    values.push(null);
  }
  if (kind === 'cpu') return [xs, values];
  return [xs, values, xs.map(() => limit)];
}

/** Tick steps for bytes: 1, 2, 5, 10, 20, 50, … of KiB, MiB and GiB. */
const BYTE_INCRS = [2 ** 10, 2 ** 20, 2 ** 30, 2 ** 40].flatMap((unit) =>
  [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500].map((m) => m * unit),
);

export function chartOptions(setup: ChartSetup): Omit<uPlot.Options, 'width' | 'height'> {
  const { kind, lang, timeZone, colors, text } = setup;
  const tick = new Intl.DateTimeFormat(intlLocale(lang), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
  const full = new Intl.DateTimeFormat(intlLocale(lang), {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone,
  });
  const fmtValue = (v: number | null | undefined) =>
    v === null || v === undefined ? '—' : kind === 'cpu' ? `${v.toFixed(v >= 10 ? 0 : 1)} %` : bytesIEC(v);
  const font = `11px ${colors.font}`;
  // Off the chart, the legend shows the latest values rather than blanks.
  const shown = (u: uPlot, v: number | null, series: number, idx: number | null) =>
    v ?? (idx === null ? latest(u.data[series] as (number | null)[]) : null);
  const axis = { stroke: colors.text, font, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 } };
  const series: uPlot.Series[] = [
    {
      label: text.time,
      value: (u, v, _s, i) => {
        const at = v ?? (i === null ? latestWithValue(u) : null);
        return at === null ? '—' : full.format(at * 1000);
      },
    },
    { label: text.value, stroke: colors.line, fill: colors.fill, width: 1.5, value: (u, v, s, i) => fmtValue(shown(u, v, s, i)) },
  ];
  if (kind === 'memory') {
    series.push({ label: text.limit, stroke: colors.limit, width: 1.5, dash: [6, 4], points: { show: false }, value: (u, v, s, i) => fmtValue(shown(u, v, s, i)) });
  }
  return {
    series,
    scales: {
      x: { time: true },
      y: { range: (_u, _min, max) => [0, Math.max(kind === 'cpu' ? 1 : 2 ** 20, (max ?? 0) * 1.15)] },
    },
    axes: [
      { ...axis, values: (_u, splits) => splits.map((s) => tick.format(s * 1000)) },
      {
        ...axis,
        size: kind === 'cpu' ? 52 : 70,
        values: (_u, splits) => splits.map((v) => fmtValue(v)),
        ...(kind === 'memory' ? { incrs: BYTE_INCRS } : {}),
      },
    ],
    cursor: { points: { show: false } },
    legend: { live: true },
  };
}

function latest(values: (number | null)[] | undefined): number | null {
  if (!values) return null;
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null && values[i] !== undefined) return values[i];
  return null;
}

/** The time of the latest sample with a value (x of the last non-null y). */
function latestWithValue(u: uPlot): number | null {
  const ys = u.data[1] as (number | null)[] | undefined;
  if (!ys) return null;
  for (let i = ys.length - 1; i >= 0; i--) if (ys[i] !== null && ys[i] !== undefined) return u.data[0][i];
  return null;
}
