// Search in log lines: which lines match, and where, so the viewer can filter and highlight.

/** A line a log view shows; `kind` picks its colour; `at` is its time (ms), when known. */
export type Line = { id: number; text: string; kind?: string; at?: number };

export type Segment = { text: string; hit: boolean };

/** Splits a line around the case-insensitive matches of `query`. */
export function highlight(line: string, query: string): Segment[] {
  if (query === '') return [{ text: line, hit: false }];
  const lower = line.toLowerCase();
  const q = query.toLowerCase();
  const out: Segment[] = [];
  let at = 0;
  for (;;) {
    const i = lower.indexOf(q, at);
    if (i < 0) break;
    if (i > at) out.push({ text: line.slice(at, i), hit: false });
    out.push({ text: line.slice(i, i + q.length), hit: true });
    at = i + q.length;
  }
  if (at < line.length) out.push({ text: line.slice(at), hit: false });
  return out.length ? out : [{ text: line, hit: false }];
}

export function matches(line: string, query: string): boolean {
  return query === '' || line.toLowerCase().includes(query.toLowerCase());
}

/** Lines (with their index) to show: all of them, or only matching ones when `only`. */
export function visibleLines(lines: string[], query: string, only: boolean): { index: number; line: string }[] {
  const all = lines.map((line, index) => ({ index, line }));
  return only && query !== '' ? all.filter((l) => matches(l.line, query)) : all;
}
