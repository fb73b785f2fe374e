// Generates a whole world from a config and seed and writes it as a dataset folder.
// Assets are simulated one at a time and their readings streamed to the writer, so
// memory stays bounded whatever the scale.
import type { Manifest } from '../dataset/manifest.ts';
import type { Row } from '../dataset/schema.ts';
import { DatasetWriter } from '../dataset/writer.ts';
import { Rng } from '../util/rng.ts';
import { DAY, epochFromIso, isoFromEpoch } from '../util/time.ts';
import {
  type AlertRecord,
  BASELINE_REGRESSORS,
  carryForward,
  evaluateRules,
  fitExpected,
  settledMask,
} from './alerts.ts';
import { type AnomalyRecord, detectAnomalies } from './anomalies.ts';
import { ALERT_RULES, FAILURE_CODES, FAILURE_MODES } from './catalog/index.ts';
import { simulateAhu } from './classes/ahu.ts';
import { simulateAirCompressor } from './classes/airCompressor.ts';
import { simulateBoiler } from './classes/boiler.ts';
import { simulateChiller } from './classes/chiller.ts';
import type { SignalModel, SimOutput, SitePlantState } from './classes/common.ts';
import { simulateCoolingTower } from './classes/coolingTower.ts';
import { simulatePump } from './classes/pump.ts';
import { GENERATOR_NAME, GENERATOR_VERSION, type WorldConfig } from './config.ts';
import { makeGrid, makeSiteDrivers, type SiteDrivers, stageUnits, type TimeGrid } from './drivers.ts';
import { type Episode, knobSeries, planEpisodes, severityAt } from './episodes.ts';
import { type AssetRecord, buildPlant, type Plant } from './plant.ts';
import { applyFaults, type DataFault, type MeasuredSeries, planFaults } from './quality.ts';
import { ASSET_CLASSES, type AssetClassId } from './types.ts';
import { generateMaintenance, workOrderRow } from './workorders.ts';

const MODELS: Record<AssetClassId, SignalModel> = {
  chiller: simulateChiller,
  ahu: simulateAhu,
  pump: simulatePump,
  cooling_tower: simulateCoolingTower,
  boiler: simulateBoiler,
  air_compressor: simulateAirCompressor,
};

/** Towers first (chillers read their leaving water), then chillers, then the rest. */
const SIM_ORDER: AssetClassId[] = ['cooling_tower', 'chiller', 'pump', 'ahu', 'boiler', 'air_compressor'];

export interface GenerateProgress {
  phase: 'layout' | 'telemetry' | 'maintenance' | 'writing' | 'done';
  done: number;
  total: number;
  message: string;
}

export interface GenerateOptions {
  out: string;
  force?: boolean;
  onProgress?: (p: GenerateProgress) => void;
}

interface AssetResult {
  episodes: Episode[];
  faults: DataFault[];
  alerts: AlertRecord[];
  anomalies: AnomalyRecord[];
  detectionRefs: Map<Episode, AlertRecord | AnomalyRecord | 'inspection'>;
}

function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r; // no negative zero in the data
}

/** Is this alert or anomaly evidence of the failure mode (its rules or its sensors)? */
function reveals(ep: Episode, rec: AlertRecord | AnomalyRecord, kpiSensors: Map<string, string[]>): boolean {
  if ('ruleId' in rec) {
    if (ep.fm.alertRules.includes(rec.ruleId)) return true;
    const rule = ALERT_RULES.find((r) => r.id === rec.ruleId);
    return Boolean(rule && ep.fm.sensors.includes(rule.sensor));
  }
  return (kpiSensors.get(rec.kpi) ?? []).some((s) => ep.fm.sensors.includes(s));
}

class WorldBuilder {
  private readonly rng: Rng;
  readonly plant: Plant;
  readonly grid: TimeGrid;
  private readonly stepsPerDay: number;
  private readonly kpiSensors = new Map<string, string[]>();

  constructor(
    readonly config: WorldConfig,
    private readonly writer: DatasetWriter,
  ) {
    this.rng = new Rng(config.seed, 'world');
    this.plant = buildPlant(config, this.rng.fork('plant'));
    this.grid = makeGrid(epochFromIso(config.start), config.days, config.holdoutDays, config.stepMinutes);
    this.stepsPerDay = Math.round(DAY / this.grid.stepSeconds);
  }

  private simulate(
    asset: AssetRecord,
    drivers: SiteDrivers,
    state: SitePlantState,
    episodes: Episode[],
  ): SimOutput {
    return MODELS[asset.assetClass]({
      asset,
      grid: this.grid,
      drivers,
      knobs: knobSeries(asset, episodes, this.grid.t.length),
      rng: this.rng.fork(`noise:${asset.assetId}`),
      plant: state,
    });
  }

  /** Finds what detected each episode and schedules its repair. */
  private scheduleRepairs(
    asset: AssetRecord,
    episodes: Episode[],
    alerts: AlertRecord[],
    anomalies: AnomalyRecord[],
    refs: AssetResult['detectionRefs'],
  ): void {
    const n = this.grid.t.length;
    const r = this.rng.fork(`repairs:${asset.assetId}`);
    const scale = Math.max(0.1, this.config.episodeTimeScale);
    for (const ep of episodes) {
      const horizon = ep.onset + Math.round(ep.progressionSteps * 2.5);
      const evidence = [...alerts, ...anomalies]
        .filter((rec) => {
          const at = 'ruleId' in rec ? rec.start : rec.index;
          return at >= ep.onset && at <= horizon && reveals(ep, rec, this.kpiSensors);
        })
        .sort((a, b) => ('ruleId' in a ? a.start : a.index) - ('ruleId' in b ? b.start : b.index));
      let detection: number | null = null;
      let delayDays: [number, number] = [1, 6];
      if (evidence.length > 0) {
        const first = evidence[0];
        detection = 'ruleId' in first ? first.start : first.index;
        refs.set(ep, first);
        if ('ruleId' in first) delayDays = first.severity === 'high' ? [0.2, 1] : [0.5, 3];
      } else {
        // Nobody's rule caught it: a technician finds it on rounds once it is bad enough.
        const found = ep.onset + Math.round(ep.progressionSteps * r.uniform(0.9, 1.3));
        if (found < n) {
          detection = found;
          refs.set(ep, 'inspection');
        }
      }
      ep.detectionIndex = detection;
      if (detection === null || !ep.repairable) continue;
      const repair = detection + Math.round(r.uniform(delayDays[0], delayDays[1]) * scale * this.stepsPerDay);
      ep.repairIndex = repair < n ? repair : null;
      // Now and then the repair is logged as done but does not fix the fault.
      if (ep.repairIndex !== null && !ep.forced && r.chance(0.1)) {
        ep.failedRepairIndex = ep.repairIndex;
        const again = ep.repairIndex + Math.round(r.uniform(4, 12) * scale * this.stepsPerDay);
        ep.repairIndex = again < n ? again : null;
      }
    }
  }

  private measure(
    asset: AssetRecord,
    drivers: SiteDrivers,
    sim: SimOutput,
    faults: DataFault[],
    episodes: Episode[],
  ) {
    const measured = applyFaults(asset, sim, faults, this.grid);
    const running = measured.get('run_status')?.values ?? null;
    const rules = ALERT_RULES.filter((r) => r.assetClass === asset.assetClass);
    const baselines = new Map<string, Float64Array>();
    const relative = rules.filter((x) => x.relative);
    if (relative.length > 0) {
      // Configured on a healthy machine: leave out times with an active fault.
      const healthy = new Uint8Array(this.grid.t.length).fill(1);
      for (const ep of episodes) {
        for (let i = ep.onset; i < healthy.length; i++) if (severityAt(ep, i) > 0) healthy[i] = 0;
      }
      const context: Record<string, Float64Array> = { oat: drivers.oat, wet_bulb: drivers.wetBulb };
      const regressors = BASELINE_REGRESSORS[asset.assetClass].map(
        (key) =>
          context[key] ?? carryForward(measured.get(key)?.values ?? new Float64Array(this.grid.t.length)),
      );
      // Fit where the rule is evaluated: settled running (or enabled) machines only.
      const perHour = Math.round(this.stepsPerDay / 24);
      const runSettled = settledMask(running, this.grid.t.length, perHour);
      const enabledSettled = sim._enabled ? settledMask(sim._enabled, this.grid.t.length, perHour) : null;
      for (const rule of relative) {
        const values = measured.get(rule.sensor)?.values;
        if (!values) continue;
        const use = (i: number) =>
          healthy[i] === 1 &&
          (!rule.onlyWhenRunning || runSettled[i] === 1) &&
          (!enabledSettled || enabledSettled[i] === 1);
        const expected = fitExpected(values, regressors, use);
        if (expected) baselines.set(rule.id, expected);
      }
    }
    const alerts = evaluateRules(asset, rules, measured, running, this.grid, baselines, sim._enabled ?? null);
    const anomalies = detectAnomalies(asset, measured, running, this.grid);
    return { measured, alerts, anomalies };
  }

  /** Simulates one asset (twice when repairs change its history) and streams its readings. */
  async runAsset(
    asset: AssetRecord,
    drivers: SiteDrivers,
    state: SitePlantState,
  ): Promise<{ result: AssetResult; towerLeaving: Float64Array | null }> {
    const episodes = planEpisodes(asset, this.config, this.grid, this.rng.fork(`episodes:${asset.assetId}`));
    episodes.forEach((ep, k) => {
      ep.episodeId = `EP-${asset.assetId}-${String(k + 1).padStart(2, '0')}`;
    });
    const faults = planFaults(
      asset,
      this.config,
      this.grid,
      this.rng.fork(`faults:${asset.assetId}`),
      this.config.scale === 'tiny',
    );
    // Pass 1: faults run their course; find when they are detected and plan the repairs.
    let sim = this.simulate(asset, drivers, state, episodes);
    let m = this.measure(asset, drivers, sim, faults, episodes);
    const refs: AssetResult['detectionRefs'] = new Map();
    if (episodes.length > 0) {
      this.scheduleRepairs(asset, episodes, m.alerts, m.anomalies, refs);
      // Pass 2: the same noise, now with repairs. Identical up to the first repair.
      if (episodes.some((ep) => ep.repairIndex !== null)) {
        sim = this.simulate(asset, drivers, state, episodes);
        m = this.measure(asset, drivers, sim, faults, episodes);
        // Point detections at the final records (same start, so same evidence).
        for (const [ep, ref] of refs) {
          if (ref === 'inspection') continue;
          const match =
            'ruleId' in ref
              ? m.alerts.find((a) => a.ruleId === ref.ruleId && a.start === ref.start)
              : m.anomalies.find((a) => a.kpi === ref.kpi && a.index === ref.index);
          if (match) refs.set(ep, match);
          else refs.set(ep, 'inspection');
        }
      }
    }
    await this.writeSeries(asset, m.measured);
    // Only small records are kept; the readings themselves are already written.
    return {
      result: { episodes, faults, alerts: m.alerts, anomalies: m.anomalies, detectionRefs: refs },
      towerLeaving: asset.assetClass === 'cooling_tower' ? sim.leaving_water_temperature : null,
    };
  }

  private async writeSeries(asset: AssetRecord, measured: Map<string, MeasuredSeries>): Promise<void> {
    for (const sensor of asset.sensors) {
      const series = measured.get(sensor.spec.key);
      if (!series) continue;
      const dup = new Set(series.duplicates);
      const ts: number[] = [];
      const values: number[] = [];
      for (let i = 0; i < series.values.length; i++) {
        const v = series.values[i];
        if (Number.isNaN(v)) continue;
        const rounded = roundTo(v, sensor.spec.decimals);
        ts.push(this.grid.t[i]);
        values.push(rounded);
        if (dup.has(i)) {
          ts.push(this.grid.t[i]);
          values.push(rounded);
        }
      }
      await this.writer.addSeries(asset.assetId, sensor.sensorId, ts, values);
    }
  }

  siteState(siteId: string, drivers: SiteDrivers): SitePlantState {
    const chillers = this.plant.assets.filter((a) => a.siteId === siteId && a.assetClass === 'chiller');
    const boilers = this.plant.assets.filter((a) => a.siteId === siteId && a.assetClass === 'boiler');
    const chillerLoads = stageUnits(
      chillers.map((c) => c.capacity),
      drivers.coolingDemand,
      this.grid,
      0.12,
    );
    const boilerLoads = stageUnits(
      boilers.map((b) => b.capacity),
      drivers.heatingDemand,
      this.grid,
      0.1,
    );
    const n = this.grid.t.length;
    const total = chillers.reduce((s, c) => s + c.capacity, 0);
    const coolingShare = new Float64Array(n);
    if (total > 0) {
      for (let i = 0; i < n; i++) {
        let tons = 0;
        chillers.forEach((c, k) => {
          tons += chillerLoads[k][i] * c.capacity;
        });
        coolingShare[i] = tons / total;
      }
    } else {
      // A site without chillers still runs its towers and pumps on process cooling.
      coolingShare.set(drivers.coolingDemand);
    }
    return {
      chillerLoad: new Map(chillers.map((c, k) => [c.assetId, chillerLoads[k]])),
      boilerLoad: new Map(boilers.map((b, k) => [b.assetId, boilerLoads[k]])),
      coolingShare,
      towerLeaving: null,
    };
  }

  registerKpis(kpis: Map<string, string[]>): void {
    for (const [k, v] of kpis) this.kpiSensors.set(k, v);
  }
}

function episodeRow(ep: Episode, grid: TimeGrid, detectedBy: string | null): Row {
  return {
    episode_id: ep.episodeId,
    asset_id: ep.asset.assetId,
    failure_mode_id: ep.fm.id,
    onset: grid.t[ep.onset],
    peak_severity: Math.round(ep.peakSeverity * 1000) / 1000,
    detection: ep.detectionIndex === null ? null : grid.t[ep.detectionIndex],
    detected_by: detectedBy,
    repair: ep.repairIndex === null ? null : grid.t[ep.repairIndex],
    work_order_id: ep.workOrderId,
    has_telemetry: true,
    note: ep.note,
  };
}

/** Generates the world described by `config` into the folder `opts.out`. */
export async function generateWorld(config: WorldConfig, opts: GenerateOptions): Promise<Manifest> {
  const writer = await DatasetWriter.create(opts.out, { force: opts.force });
  try {
    return await build(config, writer, opts);
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

async function build(config: WorldConfig, writer: DatasetWriter, opts: GenerateOptions): Promise<Manifest> {
  const progress = opts.onProgress ?? (() => {});
  const b = new WorldBuilder(config, writer);
  const { plant, grid } = b;
  const { KPIS } = await import('./anomalies.ts');
  b.registerKpis(
    new Map(Object.values(KPIS).flatMap((ks) => ks.map((k) => [k.name, k.sensors] as [string, string[]]))),
  );
  progress({ phase: 'layout', done: 0, total: plant.assets.length, message: 'laying out the plant' });

  const results = new Map<AssetRecord, AssetResult>();
  let done = 0;
  const rng = new Rng(config.seed, 'world');
  for (const site of plant.sites) {
    const drivers = makeSiteDrivers(site, grid, rng.fork(`drivers:${site.siteId}`));
    const state = b.siteState(site.siteId, drivers);
    const siteAssets = plant.assets.filter((a) => a.siteId === site.siteId);
    for (const cls of SIM_ORDER) {
      const group = siteAssets.filter((a) => a.assetClass === cls);
      const leaving: Float64Array[] = [];
      for (const asset of group) {
        const { result, towerLeaving } = await b.runAsset(asset, drivers, state);
        if (towerLeaving) leaving.push(towerLeaving);
        results.set(asset, result);
        done++;
        progress({ phase: 'telemetry', done, total: plant.assets.length, message: asset.name });
      }
      if (cls === 'cooling_tower' && leaving.length > 0) {
        const avg = new Float64Array(grid.t.length);
        for (let i = 0; i < avg.length; i++) avg[i] = leaving.reduce((s, l) => s + l[i], 0) / leaving.length;
        state.towerLeaving = avg;
      }
    }
  }

  progress({ phase: 'maintenance', done, total: plant.assets.length, message: 'work orders and events' });
  // Global, stable ids for alerts and anomalies (by time, then asset).
  const allAlerts = [...results.values()].flatMap((r) => r.alerts);
  allAlerts.sort(
    (a, b) =>
      a.start - b.start || a.asset.assetId.localeCompare(b.asset.assetId) || a.ruleId.localeCompare(b.ruleId),
  );
  const alertIds = new Map(allAlerts.map((a, i) => [a, `ALR-${String(i + 1).padStart(6, '0')}`]));
  const allAnomalies = [...results.values()].flatMap((r) => r.anomalies);
  allAnomalies.sort(
    (a, b) =>
      a.index - b.index || a.asset.assetId.localeCompare(b.asset.assetId) || a.kpi.localeCompare(b.kpi),
  );
  const anomalyIds = new Map(allAnomalies.map((a, i) => [a, `ANM-${String(i + 1).padStart(6, '0')}`]));
  const episodes: Episode[] = [];
  const detectedBy = new Map<Episode, string | null>();
  for (const res of results.values()) {
    for (const ep of res.episodes) {
      episodes.push(ep);
      const ref = res.detectionRefs.get(ep);
      detectedBy.set(
        ep,
        ref === undefined
          ? null
          : ref === 'inspection'
            ? 'inspection'
            : 'ruleId' in ref
              ? (alertIds.get(ref) ?? null)
              : (anomalyIds.get(ref) ?? null),
      );
      ep.detectedBy = detectedBy.get(ep) ?? null;
    }
  }
  const log = generateMaintenance(plant, config, grid, episodes, rng.fork('maintenance'));

  progress({ phase: 'writing', done, total: plant.assets.length, message: 'entity tables' });
  await writeEntityTables(writer, plant);
  await writer.writeTable(
    'alerts',
    allAlerts.map((a) => ({
      alert_id: alertIds.get(a) as string,
      rule_id: a.ruleId,
      asset_id: a.asset.assetId,
      start_time: grid.t[a.start],
      end_time: a.end < grid.t.length ? grid.t[a.end] : grid.t[grid.t.length - 1] + grid.stepSeconds,
      severity: a.severity,
      peak_value: Math.round(a.peak * 1000) / 1000,
    })),
  );
  await writer.writeTable(
    'anomalies',
    allAnomalies.map((a) => ({
      anomaly_id: anomalyIds.get(a) as string,
      asset_id: a.asset.assetId,
      kpi: a.kpi,
      ts: grid.t[a.index],
      value: Math.round(a.value * 1000) / 1000,
      upper_bound: Math.round(a.upper * 1000) / 1000,
      lower_bound: Math.round(a.lower * 1000) / 1000,
      score: Math.round(a.score * 10000) / 10000,
    })),
  );
  await writer.writeTable('work_orders', log.workOrders.map(workOrderRow));
  const episodeRows: Row[] = [
    ...episodes.map((ep) => episodeRow(ep, grid, detectedBy.get(ep) ?? null)),
    ...log.historic.map((h, i) => ({
      episode_id: `EP-H-${String(i + 1).padStart(5, '0')}`,
      asset_id: h.asset.assetId,
      failure_mode_id: h.fm.id,
      onset: Math.round(h.onset),
      peak_severity: 1,
      detection: Math.round(h.detection),
      detected_by: 'inspection',
      repair: Math.round(h.repair),
      work_order_id: h.wo.woId,
      has_telemetry: false,
      note: null,
    })),
  ];
  await writer.writeTable('episodes', episodeRows);
  const faults = [...results.values()].flatMap((r) => r.faults);
  const faultRows: Row[] = [
    ...faults.map((f) => ({
      kind: f.kind,
      asset_id: f.asset.assetId,
      sensor_id:
        f.sensorKey === null
          ? null
          : `${f.asset.name} ${f.asset.sensors.find((s) => s.spec.key === f.sensorKey)?.spec.label}`,
      start_time: grid.t[f.start],
      end_time: f.end < grid.t.length ? grid.t[f.end] : grid.t[grid.t.length - 1] + grid.stepSeconds,
      detail: JSON.stringify(f.detail),
    })),
    ...log.faults.map((f) => ({
      kind: f.kind,
      asset_id: f.asset?.assetId ?? null,
      sensor_id: null,
      start_time: Math.round(f.start),
      end_time: Math.round(f.end),
      detail: JSON.stringify(f.detail),
    })),
  ]
    .sort(
      (a, b) =>
        (a.start_time as number) - (b.start_time as number) ||
        String(a.asset_id).localeCompare(String(b.asset_id)) ||
        a.kind.localeCompare(b.kind),
    )
    .map((row, i) => ({ fault_id: `DQ-${String(i + 1).padStart(5, '0')}`, ...row }));
  await writer.writeTable('data_faults', faultRows);
  const events = buildEvents(
    log.workOrders.map(workOrderRow),
    allAlerts,
    alertIds,
    allAnomalies,
    anomalyIds,
    grid,
  );
  await writer.writeTable('events', events);

  const gaps = faults.filter((f) => f.kind === 'gap' || f.kind === 'asset_outage').length;
  const manifest = await writer.finish({
    kind: 'generated',
    generator: { name: GENERATOR_NAME, version: GENERATOR_VERSION },
    seed: config.seed,
    scale: config.scale,
    config,
    source: null,
    timeRange: {
      start: isoFromEpoch(grid.t[0]),
      exposedUntil: isoFromEpoch(grid.t[grid.exposedIndex]),
      end: isoFromEpoch(grid.t[grid.t.length - 1]),
      historyStart: isoFromEpoch(log.historyStart),
    },
    counts: {
      sites: plant.sites.length,
      assets: plant.assets.length,
      assetClasses: new Set(plant.assets.map((a) => a.assetClass)).size,
      sensors: plant.assets.reduce((s, a) => s + a.sensors.length, 0),
      workOrders: log.workOrders.length,
      failureModes: FAILURE_MODES.length,
      failureCodes: FAILURE_CODES.length,
      alertRules: ALERT_RULES.length,
      alerts: allAlerts.length,
      anomalies: allAnomalies.length,
      events: events.length,
      episodes: episodeRows.length,
      telemetryEpisodes: episodes.length,
      gaps,
      dataFaults: faultRows.length,
    },
  });
  progress({ phase: 'done', done, total: plant.assets.length, message: 'done' });
  return manifest;
}

async function writeEntityTables(writer: DatasetWriter, plant: Plant): Promise<void> {
  await writer.writeTable(
    'sites',
    plant.sites.map((s) => ({
      site_id: s.siteId,
      name: s.name,
      timezone: s.timezone,
      utc_offset_hours: s.utcOffsetHours,
      latitude: s.latitude,
      climate: s.climate,
      description: s.description,
    })),
  );
  await writer.writeTable(
    'assets',
    plant.assets.map((a) => ({
      asset_id: a.assetId,
      name: a.name,
      equipment_id: a.equipmentId,
      site_id: a.siteId,
      asset_class: a.assetClass,
      description: a.description,
      manufacturer: a.manufacturer,
      model: a.model,
      capacity: a.capacity,
      capacity_unit: a.capacityUnit,
      install_date: `${a.installYear}-06-01T00:00:00Z`,
      location: a.location,
      aliases: JSON.stringify(a.aliases),
    })),
  );
  await writer.writeTable(
    'sensors',
    plant.assets.flatMap((a) =>
      a.sensors.map((s) => ({
        sensor_id: s.sensorId,
        asset_id: a.assetId,
        sensor_key: s.spec.key,
        label: s.spec.label,
        unit: s.spec.unit,
        interval_minutes: s.spec.intervalMinutes,
        calculated: Boolean(s.spec.calculated),
        min_value: s.spec.min,
        max_value: s.spec.max,
        description: s.spec.description,
      })),
    ),
  );
  await writer.writeTable(
    'failure_modes',
    FAILURE_MODES.map((fm) => ({
      failure_mode_id: fm.id,
      asset_class: fm.assetClass,
      name: fm.name,
      component: fm.component,
      degradation_mechanism: fm.degradationMechanism,
      influencing_factors: JSON.stringify(fm.influencingFactors),
      sensors: JSON.stringify(fm.sensors),
      signature: fm.signature,
      failure_code: fm.failureCode,
      alert_rules: JSON.stringify(fm.alertRules),
    })),
  );
  await writer.writeTable(
    'failure_codes',
    FAILURE_CODES.map((c) => ({
      category: c.category,
      primary_code: c.primaryCode,
      primary_description: c.primaryDescription,
      secondary_code: c.secondaryCode,
      secondary_description: c.secondaryDescription,
    })),
  );
  await writer.writeTable(
    'alert_rules',
    ALERT_RULES.map((r) => ({
      rule_id: r.id,
      name: r.name,
      asset_class: r.assetClass,
      sensor_key: r.sensor,
      logic: `${r.sensor} ${r.operator} ${r.relative ? `healthy baseline ${r.threshold >= 0 ? '+' : '-'} ${Math.abs(r.threshold)}` : r.threshold} for ${r.minDurationMinutes} min${r.onlyWhenRunning ? ' while running' : ''}`,
      severity: r.severity,
      failure_codes: JSON.stringify(r.failureCodes),
    })),
  );
  const components = new Map<string, { asset_class: string; component: string; explanation: string }>();
  for (const fm of FAILURE_MODES) {
    const key = `${fm.assetClass}:${fm.component}`;
    if (!components.has(key)) {
      components.set(key, {
        asset_class: fm.assetClass,
        component: fm.component,
        explanation: `${fm.component} of the ${fm.assetClass.replace('_', ' ')}; watch ${fm.sensors.join(', ')}`,
      });
    }
  }
  await writer.writeTable(
    'components',
    [...components.values()].sort(
      (a, b) => a.asset_class.localeCompare(b.asset_class) || a.component.localeCompare(b.component),
    ),
  );
  await writer.writeTable('meters', []);
  void ASSET_CLASSES;
}

function buildEvents(
  workOrders: Row[],
  alerts: AlertRecord[],
  alertIds: Map<AlertRecord, string>,
  anomalies: AnomalyRecord[],
  anomalyIds: Map<AnomalyRecord, string>,
  grid: TimeGrid,
): Row[] {
  const codeText = new Map(FAILURE_CODES.map((c) => [c.secondaryCode, c.secondaryDescription]));
  const ruleName = new Map(ALERT_RULES.map((r) => [r.id, r.name]));
  const rows: Row[] = [
    ...workOrders.map((w) => ({
      event_id: w.wo_id as string,
      event_group: 'WORK_ORDER',
      event_category: w.preventive ? 'PM' : 'CM',
      event_type: w.primary_code as string,
      description: codeText.get(w.secondary_code as string) ?? (w.description as string),
      asset_id: w.asset_id as string,
      event_time: (w.actual_finish ?? w.reported_time) as number,
      note: w.actual_finish === null ? `open (${w.status})` : null,
    })),
    ...alerts.map((a) => ({
      event_id: alertIds.get(a) as string,
      event_group: 'ALERT',
      event_category: 'ALERT',
      event_type: a.ruleId,
      description: ruleName.get(a.ruleId) ?? a.ruleId,
      asset_id: a.asset.assetId,
      event_time: grid.t[a.start],
      note: null,
    })),
    ...anomalies.map((a) => ({
      event_id: anomalyIds.get(a) as string,
      event_group: 'ANOMALY',
      event_category: 'ANOMALY',
      event_type: a.kpi,
      description: `${a.kpi} ${a.value > a.upper ? 'high' : 'low'}`,
      asset_id: a.asset.assetId,
      event_time: grid.t[a.index],
      note: null,
    })),
  ];
  rows.sort(
    (a, b) =>
      (a.event_time as number) - (b.event_time as number) ||
      String(a.asset_id).localeCompare(String(b.asset_id)) ||
      String(a.event_id).localeCompare(String(b.event_id)),
  );
  return rows;
}
