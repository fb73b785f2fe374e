// Small CLI and tool cases that must end in the project's structured errors (one line
// and exit 2 for the user's mistakes, a tool error for a tool's), never a stack trace.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runCli } from './support/cli.ts';
import { tempDir, tinyWorld } from './support/worlds.ts';

let world: string;

beforeAll(async () => {
  world = (await tinyWorld(7)).dir;
});

function toolError(args: string[]): { code: string; message: string } {
  const r = runCli(['tools', 'call', ...args, '--world', world]);
  expect(r.status, r.stderr).toBe(1);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout).error;
}

describe('structured errors, not stack traces', () => {
  it('refuses a --now that is not a date, before serving anything', () => {
    expect(
      expectOneLineError(runCli(['tools', 'call', 'sites', '--now', 'notadate', '--world', world])),
    ).toMatch(/--now.*notadate.*YYYY-MM-DD/);
    const http = runCli(['mcp', '--transport', 'http', '--port', '0', '--now', 'notadate', '--world', world]);
    expect(expectOneLineError(http)).toContain('--now');
    expect(http.stderr).not.toContain('listening');
    expect(expectOneLineError(runCli(['mcp', '--now', 'notadate', '--world', world]))).toContain('--now');
  });

  it('refuses a session idle time or cap that is not a positive number', () => {
    const base = ['mcp', '--transport', 'http', '--port', '0', '--world', world];
    expect(expectOneLineError(runCli([...base, '--session-idle', '0']))).toContain('positive number');
    expect(expectOneLineError(runCli([...base, '--max-sessions', '2.5']))).toContain('whole number');
  });

  it('answers date_math with extreme dates as the caller’s mistake, not an internal error', () => {
    for (const args of [
      '{"base": "275760-09-13", "amount": 3, "unit": "days"}',
      '{"base": "+275760-09-13T00:00:00Z", "amount": 1, "unit": "months"}',
      '{"base": "9999-12-31", "amount": 3650, "unit": "weeks"}',
    ]) {
      const error = toolError(['date_math', args]);
      expect(error.code, args).toBe('out_of_range');
      expect(error.message).toContain('years 1 to 9999');
    }
    expect(toolError(['date_math', '{"amount": 1e20, "unit": "days"}']).code).toBe('invalid_arguments');
  });

  it('gives a readable error for arguments that are not an object', () => {
    for (const [args, what] of [
      ['[1,2]', 'an array'],
      ['"x"', 'a string'],
      ['3', 'a number'],
    ]) {
      const error = toolError(['history', args]);
      expect(error.code).toBe('invalid_arguments');
      expect(error.message).toBe(
        `the arguments of history must be an object of named arguments, not ${what}`,
      );
    }
  });

  it('does not create a run store that a reading command names', () => {
    const dir = join(tempDir(), 'missing');
    const store = join(dir, 'x.sqlite');
    for (const args of [
      ['runs', 'list', '--store', store],
      ['runs', 'show', 'latest', '--store', store],
    ]) {
      expect(expectOneLineError(runCli(args))).toContain(`there is no run store at ${store}`);
    }
    expect(existsSync(dir)).toBe(false);
  });
});
