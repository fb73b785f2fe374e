// `assetops run`: one agent over a suite; trajectories and results under .assetops/runs/.
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import type { Agent } from '../../agents/agent.ts';
import { type RunSummary, startRun } from '../../runs/run.ts';
import { SUITES, type SuiteName } from '../../scenarios/suites.ts';
import { FAULT_PROFILES, type FaultProfile } from '../../tools/faults.ts';
import { UserError } from '../../util/errors.ts';
import { assetopsHome, defaultWorldDir } from '../paths.ts';
import { makeProgress } from '../progress.ts';
import { loadSuiteWithWorld } from './scenarios.ts';
import { parseSeed } from './world.ts';

export function renderRunSummary(s: RunSummary): string {
  const fam = Object.entries(s.byFamily)
    .map(([f, v]) => `${f} ${v.passed}/${v.graded}`)
    .join(', ');
  return [
    `Run ${s.runId}: agent ${s.agent}${s.model ? ` (${s.model})` : ''} on the ${s.suite} suite`,
    `  ${s.passed} of ${s.graded} typed answers correct (${(100 * s.passRate).toFixed(1)}%); ${s.total - s.graded} free-text answers wait for the judge`,
    `  by family: ${fam}`,
    `  results in ${s.dir}`,
  ].join('\n');
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run an agent on a scenario suite')
    .option('--agent <name>', 'agent to run', 'baseline')
    .option('--model <id>', 'model for model-backed agents, e.g. openai:gpt-4.1, anthropic:NAME, ollama:NAME')
    .option('--base-url <url>', 'an OpenAI-compatible server (or set ASSETOPS_BASE_URL)')
    .option(
      '--cmd <command>',
      'for --agent command: your agent, run once per scenario with the task and an MCP URL',
    )
    .option('--url <url>', 'for --agent http: your agent endpoint, posted the task and an MCP URL')
    .option(
      '--model-proxy <url>',
      "for --agent command: record your agent's model calls (OpenAI-compatible upstream)",
    )
    .addOption(new Option('--suite <name>', 'suite').choices(SUITES).default('default'))
    .option('--seed <n>', 'seed of the private split', parseSeed, 1)
    .option('--world <dir>', 'dataset folder', defaultWorldDir())
    .option('--aob-data <dir>', 'AssetOpsBench data for the aob suite (first time only)')
    .option('--file <jsonl>', 'run the scenarios of a JSONL file')
    .option('--limit <n>', 'run only the first N scenarios', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new UserError(`--limit ${v} is not a positive whole number`, 'e.g. --limit 20');
      return n;
    })
    .addOption(
      new Option('--faults <profile>', 'tool fault injection').choices(FAULT_PROFILES).default('none'),
    )
    .option(
      '--concurrency <n>',
      'attempts at once',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 256)
          throw new UserError(`--concurrency ${v} is not a number from 1 to 256`, 'e.g. --concurrency 8');
        return n;
      },
      1,
    )
    .option('--name <name>', 'a name for the run')
    .option('--json', 'print the summary as JSON', false)
    .action(
      async (opts: {
        agent: string;
        model?: string;
        baseUrl?: string;
        cmd?: string;
        url?: string;
        modelProxy?: string;
        suite: SuiteName;
        seed: number;
        world: string;
        aobData?: string;
        file?: string;
        limit?: number;
        faults: FaultProfile;
        name?: string;
        concurrency: number;
        json: boolean;
      }) => {
        // Loaded here: the model SDKs are only needed when a run starts, not for every command.
        const { agentByName } = await import('../../agents/registry.ts');
        // Refuse a bad agent/model combination before opening anything.
        if (opts.agent !== 'command' && opts.agent !== 'http')
          agentByName(opts.agent, { model: opts.model, baseUrl: opts.baseUrl });
        const { ds, scenarios } = await loadSuiteWithWorld(opts);
        let agent: Agent;
        try {
          agent = agentByName(opts.agent, {
            model: opts.model,
            baseUrl: opts.baseUrl,
            cmd: opts.cmd,
            url: opts.url,
            modelProxy: opts.modelProxy,
            ds,
            faults: opts.faults,
          });
        } catch (err) {
          ds.close();
          throw err;
        }
        const chosen = opts.limit ? scenarios.slice(0, opts.limit) : scenarios;
        const progress = makeProgress(`running ${agent.name}`);
        try {
          const summary = await startRun(ds, {
            agent,
            scenarios: chosen,
            suite: opts.file ? opts.file : opts.suite,
            faults: opts.faults,
            runsDir: join(assetopsHome(), 'runs'),
            name: opts.name,
            concurrency: opts.concurrency,
            onProgress: (done, total, last) => progress.update(done, total, last.scenarioId),
          });
          progress.stop();
          process.stdout.write(
            opts.json ? `${JSON.stringify(summary, null, 2)}\n` : `${renderRunSummary(summary)}\n`,
          );
        } finally {
          progress.stop();
          ds.close();
        }
      },
    );
}
