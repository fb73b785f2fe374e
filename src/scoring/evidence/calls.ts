// One view of "what the agent called": the tool server's own log (what really happened) joined
// with the steps (what the agent saw back). Imported AssetOpsBench trajectories have no server
// log, so their tool_call/tool_result steps stand in for it. Every scorer reads calls from here,
// so they all agree on what a call, its arguments and its outcome were.

import type { Trajectory, TrajectoryStep } from '../../agents/trajectory.ts';
import { ARG_ALIASES as TOOL_ARG_ALIASES } from '../../tools/session.ts';
import { canonicalJson } from '../../util/hash.ts';
import { isObj, norm, type Obj, parseJsonText } from './util.ts';

export type FaultKind = 'error' | 'timeout' | 'partial' | 'stale';

export interface Call {
  /** The tool log's seq; for calls read from steps, the call's position (1-based). */
  seq: number;
  tool: string;
  /** Arguments with other agents' names mapped to ours (equipment_id -> asset), nulls dropped. */
  args: Obj;
  ok: boolean;
  /** The structured error code (invalid_arguments, not_found, timeout...), when it failed. */
  errorCode: string | null;
  error: string | null;
  /** A fault the tool server injected (hostile and flaky profiles). */
  fault: FaultKind | null;
  /** Index of the tool_call step, when one matches. */
  callStep: number | null;
  /** Index of the tool_result step, when one matches. */
  resultStep: number | null;
  /** What the agent saw back (the tool_result content), when recorded. */
  resultText: string | null;
  /** resultText read as JSON, when it is JSON (results clipped by the recorder are not). */
  result: unknown;
  /** True when the call comes from the tool server's log, false when only from steps. */
  fromLog: boolean;
  /**
   * True for a call the agent tried that never reached a tool (an unknown tool name, arguments
   * that are not JSON or not valid, a call the agent's own repeat guard refused): it is in the
   * trajectory's steps but not in the server's log, and it counts against the agent.
   */
  rejected: boolean;
}

/**
 * Argument names other agents use, mapped to ours: the tool session's own aliases, plus two
 * that only appear in imported trajectories (the session rejects them, but a scorer reading
 * an AssetOpsBench run must still know what they meant).
 */
const ARG_ALIASES: Record<string, string> = { ...TOOL_ARG_ALIASES, site_id: 'site', sensor_name: 'sensor' };

export function normaliseArgs(raw: unknown): Obj {
  const parsed = parseJsonText(raw);
  if (!isObj(parsed)) return {};
  const out: Obj = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (v === null || v === undefined) continue;
    const key = k in ARG_ALIASES && !(ARG_ALIASES[k] in parsed) ? ARG_ALIASES[k] : k;
    out[key] = v;
  }
  return out;
}

/** Tool + arguments in one comparable string: keys sorted, names normalised. */
export function canonicalCall(tool: string, args: Obj): string {
  const normValue = (v: unknown): unknown => {
    if (typeof v === 'string') return norm(v);
    if (Array.isArray(v)) return v.map(normValue);
    if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normValue(x)]));
    return v;
  };
  try {
    return `${tool} ${canonicalJson(normValue(args))}`;
  } catch {
    return `${tool} ?`;
  }
}

/** The error code of an error text: "not_found: unknown asset" -> not_found; else a guess from words. */
export function errorCodeOf(text: string): string {
  const m = /^\s*([a-z][a-z_]+)\s*:/.exec(text);
  if (m) return m[1];
  if (/invalid|validation|missing (required )?(argument|field|parameter)/i.test(text))
    return 'invalid_arguments';
  if (/unknown tool|unavailable tool|no (such )?tool|not a (valid )?tool|tried to call/i.test(text))
    return 'unknown_tool';
  if (/not found|unknown (asset|site|sensor)|does not exist|no such/i.test(text)) return 'not_found';
  if (/timed? ?out/i.test(text)) return 'timeout';
  return 'error';
}

/** A step's tool result that says it failed, for imports that record no ok flag. */
function looksFailed(content: string): boolean {
  return /^\s*(error|exception|traceback|failed)\b/i.test(content) || /^\s*\{\s*"error"\s*:/.test(content);
}

interface StepCall {
  step: number;
  name: string;
  args: unknown;
  callId: string;
  used: boolean;
}

function stepsOf(traj: Trajectory): TrajectoryStep[] {
  return Array.isArray(traj?.steps) ? traj.steps.filter((s) => isObj(s)) : [];
}

/** Pairs each tool_call step with the first unused tool_result step of the same callId after it. */
function resultFinder(steps: TrajectoryStep[]): (call: StepCall) => number | null {
  const byId = new Map<string, number[]>();
  steps.forEach((s, i) => {
    if (s.kind !== 'tool_result' || !isObj(s.tool)) return;
    const id = String(s.tool.callId);
    byId.set(id, [...(byId.get(id) ?? []), i]);
  });
  const used = new Set<number>();
  return (call) => {
    const hit = (byId.get(call.callId) ?? []).find((i) => i > call.step && !used.has(i));
    if (hit === undefined) return null;
    used.add(hit);
    return hit;
  };
}

function resultView(steps: TrajectoryStep[], index: number | null) {
  if (index === null) return { resultText: null, result: undefined };
  const text = typeof steps[index].content === 'string' ? steps[index].content : '';
  const parsed = parseJsonText(text);
  return { resultText: text, result: parsed === text ? undefined : parsed };
}

/** The calls of a trajectory, in the order they happened. Never throws. */
export function callsOf(traj: Trajectory): Call[] {
  try {
    return readCalls(traj);
  } catch {
    return [];
  }
}

function readCalls(traj: Trajectory): Call[] {
  const steps = stepsOf(traj);
  const stepCalls: StepCall[] = [];
  steps.forEach((s, i) => {
    if (s.kind === 'tool_call' && isObj(s.tool) && typeof s.tool.name === 'string')
      stepCalls.push({
        step: i,
        name: s.tool.name,
        args: s.tool.args,
        callId: String(s.tool.callId),
        used: false,
      });
  });
  const findResult = resultFinder(steps);
  const log = Array.isArray(traj?.toolLog) ? traj.toolLog.filter((e) => isObj(e)) : [];

  if (log.length > 0) {
    const logged: Call[] = log.map((entry, i) => {
      const args = normaliseArgs(entry.args);
      const key = canonicalCall(entry.tool, args);
      // Same tool and same arguments first (parallel calls may be recorded in another order).
      const candidates = stepCalls.filter((c) => !c.used && c.name === entry.tool);
      const call =
        candidates.find((c) => canonicalCall(c.name, normaliseArgs(c.args)) === key) ?? candidates[0];
      if (call) call.used = true;
      const resultStep = call ? findResult(call) : null;
      const error = entry.ok ? null : entry.error ? `${entry.error.code}: ${entry.error.message}` : 'failed';
      return {
        seq: typeof entry.seq === 'number' ? entry.seq : i + 1,
        tool: String(entry.tool),
        args,
        ok: entry.ok === true,
        errorCode: entry.ok ? null : (entry.error?.code ?? 'error'),
        error,
        fault: entry.fault?.kind ?? null,
        callStep: call ? call.step : null,
        resultStep,
        ...resultView(steps, resultStep),
        fromLog: true,
        rejected: false,
      };
    });
    return withRejected(logged, rejectedCalls(steps, stepCalls, findResult));
  }

  // No server log (imports): the steps are all there is.
  return stepCalls.map((call, i) => {
    const resultStep = findResult(call);
    const result = resultStep === null ? undefined : steps[resultStep];
    const content = typeof result?.content === 'string' ? result.content : '';
    const ok = result === undefined ? false : (result.tool?.ok ?? !looksFailed(content));
    const error = ok
      ? null
      : (result?.tool?.error ?? (result ? content.slice(0, 200) : 'no result recorded'));
    return {
      seq: i + 1,
      tool: call.name,
      args: normaliseArgs(call.args),
      ok,
      errorCode: ok ? null : errorCodeOf(error ?? ''),
      error,
      fault: null,
      callStep: call.step,
      resultStep,
      ...resultView(steps, resultStep),
      fromLog: false,
      rejected: false,
    };
  });
}

/** The error text a rejected call's steps carry: on the call itself, or on its result. */
function rejectionOf(steps: TrajectoryStep[], call: StepCall, resultStep: number | null): string {
  const own = steps[call.step]?.tool;
  if (own?.ok === false && own.error) return own.error;
  const result = resultStep === null ? undefined : steps[resultStep]?.tool;
  if (result?.ok === false && result.error) return result.error;
  return 'not_executed: the call never reached a tool';
}

/**
 * Tool calls of the steps that no log entry matched: the agent asked for them, but they never
 * reached the tool server (the agent's own runtime refused them first).
 */
function rejectedCalls(
  steps: TrajectoryStep[],
  stepCalls: StepCall[],
  findResult: (call: StepCall) => number | null,
): Call[] {
  return stepCalls
    .filter((c) => !c.used)
    .map((c) => {
      const resultStep = findResult(c);
      const error = rejectionOf(steps, c, resultStep);
      const code = /^repeated_call\b/.test(error) ? 'repeated_call' : errorCodeOf(error);
      return {
        seq: 0,
        tool: c.name,
        args: normaliseArgs(c.args),
        ok: false,
        // A call refused for its shape is malformed; one refused as a repeat is a repeat.
        errorCode: code === 'error' ? 'invalid_arguments' : code,
        error,
        fault: null,
        callStep: c.step,
        resultStep,
        ...resultView(steps, resultStep),
        fromLog: false,
        rejected: true,
      };
    });
}

/** The logged calls with the rejected ones placed where their steps put them. */
function withRejected(logged: Call[], rejected: Call[]): Call[] {
  if (rejected.length === 0) return logged;
  const out: Call[] = [];
  let r = 0;
  for (const call of logged) {
    while (r < rejected.length && call.callStep !== null && (rejected[r].callStep ?? 0) < call.callStep)
      out.push(rejected[r++]);
    out.push(call);
  }
  out.push(...rejected.slice(r));
  return out;
}

/** Where a call is, for evidence pointers: its log seq, else its step. */
export function pointTo(call: Call, note: string): { call?: number; step?: number; note: string } {
  if (call.fromLog && call.seq > 0)
    return { call: call.seq, ...(call.resultStep !== null ? { step: call.resultStep } : {}), note };
  return { ...(call.callStep !== null ? { step: call.callStep } : {}), note };
}

/** A short label of a call for rationales: "history(Chiller 1) #3". */
export function describeCall(call: Call): string {
  const entity = [call.args.asset, call.args.site, call.args.sensor].find((v) => typeof v === 'string');
  return `${call.tool}${entity ? `(${entity})` : ''} ${call.rejected ? `(refused, step ${call.callStep})` : `#${call.seq}`}`;
}
