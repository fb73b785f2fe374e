// One AI SDK step (a model call and the tool calls it asked for) as trajectory steps:
// thought, tool_call or ask, tool_result, final. The model call's tokens and latency go on
// the first step it produced, so summing step tokens gives the run's usage exactly once.
import type { StepResult, ToolSet } from 'ai';
import { addStep, type NewStep, type Trajectory } from '../trajectory.ts';
import { ASK_OPERATOR_TOOL } from './prompt.ts';
import { type CallLedger, REPEAT_LIMIT } from './tools.ts';

export interface StepTiming {
  /** Wall time of the model call and its tool calls together. */
  elapsedMs: number;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : JSON.stringify(err);
}

function repeatedMessage(name: string, args: unknown): string {
  return `${name} was called ${REPEAT_LIMIT} times with the same arguments ${outputText(args)}; run stopped`;
}

function outputText(output: unknown): string {
  return typeof output === 'string' ? output : (JSON.stringify(output) ?? 'null');
}

export function recordStep(
  traj: Trajectory,
  step: StepResult<ToolSet>,
  ledger: CallLedger,
  timing: StepTiming,
): void {
  const agent = traj.agent;
  const at = new Date().toISOString();
  const tokens = { input: step.usage.inputTokens ?? 0, output: step.usage.outputTokens ?? 0 };
  traj.usage.inputTokens += tokens.input;
  traj.usage.outputTokens += tokens.output;
  traj.usage.calls += 1;

  let toolMs = 0;
  for (const part of step.content) {
    if (part.type === 'tool-result') toolMs += ledger.outcomes.get(part.toolCallId)?.latencyMs ?? 0;
  }
  let modelShare: Pick<NewStep, 'tokens' | 'latencyMs'> | null = {
    tokens,
    latencyMs: Math.max(0, timing.elapsedMs - toolMs),
  };
  const add = (s: Omit<NewStep, 'agent' | 'at'>) => {
    const full = addStep(traj, { agent, at, ...(modelShare ?? {}), ...s });
    modelShare = null;
    return full;
  };

  const isFinal = step.toolCalls.length === 0;
  const calls = new Map<string, { name: string; args: unknown }>();
  for (const part of step.content) {
    switch (part.type) {
      case 'reasoning':
        if (part.text.trim()) add({ kind: 'thought', content: part.text });
        break;
      case 'text':
        // Text beside tool calls is the model thinking aloud; without them it is the answer.
        if (!isFinal && part.text.trim()) add({ kind: 'thought', content: part.text });
        break;
      case 'tool-call': {
        const args = part.input;
        calls.set(part.toolCallId, { name: part.toolName, args });
        const tool = { name: part.toolName, args, callId: part.toolCallId };
        if (part.dynamic && part.invalid) {
          // Unknown tool or unparsable arguments: the SDK feeds the error back as the
          // result; we keep it as an error of the run too.
          const message = errorText(part.error);
          const s = add({
            kind: 'tool_call',
            content: `${part.toolName} ${outputText(args)}`,
            tool: { ...tool, ok: false, error: message },
          });
          traj.errors.push({ kind: 'invalid_tool_call', message, step: s.index });
          if (ledger.count(part.toolName, args)) {
            traj.errors.push({
              kind: 'repeated_call',
              message: repeatedMessage(part.toolName, args),
              step: s.index,
            });
          }
        } else if (part.toolName === ASK_OPERATOR_TOOL) {
          const question = (args as { question?: unknown } | null)?.question;
          add({ kind: 'ask', content: typeof question === 'string' ? question : outputText(args), tool });
        } else {
          add({ kind: 'tool_call', content: `${part.toolName} ${outputText(args)}`, tool });
        }
        break;
      }
      case 'tool-result': {
        const outcome = ledger.outcomes.get(part.toolCallId);
        const call = calls.get(part.toolCallId) ?? { name: part.toolName, args: part.input };
        const s = add({
          kind: 'tool_result',
          content: outputText(part.output),
          tool: {
            ...call,
            callId: part.toolCallId,
            ok: outcome?.ok ?? true,
            ...(outcome?.error ? { error: outcome.error } : {}),
          },
          ...(outcome ? { latencyMs: outcome.latencyMs } : {}),
        });
        if (outcome?.error === 'repeated_call') {
          traj.errors.push({
            kind: 'repeated_call',
            message: repeatedMessage(call.name, call.args),
            step: s.index,
          });
        }
        break;
      }
      case 'tool-error': {
        const call = calls.get(part.toolCallId) ?? { name: part.toolName, args: part.input };
        const message = errorText(part.error);
        add({
          kind: 'tool_result',
          content: message,
          tool: { ...call, callId: part.toolCallId, ok: false, error: message },
        });
        break;
      }
      default:
        break;
    }
  }
  if (isFinal) add({ kind: 'final', content: step.text });
}
