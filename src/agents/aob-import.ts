// Importers for AssetOpsBench trajectory files: the v0 ReActXen export (short and full log),
// the latest SDK runners' turn records, the MCP plan-execute StepResult list and the
// AgentHive/CODS task list. Each becomes our Trajectory so the same scorers and failure
// analysis run on IBM's published runs and on ours. Anything unrecognised is a plain Error
// naming the shapes we accept; the importer never throws anything else.
//
// What is kept, and how: ReAct action inputs become structured arguments (aob-action-input.ts;
// the step's content keeps the text as written); the reflection reviewer's verdicts become the
// agent's own messages; an AgentHive task is a handoff carrying the context it was handed, and
// the worker's answer is that handoff's result (only the trajectory has a final step); a null
// tool output is a failed call, not an empty success; the start time is the record's own, else
// the file's.
import { readFileSync, statSync } from 'node:fs';
import { canonicalJson, sha256Hex } from '../util/hash.ts';
import { parseActionInput, type Signatures, signaturesOf } from './aob-action-input.ts';
import {
  addStep,
  answerText,
  type NewStep,
  type Provenance,
  parseTrajectory,
  type Trajectory,
  type TrajectoryStep,
  toJsonValue,
} from './trajectory.ts';

type Obj = Record<string, unknown>;

const EXPECTED =
  'expected an AssetOpsBench trajectory: a v0 ReAct object {task, trajectory:[{thought, action, ' +
  'action_input, observation}], final_answer}, a run record {run_id, scenario_id, runner, model, ' +
  'question, answer, trajectory:{turns}}, a plan-execute StepResult list [{step_number, task, server, ' +
  'tool, tool_args, response, error}], an AgentHive/CODS object {id, text, trajectory:[{task_number, ' +
  'task_description, agent_name, response}]}, or an array of these';

// Used only when neither the record nor the caller (the file's modification time) gives a time.
const UNKNOWN_TIME = '1970-01-01T00:00:00.000Z';
const TIME_KEYS = ['started_at', 'start_time', 'startedAt', 'timestamp', 'created_at', 'date', 'time'];
const UNKNOWN_SCENARIO = 'unknown';

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Any JSON value as display text (tool outputs are often objects). */
function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  return answerText(v);
}

function nonEmpty(v: unknown): boolean {
  return typeof v === 'string' ? v.trim() !== '' : v !== undefined && v !== null;
}

/** Token counts and durations from foreign files: anything but a finite number >= 0 is 0. */
function count(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v) : 0;
}

function millis(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

function idText(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** Python writes naive or "+00:00" timestamps; naive ones are UTC there. */
function isoTime(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const zoned = /[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The first timestamp a record (or its logs) carries under one of the usual keys. */
function recordTime(...objs: unknown[]): string | undefined {
  for (const o of objs) {
    if (!isObj(o)) continue;
    for (const k of TIME_KEYS) {
      const v = o[k];
      const t =
        typeof v === 'number' && v > 1e9 ? new Date(v < 1e12 ? v * 1000 : v).toISOString() : isoTime(v);
      if (t) return t;
    }
  }
  return undefined;
}

function addMillis(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** A deterministic id from the content, so re-importing a file yields the same ids. */
function contentId(prefix: string, record: unknown): string {
  return `${prefix}-${sha256Hex(canonicalJson(record) ?? '').slice(0, 16)}`;
}

// ---------------------------------------------------------------- building

/** A trajectory under construction, with a call-id counter shared by nested sub-agents. */
interface Builder {
  traj: Trajectory;
  nextCall: number;
}

function builder(base: {
  id: string;
  scenarioId: string;
  agent: string;
  model: string | null;
  track: Trajectory['track'];
  task?: string;
  startedAt?: string;
  provenance: Provenance;
}): Builder {
  const traj: Trajectory = {
    schemaVersion: 1,
    id: base.id,
    scenarioId: base.scenarioId,
    agent: base.agent,
    model: base.model,
    track: base.track,
    ...(base.task !== undefined ? { task: base.task } : {}),
    startedAt: base.startedAt ?? UNKNOWN_TIME,
    finishedAt: null,
    steps: [],
    finalAnswer: null,
    status: 'failed',
    usage: { inputTokens: 0, outputTokens: 0, calls: 0, costUsd: 0, latencyMs: 0 },
    errors: [],
    toolLog: [],
    provenance: base.provenance,
  };
  return { traj, nextCall: 1 };
}

function push(b: Builder, step: NewStep): TrajectoryStep {
  return addStep(b.traj, step);
}

function callId(b: Builder, given?: unknown): string {
  const id = idText(given);
  b.nextCall += 1;
  return id ?? `call-${b.nextCall - 1}`;
}

function recordError(b: Builder, kind: string, message: string, step?: number): void {
  b.traj.errors.push(step === undefined ? { kind, message } : { kind, message, step });
}

/**
 * Sets the final answer and status. Imported files say nothing explicit about success, so a
 * non-empty answer counts as completed and no answer as failed (unless an error was recorded).
 */
function close(b: Builder, answer: unknown, agent: string): Trajectory {
  const t = b.traj;
  if (nonEmpty(answer)) {
    t.finalAnswer = toJsonValue(answer);
    if (t.steps.at(-1)?.kind !== 'final') push(b, { agent, kind: 'final', content: text(answer) });
  }
  if (t.status !== 'error') t.status = t.finalAnswer !== null ? 'completed' : 'failed';
  if (t.usage.latencyMs === 0) {
    t.usage.latencyMs = t.steps.reduce((sum, s) => sum + (s.latencyMs ?? 0), 0);
  }
  t.finishedAt = addMillis(t.startedAt, t.usage.latencyMs);
  // Catches importer bugs as a plain Error instead of handing on a broken trajectory.
  return parseTrajectory(t, `imported trajectory ${t.id}`);
}

// ---------------------------------------------------------------- (a) v0 ReActXen

const FINISH_BRACKET = /^\s*Finish\s*\[([\s\S]*)\]\s*$/i;
const TOOL_NAME_PARAM = /^\s*Tool Name:\s*([\s\S]*?)\s*,\s*Tool Parameter:\s*([\s\S]*)$/;
const NAME_BRACKET = /^\s*([A-Za-z_][\w.-]*)\s*\[([\s\S]*)\]\s*$/;
// Agent-as-tool: the outer ReAct agent calls IoTAgent, FMSRAgent, ... with a request string.
const SUB_AGENT = /^[A-Za-z][A-Za-z0-9_]*Agent$/;

interface ParsedAction {
  finish: boolean;
  name: string;
  args: unknown;
}

/** Splits the action text into a tool name and arguments; "Finish" in any spelling ends the run. */
function parseAction(action: unknown, actionInput: unknown): ParsedAction | undefined {
  if (Array.isArray(action)) return parseAction(action.map((a) => text(a)).join(' '), actionInput);
  const a = typeof action === 'string' ? action : action == null ? '' : text(action);
  if (a.trim() === '') return undefined;
  const bracketFinish = FINISH_BRACKET.exec(a);
  if (bracketFinish) return { finish: true, name: 'Finish', args: bracketFinish[1] };
  const named = TOOL_NAME_PARAM.exec(a) ?? NAME_BRACKET.exec(a);
  const name = named ? named[1] : a.trim();
  const args =
    actionInput !== undefined && actionInput !== null && actionInput !== '' ? actionInput : named?.[2];
  return { finish: name.toLowerCase() === 'finish', name, args: args ?? null };
}

function stepRecords(obj: Obj): unknown[] {
  // The full log's trajectroy_log (sic) keeps action_input, state and loop flags apart,
  // which the short trajectory folds into the action text; prefer it when present.
  const log = obj.trajectroy_log ?? obj.trajectory_log;
  if (Array.isArray(log) && log.length > 0) return log;
  return Array.isArray(obj.trajectory) ? obj.trajectory : [];
}

/** One ReAct run being read: who acts, its tools' parameter names, and whether it is nested. */
interface Run {
  agent: string;
  signatures: Signatures;
  /** A sub-agent's or an AgentHive worker's run: its Finish hands a result back, it ends nothing. */
  nested: boolean;
}

function reactStep(b: Builder, raw: unknown, n: number, run: Run): unknown {
  if (!isObj(raw)) throw new Error(`ReAct step ${n} is not an object (got ${typeName(raw)})`);
  const first = b.traj.steps.length;
  const { agent } = run;
  if (nonEmpty(raw.thought)) push(b, { agent, kind: 'thought', content: text(raw.thought) });
  const answer = reactAction(b, raw, run);
  if (nonEmpty(raw.is_loop_detected) && b.traj.steps.length > first) {
    recordError(b, 'loop', `loop detected: ${text(raw.is_loop_detected)}`, b.traj.steps.length - 1);
  }
  return answer;
}

function reactAction(b: Builder, raw: Obj, run: Run): unknown {
  const { agent } = run;
  const action = parseAction(raw.action, raw.action_input);
  if (!action) {
    if (nonEmpty(raw.observation)) push(b, { agent, kind: 'message', content: text(raw.observation) });
    return undefined;
  }
  if (action.finish) {
    // Only the top-level run's Finish is the trajectory's answer; a worker's is a handoff result,
    // added by the caller as the result of its handoff, so it is not a step of its own here.
    if (!run.nested) push(b, { agent, kind: 'final', content: text(action.args) });
    return action.args;
  }
  reactCall(b, raw, action, run);
  return undefined;
}

// The model's own text for the action, when the full log kept it (" Finish\nAction Input 2: ...").
const RAW_FINISH = /^\s*Finish\b/i;

function reactCall(b: Builder, raw: Obj, action: ParsedAction, run: Run): void {
  const { agent } = run;
  const state = str(raw.state) ?? '';
  const invalid = /invalid/i.test(state);
  const id = callId(b);
  const isHandoff = SUB_AGENT.test(action.name);
  const rawInput = typeof action.args === 'string' ? action.args : text(action.args);
  // The step's content keeps the input as written; the tool's args are the structured reading.
  const args = isHandoff
    ? { request: rawInput }
    : parseActionInput(action.args, run.signatures.get(action.name));
  const tool = { name: action.name, args, callId: id };
  const call = push(b, {
    agent,
    kind: isHandoff ? 'handoff' : 'tool_call',
    content: `${action.name}[${rawInput}]`,
    tool,
    ...(isHandoff ? { handoff: { from: agent, to: action.name, request: rawInput } } : {}),
  });
  if (invalid) recordError(b, 'invalid_action', state, call.index);
  // The model wrote Finish and kept going; the parser then took a later action from the same
  // output. The record of it would be lost with the raw text, so it is kept as an error.
  const rawAction = str(raw.raw_llm_action_output);
  if (rawAction && RAW_FINISH.test(rawAction) && action.name.toLowerCase() !== 'finish') {
    recordError(
      b,
      'ran_past_finish',
      `the model wrote Finish, then went on to ${action.name}: ${rawAction.trim().slice(0, 200)}`,
      call.index,
    );
  }
  // The sub-agent's own run is attached to the handoff step; splice it in before the result.
  const sub = subTrajectory(raw.step_trajectory_json);
  if (sub) reactSteps(b, sub, action.name, true);
  // A null observation is no output at all: failed, unless the log says the action was valid
  // (then it returned nothing, an empty result).
  const missing = raw.observation === null || raw.observation === undefined;
  const failed = invalid || (missing && !/valid action/i.test(state));
  const error = invalid ? state : missing && failed ? 'no output recorded (null)' : undefined;
  const result = { ...tool, ok: !failed, ...(error ? { error } : {}) };
  push(b, { agent, kind: 'tool_result', content: text(raw.observation), tool: result });
}

function subTrajectory(v: unknown): Obj | undefined {
  let value = v;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return isObj(value) && (Array.isArray(value.trajectory) || Array.isArray(value.trajectroy_log))
    ? value
    : undefined;
}

/**
 * Adds one ReAct run's steps (and its token counts) and returns the Finish answer, if any. The
 * reflection reviewer's verdicts ("Task Status: Accomplished ...") follow as the agent's own
 * messages: they are its claim of success, which overstated-completion checks against the record.
 */
function reactSteps(b: Builder, obj: Obj, agent: string, nested = false): unknown {
  const run: Run = { agent, signatures: signaturesOf(obj.system_prompt), nested };
  let finished: unknown;
  stepRecords(obj).forEach((raw, i) => {
    const answer = reactStep(b, raw, i + 1, run);
    if (answer !== undefined) finished = answer;
  });
  if (Array.isArray(obj.reviews)) {
    for (const r of obj.reviews) {
      const review = isObj(r) ? reviewText(r) : text(r);
      if (review.trim() !== '') push(b, { agent, kind: 'message', content: review.trim() });
    }
  }
  addModelStats(b, obj);
  return finished;
}

/** A structured review {status, reasoning, suggestions} in the words the text form uses. */
function reviewText(r: Obj): string {
  return [
    nonEmpty(r.status) ? `Task Status: ${text(r.status)}` : '',
    nonEmpty(r.reasoning) ? `Reasoning: ${text(r.reasoning)}` : '',
    nonEmpty(r.suggestions) ? `Suggestions for Improvement: ${text(r.suggestions)}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

function addModelStats(b: Builder, obj: Obj): void {
  const info = isObj(obj.info) ? obj.info : obj;
  const stats = isObj(info.model_stats) ? info.model_stats : undefined;
  if (!stats) return;
  const u = b.traj.usage;
  u.inputTokens += count(stats.tokens_sent);
  u.outputTokens += count(stats.tokens_received);
  u.calls += count(stats.api_calls);
  u.costUsd += typeof stats.total_cost === 'number' && stats.total_cost > 0 ? stats.total_cost : 0;
}

function fromReact(obj: Obj, origin: Origin): Trajectory {
  const agent = str(obj.agent) ?? str(obj.agent_name) ?? 'ReActXen';
  const b = builder({
    // v0 `id` names the scenario, shared by every model's run of it: not a trajectory id.
    id: idText(obj.run_id) ?? contentId('aob-react', obj),
    scenarioId: idText(obj.scenario_id) ?? idText(obj.id) ?? UNKNOWN_SCENARIO,
    agent,
    model: str(obj.model) ?? str(obj.model_id) ?? str(obj.react_llm_model_id) ?? null,
    track: 'execution',
    task: str(obj.task) ?? str(obj.question),
    startedAt: startOf(origin, obj, obj.info),
    provenance: provenance('aob-react', origin),
  });
  const finished = reactSteps(b, obj, agent);
  return close(b, nonEmpty(obj.final_answer) ? obj.final_answer : finished, agent);
}

// ---------------------------------------------------------------- (b) latest run records

interface Pending {
  depth: number;
  step: NewStep;
}

function looksFailed(output: unknown): boolean {
  // SDK runners record an MCP tool's output as the JSON text it returned: read it to see an error.
  if (typeof output === 'string' && output.trimStart().startsWith('{')) {
    try {
      return looksFailed(JSON.parse(output));
    } catch {
      return false;
    }
  }
  if (!isObj(output)) return false;
  return output.is_error === true || output.isError === true || nonEmpty(output.error);
}

function requestOf(input: unknown): string {
  return isObj(input) && typeof input.request === 'string' ? input.request : text(input);
}

/**
 * One assistant turn: its text, then each tool call and (unless delegated) its result. A turn
 * with no calls whose text is the run's answer (`answers`) is the final step itself, so the
 * answer is there once, with that turn's tokens and time.
 */
function runTurn(
  b: Builder,
  turn: Obj,
  agent: string,
  subAgents: Set<string>,
  pending: Pending[],
  answers = false,
): void {
  const calls = Array.isArray(turn.tool_calls) ? turn.tool_calls.filter(isObj) : [];
  const depth = count(turn.depth);
  const tokens = { input: count(turn.input_tokens), output: count(turn.output_tokens) };
  const latency = millis(turn.duration_ms);
  // Usage belongs to the turn, so it rides on the turn's first step.
  let meta: Partial<NewStep> = { tokens, ...(latency !== undefined ? { latencyMs: latency } : {}) };
  if (nonEmpty(turn.text) || calls.length === 0) {
    const kind = calls.length > 0 ? 'thought' : answers ? 'final' : 'message';
    push(b, { agent, kind, content: text(turn.text), ...meta });
    meta = {};
  }
  for (const c of calls) {
    const name = str(c.name) ?? 'unknown';
    const args = isObj(c.input) ? c.input : parseActionInput(c.input);
    const tool = { name, args, callId: callId(b, c.id) };
    const delegated = subAgents.has(name);
    push(b, {
      agent,
      kind: delegated ? 'handoff' : 'tool_call',
      content: `${name}(${text(c.input)})`,
      tool,
      ...(delegated ? { handoff: { from: agent, to: name, request: requestOf(c.input) } } : {}),
      ...meta,
    });
    meta = {};
    // No output at all (null) is not an empty success: the call produced nothing.
    const missing = c.output === null || c.output === undefined;
    const ok = !missing && !looksFailed(c.output);
    const callMs = millis(c.duration_ms);
    const result: NewStep = {
      agent,
      kind: 'tool_result',
      content: text(c.output),
      tool: { ...tool, ok, ...(missing ? { error: 'no output recorded (null)' } : {}) },
      ...(callMs !== undefined ? { latencyMs: callMs } : {}),
    };
    // A delegated call's output is the sub-agent's answer: it belongs after the sub-agent's turns.
    if (delegated) pending.push({ depth, step: result });
    else push(b, result);
  }
}

function flushPending(b: Builder, pending: Pending[], depth: number): void {
  while (pending.length > 0 && pending[pending.length - 1].depth >= depth) {
    push(b, pending.pop()!.step);
  }
}

function runSteps(b: Builder, turns: Obj[], rootAgent: string, answer: unknown): void {
  // Sub-agent turns follow the root turn that invoked them; their agent is the delegation tool.
  const subAgents = new Set(turns.filter((t) => count(t.depth) > 0).map((t) => str(t.agent) ?? ''));
  const pending: Pending[] = [];
  // The last turn gives the answer when it says exactly the answer, calls nothing and is the root's.
  const last = turns.at(-1);
  const answering =
    last !== undefined &&
    count(last.depth) === 0 &&
    !(Array.isArray(last.tool_calls) && last.tool_calls.length > 0) &&
    typeof answer === 'string' &&
    answer.trim() !== '' &&
    text(last.text).trim() === answer.trim();
  for (const [i, turn] of turns.entries()) {
    const depth = count(turn.depth);
    flushPending(b, pending, depth);
    const named = str(turn.agent);
    const agent = depth === 0 && (named === undefined || named === 'root') ? rootAgent : (named ?? rootAgent);
    runTurn(b, turn, agent, subAgents, pending, answering && i === turns.length - 1);
    b.traj.usage.inputTokens += count(turn.input_tokens);
    b.traj.usage.outputTokens += count(turn.output_tokens);
    b.traj.usage.calls += 1;
    b.traj.usage.latencyMs += millis(turn.duration_ms) ?? 0;
  }
  flushPending(b, pending, 0);
}

function fromRun(obj: Obj, origin: Origin): Trajectory {
  const inner = isObj(obj.trajectory) ? obj.trajectory : obj;
  const turns = Array.isArray(inner.turns) ? inner.turns : [];
  const agent = str(obj.runner) ?? 'aob-runner';
  const b = builder({
    id: idText(obj.run_id) ?? contentId('aob-run', obj),
    scenarioId: idText(obj.scenario_id) ?? UNKNOWN_SCENARIO,
    agent,
    model: str(obj.model) ?? null,
    track: 'execution',
    task: str(obj.question),
    startedAt: startOf(origin, inner, obj),
    provenance: provenance('aob-runs', origin),
  });
  turns.forEach((t, i) => {
    if (!isObj(t)) throw new Error(`turn ${i + 1} is not an object (got ${typeName(t)})`);
  });
  runSteps(b, turns as Obj[], agent, obj.answer);
  const metrics = isObj(inner.metrics) ? inner.metrics : {};
  const cost = metrics.cost_usd ?? metrics.total_cost;
  if (typeof cost === 'number' && Number.isFinite(cost) && cost > 0) b.traj.usage.costUsd = cost;
  if (nonEmpty(obj.error)) {
    b.traj.status = 'error';
    recordError(b, 'run_error', text(obj.error));
  }
  return close(b, obj.answer, agent);
}

// ---------------------------------------------------------------- (c) plan-execute StepResult list

function isStepResult(v: unknown): v is Obj {
  return isObj(v) && 'step_number' in v && ('server' in v || 'tool' in v || 'response' in v);
}

function planText(plan: unknown): string | undefined {
  if (!isObj(plan)) return typeof plan === 'string' && plan !== '' ? plan : undefined;
  if (nonEmpty(plan.raw)) return text(plan.raw);
  if (!Array.isArray(plan.steps)) return undefined;
  return plan.steps
    .filter(isObj)
    .map((s) => `#Task${text(s.step_number)}: ${text(s.task)} (${text(s.server)}/${text(s.tool)})`)
    .join('\n');
}

/** One executed plan step: a tool call and its result, or a reasoning step when tool is none. */
function planStep(b: Builder, s: Obj, fallbackAgent: string): void {
  // Reasoning steps name the server 'none'; the orchestrator itself did that thinking.
  const server = str(s.server) ?? '';
  const agent = server === '' || server.toLowerCase() === 'none' ? fallbackAgent : server;
  const toolName = str(s.tool) ?? '';
  const error = nonEmpty(s.error) ? text(s.error) : undefined;
  const latency = millis(s.duration_ms);
  const timing = latency !== undefined ? { latencyMs: latency } : {};
  if (toolName === '' || toolName.toLowerCase() === 'none') {
    const step = push(b, { agent, kind: 'thought', content: text(s.response ?? s.task), ...timing });
    if (error) recordError(b, text(s.failure_kind) || 'step_error', error, step.index);
    return;
  }
  const tool = { name: toolName, args: s.tool_args ?? {}, callId: callId(b, `step-${text(s.step_number)}`) };
  push(b, { agent, kind: 'tool_call', content: text(s.task), tool });
  const result = push(b, {
    agent,
    kind: 'tool_result',
    content: error ?? text(s.response),
    tool: { ...tool, ok: error === undefined, ...(error ? { error } : {}) },
    ...timing,
  });
  if (error) recordError(b, text(s.failure_kind) || 'tool_error', error, result.index);
}

function fromSteps(list: unknown[], meta: Obj, origin: Origin): Trajectory {
  const agent = str(meta.runner) ?? 'plan-execute';
  const b = builder({
    id: idText(meta.run_id) ?? contentId('aob-steps', { meta, list }),
    scenarioId: idText(meta.scenario_id) ?? UNKNOWN_SCENARIO,
    agent,
    model: str(meta.model) ?? null,
    track: 'planning',
    task: str(meta.question),
    startedAt: startOf(origin, meta),
    provenance: provenance('aob-steps', origin),
  });
  const plan = planText(meta.plan);
  if (plan) push(b, { agent, kind: 'plan', content: plan });
  list.forEach((s, i) => {
    if (!isObj(s)) throw new Error(`StepResult ${i + 1} is not an object (got ${typeName(s)})`);
    planStep(b, s, agent);
  });
  return close(b, meta.answer, agent);
}

// ---------------------------------------------------------------- (d) AgentHive / CODS

function isCodsTask(v: unknown): v is Obj {
  return isObj(v) && 'agent_name' in v && ('task_description' in v || 'task_number' in v);
}

/**
 * What the worker was handed: AgentHive sends the task text, then (with context SELECTED or
 * ALL) the outputs of earlier tasks after it. The log's `task` holds the whole of it.
 */
function handedTask(t: Obj): { request: string; context: string | null } {
  const description = text(t.task_description).trim();
  const logs = isObj(t.logs) ? t.logs : {};
  const full = typeof logs.task === 'string' ? logs.task.trim() : '';
  if (full === '' || full === description) return { request: description, context: null };
  const context = full.startsWith(description) ? full.slice(description.length).trim() : full;
  return { request: full, context: context === '' ? null : context };
}

function fromCods(obj: Obj, tasks: unknown[], origin: Origin): Trajectory {
  const agent = str(obj.agent) ?? 'AgentHive';
  const b = builder({
    id: contentId('aob-cods', obj),
    scenarioId: idText(obj.id) ?? idText(obj.scenario_id) ?? UNKNOWN_SCENARIO,
    agent,
    model: str(obj.model) ?? null,
    track: 'planning',
    task: str(obj.text) ?? str(obj.question),
    startedAt: startOf(origin, obj, ...tasks.map((t) => (isObj(t) ? t.logs : undefined))),
    provenance: provenance('aob-cods', origin),
  });
  let last: unknown;
  tasks.forEach((t, i) => {
    if (!isObj(t)) throw new Error(`task ${i + 1} is not an object (got ${typeName(t)})`);
    const to = text(t.agent_name) || 'unknown';
    const { request, context } = handedTask(t);
    // The handoff and its result pair like a call to the worker: its answer is the result.
    const tool = {
      name: to,
      args: { task: text(t.task_description), ...(context !== null ? { context } : {}) },
      callId: callId(b, `task-${text(t.task_number) || i + 1}`),
    };
    push(b, { agent, kind: 'handoff', content: request, tool, handoff: { from: agent, to, request } });
    // When the logs hold the worker's own ReAct run, its steps show what it really did.
    const sub = subTrajectory(t.logs);
    const finished = sub ? reactSteps(b, sub, to, true) : undefined;
    const response = nonEmpty(t.response) ? t.response : finished;
    const answered = nonEmpty(response);
    push(b, {
      agent: to,
      kind: 'tool_result',
      content: text(response),
      tool: { ...tool, ok: answered, ...(answered ? {} : { error: 'the worker returned no response' }) },
    });
    if (answered) last = response;
  });
  // AgentHive's answer is the last task's response unless a summariser wrote one: one final.
  return close(b, obj.final_answer ?? obj.answer ?? last, agent);
}

// ---------------------------------------------------------------- dispatch

interface Origin {
  source?: string;
  /** The file's modification time: the start when the record itself carries no time. */
  fileTime?: string;
}

/** A record's own start time, else the file's time, else nothing (the epoch). */
function startOf(origin: Origin, ...objs: unknown[]): string | undefined {
  return recordTime(...objs) ?? origin.fileTime;
}

function provenance(source: Provenance['source'], origin: Origin): Provenance {
  return origin.source ? { source, importedFrom: origin.source } : { source };
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function describeValue(v: unknown): string {
  if (!isObj(v)) return typeName(v);
  const keys = Object.keys(v).slice(0, 8);
  return keys.length === 0 ? 'an empty object' : `an object with keys [${keys.join(', ')}]`;
}

function looksReact(obj: Obj): boolean {
  if (Array.isArray(obj.trajectroy_log)) return true;
  if (!Array.isArray(obj.trajectory)) return false;
  const steps = obj.trajectory;
  const reactish = (s: unknown) => isObj(s) && ('thought' in s || 'action' in s || 'observation' in s);
  return 'task' in obj || 'final_answer' in obj || (steps.length > 0 && steps.some(reactish));
}

function importOne(v: unknown, origin: Origin): Trajectory {
  if (Array.isArray(v) && v.length > 0 && v.every(isStepResult)) return fromSteps(v, {}, origin);
  if (!isObj(v)) throw new Error(`Unrecognised trajectory: got ${describeValue(v)}; ${EXPECTED}`);
  const inner = v.trajectory;
  if (isObj(inner) && Array.isArray(inner.turns)) return fromRun(v, origin);
  if (Array.isArray(v.turns)) return fromRun(v, origin);
  if (Array.isArray(inner) && inner.length > 0 && inner.every(isStepResult)) {
    return fromSteps(inner, v, origin);
  }
  if (Array.isArray(inner) && inner.length > 0 && inner.every(isCodsTask)) return fromCods(v, inner, origin);
  if (looksReact(v)) return fromReact(v, origin);
  throw new Error(`Unrecognised trajectory: got ${describeValue(v)}; ${EXPECTED}`);
}

/**
 * Converts parsed AssetOpsBench trajectory JSON (one record or an array of records) into
 * trajectories. `source` (usually the file name) is kept as provenance and named in errors.
 */
export function importAobTrajectories(
  input: unknown,
  source?: string,
  opts: { fileTime?: string } = {},
): Trajectory[] {
  const origin: Origin = {
    ...(source ? { source } : {}),
    ...(opts.fileTime ? { fileTime: opts.fileTime } : {}),
  };
  const where = source ? `${source}: ` : '';
  try {
    // A bare StepResult list is one run, not many; any other array is a batch of records.
    if (Array.isArray(input) && !(input.length > 0 && input.every(isStepResult))) {
      return input.map((rec, i) => {
        try {
          return importOne(rec, origin);
        } catch (err) {
          throw new Error(`record ${i + 1}: ${messageOf(err)}`);
        }
      });
    }
    return [importOne(input, origin)];
  } catch (err) {
    throw new Error(`${where}${messageOf(err)}`);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Imports a file's text: one JSON document (object or array) or JSON Lines. Errors name the
 * file and, for JSONL, the line.
 */
export function importAobTrajectoryText(
  text: string,
  file: string,
  opts: { fileTime?: string } = {},
): Trajectory[] {
  const whole = tryParse(text);
  if (whole.ok) return importAobTrajectories(whole.value, file, opts);
  const out: Trajectory[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    const parsed = tryParse(line);
    if (!parsed.ok)
      throw new Error(`${where}: not valid JSON (${parsed.error}); expected one trajectory per line`);
    out.push(...importAobTrajectories(parsed.value, where, opts));
  });
  if (out.length === 0 && text.trim() === '') throw new Error(`${file}: empty file; ${EXPECTED}`);
  return out;
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: messageOf(err) };
  }
}

/**
 * Reads and imports one AssetOpsBench trajectory file (JSON or JSON Lines): the one path every
 * command takes. Records without a time of their own start at the file's modification time.
 * Read errors keep their errno code (err.code) for the caller's message.
 */
export function readAobTrajectoryFile(file: string): Trajectory[] {
  const text = readFileSync(file, 'utf8');
  let fileTime: string | undefined;
  try {
    fileTime = statSync(file).mtime.toISOString();
  } catch {
    fileTime = undefined;
  }
  return importAobTrajectoryText(text, file, fileTime ? { fileTime } : {});
}
