// `assetops run`: the baseline over a suite, and a model-backed agent over the real
// chat-completions wire protocol against a scripted server on loopback.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrajectorySchema } from '../src/agents/trajectory.ts';
import { expectOneLineError, runCli, runCliAsync } from './support/cli.ts';
import { type ScriptedLlm, startScriptedLlm } from './support/scripted-llm.ts';
import { tempDir, tinyWorld } from './support/worlds.ts';

let world: string;
let home: string;
let llm: ScriptedLlm | null = null;

beforeAll(async () => {
  world = (await tinyWorld(7)).dir;
  home = tempDir('assetops-home-');
});

afterAll(async () => {
  await llm?.close();
});

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { ASSETOPS_HOME: home, ...env });

/** A run as the store gives it back: `runs show --json` and `runs export`. */
function stored(runId: string, env: Record<string, string> = {}) {
  const show = cli(['runs', 'show', runId, '--json'], env);
  expect(show.status, show.stderr).toBe(0);
  const exp = cli(['runs', 'export', runId, '--format', 'jsonl'], env);
  expect(exp.status, exp.stderr).toBe(0);
  const lines = exp.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return {
    show: JSON.parse(show.stdout),
    lines,
    // biome-ignore lint/suspicious/noExplicitAny: JSON read back from the CLI
    trajectories: lines.map((l: { trajectory: any }) => l.trajectory),
  };
}

describe('assetops run', () => {
  it('runs the baseline over a suite and stores valid trajectories with the server-side tool log', () => {
    const r = cli(['run', '--agent', 'baseline', '--world', world, '--limit', '12', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.counts.total).toBe(12);
    expect(summary.counts.done).toBe(12);
    expect(summary.status).toBe('finished');
    expect(summary.typedAnswers).toBeGreaterThan(0);
    const { trajectories, show } = stored(summary.runId);
    expect(trajectories).toHaveLength(12);
    expect(show.attempts).toHaveLength(12);
    for (const a of show.attempts) {
      expect(a).toMatchObject({ agent: 'baseline', model: null, trial: 1, status: 'done' });
      expect(typeof a.scenarioId).toBe('string');
    }
    for (const t of trajectories) {
      expect(() => TrajectorySchema.parse(t)).not.toThrow();
      // The tool log is the session's record, not the agent's account.
      const called = t.steps.filter((s: { kind: string }) => s.kind === 'tool_call').length;
      expect(t.toolLog.length).toBe(called);
    }
    expect(existsSync(join(home, 'runs.sqlite'))).toBe(true);
  });

  it('drives a model-backed agent through a scripted OpenAI-compatible server', async () => {
    const turns = [
      { toolCalls: [{ name: 'current_date_time', arguments: {} }] },
      { content: '```json\n{"answer": 1}\n```' },
      { toolCalls: [{ name: 'sites', arguments: {} }] },
      { content: '{"answer": 2}' },
    ];
    llm = await startScriptedLlm(turns);
    // Asynchronous: the scripted server lives in this process and must keep answering.
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
        '--json',
      ],
      { ASSETOPS_HOME: home, ASSETOPS_API_KEY: 'dummy' },
    );
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.groups.map((g: { agent: string; model: string }) => [g.agent, g.model])).toEqual([
      ['react', 'scripted'],
    ]);
    const { trajectories } = stored(summary.runId);
    expect(trajectories.map((t: { finalAnswer: unknown }) => t.finalAnswer)).toEqual([
      { answer: 1 },
      { answer: 2 },
    ]);
    expect(trajectories[0].toolLog.map((c: { tool: string }) => c.tool)).toEqual(['current_date_time']);
    expect(trajectories[0].usage.inputTokens).toBeGreaterThan(0);
    expect(llm.requests.length).toBe(4);
  });

  it("runs anyone's agent as a command over MCP, recording the server's log", () => {
    const cmd = `${process.execPath} --import tsx test/fixtures/external-agent.ts`;
    const r = cli(['run', '--agent', 'command', '--cmd', cmd, '--world', world, '--limit', '1', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.groups[0].agent).toBe('command');
    const { trajectories, show } = stored(summary.runId);
    expect(show.attempts[0].scenarioId).toMatch(/^iot-assets-of-class-/);
    expect(show.attempts[0].answerCorrect).toBe(true);
    expect(trajectories[0].toolLog.map((c: { tool: string }) => c.tool)).toContain('assets');
    expect(expectOneLineError(cli(['run', '--agent', 'command', '--world', world]))).toContain('--cmd');
  });

  it('refuses bad agent and model combinations before any work', () => {
    expect(expectOneLineError(cli(['run', '--agent', 'react', '--world', world]))).toContain('needs a model');
    expect(
      expectOneLineError(cli(['run', '--agent', 'baseline', '--model', 'openai:gpt-4.1', '--world', world])),
    ).toContain('uses no model');
    expect(expectOneLineError(cli(['run', '--agent', 'nobody', '--world', world]))).toContain(
      'unknown agent',
    );
    const noKey = cli(['run', '--agent', 'react', '--model', 'openai:gpt-4.1', '--world', world], {
      OPENAI_API_KEY: '',
    });
    expect(expectOneLineError(noKey)).toContain('OPENAI_API_KEY');
  });

  it('prints the trajectory JSON Schema and imports AssetOpsBench trajectories', () => {
    const schema = JSON.parse(cli(['trajectories', 'schema']).stdout);
    expect(JSON.stringify(schema)).toContain('tool_call');
    const file = join(tempDir(), 'react.json');
    writeFileSync(
      file,
      JSON.stringify({
        task: 'How many chillers are at MAIN?',
        trajectory: [
          { thought: 'list them', action: 'assets', action_input: '{"site_name": "MAIN"}', observation: '2' },
        ],
        final_answer: '2',
      }),
    );
    const r = cli(['trajectories', 'import', file]);
    expect(r.status, r.stderr).toBe(0);
    const t = TrajectorySchema.parse(JSON.parse(r.stdout.trim().split('\n')[0]));
    expect(t.steps.map((s) => s.kind)).toEqual(['thought', 'tool_call', 'tool_result', 'final']);
    const bad = join(tempDir(), 'bad.jsonl');
    writeFileSync(bad, '{oops\n');
    expect(expectOneLineError(cli(['trajectories', 'import', bad]))).toContain('bad.jsonl:1');
  });

  it('knows every built-in agent by name', async () => {
    const { agentByName } = await import('../src/agents/registry.ts');
    const opts = { model: 'local', baseUrl: 'http://127.0.0.1:9/v1' };
    expect(agentByName('react', opts).name).toBe('react');
    expect(agentByName('plan-execute', opts).name).toBe('plan-execute');
    expect(agentByName('agent-as-tool', opts).name).toBe('agent-as-tool');
    expect(agentByName('baseline').name).toBe('baseline');
  });

  it('gives the same results with attempts running concurrently', () => {
    const one = JSON.parse(cli(['run', '--world', world, '--limit', '10', '--json']).stdout);
    const four = JSON.parse(
      cli(['run', '--world', world, '--limit', '10', '--concurrency', '4', '--json']).stdout,
    );
    expect(four.answerCorrect).toBe(one.answerCorrect);
    expect(four.byFamily).toEqual(one.byFamily);
    const rows = (runId: string) =>
      stored(runId)
        .show.attempts.map(
          (a: { scenarioId: string; answerCorrect: boolean }) => `${a.scenarioId}:${a.answerCorrect}`,
        )
        .sort();
    expect(rows(four.runId)).toEqual(rows(one.runId));
    expect(stored(four.runId).trajectories).toHaveLength(10);
  });
});
