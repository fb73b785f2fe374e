import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/dataset/manifest.ts';
import { type Dataset, openDataset } from '../../src/dataset/open.ts';
import { tinyWorld } from '../support/worlds.ts';

let ds: Dataset;
let manifest: Manifest;

beforeAll(async () => {
  const w = await tinyWorld(11);
  manifest = w.manifest;
  ds = await openDataset(w.dir);
});

const one = async (sql: string) => Number((await ds.query<{ n: number }>(sql))[0].n);

describe('tiny world', () => {
  it('stays small enough for unit tests but has every part of a plant', async () => {
    const points = manifest.tables.telemetry.rows;
    expect(points).toBeGreaterThan(10_000);
    expect(points).toBeLessThan(50_000);
    expect(await one('select count(distinct asset_class)::INT n from assets')).toBe(6);
    expect(await one("select count(*)::INT n from sites where site_id = 'MAIN'")).toBe(1);
    expect(await one('select count(*)::INT n from failure_modes')).toBe(53);
    const codes = await one('select count(*)::INT n from failure_codes');
    expect(codes).toBeGreaterThanOrEqual(130);
    expect(codes).toBeLessThanOrEqual(150);
    expect(await one('select count(*)::INT n from alert_rules')).toBeGreaterThanOrEqual(18);
    expect(await one('select count(*)::INT n from work_orders')).toBeGreaterThan(50);
  });

  it('names sensors in the AssetOpsBench style', async () => {
    const rows = await ds.query<{ sensor_id: string; name: string; label: string }>(
      'select s.sensor_id, a.name, s.label from sensors s join assets a using (asset_id)',
    );
    for (const r of rows) expect(r.sensor_id).toBe(`${r.name} ${r.label}`);
    expect(rows.map((r) => r.sensor_id)).toContain('Chiller 1 Condenser Water Flow');
  });

  it('records every kind of data-quality fault as ground truth', async () => {
    const kinds = (await ds.query<{ kind: string }>('select distinct kind from data_faults')).map(
      (r) => r.kind,
    );
    for (const k of [
      'gap',
      'asset_outage',
      'stuck',
      'spike',
      'drift',
      'duplicate',
      'clock_skew',
      'timezone',
    ]) {
      expect(kinds, k).toContain(k);
    }
  });

  it('has no readings inside a gap', async () => {
    const gaps = await ds.query<{ n: number }>(`
      select count(t.value)::INT n from data_faults f
      left join telemetry t on t.asset_id = f.asset_id and (f.sensor_id is null or t.sensor_id = f.sensor_id)
        and t.ts >= f.start_time and t.ts < f.end_time
      where f.kind in ('gap', 'asset_outage') group by f.fault_id`);
    expect(gaps.length).toBeGreaterThan(0);
    for (const g of gaps) expect(g.n).toBe(0);
  });

  it('keeps a stuck sensor flat', async () => {
    const stuck = await ds.query<{ fault_id: string; readings: number; distinct_values: number }>(`
      select f.fault_id, count(t.value)::INT readings, count(distinct t.value)::INT distinct_values
      from data_faults f join telemetry t on t.sensor_id = f.sensor_id and t.ts >= f.start_time and t.ts < f.end_time
      where f.kind = 'stuck' and not exists (
        select 1 from data_faults s where s.kind = 'spike' and s.sensor_id = f.sensor_id
          and s.start_time >= f.start_time and s.start_time < f.end_time)
      group by f.fault_id having count(t.value) >= 2`);
    expect(stuck.length).toBeGreaterThan(0);
    for (const s of stuck) expect(s.distinct_values, s.fault_id).toBe(1);
  });

  it('duplicates readings where a duplicate fault says so', async () => {
    const dup = await one(`
      select count(*)::INT n from (
        select t.sensor_id, t.ts from data_faults f join telemetry t on t.sensor_id = f.sensor_id
          and t.ts >= f.start_time and t.ts < f.end_time
        where f.kind = 'duplicate' group by 1, 2 having count(*) = 2)`);
    expect(dup).toBeGreaterThan(0);
  });

  it('continues telemetry past what tools may show, for forecast grading', async () => {
    const last = (await ds.query<{ ts: string }>('select max(ts)::VARCHAR ts from telemetry'))[0].ts;
    expect(Date.parse(`${last.replace(' ', 'T')}Z`)).toBeGreaterThan(
      Date.parse(manifest.timeRange.exposedUntil),
    );
  });

  it('unites work orders, alerts and anomalies in the event log', async () => {
    const events = await one('select count(*)::INT n from events');
    const parts =
      (await one('select count(*)::INT n from work_orders')) +
      (await one('select count(*)::INT n from alerts')) +
      (await one('select count(*)::INT n from anomalies'));
    expect(events).toBe(parts);
  });
});
