// An outage is not an agent result. A scripted OpenAI-compatible provider that answers 500,
// hangs, or is killed mid-run gives attempts with status infra_error: no scorecard, an
// `incomplete` run that says how to rerun them, and a resume that reruns exactly those once the
// provider is back (on the same address, as a real one comes back).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliAsync } from './support/cli.ts';
import { type RecordedRequest, type ScriptedLlm, startScriptedLlm } from './support/scripted-llm.ts';
import { clockThenAnswer } from './support/scripted-roles.ts';
import { tempDir, tinyWorld } from './support/worlds.ts';

let world: string;
const servers: ScriptedLlm[] = [];

// One tool call, then an answer.
const competent = clockThenAnswer({ answer: 7 });

async function provider(opts: Parameters<typeof startScriptedLlm>[1] = {}, script = competent) {
  const s = await startScriptedLlm(
    Array.from({ length: 200 }, () => script),
    { retryAfterMs: 5, ...opts },
  );
  servers.push(s);
  return s;
}

const portOf = (url: string) => Number(new URL(url).port);

function runArgs(url: string, extra: string[] = []) {
  return [
    'run',
    '--agent',
    'react',
    '--model',
    'scripted',
    '--base-url',
    url,
    '--world',
    world,
    '--limit',
    '2',
    '--infra-retries',
    '0',
    '--no-cache',
    '--json',
    ...extra,
  ];
}

beforeAll(async () => {
  world = (await tinyWorld(7)).dir;
}, 120_000);

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('infrastructure failures', () => {
  it('a provider answering 500 gives zero scored attempts, an incomplete run, and a resume that reruns exactly those', async () => {
    const home = tempDir('assetops-home-');
    const env = { ASSETOPS_HOME: home, ASSETOPS_API_KEY: 'dummy' };
    const down = await provider({ failAll: 500 });
    const r = await runCliAsync(runArgs(down.url), env);
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.status).toBe('incomplete');
    expect(s.counts).toMatchObject({ total: 2, done: 2, infra: 2, errors: 0 });
    expect(s.infra).toBe(2);
    // No scorecard, so no total, pass rate or readiness for an outage.
    expect(s.scores).toBeNull();
    expect(down.requests.length).toBeGreaterThanOrEqual(2);
    const text = runCli(['runs', 'show', s.runId], env).stdout;
    expect(text).toMatch(/2 attempts hit infrastructure failures/);
    expect(text).toContain(`assetops run --resume ${s.runId}`);

    // The provider comes back where it was: only the two attempts run again.
    const port = portOf(down.url);
    await down.close();
    const up = await provider({ port });
    const again = await runCliAsync(['run', '--resume', s.runId, '--json'], env);
    expect(again.status, again.stderr).toBe(0);
    const after = JSON.parse(again.stdout);
    expect(after.status).toBe('finished');
    expect(after.counts).toMatchObject({ total: 2, done: 2, infra: 0 });
    expect(after.scores.groups[0].attempts).toBe(2);
    // Two attempts, two model calls each (a tool call, then the answer).
    expect(up.requests).toHaveLength(4);
  }, 180_000);

  it('a provider that hangs past --provider-timeout is an infrastructure failure, not the agent timing out', async () => {
    const home = tempDir('assetops-home-');
    const hung = await provider({ delayMs: 60_000 });
    const r = await runCliAsync(runArgs(hung.url, ['--limit', '1', '--provider-timeout', '1']), {
      ASSETOPS_HOME: home,
      ASSETOPS_API_KEY: 'dummy',
    });
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.counts).toMatchObject({ done: 1, infra: 1 });
    const show = JSON.parse(runCli(['runs', 'show', s.runId, '--json'], { ASSETOPS_HOME: home }).stdout);
    expect(show.attempts[0].outcome).toBe('infra_error');
  }, 180_000);

  it('a provider killed mid-run is an infrastructure failure', async () => {
    const home = tempDir('assetops-home-');
    let killed: ScriptedLlm | null = null;
    // The first reply goes out, then the server dies before the second request.
    const dying = (req: RecordedRequest) => {
      setTimeout(() => void killed?.close(), 0);
      return competent(req);
    };
    killed = await provider({}, dying);
    const r = await runCliAsync(runArgs(killed.url, ['--limit', '1']), {
      ASSETOPS_HOME: home,
      ASSETOPS_API_KEY: 'dummy',
    });
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.counts).toMatchObject({ done: 1, infra: 1 });
    expect(s.status).toBe('incomplete');
  }, 180_000);

  it('an external agent whose own model provider is down (seen by the recording proxy) is an infrastructure failure', async () => {
    const home = tempDir('assetops-home-');
    const down = await provider({ failAll: 503 });
    const r = await runCliAsync(
      [
        'run',
        '--agent',
        'command',
        '--cmd',
        `${process.execPath} test/fixtures/model-agent.mjs`,
        '--model-proxy',
        down.url,
        '--world',
        world,
        '--limit',
        '1',
        '--infra-retries',
        '0',
        '--json',
      ],
      { ASSETOPS_HOME: home },
    );
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.counts).toMatchObject({ done: 1, infra: 1 });
    expect(s.status).toBe('incomplete');
  }, 180_000);

  it("an agent's own failure (a request the provider refuses as malformed) is a result, not an outage", async () => {
    const home = tempDir('assetops-home-');
    const refusing = await provider({ failAll: 400 });
    const r = await runCliAsync(runArgs(refusing.url, ['--limit', '1']), {
      ASSETOPS_HOME: home,
      ASSETOPS_API_KEY: 'dummy',
    });
    const s = JSON.parse(r.stdout);
    expect(s.counts).toMatchObject({ done: 1, infra: 0, errors: 1 });
    expect(s.status).toBe('finished');
    expect(s.scores.groups[0].attempts).toBe(1);
  }, 180_000);
});
