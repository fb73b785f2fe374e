// What every detector reads: one defensive view of the analysis input. The calls come from the
// evidence scorer's callsOf (the tool server's log joined with the steps, or the steps alone for
// imports with an empty log), so detectors and scoring agree on what a call and its outcome
// were. Nothing here trusts the input's shape: a trajectory read from anywhere may be half
// written, and a detector should see empty lists rather than trip over a missing field.
import type { Trajectory, TrajectoryStep } from '../../agents/trajectory.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import { type Call, callsOf, canonicalCall } from '../../scoring/evidence/calls.ts';
import { Aliases, buildAliases, entityArgs, sensorMatches } from '../../scoring/evidence/entities.ts';
import { isDataTool } from '../../scoring/evidence/tool-facts.ts';
import { clip, isObj, norm, parseJsonText, textOf } from '../../scoring/evidence/util.ts';
import type { AnalysisInput } from '../types.ts';

export interface CallView extends Call {
  /** Position (in View.steps) of the step where the call shows first; null when only in the log. */
  at: number | null;
  /** Position of the last step that shows it (its result, else the call). */
  end: number | null;
  /** The agent that made the call (the tool_call step's agent; the trajectory's otherwise). */
  agent: string;
  /** Tool and canonical arguments: equal keys are the same call. */
  key: string;
  /** The arguments as recorded (a string for arguments the agent wrote as unparsable text). */
  rawArgs: unknown;
}

export interface TextStep {
  at: number;
  agent: string;
  kind: string;
  text: string;
}

export interface View {
  steps: TrajectoryStep[];
  calls: CallView[];
  /** Thoughts, plans, messages, questions, handoffs and finals: what the agents said. */
  texts: TextStep[];
  /** The final answer, JSON text read as JSON. */
  answer: unknown;
  answerText: string;
  status: string;
  errors: Array<{ kind: string; message: string }>;
  /** Position of the last final step (else the last step); null for a trajectory with no steps. */
  finalAt: number | null;
  traps: string[];
  entities: string[];
  answerFormat: string | null;
  /** Names that mean the same asset, learnt from the results (asset listings pair ids and names). */
  aliases: Aliases;
  trajectory: Partial<Trajectory>;
}

/** What a detector found: the steps that show it and where it began (positions in View.steps). */
export interface Finding {
  from: number | null;
  to: number | null;
  /** The step where the failure began: its agent is blamed. */
  origin: number | null;
  evidence: string;
}

/** A call that reads the plant's data (the rule scoring uses: scoring/evidence/tool-facts.ts). */
export function isDataCall(call: Call): boolean {
  return isDataTool(call.tool);
}

/** Error codes that are the environment's fault: the message does not say what to change. */
export const TRANSIENT_CODES = new Set([
  'timeout',
  'unavailable',
  'internal',
  'error',
  'rate_limited',
  'server_error',
]);

/** Error codes that say the call itself was wrong: the next call is expected to differ. */
export const CALL_WRONG_CODES = new Set([
  'invalid_arguments',
  'invalid_argument',
  'validation_error',
  'bad_request',
  'unknown_tool',
  'not_found',
  'out_of_range',
  'no_data',
  'conflict',
]);

const TEXT_KINDS = new Set(['thought', 'plan', 'message', 'ask', 'final', 'handoff']);
// A call recovered from steps alone has no log: it needs a scenario only for alias learning
// from the plan, which detectors do not have; the results still teach ids and names.
const NO_SCENARIO = {} as Scenario;

function strings(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string' && s.trim() !== '') : [];
}

export function viewOf(input: AnalysisInput): View {
  const raw = isObj(input) ? input : ({} as Partial<AnalysisInput>);
  const traj = (isObj(raw.trajectory) ? raw.trajectory : {}) as Partial<Trajectory>;
  // The same filter as callsOf: positions here are positions there.
  const steps = (Array.isArray(traj.steps) ? traj.steps : []).filter((s) => isObj(s)) as TrajectoryStep[];
  const agentOf = (pos: number | null): string => {
    const a = pos === null ? undefined : steps[pos]?.agent;
    return typeof a === 'string' ? a : typeof traj.agent === 'string' ? traj.agent : 'agent';
  };
  const log = Array.isArray(traj.toolLog) ? traj.toolLog : [];
  const calls: CallView[] = callsOf(traj as Trajectory).map((c) => {
    const at = c.callStep ?? c.resultStep;
    const step = c.callStep === null ? undefined : steps[c.callStep];
    const logged = c.fromLog ? log.find((e) => isObj(e) && e.seq === c.seq) : undefined;
    return {
      ...c,
      at,
      end: c.resultStep ?? c.callStep,
      agent: agentOf(at),
      key: canonicalCall(c.tool, c.args),
      rawArgs: isObj(step?.tool) ? step.tool.args : logged?.args,
    };
  });
  const texts: TextStep[] = [];
  steps.forEach((s, i) => {
    if (!TEXT_KINDS.has(s.kind)) return;
    const text = [
      typeof s.content === 'string' ? s.content : '',
      isObj(s.handoff) ? textOf(s.handoff.request) : '',
    ]
      .join(' ')
      .trim();
    texts.push({ at: i, agent: agentOf(i), kind: s.kind, text });
  });
  let finalAt: number | null = steps.length > 0 ? steps.length - 1 : null;
  for (let i = steps.length - 1; i >= 0; i--)
    if (steps[i].kind === 'final') {
      finalAt = i;
      break;
    }
  let aliases = new Aliases();
  try {
    aliases = buildAliases(NO_SCENARIO, calls);
  } catch {
    // Nothing learnt: names are compared as written.
  }
  const answer = parseJsonText(traj.finalAnswer ?? null);
  return {
    steps,
    calls,
    texts,
    answer,
    answerText: textOf(answer),
    status: typeof traj.status === 'string' ? traj.status : 'completed',
    errors: (Array.isArray(traj.errors) ? traj.errors : [])
      .filter((e) => isObj(e))
      .map((e) => ({ kind: textOf(e.kind), message: textOf(e.message) })),
    finalAt,
    traps: strings(raw.traps),
    entities: strings(raw.entities),
    answerFormat: typeof raw.answerFormat === 'string' ? raw.answerFormat : null,
    aliases,
    trajectory: traj,
  };
}

/** "chiller_1", "Chiller-1" and "Chiller1" are one name: case, spaces and punctuation dropped. */
export function compact(name: string): string {
  return norm(name).replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Whether two names mean the same entity: written alike, or tied by the results (id and name). */
export function sameName(v: View, a: string, b: string, sensors = false): boolean {
  if (compact(a) === compact(b) || v.aliases.same(a, b)) return true;
  return sensors && sensorMatches(a, b);
}

/** The entities a call is about (assets, sites, sensors, and the handle it reads), as written. */
export function targetOf(call: Call): { names: string[]; sensors: string[] } {
  const e = entityArgs(call.args);
  const handle = typeof call.args.handle === 'string' ? [call.args.handle] : [];
  return { names: [...e.assets, ...e.sites, ...handle], sensors: e.sensors };
}

/** Same tool, about the same things (a retry may change dates or spellings, not the target). */
export function sameTarget(v: View, a: Call, b: Call): boolean {
  if (a.tool !== b.tool) return false;
  const ta = targetOf(a);
  const tb = targetOf(b);
  const covers = (x: string[], y: string[], sensors: boolean) =>
    x.every((n) => y.some((m) => sameName(v, n, m, sensors)));
  return (
    covers(ta.names, tb.names, false) &&
    covers(tb.names, ta.names, false) &&
    covers(ta.sensors, tb.sensors, true) &&
    covers(tb.sensors, ta.sensors, true)
  );
}

/**
 * A later call that continues an attempt that failed: the same tool on the same target, or, when
 * the failure said the call itself was wrong (unknown asset, bad arguments), any call of that
 * tool, since fixing the call is exactly what changes its target.
 */
export function continues(v: View, failed: Call, later: Call): boolean {
  if (later.tool !== failed.tool) return false;
  return sameTarget(v, failed, later) || CALL_WRONG_CODES.has(failed.errorCode ?? '');
}

/** "history(Chiller 1, Supply Temperature)": a call as a person would name it. */
export function describe(call: Call): string {
  const t = targetOf(call);
  const what = [...t.names, ...t.sensors].slice(0, 3);
  return `${call.tool}(${clip(what.join(', '), 60)})`;
}

/** The error of a failed call in a few words. */
export function errorOf(call: Call): string {
  return clip((call.error ?? call.errorCode ?? 'failed').replace(/\s+/g, ' ').trim(), 90);
}

/** Texts said after a position (by any agent), the final answer's step included. */
export function textsAfter(v: View, pos: number | null): TextStep[] {
  return pos === null ? v.texts : v.texts.filter((t) => t.at > pos);
}

export function quote(x: unknown, n = 70): string {
  return `"${clip(textOf(x).replace(/\s+/g, ' ').trim(), n)}"`;
}
