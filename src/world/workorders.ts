// The maintenance system: preventive work orders on per-class schedules, corrective
// ones after faults (historical ones before the telemetry, and the repairs of the
// episodes inside it), written in varied technician language, plus the mess real
// logs have: duplicates, a site whose clock runs ahead, one order logged in local time.
import type { Row } from '../dataset/schema.ts';
import type { Rng } from '../util/rng.ts';
import { DAY, HOUR } from '../util/time.ts';
import {
  CORRECTIVE_PHRASES,
  DUPLICATE_NOTE_PHRASES,
  FOLLOW_UP_PHRASES,
  failureCodeBySecondary,
  failureModesFor,
  PM_PHRASES,
  PM_TASKS,
} from './catalog/index.ts';
import type { WorldConfig } from './config.ts';
import type { TimeGrid } from './drivers.ts';
import type { Episode } from './episodes.ts';
import type { AssetRecord, Plant } from './plant.ts';
import type { AssetClassId, FailureModeSpec } from './types.ts';

export interface WorkOrder {
  woId: string;
  asset: AssetRecord;
  description: string;
  component: string;
  preventive: boolean;
  primaryCode: string;
  secondaryCode: string;
  priority: number;
  status: string;
  reported: number;
  start: number | null;
  finish: number | null;
  durationHours: number | null;
  laborHours: number;
  cost: number;
  loggedTimezone: string | null;
}

/** A historical fault (before the telemetry) kept as ground truth. */
export interface HistoricEpisode {
  asset: AssetRecord;
  fm: FailureModeSpec;
  onset: number;
  detection: number;
  repair: number;
  wo: WorkOrder;
}

export interface MaintenanceFault {
  kind: 'clock_skew' | 'timezone' | 'duplicate_work_order';
  asset: AssetRecord | null;
  start: number;
  end: number;
  detail: Record<string, unknown>;
}

export interface MaintenanceLog {
  workOrders: WorkOrder[];
  historic: HistoricEpisode[];
  faults: MaintenanceFault[];
  historyStart: number;
}

/** Corrective faults per asset per year before the telemetry window. */
const CORRECTIVE_PER_YEAR: Record<AssetClassId, number> = {
  chiller: 5,
  ahu: 3,
  pump: 2,
  cooling_tower: 2.5,
  boiler: 2.5,
  air_compressor: 3,
};

const LABOR_RATE = [85, 125] as const;

function fill(template: string, asset: AssetRecord, component: string): string {
  return template.replaceAll('{asset}', asset.name).replaceAll('{component}', component.toLowerCase());
}

function addMonths(sec: number, months: number): number {
  const d = new Date(sec * 1000);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime() / 1000;
}

/** A time during the site's working day (7:00-16:00 local), on the day of `sec`. */
function workingTime(sec: number, utcOffsetHours: number, rng: Rng): number {
  const localDay = Math.floor((sec + utcOffsetHours * HOUR) / DAY) * DAY;
  const minutes = rng.int(7 * 60, 16 * 60);
  return localDay - utcOffsetHours * HOUR + minutes * 60;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function primaryOf(code: string): string {
  return failureCodeBySecondary(code)?.primaryCode ?? code.replace(/[a-z]$/, '');
}

export function generateMaintenance(
  plant: Plant,
  config: WorldConfig,
  grid: TimeGrid,
  episodes: Episode[],
  rng: Rng,
): MaintenanceLog {
  const telemetryStart = grid.t[0];
  const end = grid.t[grid.t.length - 1];
  const historyStart = Math.floor(end - config.historyYears * 365.25 * DAY);
  const offsets = new Map(plant.sites.map((s) => [s.siteId, s.utcOffsetHours]));
  const orders: WorkOrder[] = [];
  const historic: HistoricEpisode[] = [];
  const faults: MaintenanceFault[] = [];
  const episodeOrders = new Map<Episode, WorkOrder[]>();
  const duplicateOf = new Map<WorkOrder, WorkOrder>();

  const corrective = (
    asset: AssetRecord,
    fm: FailureModeSpec,
    reported: number,
    finish: number | null,
    priority: number,
    r: Rng,
    text?: string,
  ): WorkOrder => {
    let labor = round2(r.uniform(fm.repair.laborHours[0], fm.repair.laborHours[1]));
    let duration = round2(labor * r.uniform(1, 1.6));
    // Work cannot start before the order is reported: a quick repair is a short job.
    if (finish !== null && finish - duration * HOUR < reported + 900) {
      duration = round2(Math.max(0.25, (finish - reported - 900) / HOUR));
      labor = round2(Math.min(labor, duration));
    }
    const parts = r.uniform(fm.repair.partsCost[0], fm.repair.partsCost[1]);
    const phrases = CORRECTIVE_PHRASES[fm.id] ?? [`${fm.name} on {asset}`];
    return {
      woId: '',
      asset,
      description: text ?? fill(r.pick(phrases), asset, fm.component),
      component: fm.component,
      preventive: false,
      primaryCode: primaryOf(fm.failureCode),
      secondaryCode: fm.failureCode,
      priority,
      status: finish === null ? r.pick(['APPR', 'INPRG', 'WMATL']) : 'CLOSE',
      reported,
      start: finish === null ? null : finish - duration * HOUR,
      finish,
      durationHours: finish === null ? null : duration,
      laborHours: finish === null ? 0 : labor,
      cost: finish === null ? 0 : round2(labor * r.uniform(...LABOR_RATE) + parts),
      loggedTimezone: null,
    };
  };

  for (const asset of plant.assets) {
    const r = rng.fork(`wo:${asset.assetId}`);
    const off = offsets.get(asset.siteId) ?? 0;
    // Preventive work on each task's schedule, with a random phase per asset.
    for (const task of PM_TASKS.filter((t) => t.assetClass === asset.assetClass)) {
      let due = historyStart + r.uniform(0, task.intervalMonths * 30 * DAY);
      while (due <= end) {
        if (!r.chance(0.03)) {
          const reportedAt = due - r.uniform(3, 10) * DAY;
          // Done within days of the due date, never before the order was raised.
          const finish = Math.max(workingTime(due + r.uniform(-3, 7) * DAY, off, r), reportedAt + 4 * 3600);
          const labor = round2(r.uniform(task.laborHours[0], task.laborHours[1]));
          const duration = round2(labor * r.uniform(1, 1.4));
          // A backlog, as every site has: some recent preventive work is not done yet.
          const open = finish > end || (due > end - 21 * DAY && r.chance(0.5));
          orders.push({
            woId: '',
            asset,
            description: fill(r.pick(PM_PHRASES[task.code] ?? [task.description]), asset, task.component),
            component: task.component,
            preventive: true,
            primaryCode: primaryOf(task.code),
            secondaryCode: task.code,
            priority: 5,
            status: open ? r.pick(['WAPPR', 'APPR']) : 'CLOSE',
            reported: reportedAt,
            start: open ? null : finish - duration * HOUR,
            finish: open ? null : finish,
            durationHours: open ? null : duration,
            laborHours: open ? 0 : labor,
            cost: open ? 0 : round2(labor * r.uniform(...LABOR_RATE) + r.uniform(20, 400)),
            loggedTimezone: null,
          });
        }
        due = addMonths(due, task.intervalMonths);
      }
    }
    // Corrective work before the telemetry window (no readings exist for these faults).
    const modes = failureModesFor(asset.assetClass);
    const years = (telemetryStart - historyStart) / (365.25 * DAY);
    const count = r.poisson(CORRECTIVE_PER_YEAR[asset.assetClass] * years);
    for (let c = 0; c < count; c++) {
      const fm = r.weighted(modes, (m) => m.weight);
      const reported = workingTime(r.uniform(historyStart, telemetryStart - 2 * DAY), off, r);
      const finish = reported + r.uniform(4, 96) * HOUR;
      const wo = corrective(asset, fm, reported, Math.min(finish, telemetryStart - HOUR), r.int(1, 3), r);
      orders.push(wo);
      const onset =
        reported - r.uniform(fm.progressionDays.min, fm.progressionDays.max) * DAY * r.uniform(0.5, 1);
      historic.push({ asset, fm, onset, detection: reported, repair: wo.finish as number, wo });
      // Some repairs do not hold: a callback follows within days.
      if (r.chance(0.12)) {
        const again = finish + r.uniform(2, 20) * DAY;
        if (again < telemetryStart) {
          orders.push(
            corrective(
              asset,
              fm,
              again,
              again + r.uniform(3, 30) * HOUR,
              r.int(1, 2),
              r,
              fill(r.pick(FOLLOW_UP_PHRASES), asset, fm.component),
            ),
          );
        }
      }
    }
  }

  // Repairs of the episodes inside the telemetry window.
  for (const ep of episodes) {
    if (ep.detectionIndex === null) continue;
    const r = rng.fork(`wo-episode:${ep.episodeId}`);
    const reported = grid.t[ep.detectionIndex] + r.uniform(5, 90) * 60;
    const priority = ep.detectedBy?.startsWith('ALR') ? 2 : 3;
    if (ep.failedRepairIndex !== null && ep.repairIndex !== null) {
      const first = corrective(ep.asset, ep.fm, reported, grid.t[ep.failedRepairIndex], priority, r);
      orders.push(first);
      const second = corrective(
        ep.asset,
        ep.fm,
        grid.t[ep.failedRepairIndex] + r.uniform(2, 5) * DAY,
        grid.t[ep.repairIndex],
        1,
        r,
        fill(r.pick(FOLLOW_UP_PHRASES), ep.asset, ep.fm.component),
      );
      orders.push(second);
      episodeOrders.set(ep, [first, second]);
    } else {
      const wo = corrective(
        ep.asset,
        ep.fm,
        reported,
        ep.repairIndex === null ? null : grid.t[ep.repairIndex],
        priority,
        r,
      );
      orders.push(wo);
      episodeOrders.set(ep, [wo]);
    }
  }

  const mess = rng.fork('wo-mess');
  // One site's maintenance system clock runs a few minutes ahead of the building system.
  const skewSite = mess.pick(plant.sites);
  const skewMinutes = mess.int(3, 9);
  for (const wo of orders) {
    if (wo.asset.siteId !== skewSite.siteId) continue;
    const s = skewMinutes * 60;
    wo.reported += s;
    if (wo.start !== null) wo.start += s;
    if (wo.finish !== null) wo.finish += s;
  }
  faults.push({
    kind: 'clock_skew',
    asset: null,
    start: historyStart,
    end,
    detail: { site: skewSite.siteId, system: 'maintenance', offsetMinutes: skewMinutes },
  });

  // Duplicates: the same job keyed in twice.
  const dupes: WorkOrder[] = [];
  for (const wo of orders) {
    if (mess.chance(0.006)) {
      const copy = { ...wo, reported: wo.reported + mess.int(1, 40) * 60 };
      if (mess.chance(0.5))
        copy.description = `${wo.description} ${mess.pick(DUPLICATE_NOTE_PHRASES)}`.trim();
      dupes.push(copy);
      duplicateOf.set(copy, wo);
    }
  }
  orders.push(...dupes);

  // Stable order, then ids that grow with time as in a real maintenance system.
  orders.sort(
    (a, b) =>
      a.reported - b.reported ||
      a.asset.assetId.localeCompare(b.asset.assetId) ||
      a.secondaryCode.localeCompare(b.secondaryCode),
  );
  orders.forEach((wo, i) => {
    wo.woId = `WO${String(200001 + i)}`;
  });
  for (const d of dupes) {
    const orig = duplicateOf.get(d) as WorkOrder;
    faults.push({
      kind: 'duplicate_work_order',
      asset: d.asset,
      start: d.reported,
      end: d.reported,
      detail: { original: orig.woId, duplicate: d.woId },
    });
  }
  for (const [ep, wos] of episodeOrders) {
    ep.workOrderId = wos[wos.length - 1].woId;
    if (wos.length > 1)
      ep.note = `closed_while_fault_persists: ${wos[0].woId} was closed but the fault went on until ${wos[1].woId}`;
  }

  // One closed corrective order whose finish time was typed in the site's local time.
  const candidates = orders.filter((w) => !w.preventive && w.finish !== null && w.finish >= telemetryStart);
  const pool = candidates.length > 0 ? candidates : orders.filter((w) => !w.preventive && w.finish !== null);
  if (pool.length > 0) {
    const wo = mess.pick(pool);
    const site = plant.sites.find((s) => s.siteId === wo.asset.siteId)!;
    const shift = site.utcOffsetHours * HOUR;
    wo.finish = (wo.finish as number) + shift;
    if (wo.start !== null) wo.start += shift;
    wo.loggedTimezone = site.timezone;
    faults.push({
      kind: 'timezone',
      asset: wo.asset,
      start: wo.finish,
      end: wo.finish,
      detail: { workOrder: wo.woId, loggedIn: site.timezone, utcOffsetHours: site.utcOffsetHours },
    });
  }
  return { workOrders: orders, historic, faults, historyStart };
}

export function workOrderRow(wo: WorkOrder): Row {
  return {
    wo_id: wo.woId,
    asset_id: wo.asset.assetId,
    description: wo.description,
    component: wo.component,
    preventive: wo.preventive,
    primary_code: wo.primaryCode,
    secondary_code: wo.secondaryCode,
    priority: wo.priority,
    status: wo.status,
    reported_time: Math.round(wo.reported),
    actual_start: wo.start === null ? null : Math.round(wo.start),
    actual_finish: wo.finish === null ? null : Math.round(wo.finish),
    duration_hours: wo.durationHours,
    labor_hours: wo.laborHours,
    cost: wo.cost,
    logged_timezone: wo.loggedTimezone,
  };
}
