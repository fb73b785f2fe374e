// The `assetops` command. Thin: it parses flags and calls the library. User mistakes
// end as one line on stderr with exit status 2; bugs keep their stack trace.
import { Command, CommanderError } from 'commander';
import { isUserError } from '../util/errors.ts';
import { registerAnalyze } from './commands/analyze.ts';
import { registerBench } from './commands/bench.ts';
import { registerProxy } from './commands/proxy.ts';
import { registerRun } from './commands/run.ts';
import { registerRuns } from './commands/runs.ts';
import { registerScenarios } from './commands/scenarios.ts';
import { registerScore } from './commands/score.ts';
import { registerServe } from './commands/serve.ts';
import { registerTools } from './commands/tools.ts';
import { registerTrajectories } from './commands/trajectories.ts';
import { registerWorker } from './commands/worker.ts';
import { registerWorld } from './commands/world.ts';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('assetops')
    .description('AssetOps Bench: a benchmark for AI agents in industrial asset operations')
    .version('0.1.0')
    .exitOverride();
  registerBench(program);
  registerWorld(program);
  registerTools(program);
  registerScenarios(program);
  registerRun(program);
  registerRuns(program);
  registerWorker(program);
  registerScore(program);
  registerAnalyze(program);
  registerProxy(program);
  registerTrajectories(program);
  registerServe(program);
  for (const cmd of program.commands) {
    cmd.exitOverride();
    for (const sub of cmd.commands) sub.exitOverride();
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    // A command may set its own status (tools call: 1 when the tool answered with an error).
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its one-line message (or the help text).
      return err.exitCode === 0 ? 0 : 2;
    }
    if (isUserError(err)) {
      process.stderr.write(`error: ${err.toLine()}\n`);
      return 2;
    }
    throw err;
  }
}

// Piping into `head` closes stdout early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await main(process.argv);
