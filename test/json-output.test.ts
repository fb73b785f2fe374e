// Machine-readable output carries nothing else: a library's warnings (the AI SDK prints
// its first one with console.info, to stdout) go to stderr, so `--json` output parses.
import { generateText } from 'ai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveModel } from '../src/agents/providers/model.ts';
import { runCliAsync } from './support/cli.ts';
import { judgeReply } from './support/scripted-judge.ts';
import { type RecordedRequest, type ScriptedLlm, startScriptedLlm } from './support/scripted-llm.ts';
import { clockThenAnswer } from './support/scripted-roles.ts';
import { tempDir, tinyWorld } from './support/worlds.ts';

let world: string;
let home: string;
let agentLlm: ScriptedLlm;
let judgeLlm: ScriptedLlm;
const env = () => ({ ASSETOPS_HOME: home, ASSETOPS_API_KEY: 'dummy' });

const agentTurn = clockThenAnswer({ answer: 7 });

/** A judge that fails every dimension it is asked about. */
function judgeTurn(req: RecordedRequest) {
  return judgeReply(req, false, 'no');
}

beforeAll(async () => {
  world = (await tinyWorld(7)).dir;
  home = tempDir('assetops-json-');
  agentLlm = await startScriptedLlm(Array.from({ length: 50 }, () => agentTurn));
  judgeLlm = await startScriptedLlm(Array.from({ length: 100 }, () => judgeTurn));
});

afterAll(async () => {
  await agentLlm?.close();
  await judgeLlm?.close();
});

describe('--json output with model warnings', () => {
  it('run --json and score --json print only JSON; the warning goes to stderr, once', async () => {
    const run = await runCliAsync(
      ['run', '--agent', 'react', '--model', 'scripted', '--base-url', agentLlm.url, '--world', world].concat(
        ['--limit', '1', '--name', 'warned', '--json'],
      ),
      env(),
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).runId).toBeTypeOf('string');
    // A reasoning model's name makes the OpenAI client drop the judge's temperature, with a warning.
    const score = await runCliAsync(
      ['score', 'warned', '--judge', 'o3-mini', '--base-url', judgeLlm.url, '--samples', '2', '--json'],
      env(),
    );
    expect(score.status, score.stderr).toBe(0);
    expect(JSON.parse(score.stdout)).toHaveLength(1);
    const warnings = score.stderr.split('\n').filter((l) => l.includes('temperature is not supported'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: model .*o3-mini/);
  }, 240_000);

  it('routes an AI SDK warning from any model call to stderr, not stdout', async () => {
    const out = vi.spyOn(process.stdout, 'write');
    const info = vi.spyOn(console, 'info');
    const err = vi.spyOn(process.stderr, 'write');
    try {
      const model = resolveModel('o4-mini', { baseUrl: judgeLlm.url, maxRetries: 0 });
      await generateText({ model, prompt: 'hi', temperature: 0.5, topP: 0.9, maxRetries: 0 });
      expect(out).not.toHaveBeenCalled();
      expect(info).not.toHaveBeenCalled();
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(
        /warning: model openai-compatible\.chat \/ o4-mini: topP is not supported for reasoning models\n/,
      );
    } finally {
      out.mockRestore();
      info.mockRestore();
      err.mockRestore();
    }
  });
});
