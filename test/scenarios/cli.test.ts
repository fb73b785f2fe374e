// `assetops scenarios` on a tiny world: list, show, validate, generate, export, schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runCli } from '../support/cli.ts';
import { tempDir, tinyWorld } from '../support/worlds.ts';

let world: string;
let home: string;

beforeAll(async () => {
  world = (await tinyWorld(7)).dir;
  home = tempDir('assetops-home-');
});

const cli = (args: string[]) => runCli(args, { ASSETOPS_HOME: home });

describe('assetops scenarios', () => {
  it('lists a generated suite with families, tracks and traps', () => {
    const r = cli(['scenarios', 'list', '--world', world, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{
      id: string;
      family: string;
      traps: string[];
      utterance: string;
    }>;
    expect(rows.length).toBeGreaterThanOrEqual(100);
    expect(new Set(rows.map((x) => x.family))).toEqual(
      new Set(['iot', 'anomaly', 'fmsr', 'forecast', 'workorder', 'e2e']),
    );
    expect(rows.filter((x) => x.traps.length > 0).length / rows.length).toBeGreaterThanOrEqual(0.15);
    const show = cli(['scenarios', 'show', rows[0].id, '--world', world, '--json']);
    expect(JSON.parse(show.stdout).id).toBe(rows[0].id);
    // Without --json it is for reading: the question and the expected answer in words.
    const readable = cli(['scenarios', 'show', rows[0].id, '--world', world]);
    expect(readable.stdout).toContain(rows[0].utterance.slice(0, 30));
    expect(readable.stdout).not.toContain('"expected"');
  });

  it('validates every scenario of the suite against its reference plan', () => {
    const r = cli(['scenarios', 'validate', '--world', world]);
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/(\d+) of \1 scenarios agree/);
    // No yes/no template has the same answer in every instance, and the trap outcomes are shown.
    expect(r.stdout).not.toMatch(/FAIL \S+: the answer is/);
    expect(r.stdout).toMatch(/traps: \d+; answer yes \d+ \(\d+%\), no \d+/);
    expect(r.stdout).toMatch(/phrasing patterns per template/);
  });

  it('draws a private split with other instances, and exports JSONL that reads back', () => {
    const out = join(tempDir(), 'private.jsonl');
    const g = cli(['scenarios', 'generate', '--seed', '5', '--count', '60', '--world', world, '--out', out]);
    expect(g.status, g.stderr).toBe(0);
    const priv = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(priv.length).toBeGreaterThanOrEqual(40);
    const exported = cli(['scenarios', 'export', '--format', 'jsonl', '--world', world])
      .stdout.trim()
      .split('\n');
    const defaultIds = new Set(exported.map((l) => JSON.parse(l).id));
    const shared = priv.filter((s) => defaultIds.has(s.id)).length;
    expect(shared / priv.length).toBeLessThan(0.5);
    const back = cli(['scenarios', 'validate', '--file', out, '--world', world]);
    expect(back.status, back.stdout).toBe(0);
  });

  it('prints the JSON Schema, and names file, line and field of a bad scenario file', () => {
    expect(JSON.parse(cli(['scenarios', 'schema']).stdout).properties).toHaveProperty('expected');
    const file = join(tempDir(), 'bad.jsonl');
    writeFileSync(file, '{"schemaVersion": 1, "id": "x"}\n');
    expect(expectOneLineError(cli(['scenarios', 'list', '--file', file, '--world', world]))).toMatch(
      /bad\.jsonl:1: field/,
    );
    expect(expectOneLineError(cli(['scenarios', 'show', 'nope', '--world', world]))).toContain(
      'no scenario nope',
    );
  });
});
