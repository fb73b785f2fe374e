// Resume scores what was recorded but not scored: a runner killed between recording an
// attempt and storing its scorecard leaves a done attempt with no scorecard, and the resumed
// summary must not silently show fewer attempts.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.ts';
import { tempDir, tinyWorld } from './support/worlds.ts';

let world: string;

beforeAll(async () => {
  world = (await tinyWorld(7)).dir;
}, 120_000);

describe('resume', () => {
  it('scores attempts that were recorded but never scored, and says so', () => {
    const home = tempDir('assetops-home-');
    const env = { ASSETOPS_HOME: home };
    const first = runCli(['run', '--world', world, '--limit', '3', '--name', 'cut', '--json'], env);
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).scores.groups[0].attempts).toBe(3);
    // What a kill between the two writes leaves behind: one done attempt without its scorecard.
    const db = new Database(join(home, 'runs.sqlite'));
    const gone = db.prepare('DELETE FROM scorecards WHERE rowid = (SELECT MIN(rowid) FROM scorecards)').run();
    db.close();
    expect(gone.changes).toBe(1);
    const resumed = runCli(['run', '--resume', 'cut', '--json'], env);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/scored 1 attempts that were recorded but not scored/);
    expect(JSON.parse(resumed.stdout).scores.groups[0].attempts).toBe(3);
  }, 240_000);
});
