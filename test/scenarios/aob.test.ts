// The `aob` suite against the real published AssetOpsBench scenarios and sample data (kept
// outside the repository in ../shared/assetopsbench): every item imported once, the published
// facts recomputed from the imported data, the known defects reported, and every computed
// answer reached again through the tools by its reference plan.
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAob } from '../../src/dataset/aob/import.ts';
import { type Dataset, openDataset } from '../../src/dataset/open.ts';
import {
  type AobReport,
  aobAnswerFromPlan,
  loadAobScenarios,
  periodIn,
} from '../../src/scenarios/aob/index.ts';
import { grade } from '../../src/scenarios/graders.ts';
import { type Scenario, ScenarioSchema } from '../../src/scenarios/schema.ts';
import { validateScenario } from '../../src/scenarios/validate.ts';
import { UserError } from '../../src/util/errors.ts';
import { aobData } from '../support/aob-data.ts';

const DATA = aobData();
const UTTERANCES = join(DATA, 'scenarios', 'all_utterance.jsonl');
const COMPETITION = join(DATA, 'scenarios_competition', 'phase1_development.jsonl');

let tmp: string;
let ds: Dataset;
let scenarios: Scenario[];
let report: AobReport;
let byId: Map<string, Scenario>;

/** Ids as published, read straight from the files (not through the loader). */
function publishedIds(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => String((JSON.parse(l) as { id: string | number }).id));
}

function publishedForm(id: number): string {
  const line = readFileSync(UTTERANCES, 'utf8')
    .split('\n')
    .find((l) => l.trim() !== '' && (JSON.parse(l) as { id: number }).id === id);
  return (JSON.parse(line as string) as { characteristic_form: string }).characteristic_form;
}

function get(id: string): Scenario {
  const s = byId.get(id);
  if (!s) throw new Error(`no scenario ${id}`);
  return s;
}

function defectsOf(id: string): string[] {
  return get(id).provenance.aob?.defects ?? [];
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'aob-suite-'));
  await importAob(DATA, join(tmp, 'aob'), {});
  ds = await openDataset(join(tmp, 'aob'));
  ({ scenarios, report } = await loadAobScenarios(DATA, ds));
  byId = new Map(scenarios.map((s) => [s.id, s]));
});

afterAll(async () => {
  ds?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the aob suite', () => {
  it('holds every published item once (141 originals and 11 competition items)', () => {
    const want = [...publishedIds(UTTERANCES), ...publishedIds(COMPETITION)].map((id) => `aob-${id}`);
    expect(want).toHaveLength(152);
    expect(scenarios.map((s) => s.id)).toEqual(want);
    expect(new Set(scenarios.map((s) => s.id)).size).toBe(152);
  });

  it('makes every item a valid scenario with AssetOpsBench provenance', () => {
    for (const s of scenarios) {
      const parsed = ScenarioSchema.safeParse(s);
      expect(parsed.success, `${s.id}: ${parsed.error?.message}`).toBe(true);
      expect(s.provenance.source).toBe('aob');
      expect(s.provenance.aob?.id).toBe(s.id.replace(/^aob-/, ''));
      expect(s.context.site).toBe('MAIN');
      expect(s.tracks).toEqual(s.family === 'e2e' ? ['planning', 'execution'] : ['execution']);
      if (s.expected.type !== 'free_text') {
        expect(s.referencePlan.length, s.id).toBeGreaterThan(0);
        expect(s.requiredEvidence.length, s.id).toBeGreaterThan(0);
      }
    }
  });

  it('maps types and id ranges to families', () => {
    const family = (id: string) => get(id).family;
    expect([family('aob-1'), family('aob-48'), family('aob-Q5')]).toEqual(['iot', 'iot', 'iot']);
    expect([family('aob-101'), family('aob-120'), family('aob-Q106')]).toEqual(['fmsr', 'fmsr', 'fmsr']);
    expect([family('aob-201'), family('aob-222')]).toEqual(['forecast', 'anomaly']);
    expect([family('aob-400'), family('aob-435'), family('aob-Q424')]).toEqual([
      'workorder',
      'workorder',
      'workorder',
    ]);
    expect([family('aob-501'), family('aob-622'), family('aob-Q604')]).toEqual(['e2e', 'e2e', 'e2e']);
  });

  it('sets now from the text, else after the work orders or at the end of the telemetry', () => {
    expect(get('aob-413').context.now).toBe('2018-01-02T00:00:00Z');
    expect(get('aob-420').context.now).toBe('2020-07-01T00:00:00Z');
    expect(get('aob-400').context.now).toBe('2023-12-31T00:00:00Z');
    expect(get('aob-9').context.now).toBe(ds.manifest.timeRange.exposedUntil);
  });

  it('computes the published work-order facts', () => {
    expect(get('aob-400').expected).toEqual({ type: 'count', value: 33 });
    expect(get('aob-Q400').expected).toEqual({ type: 'count', value: 33 });
    expect(get('aob-402').expected).toEqual({ type: 'count', value: 31 });
    expect(get('aob-403').expected).toEqual({ type: 'count', value: 2 });
    for (const id of ['aob-405', 'aob-406', 'aob-Q405']) {
      expect(grade(get(id).expected, { work_orders: 3, alerts: 30, anomalies: 30 }).pass, id).toBe(true);
      expect(grade(get(id).expected, { work_orders: 3, alerts: 30, anomalies: 29 }).pass, id).toBe(false);
    }
    expect(grade(get('aob-410').expected, { work_orders: 0, alerts: 6, anomalies: 0 }).pass).toBe(true);
    const june = {
      alerts: 30,
      anomalies: 30,
      'RUL0018 alerts': 30,
      'Cooling Load anomalies': 12,
      'Flow Efficiency anomalies': 9,
      'Delta Setpoint anomalies': 6,
      'Delta Temperature anomalies': 3,
    };
    expect(grade(get('aob-420').expected, june).pass).toBe(true);
    expect(grade(get('aob-408').expected, { days_with_events: 26, events: 132 }).pass).toBe(true);
  });

  it('computes the 2017-2019 bundles of Chiller 9 as 15, 6 and 2 (14-day gap)', () => {
    for (const id of ['aob-424', 'aob-Q424']) {
      const bundles = { bundles: 3, bundle_1_size: 15, bundle_2_size: 6, bundle_3_size: 2 };
      expect(grade(get(id).expected, bundles).pass, id).toBe(true);
      expect(grade(get(id).expected, { ...bundles, bundle_3_size: 3 }).pass, id).toBe(false);
      expect(defectsOf(id)).toEqual([]);
    }
  });

  it('computes the chiller failure modes: the 7 published ones are the first 7 of the 16 catalogued', () => {
    const seven = [
      'Compressor Overheating',
      'Heat Exchangers: Fans',
      'Evaporator',
      'Condenser: Water side',
      'Condenser: Improper water flow rate',
      'Purge Unit',
      'Refrigerant Operated Control Valve',
    ];
    for (const id of ['aob-101', 'aob-102', 'aob-601', 'aob-602']) {
      const e = get(id).expected;
      if (e.type !== 'set') throw new Error(`${id} is not a set answer`);
      expect(e.values.slice(0, 7), id).toEqual(seven);
      expect(e.values, id).toHaveLength(16);
      expect(defectsOf(id).join(' '), id).toMatch(/lists 7 failure modes.*has 16.*first 7 rows/);
    }
  });

  it('answers the TSFM questions our tools decide, and keeps TTM questions as free text', () => {
    expect(get('aob-210').expected).toEqual({ type: 'boolean', value: false });
    expect(get('aob-207').expected).toEqual({ type: 'boolean', value: true });
    expect(get('aob-201').expected.type).toBe('set');
    for (const id of ['aob-202', 'aob-204', 'aob-209', 'aob-212', 'aob-Q204']) {
      expect(get(id).expected.type, id).toBe('free_text');
    }
    expect(report.divergences.map((d) => d.id)).toContain('aob-201');
  });

  it('keeps the published characteristic form for free-text items (competition items borrow their original)', () => {
    expect(get('aob-115').expected).toEqual({ type: 'free_text', characteristic: publishedForm(115) });
    expect(get('aob-Q106').expected).toEqual({ type: 'free_text', characteristic: publishedForm(106) });
    expect(get('aob-Q106').provenance.aob?.characteristicForm).toBe(publishedForm(106));
  });

  it('records that Q411 cannot be reproduced and keeps the computed bundles', () => {
    expect(defectsOf('aob-411').join(' ')).toMatch(/10, 3.*no gap from 1 to 60 days/);
    expect(grade(get('aob-411').expected, { bundles: 1, bundle_1_size: 15 }).pass).toBe(true);
  });

  it('reports texts whose dates disagree with their characteristic form', () => {
    for (const id of ['aob-10', 'aob-11', 'aob-42', 'aob-43', 'aob-45', 'aob-48', 'aob-410']) {
      expect(
        defectsOf(id).some((d) => d.startsWith('date mismatch')),
        id,
      ).toBe(true);
    }
    // No false alarms where text and form agree (or the text only adds its own "now").
    for (const id of [
      'aob-8',
      'aob-9',
      'aob-12',
      'aob-41',
      'aob-400',
      'aob-405',
      'aob-413',
      'aob-420',
      'aob-501',
    ]) {
      expect(
        defectsOf(id).filter((d) => d.startsWith('date mismatch')),
        id,
      ).toEqual([]);
    }
  });

  it('reports consistent totals, and questions the tools cannot reach as free text', () => {
    const typed = scenarios.filter((s) => s.expected.type !== 'free_text');
    expect(report.total).toBe(152);
    expect(report.deterministic).toBe(typed.length);
    expect(report.freeText).toBe(152 - typed.length);
    expect(Object.values(report.byFamily).reduce((a, b) => a + b, 0)).toBe(152);
    expect(report.defects).toEqual(
      scenarios.flatMap((s) => (s.provenance.aob?.defects ?? []).map((defect) => ({ id: s.id, defect }))),
    );
    // Work orders reach 2023 and tools may see all of it, so a question about 2021 is answerable.
    expect(report.unreachable.map((u) => u.id)).not.toContain('aob-407');
    expect(get('aob-407').expected.type).not.toBe('free_text');
    for (const u of report.unreachable) expect(get(u.id).expected.type).toBe('free_text');
    expect(report.sources).toEqual({
      utterances: UTTERANCES,
      competition: COMPETITION,
      phases: [COMPETITION],
    });
  });

  it('reaches every computed answer through the tools', async () => {
    const typed = scenarios.filter((s) => s.expected.type !== 'free_text');
    expect(typed.length).toBeGreaterThanOrEqual(40);
    const failures: string[] = [];
    for (const s of typed) {
      const v = await validateScenario(ds, s, aobAnswerFromPlan);
      if (!v.ok) failures.push(`${s.id}: ${v.problems.join('; ')}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('reading the published files', () => {
  it('reads periods from the texts', () => {
    expect(periodIn('events of equipment CWC04009 for the first week of June of 2020')).toEqual({
      start: '2020-06-01',
      end: '2020-06-07',
    });
    expect(periodIn('bundling for Chiller 9 (CWC04009) covering 2017-2019')).toEqual({
      start: '2017-01-01',
      end: '2019-12-31',
    });
    expect(periodIn("all sensor data for Chiller 6 from the last week of April '20")).toEqual({
      start: '2020-04-24',
      end: '2020-04-30',
    });
    expect(periodIn('Assume today is early of July 2020, review chiller 9 for June 2020')).toEqual({
      start: '2020-06-01',
      end: '2020-06-30',
    });
    expect(periodIn('What IoT sites are available?')).toBeNull();
  });

  it('accepts a checkout of the public repository', async () => {
    const root = join(tmp, 'checkout');
    await mkdir(join(root, 'src', 'assetopsbench', 'scenarios'), { recursive: true });
    await mkdir(join(root, 'benchmark', 'scenarios', 'phase1_development'), { recursive: true });
    await symlink(UTTERANCES, join(root, 'src', 'assetopsbench', 'scenarios', 'all_utterance.jsonl'));
    await symlink(COMPETITION, join(root, 'benchmark', 'scenarios', 'phase1_development', 'scenarios.jsonl'));
    const loaded = await loadAobScenarios(root, ds);
    expect(loaded.scenarios.map((s) => s.id)).toEqual(scenarios.map((s) => s.id));
    expect(loaded.report.deterministic).toBe(report.deterministic);
  });

  it('says what it looked for when there are no scenarios', async () => {
    const empty = join(tmp, 'empty');
    await mkdir(empty, { recursive: true });
    const err = await loadAobScenarios(empty, ds).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/all_utterance\.jsonl/);
  });
});
