// Imports IBM AssetOpsBench's published sample data into the dataset format that
// generated worlds use, so every tool and scorer reads both the same way. Everything
// is parsed and checked before the writer is opened: a bad file leaves nothing behind.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../util/errors.ts';
import { Rng } from '../../util/rng.ts';
import { DAY, HOUR, isoFromEpoch, MINUTE } from '../../util/time.ts';
import type { Manifest } from '../manifest.ts';
import type { Row } from '../schema.ts';
import { DatasetWriter } from '../writer.ts';
import { locateSampleData } from './locate.ts';
import { type CsvRow, parseAobTime, parseHours, readCsv, wallClockFromEpoch } from './parse.ts';

export interface ImportOptions {
  force?: boolean;
  /** Add seeded synthetic telemetry for imported assets that have none. */
  fillTelemetry?: boolean;
  /** Seed of the synthetic telemetry (default 0). */
  seed?: number;
  onProgress?: (msg: string) => void;
}

const SITE_ID = 'MAIN';
const TELEMETRY_JSON = 'chiller6_june2020_sensordata_couchdb.json';
const TELEMETRY_JSONL = 'chiller6_june2020_sensordata_couchdb.jsonl';
/**
 * The JSONL copy of the telemetry stores epoch seconds made by reading the JSON's naive
 * wall-clock times as US Eastern time (every document is exactly 4 h, EDT, later than
 * its JSON twin). All other files hold naive wall-clock times, which this importer
 * stores as UTC, so the JSONL epochs are turned back into that wall-clock time.
 */
const JSONL_EPOCH_ZONE = 'America/New_York';
const TELEMETRY_INTERVAL_MIN = 15;

/** The published CSV files and the columns the importer needs from each (as in their header rows). */
const CSV_FILES = {
  workOrders: [
    'all_wo_with_code_component_events.csv',
    'wo_id,wo_description,collection,primary_code,secondary_code,equipment_id,equipment_name,preventive,' +
      'work_priority,actual_finish,duration,actual_labor_hours',
  ],
  events: [
    'event.csv',
    'event_id,event_group,event_category,event_type,description,equipment_id,equipment_name,event_time,note',
  ],
  alerts: ['alert_events.csv', 'equipment_id,equipment_name,rule_id,start_time,end_time'],
  alertRules: ['alert_rule.csv', 'rule_id,rule_name,rule_logic'],
  ruleCodes: ['alert_rule_failure_code_mapping.csv', 'rule_id,primary_code'],
  anomalies: ['anomaly_events.csv', 'timestamp,KPI,asset_name,value,upper_bound,lower_bound,anomaly_score'],
  failureCodes: [
    'failure_codes.csv',
    'category,primary_code,primary_code_description,secondary_code,secondary_code_description',
  ],
  failureModes: ['failure_mode.csv', 'Equipment,Failure Mode,Degradation Mechanism,Influencing Factors'],
  meters: ['meter.csv', 'meter,component,measurement,unit,description,calculated,formula'],
  components: ['component.csv', 'equipment,component,explanation'],
} as const;

type CsvKey = keyof typeof CSV_FILES;
type Sources = Record<CsvKey, CsvRow[]>;

// ---------------------------------------------------------------------------------------
// Reading and small value helpers

function loadCsvs(dir: string): Sources {
  const out = {} as Sources;
  for (const [key, [file, cols]] of Object.entries(CSV_FILES) as Array<
    [CsvKey, (typeof CSV_FILES)[CsvKey]]
  >) {
    const path = join(dir, file);
    if (!existsSync(path)) {
      throw new UserError(
        `${path} is missing`,
        'The sample_data folder is incomplete: restore it from https://github.com/IBM/AssetOpsBench',
        'aob_incomplete',
      );
    }
    out[key] = readCsv(path, cols.split(','));
  }
  return out;
}

/** Runs a value parser for one CSV row, naming the file and line when the value is bad. */
function at<T>(file: string, row: CsvRow, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(
      `${file}, line ${row.line}: ${(err as Error).message}`,
      'Restore the file from the published AssetOpsBench data (it must not be edited by hand)',
      'bad_value',
    );
  }
}

function orNull(s: string | undefined): string | null {
  const t = (s ?? '').trim();
  return t === '' ? null : t;
}

function parseNumber(s: string): number {
  const n = Number(s.trim());
  if (s.trim() === '' || !Number.isFinite(n)) throw new Error(`not a number: ${JSON.stringify(s)}`);
  return n;
}

function parseBool(s: string): boolean {
  const t = s.trim().toUpperCase();
  if (t === 'TRUE') return true;
  if (t === 'FALSE') return false;
  throw new Error(`not TRUE/FALSE: ${JSON.stringify(s)}`);
}

function optHours(s: string): number | null {
  return s.trim() === '' ? null : parseHours(s);
}

/** "Chiller % Loaded" -> "chiller_percent_loaded" (the JSONL copy's key style). */
export function snakeKey(label: string): string {
  return label
    .toLowerCase()
    .replaceAll('%', ' percent ')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The inverse of snakeKey for the published keys: "chiller_percent_loaded" -> "Chiller % Loaded". */
function labelFromKey(key: string): string {
  return key
    .split('_')
    .filter((w) => w !== '')
    .map((w) => (w === 'percent' ? '%' : w[0].toUpperCase() + w.slice(1)))
    .join(' ');
}

/** Unit guessed from a sensor label; the published telemetry carries none. */
export function guessUnit(label: string): string {
  const l = label.toLowerCase();
  if (l.includes('temperature')) return 'degF';
  const byLabel: Record<string, string> = {
    tonnage: 'tons',
    'power input': 'kW',
    'condenser water flow': 'gpm',
    'chiller % loaded': '%',
    'chiller efficiency': 'kW/ton',
  };
  return byLabel[l] ?? '';
}

function assetClassOf(name: string): string {
  return /chiller/i.test(name) ? 'chiller' : 'equipment';
}

// ---------------------------------------------------------------------------------------
// Assets: equipment ids and names are aliases of one asset

interface AssetEntry {
  assetId: string;
  equipmentId: string | null;
  name: string;
  /** Every spelling seen, in first-seen order. */
  spellings: string[];
}

/** Maps every id and name (case-insensitively) to one asset, built from rows that carry both. */
class AssetIndex {
  readonly byId = new Map<string, AssetEntry>();
  private readonly byKey = new Map<string, AssetEntry>();

  /** Registers an (equipment id, name) pair; a name claimed by two ids is an error in the data. */
  addPair(id: string, name: string, where: string): AssetEntry {
    let entry = this.byKey.get(id.toLowerCase());
    if (!entry) {
      entry = { assetId: id, equipmentId: id, name, spellings: [] };
      this.byId.set(id, entry);
      this.byKey.set(id.toLowerCase(), entry);
    }
    const other = this.byKey.get(name.toLowerCase());
    if (other && other !== entry) {
      throw new UserError(
        `${where}: "${name}" names both ${other.assetId} and ${id}`,
        'The equipment ids and names of the published data disagree; restore the original files',
        'aob_alias_conflict',
      );
    }
    this.byKey.set(name.toLowerCase(), entry);
    this.note(entry, name);
    return entry;
  }

  /** Resolves a name or id seen alone; an unknown one becomes an asset of its own. */
  resolve(nameOrId: string): AssetEntry {
    const key = nameOrId.trim();
    let entry = this.byKey.get(key.toLowerCase());
    if (!entry) {
      entry = { assetId: key, equipmentId: null, name: key, spellings: [] };
      this.byId.set(key, entry);
      this.byKey.set(key.toLowerCase(), entry);
    }
    this.note(entry, key);
    return entry;
  }

  private note(entry: AssetEntry, spelling: string): void {
    if (spelling !== entry.equipmentId && !entry.spellings.includes(spelling)) entry.spellings.push(spelling);
  }

  /** Asset table rows, sorted by id. */
  rows(): Row[] {
    return [...this.byId.values()]
      .sort((a, b) => a.assetId.localeCompare(b.assetId))
      .map((a) => ({
        asset_id: a.assetId,
        name: a.name,
        equipment_id: a.equipmentId,
        site_id: SITE_ID,
        asset_class: assetClassOf(a.name),
        description: 'Imported from AssetOpsBench',
        aliases: JSON.stringify([
          ...new Set([a.name, ...a.spellings, ...(a.equipmentId ? [a.equipmentId] : [])]),
        ]),
      }));
  }
}

/** Registers the id/name pairs of every file that carries both (work orders first: their names win). */
function buildAssetIndex(src: Sources): AssetIndex {
  const index = new AssetIndex();
  for (const key of ['workOrders', 'events', 'alerts'] as const) {
    const file = CSV_FILES[key][0];
    for (const row of src[key]) {
      index.addPair(
        row.data.equipment_id.trim(),
        row.data.equipment_name.trim(),
        `${file}, line ${row.line}`,
      );
    }
  }
  return index;
}

// ---------------------------------------------------------------------------------------
// Entity tables

function workOrderRows(src: Sources, index: AssetIndex): Row[] {
  const file = CSV_FILES.workOrders[0];
  return src.workOrders.map((row) =>
    at(file, row, () => {
      const d = row.data;
      return {
        wo_id: d.wo_id,
        asset_id: index.resolve(d.equipment_id).assetId,
        description: d.wo_description,
        component: orNull(d.collection),
        preventive: parseBool(d.preventive),
        primary_code: orNull(d.primary_code),
        secondary_code: orNull(d.secondary_code),
        priority: d.work_priority.trim() === '' ? null : parseNumber(d.work_priority),
        status: 'COMP',
        reported_time: null,
        actual_start: null,
        actual_finish: parseAobTime(d.actual_finish),
        duration_hours: optHours(d.duration),
        labor_hours: optHours(d.actual_labor_hours),
        cost: null,
        logged_timezone: null,
      };
    }),
  );
}

function eventRows(src: Sources, index: AssetIndex): Row[] {
  const file = CSV_FILES.events[0];
  return src.events.map((row) =>
    at(file, row, () => {
      const d = row.data;
      return {
        event_id: d.event_id,
        event_group: d.event_group,
        event_category: orNull(d.event_category),
        event_type: orNull(d.event_type),
        description: orNull(d.description),
        asset_id: index.resolve(d.equipment_id).assetId,
        event_time: parseAobTime(d.event_time),
        note: orNull(d.note),
      };
    }),
  );
}

function alertRows(src: Sources, index: AssetIndex): Row[] {
  const file = CSV_FILES.alerts[0];
  return src.alerts.map((row, i) =>
    at(file, row, () => ({
      alert_id: `ALR-${String(i + 1).padStart(5, '0')}`,
      rule_id: row.data.rule_id,
      asset_id: index.resolve(row.data.equipment_id).assetId,
      start_time: parseAobTime(row.data.start_time),
      end_time: row.data.end_time.trim() === '' ? null : parseAobTime(row.data.end_time),
      severity: null,
      peak_value: null,
    })),
  );
}

function alertRuleRows(src: Sources): Row[] {
  const codes = new Map<string, string[]>();
  for (const { data } of src.ruleCodes) {
    const list = codes.get(data.rule_id) ?? [];
    if (data.primary_code && !list.includes(data.primary_code)) list.push(data.primary_code);
    codes.set(data.rule_id, list);
  }
  return src.alertRules.map(({ data }) => ({
    rule_id: data.rule_id,
    name: data.rule_name,
    asset_class: 'chiller',
    sensor_key: null,
    // The published rules carry no logic; null says "not published" rather than "no condition".
    logic: orNull(data.rule_logic),
    severity: null,
    failure_codes: JSON.stringify(codes.get(data.rule_id) ?? []),
  }));
}

interface Anomaly {
  anomalyId: string;
  assetId: string;
  kpi: string;
  ts: number;
  value: number;
  upper: number;
  lower: number;
  score: number;
}

function parseAnomalies(src: Sources, index: AssetIndex): Anomaly[] {
  const file = CSV_FILES.anomalies[0];
  return src.anomalies.map((row, i) =>
    at(file, row, () => {
      const d = row.data;
      return {
        anomalyId: `ANM-${String(i + 1).padStart(5, '0')}`,
        assetId: index.resolve(d.asset_name).assetId,
        kpi: d.KPI.trim(),
        ts: parseAobTime(d.timestamp),
        value: parseNumber(d.value),
        upper: parseNumber(d.upper_bound),
        lower: parseNumber(d.lower_bound),
        score: parseNumber(d.anomaly_score),
      };
    }),
  );
}

function anomalyRows(anomalies: Anomaly[]): Row[] {
  return anomalies.map((a) => ({
    anomaly_id: a.anomalyId,
    asset_id: a.assetId,
    kpi: a.kpi,
    ts: a.ts,
    value: a.value,
    upper_bound: a.upper,
    lower_bound: a.lower,
    score: a.score,
  }));
}

function failureCodeRows(src: Sources): Row[] {
  return src.failureCodes.map(({ data }) => ({
    category: data.category,
    primary_code: data.primary_code,
    primary_description: orNull(data.primary_code_description),
    secondary_code: orNull(data.secondary_code),
    secondary_description: orNull(data.secondary_code_description),
  }));
}

function failureModeRows(src: Sources): Row[] {
  return src.failureModes.map(({ data }, i) => {
    const name = data['Failure Mode'].trim();
    // "Condenser: Water side" names the component before the colon; most modes have none.
    const colon = name.indexOf(':');
    const factors = data['Influencing Factors']
      .split(';')
      .map((f) => f.trim())
      .filter((f) => f !== '');
    return {
      failure_mode_id: `FM-AOB-${String(i + 1).padStart(2, '0')}`,
      asset_class: data.Equipment.trim().toLowerCase(),
      name,
      component: colon > 0 ? name.slice(0, colon).trim() : null,
      degradation_mechanism: orNull(data['Degradation Mechanism']),
      influencing_factors: JSON.stringify(factors),
      sensors: '[]',
      signature: null,
      failure_code: null,
      alert_rules: '[]',
    };
  });
}

function meterRows(src: Sources): Row[] {
  const file = CSV_FILES.meters[0];
  return src.meters.map((row) =>
    at(file, row, () => ({
      meter: row.data.meter,
      component: orNull(row.data.component),
      measurement: orNull(row.data.measurement),
      unit: orNull(row.data.unit),
      description: orNull(row.data.description),
      calculated: parseBool(row.data.calculated),
      formula: orNull(row.data.formula),
    })),
  );
}

function componentRows(src: Sources): Row[] {
  return src.components.map(({ data }) => ({
    asset_class: data.equipment.trim(),
    component: data.component.trim(),
    explanation: orNull(data.explanation),
  }));
}

// ---------------------------------------------------------------------------------------
// Published telemetry

/** One sensor's readings plus what its sensors row needs. */
interface Series {
  assetId: string;
  assetName: string;
  label: string;
  sensorId: string;
  intervalMinutes: number;
  synthetic: boolean;
  calculated: boolean;
  ts: number[];
  values: number[];
}

interface TelemetryDoc {
  asset: string;
  ts: number;
  readings: Array<[string, number]>;
}

interface PublishedTelemetry {
  file: string;
  series: Series[];
  /** Readings a tick (a document time of the asset) lacks, over all sensors. */
  missingValues: number;
  /** Runs of consecutive ticks without a reading, over all sensors. */
  gaps: number;
}

const DOC_META_KEYS = new Set(['asset_id', 'timestamp', '_id', '_rev']);

function docFrom(raw: unknown, where: string, epochTime: (sec: number) => number): TelemetryDoc {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${where}: not a JSON object`);
  const doc = raw as Record<string, unknown>;
  if (typeof doc.asset_id !== 'string') throw new Error(`${where}: asset_id is missing`);
  const t = doc.timestamp;
  let ts: number;
  if (typeof t === 'number') ts = epochTime(t);
  else if (typeof t === 'string') ts = parseAobTime(t);
  else throw new Error(`${where}: timestamp is missing`);
  const readings: Array<[string, number]> = [];
  for (const [key, v] of Object.entries(doc)) {
    if (DOC_META_KEYS.has(key) || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${where}: ${key} is not a number`);
    readings.push([key, v]);
  }
  return { asset: doc.asset_id, ts, readings };
}

/** Reads the telemetry documents: the JSON array when present, else the JSONL copy. */
function readTelemetryDocs(dir: string): { file: string; docs: TelemetryDoc[] } | null {
  const jsonPath = join(dir, TELEMETRY_JSON);
  const jsonlPath = join(dir, TELEMETRY_JSONL);
  const asIs = (sec: number) => sec;
  try {
    if (existsSync(jsonPath)) {
      const arr = JSON.parse(readFileSync(jsonPath, 'utf8'));
      if (!Array.isArray(arr)) throw new Error(`${TELEMETRY_JSON}: expected a JSON array of documents`);
      return {
        file: jsonPath,
        docs: arr.map((d, i) => docFrom(d, `${TELEMETRY_JSON}, document ${i + 1}`, asIs)),
      };
    }
    if (existsSync(jsonlPath)) {
      const fromZone = (sec: number) => wallClockFromEpoch(sec, JSONL_EPOCH_ZONE);
      const docs: TelemetryDoc[] = [];
      readFileSync(jsonlPath, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (line.trim() === '') return;
          const where = `${TELEMETRY_JSONL}, line ${i + 1}`;
          let raw: unknown;
          try {
            raw = JSON.parse(line);
          } catch {
            throw new Error(`${where}: not valid JSON`);
          }
          docs.push(docFrom(raw, where, fromZone));
        });
      return { file: jsonlPath, docs };
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(
      (err as Error).message,
      'Restore the telemetry file from the published AssetOpsBench data',
      'bad_telemetry',
    );
  }
  return null;
}

/**
 * The sensor label of a document key. The JSON uses full names ("Chiller 6 Tonnage"),
 * the JSONL snake_case keys ("tonnage") except for one full name it left as is.
 */
function labelOf(key: string, assetSpelling: string, known: Map<string, string>): string {
  const prefix = `${assetSpelling.toLowerCase()} `;
  const label = key.toLowerCase().startsWith(prefix) ? key.slice(prefix.length).trim() : null;
  if (label !== null) return label;
  return known.get(key) ?? labelFromKey(key);
}

function readPublishedTelemetry(dir: string, index: AssetIndex): PublishedTelemetry | null {
  const read = readTelemetryDocs(dir);
  if (!read) return null;
  // Labels seen in full-name keys, by their snake_case key, so that both spellings meet.
  const known = new Map<string, string>();
  for (const doc of read.docs) {
    for (const [key] of doc.readings) {
      const prefix = `${doc.asset.toLowerCase()} `;
      if (key.toLowerCase().startsWith(prefix)) {
        const label = key.slice(prefix.length).trim();
        known.set(snakeKey(label), label);
      }
    }
  }
  const bySensor = new Map<string, Series>();
  const ticks = new Map<string, Set<number>>();
  for (const doc of read.docs) {
    const asset = index.resolve(doc.asset);
    if (!ticks.has(asset.assetId)) ticks.set(asset.assetId, new Set());
    ticks.get(asset.assetId)!.add(doc.ts);
    for (const [key, value] of doc.readings) {
      const label = labelOf(key, doc.asset, known);
      const sensorId = `${asset.name} ${label}`;
      let s = bySensor.get(sensorId);
      if (!s) {
        s = newSeries(asset, label, TELEMETRY_INTERVAL_MIN, false);
        bySensor.set(sensorId, s);
      }
      s.ts.push(doc.ts);
      s.values.push(value);
    }
  }
  const series = sortSeries([...bySensor.values()].map(sortByTime));
  return { file: read.file, series, ...countMissing(series, ticks) };
}

function newSeries(asset: AssetEntry, label: string, intervalMinutes: number, synthetic: boolean): Series {
  return {
    assetId: asset.assetId,
    assetName: asset.name,
    label,
    sensorId: `${asset.name} ${label}`,
    intervalMinutes,
    synthetic,
    calculated: false,
    ts: [],
    values: [],
  };
}

/** Documents are not in time order (late run-status documents sit at the end of the file). */
function sortByTime(s: Series): Series {
  const order = s.ts.map((_, i) => i).sort((a, b) => s.ts[a] - s.ts[b] || a - b);
  return { ...s, ts: order.map((i) => s.ts[i]), values: order.map((i) => s.values[i]) };
}

function sortSeries(series: Series[]): Series[] {
  return series.sort((a, b) => a.assetId.localeCompare(b.assetId) || a.sensorId.localeCompare(b.sensorId));
}

/** Missing readings and runs of them, measured against the ticks (document times) of each asset. */
function countMissing(
  series: Series[],
  ticks: Map<string, Set<number>>,
): { missingValues: number; gaps: number } {
  let missingValues = 0;
  let gaps = 0;
  for (const s of series) {
    const have = new Set(s.ts);
    let inGap = false;
    for (const t of [...(ticks.get(s.assetId) ?? [])].sort((a, b) => a - b)) {
      const missing = !have.has(t);
      if (missing) missingValues++;
      if (missing && !inGap) gaps++;
      inGap = missing;
    }
  }
  return { missingValues, gaps };
}

// ---------------------------------------------------------------------------------------
// Synthetic telemetry (--fill-telemetry)

/** The 12 labels of the published Chiller 6 telemetry, used when no telemetry file is present. */
const CHILLER_LABELS = [
  'Chiller % Loaded',
  'Chiller Efficiency',
  'Condenser Water Flow',
  'Condenser Water Return To Tower Temperature',
  'Liquid Refrigerant Evaporator Temperature',
  'Power Input',
  'Return Temperature',
  'Run Status',
  'Schedule',
  'Setpoint Temperature',
  'Supply Temperature',
  'Tonnage',
];

/** The published month (June 2020), used when no telemetry file is present. */
const DEFAULT_PERIOD = { start: Date.UTC(2020, 5, 1) / 1000, end: Date.UTC(2020, 6, 1) / 1000 - 15 * MINUTE };

const SYNTHETIC_NOTE = 'Synthetic (import-aob --fill-telemetry), not published data';

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** The state of a synthetic chiller at one tick; every sensor is derived from it. */
interface ChillerState {
  scheduled: boolean;
  running: boolean;
  /** Load fraction 0..1 (0 when off). */
  load: number;
  capacityTons: number;
  noise: () => number;
}

/**
 * Readings of one chiller sensor. Ranges stay inside those of the published Chiller 6
 * month, but follow chiller physics (kW = tons x kW/ton, delta T grows with load)
 * rather than the published values, which look like uniform noise.
 */
function chillerReading(label: string, st: ChillerState): number {
  const { load, running, noise } = st;
  const supply = running ? 44 + 0.8 * load : 56 + 2 * noise();
  const kwPerTon = running ? 0.52 + 0.18 * (1 - load) ** 2 + 0.01 * noise() : 0;
  switch (snakeKey(label)) {
    case 'chiller_percent_loaded':
      return round(100 * load, 1);
    case 'chiller_efficiency':
      return round(kwPerTon, 3);
    case 'tonnage':
      return round(st.capacityTons * load, 1);
    case 'power_input':
      return round(st.capacityTons * load * kwPerTon, 1);
    case 'condenser_water_flow':
      return running ? round(3 * st.capacityTons * (1 + 0.01 * noise()), 0) : 0;
    case 'condenser_water_return_to_tower_temperature':
      return round(running ? 85 + 10 * load + 0.4 * noise() : 78 + noise(), 1);
    case 'supply_temperature':
      return round(supply + 0.2 * noise(), 1);
    case 'return_temperature':
      return round(supply + (running ? 10 * load : 0.5) + 0.2 * noise(), 1);
    case 'liquid_refrigerant_evaporator_temperature':
      return round(running ? supply - 2 - 1.5 * load + 0.2 * noise() : supply - 0.5, 1);
    case 'setpoint_temperature':
      return 44;
    case 'run_status':
      return running ? 1 : 0;
    case 'schedule':
      return st.scheduled ? 1 : 0;
    default:
      return round(100 * load, 1);
  }
}

/** Load fraction over the day: off overnight, rising to a mid-afternoon peak. */
function dailyLoad(hourOfDay: number, dayFactor: number): number {
  if (hourOfDay < 6 || hourOfDay >= 22) return 0;
  const shape = Math.sin((Math.PI * (hourOfDay - 6)) / 16);
  return Math.min(1, Math.max(0.2, dayFactor * (0.3 + 0.6 * shape)));
}

function syntheticChiller(asset: AssetEntry, labels: string[], period: Period, rng: Rng): Series[] {
  const r = rng.fork(`chiller/${asset.assetId}`);
  const capacityTons = 50 * r.int(20, 40);
  const series = labels.map((label) => newSeries(asset, label, TELEMETRY_INTERVAL_MIN, true));
  let dayFactor = 1;
  let runsToday = true;
  for (let t = period.start; t <= period.end; t += TELEMETRY_INTERVAL_MIN * MINUTE) {
    if ((t - period.start) % DAY === 0) {
      // Plants rotate lead and lag chillers, so a chiller sits out some days entirely.
      dayFactor = r.uniform(0.75, 1.15);
      runsToday = r.chance(0.7);
    }
    const hour = (t % DAY) / HOUR;
    const scheduled = hour >= 6 && hour < 22;
    const load = runsToday ? dailyLoad(hour, dayFactor * (1 + 0.04 * r.normal())) : 0;
    const state: ChillerState = { scheduled, running: load > 0, load, capacityTons, noise: () => r.normal() };
    series.forEach((s) => {
      s.ts.push(t);
      s.values.push(chillerReading(s.label, state));
    });
  }
  return series;
}

interface Period {
  start: number;
  end: number;
}

/** The 15-minute grid covering the published telemetry (June 2020). */
function gridPeriod(published: Series[]): Period {
  if (published.length === 0) return DEFAULT_PERIOD;
  const step = TELEMETRY_INTERVAL_MIN * MINUTE;
  const start = Math.min(...published.map((s) => s.ts[0]));
  const end = Math.max(...published.map((s) => s.ts[s.ts.length - 1]));
  return { start: Math.floor(start / step) * step, end: Math.floor(end / step) * step };
}

/** Linear interpolation of an anomaly band between the anomalies around `t`. */
function bandAt(t: number, list: Anomaly[], from: number): { lo: number; hi: number; next: number } {
  let i = from;
  while (i < list.length && list[i].ts <= t) i++;
  const before = list[i - 1] ?? list[i];
  const after = list[i] ?? list[i - 1];
  const w = after.ts === before.ts ? 0 : (t - before.ts) / (after.ts - before.ts);
  const lo = before.lower + w * (after.lower - before.lower);
  const hi = before.upper + w * (after.upper - before.upper);
  return { lo: Math.min(lo, hi), hi: Math.max(lo, hi), next: i };
}

/**
 * One hourly KPI series: inside the interpolated band between anomalies, exactly the
 * published value at each anomaly's own timestamp (those times are added to the grid).
 */
function syntheticKpi(asset: AssetEntry, kpi: string, list: Anomaly[], period: Period, rng: Rng): Series {
  const r = rng.fork(`kpi/${asset.assetId}/${kpi}`);
  const s = newSeries(asset, kpi, 60, true);
  s.calculated = true;
  const byTime = new Map(list.map((a) => [a.ts, a]));
  const times = new Set<number>(list.map((a) => a.ts));
  for (let t = period.start; t <= period.end; t += HOUR) times.add(t);
  let pos = 0;
  let walk = 0;
  for (const t of [...times].sort((a, b) => a - b)) {
    const anomaly = byTime.get(t);
    if (anomaly) {
      s.ts.push(t);
      s.values.push(anomaly.value);
      continue;
    }
    const band = bandAt(t, list, pos);
    pos = Math.max(0, band.next - 1);
    // A slow random walk plus a daily swing, kept within the middle 70 % of the band.
    walk = Math.max(-1, Math.min(1, 0.9 * walk + 0.3 * r.normal()));
    const daily = Math.sin((2 * Math.PI * (t % DAY)) / DAY);
    const f = 0.5 + 0.35 * Math.max(-1, Math.min(1, 0.6 * walk + 0.4 * daily));
    s.ts.push(t);
    s.values.push(band.lo + f * (band.hi - band.lo));
  }
  return s;
}

/** Map.groupBy arrived after Node 20. */
function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function kpiSeries(anomalies: Anomaly[], index: AssetIndex, rng: Rng): Series[] {
  const out: Series[] = [];
  const byAsset = groupBy(anomalies, (a) => a.assetId);
  for (const [assetId, list] of byAsset) {
    const asset = index.byId.get(assetId)!;
    const hourly = {
      start: Math.floor(Math.min(...list.map((a) => a.ts)) / HOUR) * HOUR,
      end: Math.ceil(Math.max(...list.map((a) => a.ts)) / HOUR) * HOUR,
    };
    const byKpi = groupBy(list, (a) => a.kpi);
    for (const [kpi, kpiList] of [...byKpi].sort(([a], [b]) => a.localeCompare(b))) {
      const sorted = [...kpiList].sort((a, b) => a.ts - b.ts);
      out.push(syntheticKpi(asset, kpi, sorted, hourly, rng));
    }
  }
  return out;
}

function syntheticTelemetry(
  published: Series[],
  anomalies: Anomaly[],
  index: AssetIndex,
  seed: number,
): Series[] {
  const rng = new Rng(seed, 'aob-fill-telemetry');
  const withTelemetry = new Set(published.map((s) => s.assetId));
  const chillerLabels = [...new Set(published.map((s) => s.label))].sort();
  const labels = chillerLabels.length > 0 ? chillerLabels : CHILLER_LABELS;
  const period = gridPeriod(published);
  const out: Series[] = [];
  for (const asset of [...index.byId.values()].sort((a, b) => a.assetId.localeCompare(b.assetId))) {
    if (withTelemetry.has(asset.assetId) || assetClassOf(asset.name) !== 'chiller') continue;
    out.push(...syntheticChiller(asset, labels, period, rng));
  }
  out.push(...kpiSeries(anomalies, index, rng));
  return out;
}

// ---------------------------------------------------------------------------------------
// Putting it together

/** Sensors named like a calculated meter of meter.csv ("tonnage", "chiller efficiency") are calculated too. */
function sensorRows(series: Series[], meters: Row[]): Row[] {
  const calculated = new Set(meters.filter((m) => m.calculated).map((m) => String(m.meter).toLowerCase()));
  return series.map((s) => ({
    sensor_id: s.sensorId,
    asset_id: s.assetId,
    sensor_key: snakeKey(s.label),
    label: s.label,
    unit: guessUnit(s.label),
    interval_minutes: s.intervalMinutes,
    calculated: s.calculated || calculated.has(s.label.toLowerCase()),
    min_value: null,
    max_value: null,
    description: s.synthetic ? SYNTHETIC_NOTE : 'Published AssetOpsBench telemetry',
  }));
}

function siteRow(): Row {
  return {
    site_id: SITE_ID,
    name: 'AssetOpsBench site',
    timezone: 'UTC',
    utc_offset_hours: 0,
    latitude: null,
    climate: null,
    description:
      'Site of the AssetOpsBench sample data; its naive local timestamps are kept as published and stored as UTC',
  };
}

/**
 * The published data has no hidden future, so tools may show everything: `exposedUntil`
 * is the last moment of any table (work orders reach 2023, telemetry only June 2020).
 */
function timeRange(series: Series[], workOrders: Row[], events: Row[]): Manifest['timeRange'] {
  const finishes = workOrders.map((w) => w.actual_finish as number);
  const lastRecord = Math.max(...finishes, ...events.map((e) => e.event_time as number));
  const historyStart = finishes.length > 0 ? Math.min(...finishes) : null;
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    start = Math.min(start, s.ts[0]);
    end = Math.max(end, s.ts[s.ts.length - 1]);
  }
  if (!Number.isFinite(start)) {
    // No telemetry at all: span the work-order history so the range is still meaningful.
    start = historyStart ?? 0;
    end = finishes.length > 0 ? Math.max(...finishes) : 0;
  }
  const last = Math.max(end, Number.isFinite(lastRecord) ? lastRecord : end);
  return {
    start: isoFromEpoch(start),
    end: isoFromEpoch(last),
    exposedUntil: isoFromEpoch(last),
    historyStart: historyStart === null ? null : isoFromEpoch(historyStart),
  };
}

/** Imports the AssetOpsBench sample data found at `input` into a dataset folder at `out`. */
export async function importAob(input: string, out: string, opts: ImportOptions = {}): Promise<Manifest> {
  const progress = opts.onProgress ?? (() => {});
  const dir = locateSampleData(input);
  progress(`reading AssetOpsBench sample data from ${dir}`);
  const src = loadCsvs(dir);
  const index = buildAssetIndex(src);
  const tables = {
    work_orders: workOrderRows(src, index),
    events: eventRows(src, index),
    alerts: alertRows(src, index),
    alert_rules: alertRuleRows(src),
    failure_codes: failureCodeRows(src),
    failure_modes: failureModeRows(src),
    meters: meterRows(src),
    components: componentRows(src),
  };
  const anomalies = parseAnomalies(src, index);
  const published = readPublishedTelemetry(dir, index);
  progress(
    published
      ? `telemetry: ${published.series.length} sensors from ${published.file}`
      : 'telemetry: no published telemetry file found',
  );
  const fill = Boolean(opts.fillTelemetry);
  const seed = opts.seed ?? 0;
  const synthetic = fill ? syntheticTelemetry(published?.series ?? [], anomalies, index, seed) : [];
  if (fill) progress(`telemetry: ${synthetic.length} synthetic sensors added`);
  const series = sortSeries([...(published?.series ?? []), ...synthetic]);
  const assets = index.rows();

  const writer = await DatasetWriter.create(out, { force: opts.force });
  try {
    await writer.writeTable('sites', [siteRow()]);
    await writer.writeTable('assets', assets);
    await writer.writeTable('sensors', sensorRows(series, tables.meters));
    await writer.writeTable('anomalies', anomalyRows(anomalies));
    for (const [name, rows] of Object.entries(tables))
      await writer.writeTable(name as keyof typeof tables, rows);
    await writer.writeTable('episodes', []);
    await writer.writeTable('data_faults', []);
    for (const s of series) await writer.addSeries(s.assetId, s.sensorId, s.ts, s.values);
    progress(`writing ${out}`);
    const points = series.reduce((n, s) => n + s.ts.length, 0);
    return await writer.finish({
      kind: 'aob-import',
      generator: { name: 'assetops-aob-import', version: '1' },
      seed: fill ? seed : null,
      scale: null,
      config: { source: 'assetopsbench', fillTelemetry: fill },
      source: dir,
      timeRange: timeRange(series, tables.work_orders, tables.events),
      counts: {
        points,
        syntheticPoints: synthetic.reduce((n, s) => n + s.ts.length, 0),
        sensors: series.length,
        assets: assets.length,
        sites: 1,
        assetClasses: new Set(assets.map((a) => a.asset_class)).size,
        workOrders: tables.work_orders.length,
        failureModes: tables.failure_modes.length,
        failureCodes: tables.failure_codes.length,
        alerts: tables.alerts.length,
        alertRules: tables.alert_rules.length,
        anomalies: anomalies.length,
        events: tables.events.length,
        episodes: 0,
        missingValues: published?.missingValues ?? 0,
        gaps: published?.gaps ?? 0,
        meters: tables.meters.length,
        components: tables.components.length,
      },
    });
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
