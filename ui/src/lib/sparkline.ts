// The points of a small line chart, as an SVG path. Pure.

/** An SVG path for `values` in a width × height box (null values leave a gap). */
export function sparkPath(values: (number | null)[], width: number, height: number, max?: number): string {
  if (values.length === 0) return '';
  const known = values.filter((x): x is number => x !== null);
  if (known.length === 0) return '';
  const top = Math.max(max ?? 0, ...known) || 1;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  let d = '';
  let pen = false;
  values.forEach((val, i) => {
    if (val === null) {
      pen = false;
      return;
    }
    const x = values.length > 1 ? i * step : width;
    const y = height - (Math.max(0, val) / top) * (height - 2) - 1;
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  });
  return d;
}

/** Keeps at most `limit` samples, newest last. */
export function pushSample<T>(samples: T[], sample: T, limit: number): T[] {
  const next = samples.concat([sample]);
  return next.length > limit ? next.slice(next.length - limit) : next;
}
