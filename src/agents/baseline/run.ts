// One run of the baseline: the tool calls it makes (each recorded as a tool_call and a
// tool_result step), its thoughts and questions to the operator, and small caches so that
// a handler asking twice for the same site or asset does not call the tool twice.
import type { AgentTask, AgentTools } from '../agent.ts';
import { addStep, type Trajectory } from '../trajectory.ts';
import {
  assetMentions,
  classMention,
  DEFAULT_CLASSES,
  escapeRe,
  longestNamed,
  norm,
  readShape,
  type Shape,
} from './parse.ts';

export const AGENT_NAME = 'baseline';

/** Transient tool failures (injected faults) are retried this many times. */
const RETRIES = 2;
const TRANSIENT = new Set(['unavailable', 'timeout']);
/** Tool results are kept in the steps up to this length (the tool log holds them whole). */
const RESULT_CHARS = 2000;
/** json_reader's largest page. */
const PAGE = 1000;

/** Raised by a handler that cannot answer; its message becomes the reason in the final answer. */
export class Unable extends Error {
  override name = 'Unable';
}

export interface SensorInfo {
  sensor: string;
  label: string;
  unit: string;
  interval_minutes: number;
}

export interface AssetInfo {
  asset_id: string;
  name: string;
  asset_class: string;
}

type Obj = Record<string, unknown>;

export class Run {
  readonly text: string;
  readonly shape: Shape;
  readonly now: number;
  readonly classes: string[];
  private callSeq = 0;
  private readonly cache = new Map<string, unknown>();

  constructor(
    readonly task: AgentTask,
    private readonly tools: AgentTools,
    readonly traj: Trajectory,
  ) {
    this.text = task.utterance;
    this.shape = readShape(task.answerFormat.jsonShape);
    this.now = Math.floor(Date.parse(task.now) / 1000);
    this.classes = classesFromTools(tools);
  }

  thought(content: string): void {
    addStep(this.traj, { agent: AGENT_NAME, kind: 'thought', content });
  }

  /** Asks the operator and records the question (and the reply, as a message). */
  async ask(question: string): Promise<string | null> {
    addStep(this.traj, { agent: AGENT_NAME, kind: 'ask', content: question });
    const reply = await this.task.askOperator(question);
    addStep(this.traj, { agent: AGENT_NAME, kind: 'message', content: reply ?? '(no reply)' });
    return reply;
  }

  /** Calls a tool and records it; transient failures are retried. Errors come back as results. */
  async tryCall(name: string, args: Obj): Promise<{ ok: true; data: Obj } | { ok: false; error: string }> {
    for (let attempt = 0; ; attempt++) {
      const callId = `c${++this.callSeq}`;
      addStep(this.traj, {
        agent: AGENT_NAME,
        kind: 'tool_call',
        content: `${name} ${JSON.stringify(args)}`,
        tool: { name, args, callId },
      });
      const t0 = performance.now();
      const r = await this.tools.call(name, args);
      const latencyMs = Math.max(0, Math.round(performance.now() - t0));
      if (r.ok) {
        addStep(this.traj, {
          agent: AGENT_NAME,
          kind: 'tool_result',
          content: clip(JSON.stringify(r.data) ?? 'null'),
          tool: { name, args, callId, ok: true },
          latencyMs,
        });
        return { ok: true, data: (r.data ?? {}) as Obj };
      }
      const error = `${r.error.code}: ${r.error.message}`;
      addStep(this.traj, {
        agent: AGENT_NAME,
        kind: 'tool_result',
        content: `${error}${r.error.hint ? ` (${r.error.hint})` : ''}`,
        tool: { name, args, callId, ok: false, error },
        latencyMs,
      });
      if (!TRANSIENT.has(r.error.code) || attempt >= RETRIES) return { ok: false, error };
    }
  }

  /** Calls a tool; a failure ends the handler with the tool's message as the reason. */
  async call(name: string, args: Obj): Promise<Obj> {
    const r = await this.tryCall(name, args);
    if (!r.ok) throw new Unable(`the ${name} tool failed (${r.error})`);
    return r.data;
  }

  /** Every row of a list result: the inline ones, or all of them through json_reader when there is a handle. */
  async allRows<T = Obj>(data: Obj, key: string): Promise<T[]> {
    const inline = (data[key] ?? []) as T[];
    const handle = data.handle;
    if (typeof handle !== 'string' || handle === '') return inline;
    const rows: T[] = [];
    for (let offset = 0; ; ) {
      const page = await this.call('json_reader', { handle, offset, limit: PAGE });
      rows.push(...((page.rows ?? []) as T[]));
      const next = page.next_offset;
      if (typeof next !== 'number' || next <= offset) return rows;
      offset = next;
    }
  }

  private async cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const v = await load();
    this.cache.set(key, v);
    return v;
  }

  /** Site ids known to the tools. */
  siteIds(): Promise<string[]> {
    return this.cached('sites', async () => {
      const d = await this.call('sites', {});
      return ((d.sites ?? []) as Array<{ site: string }>).map((s) => s.site);
    });
  }

  /** The site the text names (an id in capitals such as MAIN), or null. */
  async siteInText(text = this.text): Promise<string | null> {
    const sites = await this.siteIds();
    const found = sites
      .map((s) => ({ s, i: text.search(new RegExp(`\\b${s.replace(/[^A-Za-z0-9_-]/g, '')}\\b`)) }))
      .filter((x) => x.i >= 0)
      .sort((a, b) => a.i - b.i);
    return found[0]?.s ?? null;
  }

  assetsAt(site: string, cls?: string | null): Promise<AssetInfo[]> {
    return this.cached(`assets:${site}:${cls ?? ''}`, async () => {
      const d = await this.call('assets', cls ? { site, asset_class: cls } : { site });
      return (d.assets ?? []) as AssetInfo[];
    });
  }

  sensorsOf(asset: string): Promise<SensorInfo[]> {
    return this.cached(`sensors:${norm(asset)}`, async () => {
      const d = await this.call('sensors', { asset });
      return (d.sensors ?? []) as SensorInfo[];
    });
  }

  /** The assets the request names, in order. */
  assets(text = this.text): string[] {
    return assetMentions(text, this.classes).map((m) => m.text);
  }

  /**
   * The asset the request is about: the last one it names, since side remarks ("Pump 1 kept
   * the night shift busy ... how many ... did Chiller 1 log") come before the question.
   */
  asset(text = this.text): string {
    const all = this.assets(text);
    const a = all[all.length - 1];
    if (!a) throw new Unable('the request names no asset I can recognise (e.g. "Chiller 6" or "CWC04006")');
    return a;
  }

  assetClass(text = this.text): string | null {
    return classMention(text, this.classes);
  }

  /** The sensor of `asset` named in `text` (the longest label it contains), resolved with the sensors tool. */
  async sensorIn(asset: string, text = this.text): Promise<SensorInfo> {
    const sensors = await this.sensorsOf(asset);
    // The asset's own name is not a sensor ("Cooling Tower 1" must not read as a tower sensor).
    const hay = text.replace(new RegExp(escapeRe(asset), 'gi'), ' ');
    const label = longestNamed(
      hay,
      sensors.map((s) => s.label),
    );
    const hit =
      sensors.find((s) => s.label === label) ??
      sensorWithoutClass(hay, sensors, this.classes) ??
      sensorByUnit(hay, sensors);
    if (!hit) throw new Unable(`the request names no sensor of ${asset} that I can recognise`);
    return hit;
  }
}

/** Labels that start with a class word ("Chiller % Loaded") are often written without it ("% Loaded"). */
function sensorWithoutClass(text: string, sensors: SensorInfo[], classes: string[]): SensorInfo | undefined {
  const classWords = new Set(classes.flatMap((c) => c.split('_')));
  const short = sensors.map((s) => {
    const [first, ...rest] = s.label.split(' ');
    return { s, rest: classWords.has(first.toLowerCase()) && rest.length > 0 ? rest.join(' ') : s.label };
  });
  const named = longestNamed(
    text,
    short.filter((x) => x.rest !== x.s.label).map((x) => x.rest),
  );
  return named ? short.find((x) => x.rest === named)?.s : undefined;
}

/** A unit only one sensor has ("kW/ton" is the chiller's efficiency) names that sensor. */
function sensorByUnit(text: string, sensors: SensorInfo[]): SensorInfo | undefined {
  const named = sensors.filter(
    (s) => s.unit.length > 2 && new RegExp(`(^|[\\s(])${escapeRe(s.unit)}($|[\\s),.?])`, 'i').test(text),
  );
  const units = new Set(named.map((s) => s.unit));
  return units.size === 1 && named.length === 1 ? named[0] : undefined;
}

function clip(s: string): string {
  return s.length > RESULT_CHARS ? `${s.slice(0, RESULT_CHARS - 1)}…` : s;
}

/** Asset classes as the assets tool lists them ("... one class (chiller, ahu, pump, ...)"). */
function classesFromTools(tools: AgentTools): string[] {
  const desc = tools.list().find((t) => t.name === 'assets')?.description ?? '';
  const m = /class \(([a-z_,\s]+)\)/i.exec(desc);
  const listed = m ? m[1].split(',').map((c) => c.trim().toLowerCase()) : [];
  return listed.length > 0 ? listed : DEFAULT_CLASSES;
}
