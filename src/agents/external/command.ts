// Anyone's agent as a shell command. Per task the command gets an MCP server (URL and
// token in its environment) and the task as JSON; it answers on its last line of stdout
// or through the submit_answer tool. The process runs asynchronously, since the MCP
// server it talks to lives in this same event loop.
import { spawn } from 'node:child_process';
import type { AgentTask } from '../agent.ts';
import type { TrajectoryError } from '../trajectory.ts';
import {
  DEFAULT_TIMEOUT_MS,
  type DriveOutcome,
  type ExternalAgent,
  type ExternalOptions,
  runExternal,
  taskPayload,
} from './run.ts';
import type { TaskServer } from './task-server.ts';

/** Output kept per stream: enough for the answer line and a readable tail. */
const KEEP_CHARS = 64 * 1024;
const TAIL_CHARS = 4000;
/** Between SIGTERM and SIGKILL, for agents that clean up on exit. */
const KILL_GRACE_MS = 1000;

export interface CommandAgentOptions extends ExternalOptions {
  /** Run with `sh -c`, so pipes, env assignments and `cd` work as typed. */
  cmd: string;
  cwd?: string;
}

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  spawnError?: string;
}

/** Runs a shell command in its own process group; at the timeout the whole group is killed. */
export function runCommand(
  cmd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  cwd?: string,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    // detached: a new process group, so a timeout kills the agent's children too, not just sh.
    const child = spawn('sh', ['-c', cmd], { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    const keep = (key: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = out[key] + chunk.toString('utf8');
      out[key] = text.length > 2 * KEEP_CHARS ? text.slice(-KEEP_CHARS) : text;
    };
    child.stdout.on('data', keep('stdout'));
    child.stderr.on('data', keep('stderr'));
    let timedOut = false;
    let spawnError: string | undefined;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => {
        killGroup('SIGKILL');
        // A process that left the group may still hold the pipes; stop waiting for them.
        child.stdout.destroy();
        child.stderr.destroy();
      }, KILL_GRACE_MS);
    }, timeoutMs);
    child.on('error', (err) => {
      spawnError = err.message;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      const trim = (s: string) => (s.length > KEEP_CHARS ? s.slice(-KEEP_CHARS) : s);
      resolve({
        code,
        signal,
        stdout: trim(out.stdout),
        stderr: trim(out.stderr),
        timedOut,
        ...(spawnError ? { spawnError } : {}),
      });
    });
  });
}

/** The answer on stdout: the last non-empty line, as JSON when it parses, else as text. */
export function answerFromStdout(stdout: string): unknown {
  const line = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1);
  if (line === undefined) return undefined;
  try {
    return JSON.parse(line);
  } catch {
    return line;
  }
}

function tail(label: string, text: string): string | undefined {
  const t = text.trimEnd();
  if (!t) return undefined;
  return t.length > TAIL_CHARS
    ? `${label} (last ${TAIL_CHARS} chars):\n…${t.slice(-TAIL_CHARS)}`
    : `${label}:\n${t}`;
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1)?.slice(0, 300) ?? '';
}

function outcomeOf(r: CommandResult, timeoutMs: number): DriveOutcome {
  const notes = [tail('stdout', r.stdout), tail('stderr', r.stderr)].filter((n): n is string => !!n);
  const errors: TrajectoryError[] = [];
  let status: DriveOutcome['status'] = 'completed';
  if (r.spawnError) {
    status = 'error';
    errors.push({ kind: 'spawn', message: `could not start the command: ${r.spawnError}` });
  } else if (r.timedOut) {
    // The same status and kind as the ReAct agent's run time limit.
    status = 'limit';
    errors.push({
      kind: 'timeout',
      message: `command still running after ${timeoutMs} ms: its process group was killed`,
    });
  } else if (r.code !== 0) {
    status = 'error';
    const how = r.code === null ? `was killed by ${r.signal}` : `exited with code ${r.code}`;
    const why = lastLine(r.stderr);
    errors.push({ kind: 'exit', message: `command ${how}${why ? `: ${why}` : ''}` });
  }
  // A failed command's stdout may still carry an answer; it is kept, the status tells the rest.
  return { answer: answerFromStdout(r.stdout), status, errors, notes };
}

export function createCommandAgent(opts: CommandAgentOptions): ExternalAgent {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const agent: ExternalAgent = {
    name: 'command',
    model: opts.model ?? null,
    ownsToolLog: true,
    run: (task: AgentTask) =>
      runExternal(agent, opts, task, `$ ${opts.cmd}`, async (server: TaskServer, modelBaseUrl) => {
        const env = {
          ...process.env,
          ASSETOPS_TASK: JSON.stringify(taskPayload(task)),
          ASSETOPS_MCP_URL: server.url,
          ASSETOPS_MCP_TOKEN: server.token,
          // With a recording proxy, the agent's model calls go through it (and into the trajectory).
          ...(modelBaseUrl ? { ASSETOPS_MODEL_BASE_URL: modelBaseUrl, OPENAI_BASE_URL: modelBaseUrl } : {}),
        };
        return outcomeOf(await runCommand(opts.cmd, env, timeoutMs, opts.cwd), timeoutMs);
      }),
  };
  return agent;
}
