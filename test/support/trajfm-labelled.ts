// A labelled set of synthetic trajectories for failure analysis: failures of every detector
// kind planted in varied forms (tools, assets, wordings, step positions, the planning track
// with handoffs to sub-agents, imports with no server log), clean trajectories that do things
// right, and near misses that look like failures but are not (a retried error, a caveat on a
// partial result, a legitimate second read). Each case carries the kinds that truly apply to it,
// decided by how it was built, never by running a detector, and where each planted failure
// begins (step and agent) so span and blame can be checked too.
//
// Reused by the clustering and report tests: labelledSet(seed) is deterministic, and the
// builder (Script + render) is exported for hand-written cases.
import {
  addStep,
  answerText,
  finish,
  type JsonValue,
  newTrajectory,
  type ToolLogEntry,
  type Trajectory,
} from '../../src/agents/trajectory.ts';
import type { AnalysisInput, DetectorKind } from '../../src/trajfm/types.ts';
import { DETECTOR_KINDS } from '../../src/trajfm/types.ts';
import { Rng } from '../../src/util/rng.ts';

// ------------------------------------------------------------------ the plant the cases are about

export interface Asset {
  name: string;
  id: string;
  cls: string;
  site: string;
  sensors: Array<{ name: string; unit: string; base: number }>;
}

const CHILLER_SENSORS = [
  { name: 'Supply Temperature', unit: 'degF', base: 44 },
  { name: 'Return Temperature', unit: 'degF', base: 54 },
  { name: 'Tonnage', unit: 'tons', base: 310 },
  { name: 'Power Input', unit: 'kW', base: 190 },
];
const PUMP_SENSORS = [
  { name: 'Motor Power', unit: 'kW', base: 22 },
  { name: 'Discharge Pressure', unit: 'psi', base: 61 },
  { name: 'Vibration', unit: 'mm/s', base: 2.4 },
];

export const ASSETS: Asset[] = [
  { name: 'Chiller 1', id: 'CWC04001', cls: 'chiller', site: 'MAIN', sensors: CHILLER_SENSORS },
  { name: 'Chiller 2', id: 'CWC04002', cls: 'chiller', site: 'MAIN', sensors: CHILLER_SENSORS },
  {
    name: 'AHU 1',
    id: 'AHU03001',
    cls: 'ahu',
    site: 'MAIN',
    sensors: [
      { name: 'Supply Air Temperature', unit: 'degF', base: 56 },
      { name: 'Filter Differential Pressure', unit: 'inH2O', base: 0.8 },
      { name: 'Fan Speed', unit: '%', base: 72 },
    ],
  },
  { name: 'Pump 1', id: 'PMP04001', cls: 'pump', site: 'MAIN', sensors: PUMP_SENSORS },
  { name: 'Pump 2', id: 'PMP04002', cls: 'pump', site: 'RIVERSIDE', sensors: PUMP_SENSORS },
  {
    name: 'Cooling Tower 1',
    id: 'CTW05001',
    cls: 'cooling_tower',
    site: 'RIVERSIDE',
    sensors: [
      { name: 'Approach Temperature', unit: 'degF', base: 7 },
      { name: 'Basin Temperature', unit: 'degF', base: 79 },
      { name: 'Fan Speed', unit: '%', base: 64 },
    ],
  },
  {
    name: 'Boiler 1',
    id: 'BLR02001',
    cls: 'boiler',
    site: 'RIVERSIDE',
    sensors: [
      { name: 'Steam Pressure', unit: 'psi', base: 118 },
      { name: 'Flue Gas Temperature', unit: 'degF', base: 340 },
      { name: 'Firing Rate', unit: '%', base: 58 },
    ],
  },
  {
    name: 'Air Compressor 1',
    id: 'ACP06001',
    cls: 'air_compressor',
    site: 'NORTH_PLANT',
    sensors: [
      { name: 'Discharge Pressure', unit: 'psi', base: 104 },
      { name: 'Motor Current', unit: 'A', base: 88 },
      { name: 'Oil Temperature', unit: 'degF', base: 150 },
    ],
  },
];
const SITES = ['MAIN', 'RIVERSIDE', 'NORTH_PLANT'];

/** Which sub-agent's tools a tool is (the planning track hands each domain to its agent). */
const DOMAIN: Record<string, string> = {
  sites: 'iot',
  assets: 'iot',
  asset_details: 'iot',
  sensors: 'iot',
  history: 'iot',
  latest: 'iot',
  get_sensor_data: 'iot',
  get_failure_modes: 'fmsr',
  get_failure_mode_sensor_mapping: 'fmsr',
  run_tsfm_forecasting: 'tsfm',
  run_tsad: 'tsfm',
  get_events: 'wo',
  get_work_orders: 'wo',
  get_corrective_work_orders: 'wo',
  create_work_order: 'wo',
  update_work_order: 'wo',
};

// ------------------------------------------------------------------ the builder

export type Outcome = { ok: true; data: unknown } | { ok: false; code: string; message: string };
export type Fault = 'timeout' | 'error' | 'partial' | 'stale';
type Marks = DetectorKind | DetectorKind[];

export type Op =
  | { op: 'thought'; text: string; mark?: Marks }
  | { op: 'message'; text: string; mark?: Marks }
  | { op: 'ask'; question: string; reply: string; mark?: Marks }
  | {
      op: 'call';
      tool: string;
      args: Record<string, unknown>;
      outcome: Outcome;
      fault?: Fault;
      /** Arguments as the agent wrote them, when not a JSON object (malformed calls). */
      rawArgs?: string;
      mark?: Marks;
    };

export const ok = (data: unknown): Outcome => ({ ok: true, data });
export const fail = (code: string, message: string): Outcome => ({ ok: false, code, message });

/** The steps of one run, written as what the agent did; render() turns them into a trajectory. */
export class Script {
  readonly ops: Op[] = [];

  thought(text: string, mark?: Marks): this {
    this.ops.push({ op: 'thought', text, mark });
    return this;
  }

  message(text: string, mark?: Marks): this {
    this.ops.push({ op: 'message', text, mark });
    return this;
  }

  ask(question: string, reply: string, mark?: Marks): this {
    this.ops.push({ op: 'ask', question, reply, mark });
    return this;
  }

  call(
    tool: string,
    args: Record<string, unknown>,
    outcome: Outcome,
    opts: { fault?: Fault; rawArgs?: string; mark?: Marks } = {},
  ): this {
    this.ops.push({ op: 'call', tool, args, outcome, ...opts });
    return this;
  }
}

export interface RenderOptions {
  id: string;
  scenarioId?: string;
  track?: 'execution' | 'planning';
  /** Imported from AssetOpsBench: no server log, failures only in the result text. */
  imported?: boolean;
  agent?: string;
  model?: string | null;
  final: JsonValue;
  status?: Trajectory['status'];
  errors?: Array<{ kind: string; message: string }>;
  /** Kinds whose planted failure begins at the final step. */
  finalMark?: Marks;
}

export interface Rendered {
  trajectory: Trajectory;
  /** Where each marked failure begins: the step index and its agent. */
  origins: Partial<Record<DetectorKind, { step: number; agent: string }>>;
}

const PLANNER = 'planner';
const SUMMARISER = 'summariser';
const T0 = Date.parse('2024-03-05T12:00:00Z');

function marksOf(m: Marks | undefined): DetectorKind[] {
  return m === undefined ? [] : Array.isArray(m) ? m : [m];
}

function resultText(o: Outcome, imported: boolean): string {
  if (o.ok) {
    const text = JSON.stringify(o.data) ?? 'null';
    return text.length > 2000 ? `${text.slice(0, 1999)}…` : text;
  }
  return imported ? `Error: ${o.message}` : `${o.code}: ${o.message}`;
}

/** Turns a script into a trajectory: steps, the server's log (unless imported), final and status. */
export function render(script: Script, o: RenderOptions): Rendered {
  const track = o.track ?? 'execution';
  const imported = o.imported ?? false;
  const agentName = o.agent ?? (track === 'planning' ? 'plan-execute' : 'react');
  const traj = newTrajectory({
    id: o.id,
    scenarioId: o.scenarioId ?? `scn-${o.id}`,
    agent: agentName,
    model: o.model === undefined ? 'synthetic-model' : o.model,
    track,
    startedAt: new Date(T0).toISOString(),
    provenance: imported ? { source: 'aob-steps' } : { source: 'assetops' },
  });
  const origins: Rendered['origins'] = {};
  const mark = (m: Marks | undefined, step: { index: number; agent: string }) => {
    for (const k of marksOf(m)) if (!origins[k]) origins[k] = { step: step.index, agent: step.agent };
  };
  const log: ToolLogEntry[] = [];
  let callSeq = 0;

  // The planning track: which domain each op belongs to (a thought belongs to the next call's).
  const domains = script.ops.map((op, i) => {
    if (op.op === 'ask') return PLANNER;
    const next = script.ops.slice(i).find((x) => x.op === 'call') as { tool: string } | undefined;
    const prev = script.ops
      .slice(0, i + 1)
      .reverse()
      .find((x) => x.op === 'call') as { tool: string } | undefined;
    const own = op.op === 'call' ? DOMAIN[op.tool] : undefined;
    return own ?? (next && DOMAIN[next.tool]) ?? (prev && DOMAIN[prev.tool]) ?? 'iot';
  });
  let current: string | null = null;
  let lastWasMessage = false;
  const handBack = () => {
    if (track === 'planning' && current && current !== PLANNER && !lastWasMessage)
      addStep(traj, { agent: current, kind: 'message', content: 'Handing back the results of this step.' });
  };
  if (track === 'planning') {
    const plan = [...new Set(domains.filter((d) => d !== PLANNER))].map((d, i) => ({
      id: i + 1,
      agent: d,
      task: `the ${d} part of the request`,
    }));
    addStep(traj, { agent: PLANNER, kind: 'plan', content: JSON.stringify({ steps: plan }) });
  }

  script.ops.forEach((op, i) => {
    let agent = agentName;
    if (track === 'planning') {
      const d = domains[i];
      const target = d === PLANNER ? PLANNER : `${d}_agent`;
      if (target !== current) {
        handBack();
        if (target !== PLANNER)
          addStep(traj, {
            agent: PLANNER,
            kind: 'handoff',
            content: `Please handle the ${d} part of the request.`,
            handoff: { from: PLANNER, to: target, request: `Please handle the ${d} part of the request.` },
          });
        current = target;
      }
      agent = target;
    }
    lastWasMessage = op.op === 'message';
    if (op.op === 'thought') mark(op.mark, addStep(traj, { agent, kind: 'thought', content: op.text }));
    else if (op.op === 'message') mark(op.mark, addStep(traj, { agent, kind: 'message', content: op.text }));
    else if (op.op === 'ask') {
      mark(op.mark, addStep(traj, { agent, kind: 'ask', content: op.question }));
      addStep(traj, { agent: track === 'planning' ? 'operator' : agent, kind: 'message', content: op.reply });
    } else {
      const callId = `c${++callSeq}`;
      const args = op.rawArgs ?? op.args;
      const shown = op.rawArgs ?? JSON.stringify(op.args);
      mark(
        op.mark,
        addStep(traj, {
          agent,
          kind: 'tool_call',
          content: `${op.tool} ${shown}`,
          tool: { name: op.tool, args, callId },
        }),
      );
      const content = resultText(op.outcome, imported);
      addStep(traj, {
        agent,
        kind: 'tool_result',
        content,
        tool: imported
          ? { name: op.tool, args, callId }
          : {
              name: op.tool,
              args,
              callId,
              ok: op.outcome.ok,
              ...(op.outcome.ok ? {} : { error: content }),
            },
        latencyMs: 40 + callSeq,
      });
      if (!imported)
        log.push({
          seq: callSeq,
          tool: op.tool,
          args,
          ok: op.outcome.ok,
          ...(op.outcome.ok ? {} : { error: { code: op.outcome.code, message: op.outcome.message } }),
          digest: `d${callSeq.toString(16).padStart(15, '0')}`,
          resultRef: `call-${callSeq}`,
          latencyMs: 40 + callSeq,
          fault: op.fault
            ? {
                kind: op.fault,
                detail:
                  op.fault === 'partial'
                    ? 'list results cut short'
                    : op.fault === 'stale'
                      ? 'readings from an older snapshot'
                      : op.fault === 'timeout'
                        ? 'timed out'
                        : 'transient error',
              }
            : null,
          startedAt: new Date(T0 + callSeq * 1000).toISOString(),
        });
    }
  });

  if (o.final !== null) {
    let finalAgent = agentName;
    if (track === 'planning') {
      handBack();
      finalAgent = SUMMARISER;
    }
    mark(o.finalMark, addStep(traj, { agent: finalAgent, kind: 'final', content: answerText(o.final) }));
  }
  traj.toolLog = log;
  traj.errors.push(...(o.errors ?? []));
  finish(traj, o.status ?? 'completed', o.final, new Date(T0 + 600_000).toISOString());
  return { trajectory: traj, origins };
}

// ------------------------------------------------------------------ tasks: what a clean run does

interface CallSpec {
  tool: string;
  args: Record<string, unknown>;
  data: unknown;
}

export interface Task {
  name: string;
  asset: Asset;
  sensor: string;
  /** The calls a clean run makes, in order; `main` is the one the answer rests on. */
  calls: CallSpec[];
  main: number;
  /** Index of the write (create/update), when the task writes. */
  write: number | null;
  entities: string[];
  jsonFormat: string;
  typed: JsonValue;
  proseFormat: string | null;
  prose: string;
}

interface World {
  asset: Asset;
  sensorIdx: number;
  day: string;
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86400_000).toISOString().slice(0, 10);
}

function historyData(a: Asset, sensor: string, day: string, values: number[]) {
  return {
    asset_id: a.id,
    start: `${day}T00:00:00Z`,
    end: `${nextDay(day)}T00:00:00Z`,
    total_observations: values.length,
    counts: { [sensor]: values.length },
    gaps: [] as unknown[],
    rows: values.map((v, i) => ({
      sensor,
      ts: `${day}T${String(i * 2).padStart(2, '0')}:00:00Z`,
      value: v,
    })),
    handle: null,
    note: values.length === 0 ? 'no readings in this window' : null,
  };
}

type TaskMaker = (rng: Rng, w: World) => Task;

const TASKS: Record<string, TaskMaker> = {
  dailyMean(rng, w) {
    const s = w.asset.sensors[w.sensorIdx % w.asset.sensors.length];
    const v = round(s.base * rng.uniform(0.9, 1.1), 2);
    return {
      name: 'dailyMean',
      asset: w.asset,
      sensor: s.name,
      calls: [
        { tool: 'sensors', args: { asset: w.asset.name }, data: sensorsData(w.asset) },
        {
          tool: 'history',
          args: {
            asset: w.asset.name,
            sensors: [s.name],
            start: w.day,
            end: nextDay(w.day),
            resample: 'daily',
            aggregate: 'mean',
          },
          data: historyData(w.asset, s.name, w.day, [v]),
        },
      ],
      main: 1,
      write: null,
      entities: [w.asset.name, s.name],
      jsonFormat: `The daily mean in ${s.unit}. JSON: {"answer": number}`,
      typed: { answer: v },
      proseFormat: rng.chance(0.5) ? null : `The daily mean in ${s.unit}.`,
      prose: `The daily mean ${s.name} of ${w.asset.name} on ${w.day} was ${v} ${s.unit}.`,
    };
  },
  latest(rng, w) {
    const s = w.asset.sensors[w.sensorIdx % w.asset.sensors.length];
    const v = round(s.base * rng.uniform(0.85, 1.15), 1);
    return {
      name: 'latest',
      asset: w.asset,
      sensor: s.name,
      calls: [
        {
          tool: 'latest',
          args: { asset: w.asset.name, sensors: [s.name] },
          data: {
            asset_id: w.asset.id,
            as_of: '2024-03-05T12:00:00Z',
            readings: [
              {
                sensor: s.name,
                unit: s.unit,
                ts: '2024-03-05T11:45:00Z',
                value: v,
                age_minutes: 15,
                offline: false,
              },
            ],
          },
        },
      ],
      main: 0,
      write: null,
      entities: [w.asset.name, s.name],
      jsonFormat: `JSON object with keys "value" and "unit".`,
      typed: { value: v, unit: s.unit },
      proseFormat: rng.chance(0.5) ? null : `The latest reading in ${s.unit}.`,
      prose: `The latest ${s.name} of ${w.asset.name} is ${v} ${s.unit}.`,
    };
  },
  eventCount(rng, w) {
    const n = rng.int(1, 6);
    const events = Array.from({ length: n }, (_, i) => ({
      id: `ALR-${String(rng.int(100, 999) * 10 + i).padStart(6, '0')}`,
      ts: `${w.day}T${String(2 + i * 3).padStart(2, '0')}:15:00Z`,
      kind: 'ALERT',
      code: 'RUL0102',
    }));
    return {
      name: 'eventCount',
      asset: w.asset,
      sensor: w.asset.sensors[0].name,
      calls: [
        {
          tool: 'get_events',
          args: { asset: w.asset.name, start: w.day, end: nextDay(w.day), kind: 'alert' },
          data: { asset_id: w.asset.id, total: n, events },
        },
      ],
      main: 0,
      write: null,
      entities: [w.asset.name],
      jsonFormat: 'Return JSON with the key "count" (integer).',
      typed: { count: n },
      proseFormat: rng.chance(0.5) ? null : 'The number of alerts.',
      prose: `${w.asset.name} logged ${n} alerts on ${w.day}.`,
    };
  },
  assetsOfClass(rng, w) {
    const here = ASSETS.filter((a) => a.site === w.asset.site && a.cls === w.asset.cls);
    return {
      name: 'assetsOfClass',
      asset: w.asset,
      sensor: w.asset.sensors[0].name,
      calls: [
        {
          tool: 'sites',
          args: {},
          data: { total: SITES.length, sites: SITES.map((s) => ({ site: s, name: s, timezone: 'UTC' })) },
        },
        {
          tool: 'assets',
          args: { site: w.asset.site, asset_class: w.asset.cls },
          data: {
            site: w.asset.site,
            total: here.length,
            assets: here.map((a) => ({ asset_id: a.id, name: a.name, asset_class: a.cls })),
          },
        },
      ],
      main: 1,
      write: null,
      entities: [w.asset.site],
      jsonFormat:
        'The asset names. JSON: {"type":"object","properties":{"answer":{"type":"array"}},"required":["answer"]}',
      typed: { answer: here.map((a) => a.name) },
      proseFormat: rng.chance(0.5) ? null : 'The asset names.',
      prose: `The ${w.asset.cls.replace('_', ' ')} assets at ${w.asset.site} are ${here.map((a) => a.name).join(' and ')}.`,
    };
  },
  failureModes(_rng, w) {
    const modes = ['Condenser fouling', 'Refrigerant leak', 'Bearing wear', 'Sensor drift'].slice(
      0,
      2 + (w.sensorIdx % 3),
    );
    return {
      name: 'failureModes',
      asset: w.asset,
      sensor: w.asset.sensors[0].name,
      calls: [
        {
          tool: 'get_failure_modes',
          args: { asset: w.asset.name },
          data: {
            asset_id: w.asset.id,
            failure_modes: modes.map((m, i) => ({
              id: `FM-${w.asset.cls.slice(0, 2).toUpperCase()}-${i + 1}`,
              name: m,
            })),
          },
        },
      ],
      main: 0,
      write: null,
      entities: [w.asset.name],
      jsonFormat: 'JSON: {"modes": [string]}',
      typed: { modes },
      proseFormat: null,
      prose: `The failure modes of ${w.asset.name} are ${modes.join(', ')}.`,
    };
  },
  woCount(rng, w) {
    const n = rng.int(2, 7);
    return {
      name: 'woCount',
      asset: w.asset,
      sensor: w.asset.sensors[0].name,
      calls: [
        {
          tool: 'get_work_orders',
          args: { asset: w.asset.name, year: 2023 },
          data: {
            asset_id: w.asset.id,
            total: n,
            work_orders: Array.from({ length: n }, (_, i) => ({
              wo_id: `WO2001${10 + i}`,
              status: 'closed',
            })),
          },
        },
      ],
      main: 0,
      write: null,
      entities: [w.asset.name],
      jsonFormat: 'JSON object {"answer": integer}',
      typed: { answer: n },
      proseFormat: rng.chance(0.5) ? null : 'The number of work orders.',
      prose: `${w.asset.name} had ${n} work orders in 2023.`,
    };
  },
  forecastPeak(rng, w) {
    const s = w.asset.sensors[w.sensorIdx % w.asset.sensors.length];
    const values = Array.from({ length: 6 }, () => round(s.base * rng.uniform(0.9, 1.2), 2));
    const peak = Math.max(...values);
    const times = values.map((_, i) => `2024-03-06T${String(i * 4).padStart(2, '0')}:00:00Z`);
    const time = times[values.indexOf(peak)];
    return {
      name: 'forecastPeak',
      asset: w.asset,
      sensor: s.name,
      calls: [
        { tool: 'sensors', args: { asset: w.asset.name }, data: sensorsData(w.asset) },
        {
          tool: 'run_tsfm_forecasting',
          args: { asset: w.asset.name, sensor: s.name, horizon: 24 },
          data: {
            asset_id: w.asset.id,
            sensor: s.name,
            model: 'ttm-r2',
            forecast: values.map((v, i) => ({ ts: times[i], value: v })),
          },
        },
      ],
      main: 1,
      write: null,
      entities: [w.asset.name, s.name],
      jsonFormat: 'Return JSON with keys "peak" (number) and "time" (UTC ISO time).',
      typed: { peak, time },
      proseFormat: null,
      prose: `The forecast peak of ${s.name} for ${w.asset.name} is ${peak} ${s.unit} at ${time}.`,
    };
  },
  createWO(rng, w) {
    const wo = `SBX-${String(rng.int(1, 300)).padStart(4, '0')}`;
    const s = w.asset.sensors[w.sensorIdx % w.asset.sensors.length];
    return {
      name: 'createWO',
      asset: w.asset,
      sensor: s.name,
      calls: [
        {
          tool: 'get_events',
          args: { asset: w.asset.name, start: w.day, end: nextDay(w.day) },
          data: {
            asset_id: w.asset.id,
            total: 1,
            events: [{ id: 'ANM-000412', ts: `${w.day}T06:00:00Z`, kind: 'ANOMALY', sensor: s.name }],
          },
        },
        {
          tool: 'get_failure_modes',
          args: { asset: w.asset.name },
          data: { asset_id: w.asset.id, failure_modes: [{ id: 'FM-XX-1', name: 'Sensor drift' }] },
        },
        {
          tool: 'create_work_order',
          args: {
            asset: w.asset.name,
            description: `Inspect ${s.name} (anomaly on ${w.day})`,
            priority: 'high',
          },
          data: { wo_id: wo, status: 'draft', asset_id: w.asset.id },
        },
      ],
      main: 1,
      write: 2,
      entities: [w.asset.name],
      jsonFormat: 'JSON with keys "wo_id" and "asset".',
      typed: { wo_id: wo, asset: w.asset.name },
      proseFormat: rng.chance(0.5) ? null : 'A confirmation with the new work order id.',
      prose: `I created work order ${wo} for ${w.asset.name} to inspect ${s.name}.`,
    };
  },
  updateWO(rng, w) {
    const wo = `WO2001${rng.int(10, 99)}`;
    return {
      name: 'updateWO',
      asset: w.asset,
      sensor: w.asset.sensors[0].name,
      calls: [
        {
          tool: 'get_work_orders',
          args: { asset: w.asset.name, status: 'open' },
          data: { asset_id: w.asset.id, total: 1, work_orders: [{ wo_id: wo, status: 'open' }] },
        },
        {
          tool: 'update_work_order',
          args: { wo_id: wo, status: 'closed' },
          data: { wo_id: wo, status: 'closed' },
        },
      ],
      main: 0,
      write: 1,
      entities: [w.asset.name],
      jsonFormat: 'JSON with keys "wo_id" and "status".',
      typed: { wo_id: wo, status: 'closed' },
      proseFormat: null,
      prose: `I have updated work order ${wo} to closed.`,
    };
  },
};

function sensorsData(a: Asset) {
  return {
    asset_id: a.id,
    sensors: a.sensors.map((s) => ({
      sensor: `${a.name} ${s.name}`,
      label: s.name,
      unit: s.unit,
      interval_minutes: 15,
    })),
  };
}

const READ_TASKS = [
  'dailyMean',
  'latest',
  'eventCount',
  'assetsOfClass',
  'failureModes',
  'woCount',
  'forecastPeak',
];
const ASSET_TASKS = ['dailyMean', 'latest', 'eventCount', 'failureModes', 'woCount', 'forecastPeak'];
const HISTORY_TASKS = ['dailyMean'];
const LIST_TASKS = ['eventCount', 'failureModes', 'woCount', 'assetsOfClass'];
/** Tasks whose only data call is the main one (so "every data call failed" is one failure away). */
const SINGLE_CALL_TASKS = ['latest', 'eventCount', 'failureModes', 'woCount'];

// ------------------------------------------------------------------ wording

const OPENERS = [
  'Let me find what I need for {asset}.',
  'I will start with the data of {asset}.',
  'The request is about {asset}; gathering the data.',
  'Plan: read the tools, then answer.',
];
const BEFORE_MAIN = [
  'Now the main query for {asset}.',
  'Next I read the {sensor} data.',
  'I have the lookups; querying the data now.',
];
const CLOSERS = [
  'I have what I need to answer.',
  'Composing the answer from the results.',
  'The results are in; writing the answer.',
];

function fill(text: string, t: Task): string {
  return text.replaceAll('{asset}', t.asset.name).replaceAll('{sensor}', t.sensor);
}

function transient(rng: Rng, tool: string): { outcome: Outcome; fault: Fault | undefined } {
  const k = rng.int(0, 2);
  if (k === 0) return { outcome: fail('timeout', `${tool} timed out`), fault: 'timeout' };
  if (k === 1)
    return { outcome: fail('unavailable', `${tool} service is temporarily unavailable`), fault: 'error' };
  return { outcome: fail('internal', `${tool} failed: upstream connection reset`), fault: undefined };
}

// ------------------------------------------------------------------ one case

export interface LabelledCase {
  id: string;
  /** What was planted ("unhandled_tool_error/secondary-fails", "clean/retry-recovers"). */
  variant: string;
  input: AnalysisInput;
  labels: DetectorKind[];
  origins: Partial<Record<DetectorKind, { step: number; agent: string }>>;
}

interface Ctx {
  rng: Rng;
  id: string;
  track: 'execution' | 'planning';
  imported: boolean;
}

interface Build {
  script: Script;
  final: JsonValue;
  format: string | null;
  entities: string[];
  traps?: string[];
  status?: Trajectory['status'];
  errors?: Array<{ kind: string; message: string }>;
  finalMark?: Marks;
  passed?: boolean | null;
}

function makeTask(rng: Rng, names: string[], asset?: Asset): Task {
  const name = rng.pick(names);
  const w: World = {
    asset: asset ?? rng.pick(ASSETS),
    sensorIdx: rng.int(0, 3),
    day: `2024-03-0${rng.int(1, 4)}`,
  };
  return TASKS[name](rng, w);
}

/** Opening padding: a thought, a clock read, both or neither (moves the planted steps around). */
function opening(s: Script, t: Task, rng: Rng): void {
  if (rng.chance(0.5)) s.thought(fill(rng.pick(OPENERS), t));
  if (rng.chance(0.3)) s.call('current_date_time', {}, ok({ now: '2024-03-05T12:00:00Z' }));
}

function closing(s: Script, t: Task, rng: Rng): void {
  if (rng.chance(0.35)) s.thought(fill(rng.pick(CLOSERS), t));
}

type Hook = (s: Script, c: CallSpec, i: number) => boolean;

/** The task's calls in order; a hook may replace any of them (returns true when it did). */
function runTask(s: Script, t: Task, rng: Rng, hook: Hook = () => false): void {
  t.calls.forEach((c, i) => {
    if (i === t.main && i > 0 && rng.chance(0.3)) s.thought(fill(rng.pick(BEFORE_MAIN), t));
    if (!hook(s, c, i)) s.call(c.tool, c.args, ok(c.data));
  });
}

/** The typed answer with its JSON format, or the prose answer with a prose format. */
function answerOf(t: Task, rng: Rng, style?: 'typed' | 'prose'): { final: JsonValue; format: string | null } {
  const typed = style ? style === 'typed' : rng.chance(0.6);
  return typed ? { final: t.typed, format: t.jsonFormat } : { final: t.prose, format: t.proseFormat };
}

function finishCase(ctx: Ctx, kind: string, variant: string, labels: DetectorKind[], b: Build): LabelledCase {
  const { trajectory, origins } = render(b.script, {
    id: ctx.id,
    track: ctx.track,
    imported: ctx.imported,
    final: b.final,
    status: b.status,
    errors: b.errors,
    finalMark: b.finalMark,
  });
  return {
    id: ctx.id,
    variant: `${kind}/${variant}`,
    input: {
      trajectory,
      passed: b.passed ?? null,
      traps: b.traps ?? [],
      entities: b.entities,
      answerFormat: b.format,
    },
    labels,
    origins: Object.fromEntries(Object.entries(origins).filter(([k]) => labels.includes(k as DetectorKind))),
  };
}

// ------------------------------------------------------------------ planted failures, per kind

type Planter = (ctx: Ctx, variant: number) => LabelledCase;

const REFUSALS = [
  'I could not retrieve the {sensor} data of {asset}; the tool kept failing.',
  'Unable to answer: the data for {asset} could not be read.',
  'I was not able to get the data needed for {asset}.',
];

const ineffective: Planter = (ctx, v) => {
  const { rng } = ctx;
  const s = new Script();
  const k: DetectorKind = 'ineffective_error_recovery';
  const variants = [
    'transient-x3',
    'window-out-of-range',
    'misspelt-asset',
    'wo-unavailable',
    'identical-not-found',
    'interleaved-retries',
  ];
  const name = variants[v % variants.length];
  const t =
    name === 'wo-unavailable'
      ? makeTask(rng, ['createWO'])
      : makeTask(rng, name === 'window-out-of-range' ? HISTORY_TASKS : READ_TASKS);
  opening(s, t, rng);
  const labels: DetectorKind[] = [k];
  const tries = rng.int(3, 4);
  const target = name === 'wo-unavailable' ? (t.write as number) : t.main;
  runTask(s, t, rng, (s2, c, i) => {
    if (i !== target) return false;
    for (let n = 0; n < tries; n++) {
      const mark = n === 0 ? k : undefined;
      if (name === 'interleaved-retries') {
        // Other work between the attempts: the failing target is never reached.
        const e = transient(rng, c.tool);
        s2.call(c.tool, c.args, e.outcome, { fault: ctx.imported ? undefined : e.fault, mark });
        if (n === 0)
          s2.call('sites', {}, ok({ total: SITES.length, sites: SITES.map((x) => ({ site: x })) }));
        if (n === 1) s2.thought(`Still waiting on ${c.tool}; trying once more.`);
      } else if (name === 'transient-x3' || name === 'wo-unavailable') {
        const e = transient(rng, c.tool);
        s2.call(c.tool, c.args, e.outcome, { fault: ctx.imported ? undefined : e.fault, mark });
      } else if (name === 'window-out-of-range') {
        const start = ['2025-01-01', '2025-01-01T00:00:00Z', '2024-12-31', '2025-02-01'][n];
        s2.call(
          c.tool,
          { ...c.args, start, end: undefined },
          fail('out_of_range', `start ${start} is after the data ends (2024-03-06)`),
          { mark },
        );
      } else if (name === 'misspelt-asset') {
        const spelt = [
          `${t.asset.name}0`,
          `${t.asset.name.replace(' ', '')}X`,
          `The ${t.asset.name}x`,
          'unit 9',
        ][n];
        s2.call(c.tool, { ...c.args, asset: spelt }, fail('not_found', `unknown asset "${spelt}"`), { mark });
        if (n === 1 && rng.chance(0.5)) s2.thought('Trying another spelling of the asset name.');
      } else {
        s2.call(
          c.tool,
          { ...c.args, asset: `${t.asset.name}0` },
          fail('not_found', `unknown asset "${t.asset.name}0"`),
          {
            mark,
          },
        );
      }
    }
    return true;
  });
  if (name === 'identical-not-found') labels.push('ignored_feedback');
  closing(s, t, rng);
  const final =
    name === 'wo-unavailable'
      ? `The work order for ${t.asset.name} could not be created: the work order system was unavailable.`
      : fill(rng.pick(REFUSALS), t);
  return finishCase(ctx, k, name, labels, { script: s, final, format: t.proseFormat, entities: t.entities });
};

const overstated: Planter = (ctx, v) => {
  const { rng } = ctx;
  const s = new Script();
  const k: DetectorKind = 'overstated_completion';
  const variants = [
    'create-never-called',
    'create-failed-twice',
    'create-conflict-noted',
    'done-but-failed',
    'all-data-failed',
    'update-failed',
    'subagent-claims',
  ];
  const name = variants[v % variants.length];
  const labels: DetectorKind[] = [k];
  let t: Task;
  let final: JsonValue;
  let format: string | null = null;
  let status: Trajectory['status'] = 'completed';
  let errors: Build['errors'];
  let finalMark: Marks | undefined = k;
  if (name === 'all-data-failed') {
    t = makeTask(rng, SINGLE_CALL_TASKS);
    opening(s, t, rng);
    runTask(s, t, rng, (s2, c, i) => {
      if (i !== t.main) return false;
      for (let n = 0; n < 2; n++) {
        const e = transient(rng, c.tool);
        s2.call(c.tool, c.args, e.outcome, { fault: ctx.imported ? undefined : e.fault });
      }
      return true;
    });
    ({ final, format } = answerOf(t, rng));
  } else if (name === 'done-but-failed') {
    t = makeTask(rng, READ_TASKS);
    opening(s, t, rng);
    runTask(s, t, rng);
    final = rng.pick([
      'Done. The task is completed.',
      'Task completed successfully.',
      'All set: the request was successfully completed.',
    ]);
    status = 'failed';
    errors = [{ kind: 'no_answer', message: 'the model ended without a typed answer' }];
  } else {
    t = makeTask(rng, [name === 'update-failed' ? 'updateWO' : 'createWO']);
    opening(s, t, rng);
    const w = t.write as number;
    const wo = (t.calls[w].data as { wo_id: string }).wo_id;
    runTask(s, t, rng, (s2, c, i) => {
      if (i !== w) return false;
      if (name === 'create-never-called') return true;
      if (name === 'create-conflict-noted') {
        s2.call(
          c.tool,
          c.args,
          fail('conflict', 'an open work order for this asset and failure mode already exists'),
        );
        s2.thought('create_work_order returned an error; continuing with the summary.');
        return true;
      }
      for (let n = 0; n < 2; n++) {
        const e = transient(rng, c.tool);
        s2.call(c.tool, c.args, e.outcome, { fault: ctx.imported ? undefined : e.fault });
      }
      if (name === 'subagent-claims') s2.message(`Work order ${wo} has been created.`);
      return true;
    });
    if (name === 'update-failed') final = `I have updated work order ${wo} to closed.`;
    else if (name === 'create-conflict-noted') final = { wo_id: wo, created: true };
    else
      final = rng.chance(0.5)
        ? t.prose
        : `Work order ${wo} has been created successfully for ${t.asset.name}.`;
    if (name === 'create-conflict-noted') format = t.jsonFormat.replace('"asset"', '"created"');
    // The sub-agent's message is where the claim began.
    if (name === 'subagent-claims') finalMark = undefined;
  }
  closing(s, t, rng);
  if (name === 'subagent-claims') {
    const msg = s.ops.find((o) => o.op === 'message');
    if (msg) msg.mark = k;
  }
  return finishCase(ctx, k, name, labels, {
    script: s,
    final,
    format,
    entities: t.entities,
    status,
    errors,
    finalMark,
  });
};

const formatting: Planter = (ctx, v) => {
  const { rng } = ctx;
  const s = new Script();
  const k: DetectorKind = 'formatting_issue';
  const variants = [
    'prose-for-json',
    'broken-json',
    'missing-key',
    'invalid-arguments',
    'unparsable-args',
    'fenced-prose',
  ];
  const name = variants[v % variants.length];
  const t = makeTask(rng, name === 'missing-key' ? ['forecastPeak', 'latest', 'createWO'] : READ_TASKS);
  opening(s, t, rng);
  let final: JsonValue = t.typed;
  let finalMark: Marks | undefined;
  runTask(s, t, rng, (s2, c, i) => {
    if (i !== t.main) return false;
    if (name === 'invalid-arguments') {
      const bad = {
        ...c.args,
        asset: undefined,
        equipment: t.asset.name,
        ...(c.args.sensors ? { sensors: t.sensor } : {}),
      };
      s2.call(c.tool, bad, fail('invalid_arguments', `invalid arguments for ${c.tool}: asset: required`), {
        mark: k,
      });
      s2.call(c.tool, c.args, ok(c.data));
      return true;
    }
    if (name === 'unparsable-args') {
      const raw = `{asset: ${t.asset.name}, ${Object.keys(c.args).slice(1).join(', ')}`;
      s2.call(
        c.tool,
        {},
        fail('invalid_arguments', 'invalid arguments: could not parse the arguments as JSON'),
        {
          rawArgs: raw,
          mark: k,
        },
      );
      s2.call(c.tool, c.args, ok(c.data));
      return true;
    }
    return false;
  });
  closing(s, t, rng);
  if (name === 'prose-for-json') {
    final = t.prose;
    finalMark = k;
  } else if (name === 'broken-json') {
    final = JSON.stringify(t.typed).slice(0, -1).replace(/"$/, '') + (rng.chance(0.5) ? ',' : '');
    finalMark = k;
  } else if (name === 'missing-key') {
    const o = { ...(t.typed as Record<string, unknown>) };
    delete o[Object.keys(o)[rng.int(0, Object.keys(o).length - 1)]];
    final = o as JsonValue;
    finalMark = k;
  } else if (name === 'fenced-prose') {
    final = `\`\`\`\n${t.prose}\n\`\`\``;
    finalMark = k;
  }
  return finishCase(ctx, k, name, [k], {
    script: s,
    final,
    format: t.jsonFormat,
    entities: t.entities,
    finalMark,
  });
};

const unhandled: Planter = (ctx, v) => {
  const { rng } = ctx;
  const s = new Script();
  const k: DetectorKind = 'unhandled_tool_error';
  const variants = [
    'secondary-transient',
    'secondary-before-main',
    'secondary-not-found',
    'second-sensor-timeout',
  ];
  const name = variants[v % variants.length];
  const t = makeTask(rng, name === 'second-sensor-timeout' ? ['latest'] : ASSET_TASKS);
  opening(s, t, rng);
  const secondary = () => {
    const tool = rng.pick(['asset_details', 'get_failure_mode_sensor_mapping', 'get_corrective_work_orders']);
    const args = { asset: t.asset.name };
    if (name === 'secondary-not-found') {
      const other = rng.pick(['Chiller 9', 'Pump 7', 'AHU 5']);
      s.call('asset_details', { asset: other }, fail('not_found', `unknown asset "${other}"`), { mark: k });
    } else {
      const e = transient(rng, tool);
      s.call(tool, args, e.outcome, { fault: ctx.imported ? undefined : e.fault, mark: k });
    }
  };
  if (name === 'secondary-before-main') secondary();
  runTask(s, t, rng);
  if (name === 'second-sensor-timeout') {
    const other = t.asset.sensors.find((x) => x.name !== t.sensor) ?? t.asset.sensors[0];
    s.call('latest', { asset: t.asset.name, sensors: [other.name] }, fail('timeout', 'latest timed out'), {
      fault: ctx.imported ? undefined : 'timeout',
      mark: k,
    });
  } else if (name !== 'secondary-before-main') secondary();
  closing(s, t, rng);
  const { final, format } = answerOf(t, rng);
  return finishCase(ctx, k, name, [k], { script: s, final, format, entities: t.entities });
};

const ignored: Planter = (ctx, v) => {
  const { rng } = ctx;
  const s = new Script();
  const k: DetectorKind = 'ignored_feedback';
  const variants = [
    'not-found-repeated',
    'out-of-range-repeated',
    'unknown-tool-repeated',
    'conflict-repeated',
    'not-found-x3',
  ];
  const name = variants[v % variants.length];
  const labels: DetectorKind[] = [k];
  // An import's error text names no code: "out of range" and "already closed" read as unknown
  // errors there, so those two are written with the server's log.
  if (name === 'out-of-range-repeated' || name === 'conflict-repeated') ctx.imported = false;
  const t = makeTask(
    rng,
    name === 'conflict-repeated'
      ? ['updateWO']
      : name === 'out-of-range-repeated'
        ? HISTORY_TASKS
        : ASSET_TASKS,
  );
  opening(s, t, rng);
  let final: JsonValue;
  let format: string | null;
  ({ final, format } = answerOf(t, rng));
  const target = name === 'conflict-repeated' ? (t.write as number) : t.main;
  runTask(s, t, rng, (s2, c, i) => {
    if (i !== target) return false;
    if (name === 'not-found-repeated' || name === 'not-found-x3') {
      const wrong = `${t.asset.name.split(' ')[0]} ${rng.int(11, 19)}`;
      const args = { ...c.args, asset: wrong };
      const err = fail('not_found', `unknown asset "${wrong}"; did you mean ${t.asset.name}?`);
      const n = name === 'not-found-x3' ? 3 : 2;
      for (let r = 0; r < n; r++) s2.call(c.tool, args, err, { mark: r === 1 ? k : undefined });
      if (name === 'not-found-x3') {
        labels.push('ineffective_error_recovery');
        s2.message(`The lookup kept failing: asset ${wrong} was not found.`);
        final = `I could not get the data: asset ${wrong} was not found.`;
        format = t.proseFormat;
        return true;
      }
    } else if (name === 'out-of-range-repeated') {
      const args = { ...c.args, start: '2024-04-01', end: '2024-04-02' };
      const err = fail('out_of_range', 'start 2024-04-01 is after the data ends (2024-03-06)');
      s2.call(c.tool, args, err);
      s2.call(c.tool, args, err, { mark: k });
    } else if (name === 'unknown-tool-repeated') {
      const err = fail('unknown_tool', 'there is no tool "get_sensor_data"; use one of history, latest');
      s2.call('get_sensor_data', c.args, err);
      if (rng.chance(0.5)) s2.thought('Calling the sensor data tool.');
      s2.call('get_sensor_data', c.args, err, { mark: k });
    } else {
      const err = fail('conflict', `work order ${String(c.args.wo_id)} is already closed`);
      s2.call(c.tool, c.args, err);
      s2.call(c.tool, c.args, err, { mark: k });
      final = `Work order ${String(c.args.wo_id)} was already closed, so it was left unchanged.`;
      format = null;
      return true;
    }
    s2.call(c.tool, c.args, ok(c.data));
    return true;
  });
  closing(s, t, rng);
  return finishCase(ctx, k, name, labels, { script: s, final, format, entities: t.entities });
};

const repetition: Planter = (ctx, v) => {
  const { rng } = ctx;
  const s = new Script();
  const k: DetectorKind = 'step_repetition';
  const variants = ['lookup-x3', 'main-x3', 'thought-loop', 'sites-x3', 'main-x4', 'loop-to-limit'];
  const name = variants[v % variants.length];
  const labels: DetectorKind[] = [k];
  // A looping thought stays with one agent: on the planning track, a task of one domain.
  const t = makeTask(
    rng,
    name === 'sites-x3'
      ? ['assetsOfClass']
      : name === 'lookup-x3'
        ? ['dailyMean', 'forecastPeak']
        : name === 'thought-loop'
          ? READ_TASKS.filter((x) => x !== 'forecastPeak')
          : READ_TASKS,
  );
  opening(s, t, rng);
  const loopThought = fill(
    rng.pick([
      'I should read the {sensor} data of {asset} before answering.',
      'Next step: query {asset} again to be sure.',
      'Let me look at {asset} once more.',
    ]),
    t,
  );
  const copies = name === 'main-x4' || name === 'loop-to-limit' ? 4 : 3;
  const which = name === 'lookup-x3' || name === 'sites-x3' ? 0 : t.main;
  runTask(s, t, rng, (s2, c, i) => {
    if (name === 'thought-loop') {
      s2.thought(loopThought, i === 0 ? undefined : i === 1 ? k : undefined);
      s2.call(c.tool, c.args, ok(c.data));
      if (i === t.calls.length - 1) {
        s2.thought(loopThought, t.calls.length === 1 ? k : undefined);
        if (t.calls.length === 1) s2.thought(loopThought);
      }
      return true;
    }
    if (i !== which) return false;
    for (let n = 0; n < copies; n++) {
      s2.call(c.tool, c.args, ok(c.data), { mark: n === 1 ? k : undefined });
      if (n === 0 && rng.chance(0.4)) s2.thought(fill(rng.pick(BEFORE_MAIN), t));
    }
    return true;
  });
  if (name === 'loop-to-limit') {
    labels.push('premature_termination');
    return finishCase(ctx, k, name, labels, {
      script: s,
      final: null,
      format: t.jsonFormat,
      entities: t.entities,
      status: 'limit',
      errors: [{ kind: 'step_limit', message: 'stopped after 12 steps' }],
    });
  }
  closing(s, t, rng);
  const { final, format } = answerOf(t, rng);
  return finishCase(ctx, k, name, labels, { script: s, final, format, entities: t.entities });
};

const premature: Planter = (ctx, v) => {
  const { rng } = ctx;
  const s = new Script();
  const k: DetectorKind = 'premature_termination';
  const variants = [
    'no-data-call',
    'refusal-after-first-error',
    'status-limit',
    'status-error',
    'null-after-error',
  ];
  const name = variants[v % variants.length];
  const t = makeTask(rng, READ_TASKS);
  opening(s, t, rng);
  if (name === 'no-data-call') {
    if (rng.chance(0.5)) s.thought(fill('I know {asset} well enough to answer directly.', t));
    return finishCase(ctx, k, name, [k], {
      script: s,
      final: t.prose,
      format: t.proseFormat,
      entities: t.entities,
      finalMark: ctx.track === 'execution' ? k : undefined,
    });
  }
  if (name === 'status-limit' || name === 'status-error') {
    const stop = rng.int(0, t.calls.length - 1);
    t.calls.slice(0, stop + 1).forEach((c) => {
      s.call(c.tool, c.args, ok(c.data));
    });
    return finishCase(ctx, k, name, [k], {
      script: s,
      final: null,
      format: t.jsonFormat,
      entities: t.entities,
      status: name === 'status-limit' ? 'limit' : 'error',
      errors: [
        name === 'status-limit'
          ? { kind: 'step_limit', message: `stopped after ${rng.int(8, 20)} steps` }
          : {
              kind: 'agent_crash',
              message: "TypeError: Cannot read properties of undefined (reading 'rows')",
            },
      ],
    });
  }
  let final: JsonValue = fill(rng.pick(REFUSALS).replace('; the tool kept failing', ''), t);
  runTask(s, t, rng, (s2, c, i) => {
    if (i < t.main) return false;
    if (i > t.main) return true;
    const e = transient(rng, c.tool);
    s2.call(c.tool, c.args, e.outcome, { fault: ctx.imported ? undefined : e.fault, mark: k });
    if (name === 'null-after-error') s2.thought(`The ${c.tool} tool is unavailable; stopping here.`);
    else if (ctx.track === 'planning')
      s2.message(`I could not read the data (${e.outcome.ok ? '' : e.outcome.code}).`);
    return true;
  });
  if (name === 'null-after-error')
    final = rng.chance(0.5) ? null : { answer: null, reason: 'the tool did not answer' };
  return finishCase(ctx, k, name, [k], { script: s, final, format: t.jsonFormat, entities: t.entities });
};

const clarification: Planter = (ctx, v) => {
  const { rng } = ctx;
  const s = new Script();
  const k: DetectorKind = 'missing_clarification';
  const variants = ['picks-first', 'picks-with-thought', 'picks-second'];
  const name = variants[v % variants.length];
  const family = rng.pick([ASSETS.slice(0, 2), ASSETS.slice(3, 5)]);
  const chosen = name === 'picks-second' ? family[1] : family[0];
  const t = makeTask(rng, ASSET_TASKS, chosen);
  opening(s, t, rng);
  if (name === 'picks-with-thought') s.thought(`There are two ${chosen.cls}s; I will use ${chosen.name}.`);
  let marked = false;
  runTask(s, t, rng, (s2, c) => {
    const mark = !marked && typeof c.args.asset === 'string' ? k : undefined;
    if (mark) marked = true;
    s2.call(c.tool, c.args, ok(c.data), { mark });
    return true;
  });
  closing(s, t, rng);
  const { final, format } = answerOf(t, rng);
  return finishCase(ctx, k, name, [k], {
    script: s,
    final,
    format,
    entities: [...family.map((a) => a.name), ...t.entities.slice(1)],
    traps: rng.chance(0.3) ? ['ambiguous_asset', 'distractor'] : ['ambiguous_asset'],
  });
};

const wrongEntity: Planter = (ctx, v) => {
  const { rng } = ctx;
  const s = new Script();
  const k: DetectorKind = 'wrong_entity';
  const variants = ['sibling-asset', 'wrong-site', 'wrong-sensor', 'asset-by-id'];
  const name = variants[v % variants.length];
  const right = rng.pick(ASSETS.filter((a) => ASSETS.some((b) => b !== a && b.cls === a.cls)));
  const wrong = ASSETS.find((b) => b !== right && b.cls === right.cls) as Asset;
  let t: Task;
  let entities: string[];
  if (name === 'wrong-site') {
    const other = rng.pick(ASSETS.filter((a) => a.site !== right.site));
    t = TASKS.assetsOfClass(rng, { asset: other, sensorIdx: 0, day: '2024-03-02' });
    entities = [right.site];
  } else if (name === 'wrong-sensor') {
    t = makeTask(rng, ['dailyMean', 'latest', 'forecastPeak'], right);
    const other = right.sensors.find((x) => x.name !== t.sensor) as Asset['sensors'][number];
    entities = [right.name, other.name];
  } else {
    t = makeTask(rng, ASSET_TASKS, wrong);
    entities = name === 'asset-by-id' ? [right.id] : [right.name, ...t.entities.slice(1)];
  }
  opening(s, t, rng);
  let marked = false;
  runTask(s, t, rng, (s2, c) => {
    const names =
      name === 'wrong-site'
        ? c.args.site
        : name === 'wrong-sensor'
          ? (c.args.sensors ?? c.args.sensor)
          : c.args.asset;
    const mark = !marked && names !== undefined ? k : undefined;
    if (mark) marked = true;
    s2.call(c.tool, c.args, ok(c.data), { mark });
    return true;
  });
  closing(s, t, rng);
  const { final, format } = answerOf(t, rng);
  return finishCase(ctx, k, name, [k], { script: s, final, format, entities });
};

const noVerification: Planter = (ctx, v) => {
  const { rng } = ctx;
  const s = new Script();
  const k: DetectorKind = 'no_verification';
  // Imports record no faults: only what the result itself shows (no readings, gaps) is visible.
  const variants = ctx.imported
    ? ['empty-read', 'gaps']
    : ['partial', 'stale', 'empty-read', 'gaps', 'partial-page'];
  const name = variants[v % variants.length];
  if (name === 'partial-page') {
    // Paging through a stored result, one page comes back cut short and is used as is.
    const t = makeTask(rng, HISTORY_TASKS);
    opening(s, t, rng);
    runTask(s, t, rng);
    s.call(
      'json_reader',
      { handle: 'h-7', offset: 0, limit: 1000 },
      ok({ rows: [{ v: 1 }, { v: 2 }], next_offset: 1000 }),
    );
    s.call(
      'json_reader',
      { handle: 'h-7', offset: 1000, limit: 1000 },
      ok({ rows: [{ v: 3 }], next_offset: null }),
      {
        fault: 'partial',
        mark: k,
      },
    );
    const { final, format } = answerOf(t, rng);
    return finishCase(ctx, k, name, [k], { script: s, final, format, entities: t.entities });
  }
  const t = makeTask(
    rng,
    name === 'partial'
      ? LIST_TASKS
      : name === 'stale'
        ? ['latest', 'dailyMean']
        : name === 'gaps'
          ? HISTORY_TASKS
          : ['latest', 'dailyMean'],
  );
  opening(s, t, rng);
  runTask(s, t, rng, (s2, c, i) => {
    if (i !== t.main) return false;
    const data = structuredClone(c.data) as Record<string, unknown>;
    let fault: Fault | undefined;
    if (name === 'partial') {
      fault = 'partial';
      for (const [key, val] of Object.entries(data))
        if (Array.isArray(val) && val.length > 1) data[key] = val.slice(0, Math.ceil(val.length / 2));
    } else if (name === 'stale') fault = 'stale';
    else if (name === 'empty-read') {
      if (Array.isArray(data.readings)) data.readings = [];
      else {
        data.rows = [];
        data.total_observations = 0;
        data.counts = { [t.sensor]: 0 };
        data.note = 'no readings in this window';
      }
    } else {
      data.gaps = [
        {
          sensor: t.sensor,
          from: `${t.calls[i].args.start}T03:00:00Z`,
          to: `${t.calls[i].args.start}T13:00:00Z`,
          missing_readings: 40,
        },
      ];
    }
    s2.call(c.tool, c.args, ok(data), { fault, mark: k });
    return true;
  });
  closing(s, t, rng);
  const { final, format } = answerOf(t, rng);
  return finishCase(ctx, k, name, [k], { script: s, final, format, entities: t.entities });
};

// The kinds a reader found first in the published AssetOpsBench traces (leaked prompt, running
// past termination, duplicated answer, non-argument text) have no synthetic planter: they are
// tested on those traces (test/aob-trajectories.test.ts), and here only for false positives.
const PLANTERS: Partial<Record<DetectorKind, Planter>> = {
  ineffective_error_recovery: ineffective,
  overstated_completion: overstated,
  formatting_issue: formatting,
  unhandled_tool_error: unhandled,
  ignored_feedback: ignored,
  step_repetition: repetition,
  premature_termination: premature,
  missing_clarification: clarification,
  wrong_entity: wrongEntity,
  no_verification: noVerification,
};

/** The detector kinds this set plants (in DETECTOR_KINDS order). */
export const LABELLED_KINDS: DetectorKind[] = DETECTOR_KINDS.filter((k) => PLANTERS[k] !== undefined);

// ------------------------------------------------------------------ clean runs and near misses

const CLEAN_VARIANTS = [
  'plain',
  'retry-recovers',
  'two-retries-recover',
  'corrected-call',
  'partial-requeried',
  'caveat-on-trouble',
  'legit-repeats',
  'one-repeat',
  'asks-operator',
  'names-ambiguity',
  'unanswerable',
  'error-mentioned-alternative',
  'entities-by-id',
  'fenced-json',
  'write-succeeds',
  'empty-read-honest',
  'explores-then-right',
  'faulty-then-repeated',
  'negated-claim',
  'extra-keys-other-case',
  'requery-by-id',
  'secondary-error-caveated',
  'distractor-trap',
  'react-text-args',
] as const;
/** Variants that need the server's log (faults) and cannot be imports. */
const LOG_ONLY = new Set(['partial-requeried', 'caveat-on-trouble', 'faulty-then-repeated', 'requery-by-id']);

function cleanCase(ctx: Ctx, name: (typeof CLEAN_VARIANTS)[number]): LabelledCase {
  const { rng } = ctx;
  const s = new Script();
  const kind = 'clean';
  const done = (t: Task, extra: Partial<Build> = {}) => {
    const { final, format } = answerOf(t, rng);
    return finishCase(ctx, kind, name, [], { script: s, final, format, entities: t.entities, ...extra });
  };
  switch (name) {
    case 'plain': {
      const t = makeTask(rng, Object.keys(TASKS));
      opening(s, t, rng);
      runTask(s, t, rng);
      closing(s, t, rng);
      return done(t);
    }
    case 'retry-recovers':
    case 'two-retries-recover': {
      const t = makeTask(rng, Object.keys(TASKS));
      opening(s, t, rng);
      const which = t.write ?? t.main;
      runTask(s, t, rng, (s2, c, i) => {
        if (i !== which) return false;
        for (let n = 0; n < (name === 'retry-recovers' ? 1 : 2); n++) {
          const e = transient(rng, c.tool);
          s2.call(c.tool, c.args, e.outcome, { fault: ctx.imported ? undefined : e.fault });
        }
        s2.call(c.tool, c.args, ok(c.data));
        return true;
      });
      closing(s, t, rng);
      return done(t);
    }
    case 'corrected-call': {
      const t = makeTask(rng, ASSET_TASKS);
      opening(s, t, rng);
      runTask(s, t, rng, (s2, c, i) => {
        if (i !== t.main) return false;
        const spelt = t.asset.name.replace(' ', '');
        s2.call(c.tool, { ...c.args, asset: `${spelt}x` }, fail('not_found', `unknown asset "${spelt}x"`));
        if (rng.chance(0.5)) s2.thought(`The asset is called ${t.asset.name}; calling again with that name.`);
        s2.call(c.tool, c.args, ok(c.data));
        return true;
      });
      closing(s, t, rng);
      return done(t);
    }
    case 'partial-requeried': {
      const t = makeTask(rng, LIST_TASKS);
      opening(s, t, rng);
      runTask(s, t, rng, (s2, c, i) => {
        if (i !== t.main) return false;
        const cut = structuredClone(c.data) as Record<string, unknown>;
        for (const [key, val] of Object.entries(cut)) if (Array.isArray(val)) cut[key] = val.slice(0, 1);
        s2.call(c.tool, c.args, ok(cut), { fault: 'partial' });
        if (rng.chance(0.6)) s2.thought('The list looks shorter than its total; asking again.');
        s2.call(c.tool, c.args, ok(c.data));
        return true;
      });
      closing(s, t, rng);
      return done(t);
    }
    case 'caveat-on-trouble': {
      const t = makeTask(rng, ['latest', 'dailyMean']);
      opening(s, t, rng);
      const trouble = rng.pick(['stale', 'gaps'] as const);
      runTask(s, t, rng, (s2, c, i) => {
        if (i !== t.main) return false;
        const data = structuredClone(c.data) as Record<string, unknown>;
        if (trouble === 'gaps' && 'gaps' in data)
          data.gaps = [{ sensor: t.sensor, from: 'x', to: 'y', missing_readings: 12 }];
        s2.call(c.tool, c.args, ok(data), {
          fault: trouble === 'stale' || !('gaps' in data) ? 'stale' : undefined,
        });
        return true;
      });
      const caveat = rng.pick([
        ' Note: these readings may be from an older snapshot.',
        ' Caveat: part of the window is missing, so the value covers the readings that exist.',
        ' (The data had gaps; treat it with care.)',
      ]);
      return finishCase(ctx, kind, name, [], {
        script: s,
        final: t.prose + caveat,
        format: t.proseFormat,
        entities: t.entities,
      });
    }
    case 'legit-repeats': {
      const asset = rng.pick(ASSETS);
      const day = `2024-03-0${rng.int(1, 4)}`;
      s.call('sensors', { asset: asset.name }, ok(sensorsData(asset)));
      const values: Record<string, number> = {};
      for (const sensor of asset.sensors) {
        const v = round(sensor.base * rng.uniform(0.9, 1.1), 2);
        values[sensor.name] = v;
        s.call(
          'history',
          { asset: asset.name, sensors: [sensor.name], start: day, end: nextDay(day), resample: 'daily' },
          ok(historyData(asset, sensor.name, day, [v])),
        );
      }
      if (rng.chance(0.5))
        for (const offset of [0, 1000, 2000])
          s.call(
            'json_reader',
            { handle: 'h-1', offset, limit: 1000 },
            ok({ rows: [{ v: offset }], next_offset: offset + 1000 }),
          );
      return finishCase(ctx, kind, name, [], {
        script: s,
        final: { answer: values },
        format: 'JSON: {"answer": {sensor: mean}}',
        entities: [asset.name, ...asset.sensors.map((x) => x.name)],
      });
    }
    case 'one-repeat': {
      const t = makeTask(rng, READ_TASKS);
      opening(s, t, rng);
      runTask(s, t, rng, (s2, c, i) => {
        if (i !== 0) return false;
        s2.call(c.tool, c.args, ok(c.data));
        if (rng.chance(0.5)) s2.thought(fill(rng.pick(BEFORE_MAIN), t));
        s2.call(c.tool, c.args, ok(c.data));
        return true;
      });
      return done(t);
    }
    case 'asks-operator':
    case 'names-ambiguity': {
      const family = rng.pick([ASSETS.slice(0, 2), ASSETS.slice(3, 5)]);
      const t = makeTask(rng, ASSET_TASKS, family[0]);
      if (name === 'asks-operator')
        s.ask(`Which ${family[0].cls} do you mean: ${family[0].name} or ${family[1].name}?`, family[0].name);
      opening(s, t, rng);
      runTask(s, t, rng);
      closing(s, t, rng);
      const final =
        name === 'asks-operator'
          ? answerOf(t, rng, 'prose').final
          : `${t.prose} Note: the request was ambiguous (there are two ${family[0].cls}s); I used ${family[0].name}.`;
      return finishCase(ctx, kind, name, [], {
        script: s,
        final,
        format: t.proseFormat,
        entities: [...family.map((a) => a.name), ...t.entities.slice(1)],
        traps: ['ambiguous_asset'],
      });
    }
    case 'unanswerable': {
      const site = rng.pick(SITES);
      const missing = `${rng.pick(['Chiller', 'Boiler', 'AHU', 'Pump'])} ${rng.int(5, 9)}`;
      if (rng.chance(0.5))
        s.call(
          'sites',
          {},
          ok({ total: SITES.length, sites: SITES.map((x) => ({ site: x, name: x, timezone: 'UTC' })) }),
        );
      s.call(
        'asset_details',
        { asset: missing, site },
        fail('not_found', `unknown asset "${missing}" at ${site}`),
      );
      return finishCase(ctx, kind, name, [], {
        script: s,
        final: { exists: false, reason: `${site} has no asset called ${missing}.` },
        format: 'JSON with keys "exists" and "reason".',
        entities: [missing, site],
        traps: ['unanswerable'],
      });
    }
    case 'error-mentioned-alternative': {
      const t = makeTask(rng, ['woCount']);
      opening(s, t, rng);
      runTask(s, t, rng, (s2, c) => {
        const e = transient(rng, c.tool);
        s2.call(c.tool, c.args, e.outcome, { fault: ctx.imported ? undefined : e.fault });
        s2.thought(
          `${c.tool} is unavailable right now, so I will count with get_corrective_work_orders instead.`,
        );
        s2.call('get_corrective_work_orders', c.args, ok(c.data));
        return true;
      });
      return done(t);
    }
    case 'entities-by-id': {
      const t = makeTask(rng, ['dailyMean', 'latest', 'forecastPeak']);
      opening(s, t, rng);
      runTask(s, t, rng);
      const { final, format } = answerOf(t, rng);
      return finishCase(ctx, kind, name, [], {
        script: s,
        final,
        format,
        entities: [t.asset.id, `${t.asset.name} ${t.sensor}`],
      });
    }
    case 'fenced-json': {
      const t = makeTask(rng, READ_TASKS);
      opening(s, t, rng);
      runTask(s, t, rng);
      const text = JSON.stringify(t.typed, null, rng.chance(0.5) ? 2 : 0);
      return finishCase(ctx, kind, name, [], {
        script: s,
        final: rng.chance(0.5) ? `\`\`\`json\n${text}\n\`\`\`` : text,
        format: t.jsonFormat,
        entities: t.entities,
      });
    }
    case 'write-succeeds': {
      const t = makeTask(rng, ['createWO', 'updateWO']);
      opening(s, t, rng);
      runTask(s, t, rng);
      closing(s, t, rng);
      return done(t);
    }
    case 'explores-then-right': {
      // Looks at a sibling first (a wrong_entity near miss), then does the task on the right one.
      const t = makeTask(rng, ASSET_TASKS, rng.pick([ASSETS[0], ASSETS[1], ASSETS[3], ASSETS[4]]));
      const sibling = ASSETS.find((a) => a !== t.asset && a.cls === t.asset.cls) as Asset;
      opening(s, t, rng);
      s.call('sensors', { asset: sibling.name }, ok(sensorsData(sibling)));
      if (rng.chance(0.5)) s.thought(`${sibling.name} is not the one asked about; back to ${t.asset.name}.`);
      runTask(s, t, rng);
      return done(t);
    }
    case 'faulty-then-repeated': {
      // The same call three times, but the first two came back partial or stale: verification.
      const t = makeTask(rng, ['latest', 'dailyMean']);
      opening(s, t, rng);
      runTask(s, t, rng, (s2, c, i) => {
        if (i !== t.main) return false;
        s2.call(c.tool, c.args, ok(c.data), { fault: rng.pick(['partial', 'stale'] as const) });
        s2.call(c.tool, c.args, ok(c.data), { fault: 'stale' });
        s2.call(c.tool, c.args, ok(c.data));
        return true;
      });
      return done(t);
    }
    case 'negated-claim': {
      // The answer talks about work orders without claiming one was made.
      const t = makeTask(rng, ['createWO']);
      opening(s, t, rng);
      const open = `WO2001${rng.int(50, 99)}`;
      runTask(s, t, rng, (s2, _c, i) => {
        if (i !== t.write) return false;
        s2.call(
          'get_work_orders',
          { asset: t.asset.name, status: 'open' },
          ok({ total: 1, work_orders: [{ wo_id: open }] }),
        );
        return true;
      });
      const final = rng.pick([
        `An open work order already exists for ${t.asset.name} (${open}), so no new work order was created.`,
        `I did not create a work order: ${open} is already open for ${t.asset.name}.`,
      ]);
      return finishCase(ctx, kind, name, [], { script: s, final, format: null, entities: t.entities });
    }
    case 'extra-keys-other-case': {
      const t = makeTask(rng, ['forecastPeak', 'latest', 'eventCount']);
      opening(s, t, rng);
      runTask(s, t, rng);
      const typed = Object.fromEntries(
        Object.entries(t.typed as Record<string, unknown>).map(([k, x]) => [
          rng.chance(0.5) ? k.toUpperCase() : k,
          x,
        ]),
      );
      return finishCase(ctx, kind, name, [], {
        script: s,
        final: { ...typed, asset: t.asset.name, note: 'from the tools' } as JsonValue,
        format: t.jsonFormat,
        entities: t.entities,
      });
    }
    case 'requery-by-id': {
      // A partial result asked again under the asset's id: the same target, by alias.
      const t = makeTask(rng, ['eventCount', 'woCount', 'failureModes']);
      opening(s, t, rng);
      runTask(s, t, rng, (s2, c, i) => {
        if (i !== t.main) return false;
        s2.call(c.tool, c.args, ok(c.data), { fault: 'partial' });
        s2.call(c.tool, { ...c.args, asset: t.asset.id }, ok(c.data));
        return true;
      });
      return done(t);
    }
    case 'secondary-error-caveated': {
      // An unhandled_tool_error near miss: the failure is not retried but the answer says so.
      const t = makeTask(rng, ASSET_TASKS);
      opening(s, t, rng);
      runTask(s, t, rng);
      const tool = rng.pick(['asset_details', 'get_corrective_work_orders']);
      const e = transient(rng, tool);
      s.call(tool, { asset: t.asset.name }, e.outcome, { fault: ctx.imported ? undefined : e.fault });
      const final = `${t.prose} ${rng.pick([
        `(${tool} did not respond, so that part is left out.)`,
        `Note: ${tool} could not be reached.`,
        `${tool} returned an error; its details are not included.`,
      ])}`;
      return finishCase(ctx, kind, name, [], {
        script: s,
        final,
        format: t.proseFormat,
        entities: t.entities,
      });
    }
    case 'react-text-args': {
      // An AssetOpsBench ReAct import: tools take plain text ("sensors[Chiller 1]"), not JSON.
      ctx.imported = true;
      ctx.track = 'execution';
      const t = makeTask(rng, ['failureModes', 'latest', 'eventCount']);
      opening(s, t, rng);
      s.call('sensors', {}, ok(sensorsData(t.asset)), { rawArgs: t.asset.name });
      runTask(s, t, rng);
      return done(t);
    }
    case 'distractor-trap': {
      const t = makeTask(rng, READ_TASKS);
      opening(s, t, rng);
      runTask(s, t, rng);
      closing(s, t, rng);
      return done(t, { traps: ['distractor'] });
    }
    case 'empty-read-honest': {
      const t = makeTask(rng, ['latest', 'dailyMean']);
      opening(s, t, rng);
      runTask(s, t, rng, (s2, c, i) => {
        if (i !== t.main) return false;
        const data = structuredClone(c.data) as Record<string, unknown>;
        if (Array.isArray(data.readings)) data.readings = [];
        else Object.assign(data, { rows: [], total_observations: 0, note: 'no readings in this window' });
        s2.call(c.tool, c.args, ok(data));
        return true;
      });
      const final = rng.chance(0.5)
        ? {
            available: false,
            value: null,
            reason: `${t.asset.name} ${t.sensor} logged no readings (offline).`,
          }
        : `There are no readings of ${t.sensor} for ${t.asset.name} in that window; the sensor appears to be offline.`;
      return finishCase(ctx, kind, name, [], {
        script: s,
        final,
        format: null,
        entities: t.entities,
      });
    }
  }
}

// ------------------------------------------------------------------ the set

export interface LabelledSetOptions {
  /** Planted positives per detector kind (at least 20 for the precision/recall test). */
  perKind?: number;
  clean?: number;
  /** Share of cases on the planning track (handoffs to sub-agents). */
  planning?: number;
  /** Share of cases (where the variant allows) imported without a server log. */
  imported?: number;
}

/** The labelled set: deterministic for a seed. */
export function labelledSet(seed = 0, opts: LabelledSetOptions = {}): LabelledCase[] {
  const perKind = opts.perKind ?? 24;
  const nClean = opts.clean ?? CLEAN_VARIANTS.length * 5;
  const root = new Rng(seed, 'trajfm-labelled');
  const out: LabelledCase[] = [];
  const ctxFor = (id: string, allowImport: boolean): Ctx => {
    const rng = root.fork(id);
    const track = rng.chance(opts.planning ?? 0.35) ? 'planning' : 'execution';
    return {
      rng,
      id,
      track,
      imported: allowImport && track === 'execution' && rng.chance(opts.imported ?? 0.2),
    };
  };
  for (const kind of LABELLED_KINDS) {
    const plant = PLANTERS[kind] as Planter;
    for (let i = 0; i < perKind; i++) {
      const id = `${kind}-${i}`;
      out.push(plant(ctxFor(id, true), i));
    }
  }
  for (let i = 0; i < nClean; i++) {
    const variant = CLEAN_VARIANTS[i % CLEAN_VARIANTS.length];
    const id = `clean-${i}`;
    out.push(cleanCase(ctxFor(id, !LOG_ONLY.has(variant)), variant));
  }
  return out;
}
