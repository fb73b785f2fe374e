// The bench's tools as AI SDK tools, plus ask_operator. Tool failures are returned to the
// model as data ({error:{code,message,hint}}), never thrown, so it can read the hint and
// recover. A ledger remembers what each call did (the SDK's step record does not say
// whether our tool failed) and stops the run when the model repeats itself.
import { dynamicTool, jsonSchema, type ToolSet } from 'ai';
import { canonicalJson } from '../../util/hash.ts';
import type { AgentTask, AgentTools } from '../agent.ts';
import { ASK_OPERATOR_TOOL } from './prompt.ts';

/** The same tool with the same arguments this many times ends the run. */
export const REPEAT_LIMIT = 3;

export interface CallOutcome {
  ok: boolean;
  error?: string;
  latencyMs: number;
  /** The operator's reply, for ask_operator. */
  reply?: string;
}

export class CallLedger {
  readonly outcomes = new Map<string, CallOutcome>();
  private readonly seen = new Map<string, number>();
  /** Set when a call reached REPEAT_LIMIT; the loop stops after the current step. */
  repeated: { name: string; args: unknown } | null = null;

  /** Counts a call; true when it is one repetition too many. */
  count(name: string, args: unknown): boolean {
    const key = `${name} ${canonicalJson(args ?? null)}`;
    const n = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, n);
    if (n >= REPEAT_LIMIT && !this.repeated) this.repeated = { name, args };
    return n >= REPEAT_LIMIT;
  }
}

function repeatedError(name: string) {
  return {
    error: {
      code: 'repeated_call',
      message: `${name} was called ${REPEAT_LIMIT} times with the same arguments`,
      hint: 'The run stops here: repeating a call does not change its result',
    },
  };
}

export function buildTools(task: AgentTask, tools: AgentTools, ledger: CallLedger): ToolSet {
  const set: ToolSet = {};
  for (const t of tools.list()) {
    set[t.name] = dynamicTool({
      description: t.description,
      inputSchema: jsonSchema(t.inputSchema),
      execute: async (args, { toolCallId }) => {
        const t0 = performance.now();
        if (ledger.count(t.name, args)) {
          ledger.outcomes.set(toolCallId, { ok: false, error: 'repeated_call', latencyMs: 0 });
          return repeatedError(t.name);
        }
        const r = await tools.call(t.name, args);
        const latencyMs = performance.now() - t0;
        if (r.ok) {
          ledger.outcomes.set(toolCallId, { ok: true, latencyMs });
          return r.data;
        }
        ledger.outcomes.set(toolCallId, {
          ok: false,
          error: `${r.error.code}: ${r.error.message}`,
          latencyMs,
        });
        return { error: r.error };
      },
    });
  }
  set[ASK_OPERATOR_TOOL] = dynamicTool({
    description:
      'Ask the operator (the person who made the request) a clarifying question when the request is ' +
      'ambiguous. Returns their reply, or "no answer".',
    inputSchema: jsonSchema({
      type: 'object',
      properties: { question: { type: 'string', description: 'One short, specific question' } },
      required: ['question'],
      additionalProperties: false,
    }),
    execute: async (args, { toolCallId }) => {
      const t0 = performance.now();
      if (ledger.count(ASK_OPERATOR_TOOL, args)) {
        ledger.outcomes.set(toolCallId, { ok: false, error: 'repeated_call', latencyMs: 0 });
        return repeatedError(ASK_OPERATOR_TOOL);
      }
      const question = String((args as { question?: unknown } | null)?.question ?? '').trim();
      let reply: string;
      try {
        reply = (question ? await task.askOperator(question) : null) ?? 'no answer';
      } catch {
        // The operator is part of the harness; if it fails, the agent still has to go on.
        reply = 'no answer';
      }
      ledger.outcomes.set(toolCallId, { ok: true, latencyMs: performance.now() - t0, reply });
      return reply;
    },
  });
  return set;
}
