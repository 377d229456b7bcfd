// TESTIDS.md lists every data-testid the UI has: WebDriver tests rely on it.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const UI = process.cwd();

function svelteFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return svelteFiles(path);
    return name.endsWith('.svelte') ? [path] : [];
  });
}

describe('TESTIDS.md', () => {
  const doc = readFileSync(join(UI, 'TESTIDS.md'), 'utf8');
  const listed = new Set([...doc.matchAll(/`([a-z0-9{}-]+)`/g)].map((m) => m[1]));
  const used = new Set<string>();
  for (const file of svelteFiles(join(UI, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:data-testid|testid)="([^"]+)"/g)) {
      // Ids built from a component's props ({id}-…, {testid}) are listed with their values.
      if (!m[1].startsWith('{id}') && !m[1].startsWith('{testid}')) used.add(m[1].replace(/\{[^}]+\}/g, '{x}'));
    }
  }
  const norm = (id: string) => id.replace(/\{[^}]+\}/g, '{x}');
  const listedNorm = new Set([...listed].map(norm));

  it('lists every literal id used in the components', () => {
    expect([...used].filter((id) => !listedNorm.has(id))).toEqual([]);
  });
});
