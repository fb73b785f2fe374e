// One submission format, round trip: a baseline run made by `assetops run`, exported with
// `assetops runs export RUN --format submission`, is what the dashboard's upload takes (201,
// every attempt); the attempt export (--format jsonl) is refused with one problem naming all
// its lines and the flag that fixes it, not the same error once per line.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteRunStore } from '../src/runs/store/sqlite.ts';
import { type AssetOpsApp, createApp } from '../src/server/app.ts';
import { runCli } from './support/cli.ts';
import { tempDir, tinyWorld } from './support/worlds.ts';

const TOKEN = 'team-token';
const N = 6;
let world: string;
let home: string;
let runId: string;
let app: AssetOpsApp;
let store: SqliteRunStore;

beforeAll(async () => {
  world = (await tinyWorld(7)).dir;
  home = tempDir('assetops-sub-');
  const r = runCli(['run', '--agent', 'baseline', '--world', world, '--limit', String(N), '--json'], {
    ASSETOPS_HOME: home,
  });
  expect(r.status, r.stderr).toBe(0);
  runId = JSON.parse(r.stdout).runId;
  // The dashboard keeps its own store: the upload must carry everything the run had.
  store = new SqliteRunStore(join(tempDir('assetops-dash-'), 'runs.sqlite'));
  app = createApp({
    store,
    worldDir: world,
    home,
    listen: { host: '127.0.0.1', port: 8080 },
    submitTokens: [TOKEN],
  });
}, 300_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
});

function upload(body: string, name: string) {
  return app.request(`http://127.0.0.1:8080/api/submissions?name=${name}&suite=default`, {
    method: 'POST',
    headers: {
      host: '127.0.0.1:8080',
      'content-type': 'application/x-ndjson',
      authorization: `Bearer ${TOKEN}`,
    },
    body,
  });
}

describe('runs export --format submission, then upload', () => {
  it('is accepted as it is written, with the same number of attempts', async () => {
    const ex = runCli(['runs', 'export', runId, '--format', 'submission'], { ASSETOPS_HOME: home });
    expect(ex.status, ex.stderr).toBe(0);
    const lines = ex.stdout.trim().split('\n');
    expect(lines).toHaveLength(N);
    const res = await upload(ex.stdout, 'roundtrip');
    const body = (await res.json()) as { attempts: number; scenarios: number; error?: string };
    expect(res.status, body.error).toBe(201);
    expect(body.attempts).toBe(N);
    expect(body.scenarios).toBe(N);
  }, 120_000);

  it('refuses the attempt export once, naming every line and the flag to use', async () => {
    const ex = runCli(['runs', 'export', runId, '--format', 'jsonl'], { ASSETOPS_HOME: home });
    expect(ex.status, ex.stderr).toBe(0);
    const res = await upload(ex.stdout, 'wrong-format');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; problems: Array<{ lines: number[] }> };
    expect(body.error).toMatch(/lines 1, 2, 3, 4, 5, 6: .*--format submission/);
    expect(body.problems).toHaveLength(1);
    expect(body.problems[0].lines).toEqual([1, 2, 3, 4, 5, 6]);
  }, 120_000);

  it('reports each distinct problem once with its lines', async () => {
    const good = runCli(['runs', 'export', runId, '--format', 'submission'], { ASSETOPS_HOME: home })
      .stdout.trim()
      .split('\n');
    const noId = (l: string) => {
      const t = JSON.parse(l);
      delete t.scenarioId;
      return JSON.stringify(t);
    };
    const body = [good[0], noId(good[1]), '{oops', noId(good[2]), good[3], noId(good[4]), '{bad'].join('\n');
    const res = await upload(body, 'broken');
    expect(res.status).toBe(400);
    const json = (await res.json()) as {
      error: string;
      problems: Array<{ lines: number[]; problem: string }>;
    };
    expect(json.problems).toHaveLength(2);
    expect(json.problems[0]).toMatchObject({ lines: [2, 4, 6] });
    expect(json.problems[0].problem).toMatch(/scenarioId/);
    // Not JSON at different positions is still one problem.
    expect(json.problems[1]).toMatchObject({ lines: [3, 7] });
    expect(json.error).toMatch(/lines 2, 4, 6: .*scenarioId.*\(and 1 other problem\)/);
  }, 120_000);
});
