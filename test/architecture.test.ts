// Imports go one way: a folder of src/ may import from folders before it in LAYERS, never
// from one after it (static imports and dynamic import() alike). This keeps the world free of
// agents, scoring free of the engine's internals, and the dashboard on the library, not the CLI.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './support/cli.ts';

const LAYERS = [
  'util',
  'dataset',
  'world',
  'tools',
  'mcp',
  'scenarios',
  'agents',
  'runs',
  'scoring',
  'trajfm',
  'report',
  'server',
  'cli',
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the import direction', () => {
  it('only ever imports from earlier layers', () => {
    const src = join(REPO, 'src');
    const bad: string[] = [];
    let seen = 0;
    for (const file of sources(src)) {
      const from = relative(src, file).split('/')[0];
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from\s+|import\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const target = relative(src, normalize(join(dirname(file), m[1]))).split('/')[0];
        if (target === from || target.startsWith('..')) continue;
        seen++;
        const a = LAYERS.indexOf(from);
        const b = LAYERS.indexOf(target);
        if (a < 0 || b < 0 || b > a)
          bad.push(`${relative(REPO, file)} imports ${m[1]} (${from} -> ${target})`);
      }
    }
    expect(seen).toBeGreaterThan(100);
    expect(bad).toEqual([]);
  });
});
