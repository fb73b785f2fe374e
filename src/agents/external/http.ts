// Anyone's agent as an HTTP endpoint: per task the bench POSTs {task, mcp: {url, token}}
// and reads {answer} from the JSON reply. The endpoint does its work through the MCP
// server, whose log is the record; failures are recorded in the trajectory, never thrown.
import type { AgentTask } from '../agent.ts';
import { INFRA_ERROR_KIND } from '../trajectory.ts';
import {
  DEFAULT_TIMEOUT_MS,
  type DriveOutcome,
  type ExternalAgent,
  type ExternalOptions,
  runExternal,
  taskPayload,
} from './run.ts';
import type { TaskServer } from './task-server.ts';

const REPLY_CHARS = 4000;

/** Socket errors that mean nothing is there to answer (the endpoint is down or unreachable). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** Statuses a proxy in front of an endpoint gives when the endpoint is not there. */
const GATEWAY_DOWN = new Set([502, 503, 504]);

export interface HttpAgentOptions extends ExternalOptions {
  url: string;
}

function clip(text: string): string {
  return text.length > REPLY_CHARS ? `${text.slice(0, REPLY_CHARS - 1)}…` : text;
}

function failed(kind: string, message: string, notes: string[] = []): DriveOutcome {
  return { status: 'error', errors: [{ kind, message }], notes };
}

async function post(url: string, body: unknown, timeoutMs: number): Promise<DriveOutcome> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    const e = err as Error;
    if (e?.name === 'TimeoutError') {
      // The same status and kind as the ReAct agent's run time limit.
      return {
        status: 'limit',
        errors: [{ kind: 'timeout', message: `no reply after ${timeoutMs} ms` }],
        notes: [],
      };
    }
    const cause = (e as { cause?: Error & { code?: string } })?.cause;
    const message = `POST ${url} failed: ${e?.message ?? String(err)}${cause?.message ? ` (${cause.message})` : ''}`;
    // An endpoint nobody answers at is an outage, not the agent's answer: rerun it later.
    if (cause?.code && UNREACHABLE.has(cause.code)) return failed(INFRA_ERROR_KIND, message);
    return failed('http', message);
  }
  const notes = [`HTTP ${res.status} reply:\n${clip(text)}`];
  if (GATEWAY_DOWN.has(res.status))
    return failed(INFRA_ERROR_KIND, `POST ${url} answered ${res.status} ${res.statusText}`, notes);
  if (!res.ok) return failed('http_status', `POST ${url} answered ${res.status} ${res.statusText}`, notes);
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    return failed('bad_reply', 'the reply is not JSON (expected {"answer": ...})', notes);
  }
  if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) {
    return failed('bad_reply', 'the reply is not a JSON object (expected {"answer": ...})', notes);
  }
  return { answer: (reply as { answer?: unknown }).answer, status: 'completed', errors: [], notes };
}

export function createHttpAgent(opts: HttpAgentOptions): ExternalAgent {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const agent: ExternalAgent = {
    name: 'http',
    model: opts.model ?? null,
    ownsToolLog: true,
    run: (task: AgentTask) =>
      runExternal(agent, opts, task, `POST ${opts.url}`, (server: TaskServer) =>
        post(opts.url, { task: taskPayload(task), mcp: { url: server.url, token: server.token } }, timeoutMs),
      ),
  };
  return agent;
}
