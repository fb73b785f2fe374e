// `assetops run` as a benchmark engine: run files with a matrix and trials, names, the
// response cache (a re-run costs nothing, trials stay independent, --no-cache), costs from
// the price table, --out, and the errors users meet.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runCli, runCliAsync } from './support/cli.ts';
import { type RecordedRequest, type ScriptedLlm, startScriptedLlm } from './support/scripted-llm.ts';
import { tempDir, tinyWorld } from './support/worlds.ts';

let world: string;
let llm: ScriptedLlm;

// One tool call, then an answer that depends on nothing random: identical requests get
// identical replies, as a cache must assume.
const turn = (req: RecordedRequest) =>
  req.messages.some((m) => m.role === 'tool')
    ? { content: '{"answer": 7}', usage: { prompt_tokens: 1000, completion_tokens: 100 } }
    : {
        toolCalls: [{ name: 'current_date_time', arguments: {} }],
        usage: { prompt_tokens: 500, completion_tokens: 50 },
      };

beforeAll(async () => {
  world = (await tinyWorld(7)).dir;
  llm = await startScriptedLlm(Array.from({ length: 2000 }, () => turn));
}, 120_000);

afterAll(async () => {
  await llm?.close();
});

describe('assetops run as a benchmark engine', () => {
  it('runs a matrix from a YAML run file, with trials and a name to find it by', () => {
    const home = tempDir('assetops-home-');
    const file = join(tempDir(), 'nightly.yaml');
    writeFileSync(
      file,
      ['name: nightly', 'agents: [baseline]', 'suites: [default]', 'trials: 2', 'concurrency: 2'].join('\n'),
    );
    const r = runCli(['run', file, '--world', world, '--limit', '3', '--json'], { ASSETOPS_HOME: home });
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.name).toBe('nightly');
    expect(summary.counts).toMatchObject({ total: 6, done: 6 });
    const show = JSON.parse(runCli(['runs', 'show', 'nightly', '--json'], { ASSETOPS_HOME: home }).stdout);
    expect(show.runId).toBe(summary.runId);
    expect(show.attempts.map((a: { trial: number }) => a.trial).sort()).toEqual([1, 1, 1, 2, 2, 2]);
    expect(show.spec.trials).toBe(2);
    const list = JSON.parse(runCli(['runs', 'list', '--json'], { ASSETOPS_HOME: home }).stdout);
    expect(list[0]).toMatchObject({ id: summary.runId, name: 'nightly', status: 'finished' });
    expect(list[0].counts).toMatchObject({ total: 6, done: 6 });
    // Resuming a finished run does nothing and says so through the same summary.
    const again = runCli(['run', '--resume', 'nightly', '--json'], { ASSETOPS_HOME: home });
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).counts.done).toBe(6);
  });

  it('answers a re-run from the response cache, keeps trials independent, and obeys --no-cache', async () => {
    const home = tempDir('assetops-home-');
    const env = { ASSETOPS_HOME: home, ASSETOPS_API_KEY: 'dummy' };
    const args = [
      'run',
      '--agent',
      'react',
      '--model',
      'scripted',
      '--base-url',
      llm.url,
      '--world',
      world,
      '--limit',
      '2',
      '--json',
    ];
    const start = llm.requests.length;
    const first = JSON.parse((await runCliAsync(args, env)).stdout);
    const afterFirst = llm.requests.length;
    expect(afterFirst - start).toBe(4);
    expect(first.groups[0]).toMatchObject({ modelCalls: 4, cachedCalls: 0 });

    const second = JSON.parse((await runCliAsync(args, env)).stdout);
    expect(llm.requests.length).toBe(afterFirst);
    expect(second.groups[0]).toMatchObject({
      modelCalls: 4,
      cachedCalls: 4,
      answerCorrect: first.groups[0].answerCorrect,
    });

    // Trial 1 is cached; trial 2 asks the model again.
    const trials = JSON.parse((await runCliAsync([...args, '--trials', '2'], env)).stdout);
    expect(llm.requests.length).toBe(afterFirst + 4);
    expect(trials.groups[0]).toMatchObject({ attempts: 4, modelCalls: 8, cachedCalls: 4 });

    const uncached = JSON.parse((await runCliAsync([...args, '--no-cache'], env)).stdout);
    expect(llm.requests.length).toBe(afterFirst + 8);
    expect(uncached.groups[0].cachedCalls).toBe(0);
  });

  it('prices tokens from the price table and writes --out files', async () => {
    const home = tempDir('assetops-home-');
    writeFileSync(
      join(home, 'prices.json'),
      JSON.stringify({ models: { scripted: { input: 2, output: 10 } } }),
    );
    const out = join(tempDir(), 'out');
    const r = await runCliAsync(
      [
        'run',
        '--agent',
        'react',
        '--model',
        'scripted',
        '--base-url',
        llm.url,
        '--world',
        world,
        '--limit',
        '2',
        '--out',
        out,
        '--json',
      ],
      { ASSETOPS_HOME: home, ASSETOPS_API_KEY: 'dummy' },
    );
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    // Per attempt: 1500 input and 150 output tokens at $2 and $10 per million.
    const perAttempt = (1500 * 2 + 150 * 10) / 1e6;
    expect(summary.counts.costUsd).toBeCloseTo(2 * perAttempt, 9);
    const attempts = readFileSync(join(out, 'attempts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(attempts).toHaveLength(2);
    for (const a of attempts)
      expect(a).toMatchObject({ inputTokens: 1500, outputTokens: 150, modelCalls: 2 });
    expect(attempts[0].costUsd).toBeCloseTo(perAttempt, 9);
    const trajectories = readFileSync(join(out, 'trajectories.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(trajectories[0].usage.costUsd).toBeCloseTo(perAttempt, 9);
    expect(existsSync(join(out, 'run.json'))).toBe(true);
  });

  it('stops an attempt at its cost limit and records it as a limit', async () => {
    const home = tempDir('assetops-home-');
    writeFileSync(
      join(home, 'prices.json'),
      JSON.stringify({ models: { scripted: { input: 2, output: 10 } } }),
    );
    const r = await runCliAsync(
      [
        'run',
        '--agent',
        'react',
        '--model',
        'scripted',
        '--base-url',
        llm.url,
        '--world',
        world,
        '--limit',
        '1',
        '--limit-cost',
        '0.000001',
        '--no-cache',
        '--json',
      ],
      { ASSETOPS_HOME: home, ASSETOPS_API_KEY: 'dummy' },
    );
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.groups[0]).toMatchObject({ limits: 1, modelCalls: 1 });
    const show = JSON.parse(
      runCli(['runs', 'show', summary.runId, '--json'], { ASSETOPS_HOME: home }).stdout,
    );
    expect(show.attempts[0].outcome).toBe('limit');
  });

  it("retries an attempt after infrastructure failures only, never after the agent's own", async () => {
    // Requests 1-4 fail with 500 (the first call and the AI SDK's three retries): the whole
    // attempt is retried. Request 7 gets a 400, which is the request's own fault: a result.
    const flaky = await startScriptedLlm(
      Array.from({ length: 20 }, () => turn),
      { failures: { 1: 500, 2: 500, 3: 500, 4: 500, 7: 400 }, retryAfterMs: 5 },
    );
    try {
      const home = tempDir('assetops-home-');
      const r = await runCliAsync(
        [
          'run',
          '--agent',
          'react',
          '--model',
          'scripted',
          '--base-url',
          flaky.url,
          '--world',
          world,
          '--limit',
          '2',
          '--json',
        ],
        { ASSETOPS_HOME: home, ASSETOPS_API_KEY: 'dummy' },
      );
      expect(r.status, r.stderr).toBe(0);
      const show = JSON.parse(
        runCli(['runs', 'show', JSON.parse(r.stdout).runId, '--json'], { ASSETOPS_HOME: home }).stdout,
      );
      const [first, second] = show.attempts;
      expect(first).toMatchObject({ retries: 1, outcome: 'completed', modelCalls: 2 });
      expect(second).toMatchObject({ retries: 0, outcome: 'error' });
      expect(flaky.requests.map((q) => q.status)).toEqual([500, 500, 500, 500, 200, 200, 400]);
    } finally {
      await flaky.close();
    }
  });

  it('names what is wrong with run files, runs and flags', () => {
    const home = tempDir('assetops-home-');
    const cli = (args: string[]) => runCli(args, { ASSETOPS_HOME: home });
    const bad = join(tempDir(), 'bad.yaml');
    writeFileSync(bad, 'agents: [baseline]\ntrials: zero\n');
    expect(expectOneLineError(cli(['run', bad, '--world', world]))).toMatch(
      /bad\.yaml is not a valid run: trials/,
    );
    writeFileSync(bad, 'agents: [baseline\n');
    expect(expectOneLineError(cli(['run', bad, '--world', world]))).toContain('is not valid YAML');
    expect(expectOneLineError(cli(['run', join(tempDir(), 'none.yaml')]))).toContain(
      'cannot read the run file',
    );
    expect(expectOneLineError(cli(['run', '--resume', 'no-such-run']))).toContain('no run "no-such-run"');
    expect(expectOneLineError(cli(['runs', 'show', 'no-such-run']))).toContain('assetops runs list');
    expect(expectOneLineError(cli(['run', '--suite', 'weekly', '--world', world]))).toContain(
      'unknown suite "weekly"',
    );
    expect(expectOneLineError(cli(['run', '--trials', '0', '--world', world]))).toContain('--trials 0');
    expect(cli(['runs', 'list']).stdout).toContain('No runs');
  });
});
