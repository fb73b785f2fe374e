// `assetops proxy`: an OpenAI-compatible recording proxy in front of a model endpoint, so
// that an external agent's model calls can be kept with its trajectory.
import { appendFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { startRecordingProxy } from '../../agents/proxy/proxy.ts';
import { UserError } from '../../util/errors.ts';

export function registerProxy(program: Command): void {
  program
    .command('proxy')
    .description('record the model calls of an agent: an OpenAI-compatible proxy in front of your endpoint')
    .requiredOption('--upstream <url>', 'your OpenAI-compatible API, e.g. http://127.0.0.1:8000/v1')
    .option('--api-key <key>', 'key sent upstream (or ASSETOPS_API_KEY); agents then need none')
    .option(
      '--port <n>',
      'port (0 picks a free one)',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 65535)
          throw new InvalidArgumentError('the port must be a number from 0 to 65535');
        return n;
      },
      8790,
    )
    .option('--log <file>', 'append each recorded call to this JSONL file', 'model-calls.jsonl')
    .action(async (opts: { upstream: string; apiKey?: string; port: number; log: string }) => {
      if (!/^https?:\/\//.test(opts.upstream)) {
        throw new UserError(
          `--upstream ${opts.upstream} is not an http(s) URL`,
          'e.g. --upstream http://127.0.0.1:8000/v1',
        );
      }
      let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
      try {
        proxy = await startRecordingProxy({
          upstream: opts.upstream,
          apiKey: opts.apiKey ?? process.env.ASSETOPS_API_KEY,
          port: opts.port,
        });
      } catch (err) {
        throw new UserError(
          `cannot listen on port ${opts.port} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
          'Choose another --port',
        );
      }
      process.stderr.write(`recording proxy on ${proxy.url} -> ${opts.upstream}; calls go to ${opts.log}\n`);
      let written = 0;
      const timer = setInterval(() => {
        for (const c of proxy.calls.slice(written)) appendFileSync(opts.log, `${JSON.stringify(c)}\n`);
        written = proxy.calls.length;
      }, 500);
      const stop = async () => {
        clearInterval(timer);
        for (const c of proxy.calls.slice(written)) appendFileSync(opts.log, `${JSON.stringify(c)}\n`);
        await proxy.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
