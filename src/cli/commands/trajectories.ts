// `assetops trajectories ...`: the trajectory format and AssetOpsBench imports.
import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { readAobTrajectoryFile } from '../../agents/aob-import.ts';
import { trajectoryJsonSchema } from '../../agents/trajectory.ts';
import { UserError } from '../../util/errors.ts';

export function registerTrajectories(program: Command): void {
  const tr = program.command('trajectories').description('the trajectory format every agent produces');

  tr.command('schema')
    .description('print the JSON Schema of a trajectory')
    .action(() => {
      process.stdout.write(`${JSON.stringify(trajectoryJsonSchema(), null, 2)}\n`);
    });

  tr.command('import')
    .description(
      'convert AssetOpsBench trajectory files (ReAct, run records, plan-execute steps, AgentHive) to JSONL',
    )
    .argument('<file>', 'a .json or .jsonl file')
    .addOption(new Option('--format <f>', 'source format').choices(['aob']).default('aob'))
    .option('--out <file>', 'write JSONL here (default: stdout)')
    .action((file: string, opts: { out?: string }) => {
      let trajectories: ReturnType<typeof readAobTrajectoryFile>;
      try {
        trajectories = readAobTrajectoryFile(file);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code) throw new UserError(`cannot read ${file} (${code})`, 'Pass a trajectory file');
        const msg = (err as Error).message;
        throw new UserError(
          msg.startsWith(file) ? msg : `${file}: ${msg}`,
          'Check that it is an AssetOpsBench trajectory file',
        );
      }
      const out = trajectories.map((t) => JSON.stringify(t)).join('\n') + (trajectories.length ? '\n' : '');
      if (opts.out) {
        writeFileSync(opts.out, out);
        process.stderr.write(`wrote ${trajectories.length} trajectories to ${opts.out}\n`);
      } else process.stdout.write(out);
    });
}
