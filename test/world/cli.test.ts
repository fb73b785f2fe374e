import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../src/dataset/open.ts';
import { clearStaleStaging } from '../../src/dataset/writer.ts';
import { UserError } from '../../src/util/errors.ts';
import { aobData } from '../support/aob-data.ts';
import { expectOneLineError, REPO, runCli } from '../support/cli.ts';
import { tempDir, tinyWorld } from '../support/worlds.ts';

let world: string;

beforeAll(async () => {
  world = (await tinyWorld(21)).dir;
});

function damagedCopy(damage: (dir: string) => void): string {
  const dir = join(tempDir(), 'world');
  cpSync(world, dir, { recursive: true });
  damage(dir);
  return dir;
}

async function openError(dir: string): Promise<UserError> {
  try {
    (await openDataset(dir)).close();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error(`opening ${dir} succeeded`);
}

describe('damaged dataset folders', () => {
  it('names a missing telemetry part', async () => {
    const dir = damagedCopy((d) => rmSync(join(d, 'telemetry/part-00000.parquet')));
    const err = await openError(dir);
    expect(err.code).toBe('missing_file');
    expect(err.toLine()).toContain('telemetry/part-00000.parquet');
    expect(err.toLine()).toContain('regenerate');
  });

  it('names a file whose checksum does not match', async () => {
    const dir = damagedCopy((d) => {
      const p = join(d, 'work_orders.parquet');
      const bytes = readFileSync(p);
      bytes[Math.floor(bytes.length / 2)] ^= 0xff;
      writeFileSync(p, bytes);
    });
    const err = await openError(dir);
    expect(err.code).toBe('checksum');
    expect(err.toLine()).toContain('work_orders.parquet');
  });

  it('refuses another format version', async () => {
    const dir = damagedCopy((d) => {
      const p = join(d, 'manifest.json');
      const m = JSON.parse(readFileSync(p, 'utf8'));
      m.formatVersion = 99;
      writeFileSync(p, JSON.stringify(m));
    });
    const err = await openError(dir);
    expect(err.code).toBe('format_version');
    expect(err.toLine()).toContain('v99');
  });

  it('refuses a folder without a manifest and one that does not exist', async () => {
    expect((await openError(damagedCopy((d) => rmSync(join(d, 'manifest.json'))))).code).toBe(
      'missing_manifest',
    );
    expect((await openError(join(tempDir(), 'nothing-here'))).code).toBe('missing');
  });
});

describe('assetops world', () => {
  it('prints the summary keys as JSON', () => {
    const r = runCli(['world', 'info', '--world', world, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout);
    for (const key of [
      'points',
      'sensors',
      'assets',
      'sites',
      'assetClasses',
      'workOrders',
      'failureModes',
      'failureCodes',
      'alerts',
      'anomalies',
      'events',
      'episodes',
      'gaps',
      'timeRange',
      'seed',
      'checksum',
    ]) {
      expect(info, key).toHaveProperty(key);
    }
    expect(info.seed).toBe(21);
    expect(info.failureModes).toBe(53);
  });

  it('generates a tiny world with --seed and --scale', () => {
    const out = join(tempDir(), 'w');
    const r = runCli(['world', 'generate', '--scale', 'tiny', '--seed', '21', '--out', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).checksum).toBe(
      JSON.parse(runCli(['world', 'info', '--world', world, '--json']).stdout).checksum,
    );
  });

  it('clears what a killed generator left behind, and puts back a dataset it was replacing', async () => {
    const parent = tempDir();
    const out = join(parent, 'w');
    const child = spawn(
      process.execPath,
      [resolve(REPO, 'bin/assetops.js'), 'world', 'generate', '--scale', 'tiny', '--seed', '3', '--out', out],
      {
        cwd: REPO,
        env: { ...process.env, CI: 'true' },
        stdio: 'ignore',
      },
    );
    const staging = `.w.partial-${child.pid}`;
    await new Promise<void>((done) => {
      const poll = setInterval(() => {
        if (existsSync(join(parent, staging, 'telemetry'))) {
          clearInterval(poll);
          child.kill('SIGKILL');
          child.on('exit', () => done());
        }
      }, 10);
    });
    expect(readdirSync(parent)).toContain(staging);
    const r = runCli(['world', 'generate', '--scale', 'tiny', '--seed', '3', '--out', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(parent)).toEqual(['w']);
    // Killed between moving the old dataset aside and moving the new one in: the old one returns.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const backup = join(parent, `.w.partial-${dead}.old`);
    renameSync(out, backup);
    mkdirSync(join(parent, `.w.partial-${dead}`));
    await clearStaleStaging(out);
    expect(readdirSync(parent)).toEqual(['w']);
    expect((await openDataset(out)).manifest.checksum).toBe(JSON.parse(r.stdout).checksum);
  });

  it('gives one-line errors with exit status 2 for user mistakes', () => {
    expect(expectOneLineError(runCli(['world', 'generate', '--scale', 'huge']))).toMatch(
      /huge.*tiny, default, large/,
    );
    expect(expectOneLineError(runCli(['world', 'generate', '--seed', 'abc']))).toContain('--seed 42');
    expect(expectOneLineError(runCli(['world', 'generate', '--seed', '-3']))).toMatch(/seed|unknown option/);
    expect(
      expectOneLineError(runCli(['world', 'generate', '--scale', 'tiny', '--out', '/proc/no/such/place'])),
    ).toContain('cannot write');
    expect(expectOneLineError(runCli(['world', 'generate', '--scale', 'tiny', '--out', world]))).toContain(
      '--force',
    );
    expect(expectOneLineError(runCli(['world', 'info', '--world', join(tempDir(), 'none')]))).toContain(
      'does not exist',
    );
    const damaged = damagedCopy((d) => copyFileSync(join(d, 'sites.parquet'), join(d, 'assets.parquet')));
    expect(expectOneLineError(runCli(['world', 'info', '--world', damaged]))).toContain('assets.parquet');
    expect(expectOneLineError(runCli(['world', 'import-aob', tempDir()]))).toContain('sample_data');
  });

  it('never touches a folder that holds other files', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    expectOneLineError(runCli(['world', 'generate', '--scale', 'tiny', '--out', dir, '--force']));
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('replaces a dataset with --force, keeping it intact until the new one is complete', () => {
    const dir = damagedCopy(() => {});
    const r = runCli([
      'world',
      'generate',
      '--scale',
      'tiny',
      '--seed',
      '22',
      '--out',
      dir,
      '--force',
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).seed).toBe(22);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(true);
  });
});

describe('assetops world import-aob', () => {
  it('imports the published AssetOpsBench data from the folder that holds sample_data', () => {
    const out = join(tempDir(), 'aob');
    const r = runCli(['world', 'import-aob', aobData(), '--out', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info).toMatchObject({
      kind: 'aob-import',
      workOrders: 4249,
      events: 6256,
      alerts: 1466,
      anomalies: 541,
      failureModes: 53,
      failureCodes: 143,
    });
    expect(info.points).toBe(28775);
  });
});
