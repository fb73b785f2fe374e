// FMSR and work-order tools, against the imported AssetOpsBench sample (its verified
// answers: Q400, Q403, Q405, Q424 and the chiller failure modes) and a tiny generated
// world (frozen clock, sandbox isolation, prediction, alert analysis, structured errors).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAob } from '../src/dataset/aob/import.ts';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { FMSR_TOOLS } from '../src/tools/fmsr.ts';
import { ToolSession } from '../src/tools/session.ts';
import type { ToolError } from '../src/tools/types.ts';
import { UTIL_TOOLS } from '../src/tools/util.ts';
import { WO_TOOLS } from '../src/tools/wo.ts';
import { epochFromIso } from '../src/util/time.ts';
import { aobData } from './support/aob-data.ts';
import { tinyWorld } from './support/worlds.ts';

const AOB = aobData();
const TOOLS = new Map([...FMSR_TOOLS, ...WO_TOOLS, ...UTIL_TOOLS].map((t) => [t.name, t]));

// biome-ignore lint/suspicious/noExplicitAny: results are inspected loosely
type Data = any;

function session(ds: Dataset, now?: string): ToolSession {
  return new ToolSession(ds, TOOLS, now ? { now } : {});
}

async function ok(s: ToolSession, tool: string, args: unknown): Promise<Data> {
  const r = await s.call(tool, args);
  if (!r.ok) throw new Error(`${tool} failed: ${r.error.code} ${r.error.message}`);
  return r.data;
}

async function fails(s: ToolSession, tool: string, args: unknown): Promise<ToolError> {
  const r = await s.call(tool, args);
  if (r.ok) throw new Error(`${tool} unexpectedly succeeded: ${JSON.stringify(r.data).slice(0, 200)}`);
  return r.error;
}

let tmp: string;
let aob: Dataset;
let tiny: Dataset;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tools-fmsr-wo-'));
  await importAob(AOB, join(tmp, 'aob'), {});
  aob = await openDataset(join(tmp, 'aob'), { verify: false });
  tiny = await openDataset((await tinyWorld(7)).dir, { verify: false });
}, 60_000);

afterAll(async () => {
  aob?.close();
  tiny?.close();
  await rm(tmp, { recursive: true, force: true });
});

/** A work order reported before some moment and finished after it (and before the data ends). */
async function openAtSomeMoment(): Promise<{ late: { wo_id: string; asset_id: string }; now: string }> {
  const [late] = await tiny.query<{ wo_id: string; asset_id: string; t: number }>(
    `select wo_id, asset_id, epoch(reported_time)::BIGINT + 60 t from work_orders
      where actual_start > reported_time + interval 2 minute and actual_finish <= $end::TIMESTAMP
      order by reported_time desc, wo_id limit 1`,
    { end: tiny.manifest.timeRange.exposedUntil.replace('T', ' ').replace('Z', '') },
  );
  return { late, now: new Date(Number(late.t) * 1000).toISOString().replace('.000Z', 'Z') };
}

describe('on the AssetOpsBench sample', () => {
  const now = '2023-12-31T00:00:00Z';

  it('finds the 33 work orders of CWC04013 finished in 2017, 2 of them corrective (Q400, Q403)', async () => {
    const s = session(aob, now);
    const year = { asset: 'CWC04013', start: '2017-01-01', end: '2017-12-31' };
    const all = await ok(s, 'get_work_orders', year);
    expect(all.total).toBe(33);
    expect(all.work_orders.every((w: Data) => w.actual_finish.startsWith('2017-'))).toBe(true);
    const finishes = all.work_orders.map((w: Data) => w.actual_finish);
    expect(finishes).toEqual([...finishes].sort());
    expect((await ok(s, 'get_corrective_work_orders', year)).total).toBe(2);
    expect((await ok(s, 'get_preventive_work_orders', year)).total).toBe(31);
    // AssetOpsBench's own argument names work too.
    const aliased = await ok(s, 'get_work_orders', {
      equipment_id: 'cwc04013',
      start_date: '2017-01-01',
      end_date: '2017-12-31',
    });
    expect(aliased.total).toBe(33);
  });

  it('counts the June 2020 events of CWC04009 by group (Q405)', async () => {
    const s = session(aob, now);
    const r = await ok(s, 'get_events', { asset: 'CWC04009', start: '2020-06-01', end: '2020-06-30' });
    expect(r.counts).toEqual({ WORK_ORDER: 3, ALERT: 30, ANOMALY: 30 });
    expect(r.total).toBe(63);
    expect(r.events).toHaveLength(50);
    expect(r.handle).toMatch(/^res-/);
    const alerts = await ok(s, 'get_events', {
      asset: 'CWC04009',
      start: '2020-06-01',
      end: '2020-06-30',
      group: 'ALERT',
    });
    expect(alerts.total).toBe(30);
    expect(alerts.events.every((e: Data) => e.event_type === 'RUL0018')).toBe(true);
  });

  it('bundles the corrective work of CWC04009 in 2017-2019 into 15, 6 and 2 orders (Q424)', async () => {
    const s = session(aob, now);
    const r = await ok(s, 'bundle_work_orders', {
      asset: 'CWC04009',
      start: '2017-01-01',
      end: '2019-12-31',
    });
    expect(r.gap_days).toBe(14);
    expect(r.bundles.map((b: Data) => b.size)).toEqual([15, 6, 2]);
    for (const b of r.bundles) {
      expect(b.wo_ids).toHaveLength(b.size);
      expect(b.first_finish <= b.last_finish).toBe(true);
    }
  });

  it('returns the 16 imported chiller failure modes, the seven reference modes first', async () => {
    const r = await ok(session(aob, now), 'get_failure_modes', { asset: 'Chiller 6' });
    expect(r.asset_class).toBe('chiller');
    expect(r.total).toBe(16);
    expect(r.failure_modes.slice(0, 7).map((m: Data) => m.name)).toEqual([
      'Compressor Overheating',
      'Heat Exchangers: Fans',
      'Evaporator',
      'Condenser: Water side',
      'Condenser: Improper water flow rate',
      'Purge Unit',
      'Refrigerant Operated Control Valve',
    ]);
  });

  it('analyses alert rule RUL0018 over the event log and lists the 143 failure codes', async () => {
    const s = session(aob, now);
    const r = await ok(s, 'analyze_alert_to_failure', { asset: 'CWC04009', rule_id: 'rul0018' });
    expect(r.rule_id).toBe('RUL0018');
    expect(r.total_alerts_analyzed).toBeGreaterThan(30);
    expect(r.transitions.reduce((n: number, t: Data) => n + t.count, 0)).toBe(r.total_alerts_analyzed);
    const codes = await ok(s, 'get_failure_codes', {});
    expect(codes.total).toBe(143);
    expect(codes.failure_codes).toHaveLength(50);
    expect((await ok(s, 'json_reader', { handle: codes.handle, limit: 1000 })).total).toBe(143);
  });
});

describe('on a tiny generated world', () => {
  it('hides the future: nothing finishes after now, later finishes show as open', async () => {
    const { late, now: start } = await openAtSomeMoment();
    const s = session(tiny, start);
    const nowSec = epochFromIso(start);
    expect(late).toBeDefined();
    const assets = (await tiny.query<{ asset_id: string }>('select asset_id from assets')).map(
      (a) => a.asset_id,
    );
    for (const asset of assets) {
      const r = await ok(s, 'get_work_orders', { asset });
      for (const w of r.work_orders) {
        if (w.actual_finish) expect(epochFromIso(w.actual_finish)).toBeLessThanOrEqual(nowSec);
        expect(epochFromIso(w.reported_time)).toBeLessThanOrEqual(nowSec);
      }
      const events = await ok(s, 'get_events', { asset });
      for (const e of events.events) expect(epochFromIso(e.event_time)).toBeLessThanOrEqual(nowSec);
    }
    const orders = await ok(s, 'get_work_orders', { asset: late.asset_id });
    const open = orders.work_orders.find((w: Data) => w.wo_id === late.wo_id);
    expect(open).toMatchObject({
      status: 'INPRG',
      actual_finish: null,
      actual_start: null,
      cost: null,
      labor_hours: null,
    });
    expect(orders.work_orders.at(-1).wo_id).toBe(late.wo_id);
    // At the end of the exposed data the same order is finished.
    const later = await ok(session(tiny), 'get_work_orders', { asset: late.asset_id });
    expect(later.work_orders.find((w: Data) => w.wo_id === late.wo_id).actual_finish).not.toBeNull();
  });

  it('keeps created and updated work orders in their own session and out of the dataset', async () => {
    const a = session(tiny);
    const b = session(tiny);
    const before = await tiny.query<{ n: number }>('select count(*)::INT n from work_orders');
    const created = await ok(a, 'create_work_order', {
      asset: 'Chiller 1',
      description: 'Condenser approach rising; inspect and brush tubes',
      priority: 2,
      failure_code: 'f001a',
      component: 'condenser',
    });
    expect(created).toMatchObject({
      wo_id: 'SBX-0001',
      status: 'WAPPR',
      secondary_code: 'F001a',
      sandbox: true,
    });
    expect(created.reported_time).toBe(tiny.manifest.timeRange.exposedUntil);
    expect(
      (await ok(a, 'create_work_order', { asset: 'Pump 1', description: 'Seal check', priority: 4 })).wo_id,
    ).toBe('SBX-0002');

    const listA = await ok(a, 'get_corrective_work_orders', { asset: 'CWC04001' });
    expect(listA.work_orders.at(-1).wo_id).toBe('SBX-0001');
    const listB = await ok(b, 'get_corrective_work_orders', { asset: 'CWC04001' });
    expect(listB.work_orders.some((w: Data) => w.wo_id.startsWith('SBX'))).toBe(false);
    expect(listA.total).toBe(listB.total + 1);
    const events = await ok(a, 'get_events', { asset: 'Chiller 1', group: 'WORK_ORDER' });
    expect(events.events.some((e: Data) => e.event_id === 'SBX-0001')).toBe(true);

    // Walk the sandbox order through its life; a closed order cannot be reopened.
    for (const status of ['APPR', 'INPRG', 'COMP', 'CLOSE']) {
      expect((await ok(a, 'update_work_order', { wo_id: 'sbx-0001', status })).work_order.status).toBe(
        status,
      );
    }
    const reopen = await fails(a, 'update_work_order', { wo_id: 'SBX-0001', status: 'WAPPR' });
    expect(reopen.code).toBe('conflict');
    expect(reopen.hint).toMatch(/final/);

    // Finished dataset orders are final; changes to open ones stay in the sandbox.
    const [done] = await tiny.query<{ wo_id: string }>(
      `select wo_id from work_orders where status = 'CLOSE' and actual_finish <= $t::TIMESTAMP order by wo_id limit 1`,
      { t: tiny.manifest.timeRange.exposedUntil.replace('T', ' ').replace('Z', '') },
    );
    expect((await fails(a, 'update_work_order', { wo_id: done.wo_id, status: 'WAPPR' })).code).toBe(
      'conflict',
    );
    expect((await fails(a, 'update_work_order', { wo_id: done.wo_id, priority: 1 })).code).toBe('conflict');
    const open = await ok(a, 'create_work_order', {
      asset: 'AHU 1',
      description: 'Filter change',
      priority: 3,
    });
    const changed = await ok(a, 'update_work_order', {
      wo_id: open.wo_id,
      priority: 1,
      description: 'Filter change now',
    });
    expect(changed.changes.map((c: Data) => c.field).sort()).toEqual(['description', 'priority']);

    const after = await tiny.query<{ n: number }>('select count(*)::INT n from work_orders');
    expect(after[0].n).toBe(before[0].n);
    expect((await fails(b, 'update_work_order', { wo_id: 'SBX-0001', status: 'APPR' })).code).toBe(
      'not_found',
    );
  });

  it('overlays a dataset order that is open at now, in that session only', async () => {
    const { late, now: start } = await openAtSomeMoment();
    const a = session(tiny, start);
    const r = await ok(a, 'update_work_order', { wo_id: late.wo_id, status: 'COMP' });
    expect(r.work_order).toMatchObject({ status: 'COMP', actual_finish: start, sandbox: true });
    const seen = await ok(a, 'get_work_orders', { asset: late.asset_id });
    expect(seen.work_orders.find((w: Data) => w.wo_id === late.wo_id).status).toBe('COMP');
    const other = await ok(session(tiny, start), 'get_work_orders', { asset: late.asset_id });
    expect(other.work_orders.find((w: Data) => w.wo_id === late.wo_id).status).toBe('INPRG');
  });

  it('predicts the next work order with probabilities that sum to 1', async () => {
    const s = session(tiny);
    const r = await ok(s, 'predict_next_work_order', { asset: 'Chiller 1' });
    expect(r.history_size).toBeGreaterThanOrEqual(2);
    const total = r.predictions.reduce((n: number, p: Data) => n + p.probability, 0);
    expect(total).toBeCloseTo(1, 3);
    const probs = r.predictions.map((p: Data) => p.probability);
    expect(probs).toEqual([...probs].sort((x, y) => y - x));
    const dist = await ok(s, 'get_work_order_distribution', { asset: 'Chiller 1' });
    expect(dist.distribution.reduce((n: number, d: Data) => n + d.count, 0)).toBe(dist.total_work_orders);
    const few = await fails(s, 'predict_next_work_order', {
      asset: 'Chiller 1',
      start: tiny.manifest.timeRange.exposedUntil,
    });
    expect(few.code).toBe('no_data');
  });

  it('analyses a real alert rule and maps failure modes to sensors from the catalog', async () => {
    const s = session(tiny);
    const [rule] = await tiny.query<{ rule_id: string }>(
      "select rule_id from alert_rules where asset_class = 'chiller' order by rule_id limit 1",
    );
    const r = await ok(s, 'analyze_alert_to_failure', {
      asset: 'Chiller 1',
      rule_id: rule.rule_id,
      horizon_days: 30,
    });
    expect(r.rule_id).toBe(rule.rule_id);
    expect(r.transitions.map((t: Data) => t.transition)).toEqual(['WORK_ORDER', 'No Maintenance']);
    expect(r.transitions.reduce((n: number, t: Data) => n + t.count, 0)).toBe(r.total_alerts_analyzed);

    const modes = await ok(s, 'get_failure_modes', { asset_class: 'Chiller' });
    expect(modes.total).toBeGreaterThan(5);
    const map = await ok(s, 'get_failure_mode_sensor_mapping', {
      asset: 'Chiller 1',
      failure_modes: [modes.failure_modes[0].id],
      sensors: ['Compressor Discharge Temperature', 'Tonnage'],
    });
    const name = modes.failure_modes[0].name;
    expect(Object.keys(map.fm2sensor)).toEqual([name]);
    expect(map.relevancy).toHaveLength(2);
    for (const rel of map.relevancy) {
      expect(map.fm2sensor[name].includes(rel.sensor)).toBe(rel.relevant);
      expect(rel.reason.length).toBeGreaterThan(10);
    }
  });

  it('answers mistakes with structured errors', async () => {
    const s = session(tiny);
    const asset = await fails(s, 'get_work_orders', { asset: 'Chiler 1' });
    expect(asset.code).toBe('not_found');
    expect(asset.candidates).toContain('Chiller 1');
    const rule = await fails(s, 'analyze_alert_to_failure', { asset: 'Chiller 1', rule_id: 'RUL010' });
    expect(rule.code).toBe('not_found');
    expect(rule.candidates?.length).toBeGreaterThan(0);
    const code = await fails(s, 'create_work_order', {
      asset: 'Chiller 1',
      description: 'x',
      priority: 2,
      failure_code: 'M001z',
    });
    expect(code.code).toBe('not_found');
    expect(code.candidates?.[0]).toMatch(/^M001/);
    expect((await fails(s, 'get_failure_codes', { code: 'ZZ99' })).code).toBe('not_found');
    expect((await fails(s, 'get_failure_modes', {})).code).toBe('invalid_arguments');
    const cls = await fails(s, 'get_failure_modes', { asset_class: 'turbine' });
    expect(cls.code).toBe('not_found');
    expect(cls.hint).toMatch(/chiller/);
    expect(
      (await fails(s, 'get_failure_mode_sensor_mapping', { asset_class: 'pump', failure_modes: ['nope'] }))
        .code,
    ).toBe('not_found');
    expect(
      (await fails(s, 'create_work_order', { asset: 'Pump 1', description: 'x'.repeat(201), priority: 2 }))
        .code,
    ).toBe('invalid_arguments');
    expect((await fails(s, 'update_work_order', { wo_id: 'WO999999', status: 'APPR' })).code).toBe(
      'not_found',
    );
    expect((await fails(s, 'get_events', { asset: 'Chiller 1', start: '2030-01-01' })).code).toBe(
      'out_of_range',
    );
    expect(s.log.every((c) => !c.ok && c.error?.code !== 'internal')).toBe(true);
  });
});
