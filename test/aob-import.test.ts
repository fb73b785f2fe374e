// The AssetOpsBench importer against the real published sample data (kept outside the
// repository in ../shared/assetopsbench). Row counts are checked twice: against the
// numbers IBM publishes and against an independent CSV count of the files.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAob } from '../src/dataset/aob/import.ts';
import { locateSampleData } from '../src/dataset/aob/locate.ts';
import { parseAobTime, parseHours, readCsv } from '../src/dataset/aob/parse.ts';
import type { Manifest } from '../src/dataset/manifest.ts';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { UserError } from '../src/util/errors.ts';
import { aobData } from './support/aob-data.ts';

const DATA = aobData();
const SAMPLE = join(DATA, 'sample_data');
const TIMEOUT = 30_000;

let tmp: string;
let manifest: Manifest;
let ds: Dataset;

/** Rows of a published CSV, counted with csv-parse directly (not through the importer's reader). */
function csvRowCount(file: string): number {
  const rows = parse(readFileSync(join(SAMPLE, file)), {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
  });
  return rows.length - 1;
}

async function count(table: string, where = ''): Promise<number> {
  const [row] = await ds.query<{ n: number }>(`select count(*)::INT as n from ${table} ${where}`);
  return row.n;
}

/** A sample_data copy made of symlinks, leaving out some files and replacing others. */
async function linkedSampleData(
  name: string,
  omit: string[],
  replace: Record<string, string> = {},
): Promise<string> {
  const dir = join(tmp, name, 'sample_data');
  await mkdir(dir, { recursive: true });
  for (const f of readdirSync(SAMPLE)) {
    if (omit.includes(f)) continue;
    if (f in replace) await writeFile(join(dir, f), replace[f]);
    else await symlink(join(SAMPLE, f), join(dir, f));
  }
  return dir;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'aob-import-'));
  manifest = await importAob(DATA, join(tmp, 'aob'), {});
  ds = await openDataset(join(tmp, 'aob'));
}, TIMEOUT);

afterAll(async () => {
  ds?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('importAob: tables', () => {
  const published: Array<[string, string, number]> = [
    ['work_orders', 'all_wo_with_code_component_events.csv', 4249],
    ['events', 'event.csv', 6256],
    ['alerts', 'alert_events.csv', 1466],
    ['alert_rules', 'alert_rule.csv', 19],
    ['anomalies', 'anomaly_events.csv', 541],
    ['failure_codes', 'failure_codes.csv', 143],
    ['failure_modes', 'failure_mode.csv', 53],
    ['meters', 'meter.csv', 22],
    ['components', 'component.csv', 14],
  ];

  it.each(published)('%s has one row per row of %s (%i)', async (table, file, n) => {
    expect(csvRowCount(file)).toBe(n);
    expect(await count(table)).toBe(n);
  });

  it('has one site, 11 chillers, and empty ground-truth tables', async () => {
    expect(await count('sites')).toBe(1);
    expect(await count('assets')).toBe(11);
    expect(await count('assets', "where asset_class = 'chiller'")).toBe(11);
    expect(await count('episodes')).toBe(0);
    expect(await count('data_faults')).toBe(0);
  });

  it('imports the Chiller 6 telemetry: 12 sensors, 2,896 ticks, 28,775 values', async () => {
    expect(await count('sensors')).toBe(12);
    expect(await count('telemetry')).toBe(28775);
    expect(await count('(select distinct ts from telemetry)')).toBe(2896);
    expect(await count('sensors', "where asset_id = 'CWC04006' and sensor_id like 'Chiller 6 %'")).toBe(12);
    const [t] = await ds.query<{ lo: string; hi: string }>(
      'select min(ts)::VARCHAR lo, max(ts)::VARCHAR hi from telemetry',
    );
    expect(t).toEqual({ lo: '2020-06-01 00:00:00', hi: '2020-06-30 23:45:00' });
    const units = await ds.query<{ label: string; unit: string }>(
      'select label, unit from sensors order by label',
    );
    expect(Object.fromEntries(units.map((u) => [u.label, u.unit]))).toMatchObject({
      Tonnage: 'tons',
      'Power Input': 'kW',
      'Condenser Water Flow': 'gpm',
      'Chiller % Loaded': '%',
      'Chiller Efficiency': 'kW/ton',
      'Supply Temperature': 'degF',
      Schedule: '',
      'Run Status': '',
    });
  });

  it('writes the manifest counts and time range', () => {
    expect(manifest.kind).toBe('aob-import');
    expect(manifest.seed).toBeNull();
    expect(manifest.source).toBe(SAMPLE);
    expect(manifest.counts).toMatchObject({
      points: 28775,
      sensors: 12,
      assets: 11,
      sites: 1,
      assetClasses: 1,
      workOrders: 4249,
      failureModes: 53,
      failureCodes: 143,
      alerts: 1466,
      alertRules: 19,
      anomalies: 541,
      events: 6256,
      episodes: 0,
      missingValues: 2896 * 12 - 28775,
      meters: 22,
      components: 14,
    });
    expect(manifest.timeRange).toEqual({
      start: '2020-06-01T00:00:00Z',
      // The published data has no hidden future: tools may see up to its last record.
      end: '2023-10-12T14:30:00Z',
      exposedUntil: '2023-10-12T14:30:00Z',
      historyStart: '2010-06-22T14:12:00Z',
    });
  });

  it('counts gaps as runs of consecutive missing ticks per sensor', () => {
    const docs = JSON.parse(
      readFileSync(join(SAMPLE, 'chiller6_june2020_sensordata_couchdb.json'), 'utf8'),
    ) as Array<Record<string, unknown>>;
    docs.sort((a, b) => String(a.timestamp).localeCompare(String(b.timestamp)));
    const keys = new Set(docs.flatMap((d) => Object.keys(d).filter((k) => k.startsWith('Chiller 6 '))));
    let gaps = 0;
    for (const key of keys) {
      docs.forEach((d, i) => {
        if (!(key in d) && (i === 0 || key in docs[i - 1])) gaps++;
      });
    }
    expect(keys.size).toBe(12);
    expect(manifest.counts.gaps).toBe(gaps);
  });

  it('parses work orders, alert rules and failure modes', async () => {
    const [wo] = await ds.query('select * from work_orders where wo_id = $1', ['WO259747']);
    expect(wo).toMatchObject({
      asset_id: 'CWC04013',
      component: 'compressor',
      preventive: true,
      primary_code: 'MT010',
      secondary_code: 'MT010b',
      priority: 5,
      status: 'COMP',
      actual_finish: '2016-04-06 14:00:00',
      duration_hours: 3,
      labor_hours: 1,
      cost: null,
    });
    // "40:00:00": spreadsheets write durations past a day with seconds.
    expect(await count('work_orders', 'where duration_hours = 40')).toBe(7);
    const [rule] = await ds.query<{ failure_codes: string }>(
      "select * from alert_rules where rule_id = 'RUL0012'",
    );
    expect(JSON.parse(rule.failure_codes)).toEqual(['CS005', 'CS001']);
    const [fm] = await ds.query("select * from failure_modes where failure_mode_id = 'FM-AOB-02'");
    expect(fm).toMatchObject({
      asset_class: 'chiller',
      name: 'Heat Exchangers: Fans',
      component: 'Heat Exchangers',
      influencing_factors: '["Normal use"]',
    });
    const classes = await ds.query<{ c: string }>(
      'select distinct asset_class c from failure_modes order by c',
    );
    expect(classes.map((r) => r.c)).toEqual(['ahu', 'chiller', 'hvac']);
    expect(await count('alerts', "where alert_id = 'ALR-00001' and rule_id = 'RUL0021'")).toBe(1);
    expect(await count('anomalies', "where anomaly_id = 'ANM-00541'")).toBe(1);
  });
});

describe('importAob: aliases', () => {
  it('maps ids and names to one asset each', async () => {
    const [c9] = await ds.query<{ name: string; aliases: string }>(
      "select * from assets where asset_id = 'CWC04009'",
    );
    expect(c9.name).toBe('Chiller 9');
    expect(JSON.parse(c9.aliases)).toEqual(['Chiller 9', 'chiller 9', 'CWC04009']);
    const expected: Record<string, string> = {
      CWC04701: 'Chiller 1',
      CWC04702: 'Chiller 2',
      CWC04703: 'Chiller 3',
      CWC04704: 'Chiller 4',
      CWC04006: 'Chiller 6',
      CWC04007: 'Chiller 7',
      CWC04009: 'Chiller 9',
      CWC04010: 'Chiller 10',
      CWC04012: 'Chiller 12',
      CWC04013: 'Chiller 13',
      CWC04014: 'Chiller 14',
    };
    const assets = await ds.query<{ asset_id: string; name: string }>('select asset_id, name from assets');
    expect(Object.fromEntries(assets.map((a) => [a.asset_id, a.name]))).toEqual(expected);
  });

  it('maps every anomaly ("chiller 9") and the telemetry ("Chiller 6") to equipment ids', async () => {
    expect(await count('anomalies', "where asset_id = 'CWC04009'")).toBe(541);
    expect(await count('telemetry', "where asset_id = 'CWC04006'")).toBe(28775);
  });

  it('finds 3 work orders, 30 alerts and 30 anomalies for CWC04009 in June 2020', async () => {
    const rows = await ds.query<{ g: string; n: number }>(
      `select event_group g, count(*)::INT n from events
       where asset_id = 'CWC04009' and event_time >= '2020-06-01' and event_time < '2020-07-01'
       group by 1 order by 1`,
    );
    expect(rows).toEqual([
      { g: 'ALERT', n: 30 },
      { g: 'ANOMALY', n: 30 },
      { g: 'WORK_ORDER', n: 3 },
    ]);
  });

  it('finds 33 work orders for CWC04013 finished in 2017', async () => {
    expect(await count('work_orders', "where asset_id = 'CWC04013' and year(actual_finish) = 2017")).toBe(33);
  });
});

describe('importAob: telemetry file variants', () => {
  it(
    'gives identical telemetry from the JSON and the JSONL copy',
    async () => {
      const dir = await linkedSampleData('jsonl-only', ['chiller6_june2020_sensordata_couchdb.json']);
      const m = await importAob(dir, join(tmp, 'aob-jsonl'), {});
      expect(m.source).toBe(dir);
      expect(m.tables.telemetry.rows).toBe(28775);
      expect(m.tables.telemetry.contentChecksum).toBe(manifest.tables.telemetry.contentChecksum);
      expect(m.tables.sensors.contentChecksum).toBe(manifest.tables.sensors.contentChecksum);
      expect(m.checksum).toBe(manifest.checksum);
    },
    TIMEOUT,
  );

  it(
    'names the file and line of a bad value and leaves nothing behind',
    async () => {
      const file = 'all_wo_with_code_component_events.csv';
      const header = readFileSync(join(SAMPLE, file), 'utf8').split('\n')[0];
      const bad = `${header}\nWO1,x,compressor,MT010,a,MT010b,b,CWC04013,Chiller 13,TRUE,5,13/45/16 14:00,3:00,1:00\n`;
      const dir = await linkedSampleData('bad-wo', [], { [file]: bad });
      const out = join(tmp, 'aob-bad');
      await expect(importAob(dir, out, {})).rejects.toThrow(
        /all_wo_with_code_component_events\.csv, line 2: not a timestamp/,
      );
      expect(readdirSync(tmp).filter((f) => f.includes('aob-bad'))).toEqual([]);
    },
    TIMEOUT,
  );
});

describe('locateSampleData', () => {
  it('accepts the sample_data folder itself', () => {
    expect(locateSampleData(SAMPLE)).toBe(SAMPLE);
  });

  it('accepts a folder that holds sample_data/', () => {
    expect(locateSampleData(DATA)).toBe(SAMPLE);
  });

  it('accepts a checkout of the public repository', async () => {
    const repo = join(tmp, 'checkout');
    await mkdir(join(repo, 'src', 'assetopsbench'), { recursive: true });
    await symlink(SAMPLE, join(repo, 'src', 'assetopsbench', 'sample_data'));
    expect(locateSampleData(repo)).toBe(join(repo, 'src', 'assetopsbench', 'sample_data'));
  });

  it('explains what it looked for when the data is not there', async () => {
    const empty = join(tmp, 'empty');
    await mkdir(empty);
    let err: unknown;
    try {
      locateSampleData(empty);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const ue = err as UserError;
    expect(ue.code).toBe('aob_not_found');
    expect(ue.message).toContain(empty);
    expect(ue.message).toContain('failure_mode.csv');
    expect(ue.message).toContain('src/assetopsbench/sample_data/');
    expect(ue.hint).toContain('github.com/IBM/AssetOpsBench');
    expect(() => locateSampleData(join(tmp, 'nope'))).toThrow(/is not a folder/);
  });
});

describe('AssetOpsBench value parsers', () => {
  const utc = (...a: [number, number, number, number, number, number?]) =>
    Date.UTC(a[0], a[1] - 1, a[2], a[3], a[4], a[5] ?? 0) / 1000;

  it('parses spreadsheet and ISO timestamps as UTC', () => {
    expect(parseAobTime('4/6/16 14:00')).toBe(utc(2016, 4, 6, 14, 0));
    expect(parseAobTime('11/24/20 9:05')).toBe(utc(2020, 11, 24, 9, 5));
    expect(parseAobTime('1/2/2017 0:00')).toBe(utc(2017, 1, 2, 0, 0));
    expect(parseAobTime('2020-06-01 00:00:00')).toBe(utc(2020, 6, 1, 0, 0));
    expect(parseAobTime('2020-06-01T02:00:03')).toBe(utc(2020, 6, 1, 2, 0, 3));
    expect(parseAobTime(' 2/29/20 23:59 ')).toBe(utc(2020, 2, 29, 23, 59));
  });

  it.each(['', 'soon', '13/1/20 0:00', '2/30/20 0:00', '1/1/20 24:00', '2020-06-31 00:00:00', '1/1/20'])(
    'rejects %j',
    (s) => {
      expect(() => parseAobTime(s)).toThrow(/not a timestamp/);
    },
  );

  it('parses hours', () => {
    expect(parseHours('3:00')).toBe(3);
    expect(parseHours('1:30')).toBe(1.5);
    expect(parseHours('0:15')).toBe(0.25);
    expect(parseHours('40:00:00')).toBe(40);
    expect(parseHours('2.5')).toBe(2.5);
    expect(parseHours('7')).toBe(7);
    expect(() => parseHours('1:75')).toThrow(/not a duration/);
    expect(() => parseHours('abc')).toThrow(/not a duration/);
  });

  it('reads CSV with a byte-order mark and a stray trailing comma', async () => {
    const path = join(tmp, 'bom.csv');
    await writeFile(path, '\uFEFFa,b\r\n1,"x, y",\r\n2,z\r\n');
    const rows = readCsv(path, ['a', 'b']);
    expect(rows.map((r) => r.data)).toEqual([
      { a: '1', b: 'x, y' },
      { a: '2', b: 'z' },
    ]);
    expect(rows.map((r) => r.line)).toEqual([2, 3]);
  });

  it('names the file and line of malformed CSV', async () => {
    const short = join(tmp, 'short.csv');
    await writeFile(short, 'a,b,c\n1,2,3\n4,5\n');
    expect(() => readCsv(short)).toThrow(/short\.csv, line 3: malformed CSV/);
    const quote = join(tmp, 'quote.csv');
    await writeFile(quote, 'a,b\n1,2\n3,"open\n');
    expect(() => readCsv(quote)).toThrow(/quote\.csv, line \d+: malformed CSV/);
    expect(() => readCsv(short, ['a', 'd'])).toThrow(/missing column\(s\) d/);
  });
});

describe('importAob --fill-telemetry', () => {
  let filled: Dataset;
  let fm: Manifest;

  beforeAll(async () => {
    fm = await importAob(SAMPLE, join(tmp, 'aob-filled'), { fillTelemetry: true });
    filled = await openDataset(join(tmp, 'aob-filled'));
  }, TIMEOUT);

  afterAll(() => filled?.close());

  it('records the fill in the manifest and keeps the published telemetry', async () => {
    expect(fm.seed).toBe(0);
    expect(fm.config).toEqual({ source: 'assetopsbench', fillTelemetry: true });
    const [c6] = await filled.query<{ n: number }>(
      "select count(*)::INT n from telemetry where asset_id = 'CWC04006'",
    );
    expect(c6.n).toBe(28775);
    expect(fm.counts.points).toBe(28775 + Number(fm.counts.syntheticPoints));
  });

  it('gives every other chiller the 12 Chiller 6 sensors over June 2020 at 15 minutes', async () => {
    const rows = await filled.query<{ asset_id: string; sensors: number; n: number; lo: string; hi: string }>(
      `select asset_id, count(distinct sensor_id)::INT sensors, count(*)::INT n,
              min(ts)::VARCHAR lo, max(ts)::VARCHAR hi
       from telemetry t join sensors s using (sensor_id, asset_id)
       where s.interval_minutes = 15 and asset_id <> 'CWC04006' group by 1`,
    );
    expect(rows).toHaveLength(10);
    for (const r of rows) {
      expect(r).toMatchObject({
        sensors: 12,
        n: 12 * 2880,
        lo: '2020-06-01 00:00:00',
        hi: '2020-06-30 23:45:00',
      });
    }
    const [tons] = await filled.query<{ mx: number; mn: number }>(
      "select max(value) mx, min(value) mn from telemetry where sensor_id = 'Chiller 9 Tonnage'",
    );
    expect(tons.mn).toBe(0);
    expect(tons.mx).toBeLessThan(5476);
  });

  it('matches every published anomaly exactly at its timestamp, outside the published band', async () => {
    const rows = await filled.query<{
      value: number;
      tvalue: number | null;
      upper_bound: number;
      lower_bound: number;
    }>(
      `select a.value, t.value tvalue, a.upper_bound, a.lower_bound
       from anomalies a join assets s using (asset_id)
       left join telemetry t on t.sensor_id = s.name || ' ' || a.kpi and t.ts = a.ts`,
    );
    expect(rows).toHaveLength(541);
    for (const r of rows) expect(r.tvalue).toBe(r.value);
    const outside = rows.filter((r) => r.tvalue! > r.upper_bound || r.tvalue! < r.lower_bound).length;
    // Every published value lies outside its band, including the 33 that event.csv calls "within range".
    expect(outside).toBe(541);
  });

  it('keeps the hourly KPI values between anomalies inside the published bounds', async () => {
    const rows = await filled.query<{ kpi: string; n: number; bad: number }>(
      `with b as (select kpi, min(lower_bound) lo, max(upper_bound) hi from anomalies group by kpi)
       select b.kpi, count(*)::INT n, count(*) filter (where t.value < b.lo or t.value > b.hi)::INT bad
       from telemetry t join b on t.sensor_id = 'Chiller 9 ' || b.kpi
       where not exists (select 1 from anomalies a where a.kpi = b.kpi and a.ts = t.ts)
       group by 1 order by 1`,
    );
    expect(rows.map((r) => r.kpi)).toEqual([
      'Cooling Load',
      'Delta Setpoint',
      'Delta Temperature',
      'Flow Efficiency',
    ]);
    for (const r of rows) {
      expect(r.n).toBeGreaterThan(8700);
      expect(r.bad).toBe(0);
    }
  });

  it(
    'is deterministic for a seed',
    async () => {
      const again = await importAob(SAMPLE, join(tmp, 'aob-filled-2'), { fillTelemetry: true, seed: 0 });
      expect(again.tables.telemetry.contentChecksum).toBe(fm.tables.telemetry.contentChecksum);
      const other = await importAob(SAMPLE, join(tmp, 'aob-filled-3'), { fillTelemetry: true, seed: 1 });
      expect(other.tables.telemetry.contentChecksum).not.toBe(fm.tables.telemetry.contentChecksum);
      expect(other.seed).toBe(1);
    },
    TIMEOUT,
  );
});
