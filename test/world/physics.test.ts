import { describe, expect, it } from 'vitest';
import { openDataset } from '../../src/dataset/open.ts';
import { tinyWorld } from '../support/worlds.ts';

// A clean plant: no random episodes and no data-quality faults, so only physics moves.
const CLEAN = {
  episodeRate: 0,
  ensureEveryFault: false,
  faultRates: { gap: 0, assetOutage: 0, stuck: 0, spike: 0, drift: 0, duplicate: 0 },
};

// Medians of a chiller sensor while running, over a day range of the telemetry.
async function medianWhileRunning(
  dir: string,
  sensor: string,
  fromDay: number,
  toDay: number,
): Promise<number> {
  const ds = await openDataset(dir);
  try {
    const rows = await ds.query<{ m: number }>(`
      with run as (select ts from telemetry where sensor_id = 'Chiller 1 Run Status' and value = 1)
      select median(t.value) m from telemetry t join run using (ts)
      where t.sensor_id = 'Chiller 1 ${sensor}'
        and t.ts >= timestamp '2024-03-01' + interval (${fromDay}) day
        and t.ts < timestamp '2024-03-01' + interval (${toDay}) day`);
    return rows[0].m;
  } finally {
    ds.close();
  }
}

describe('signal physics', () => {
  it('raises the condenser approach and kW/ton over weeks of condenser fouling', async () => {
    const { dir } = await tinyWorld(5, {
      ...CLEAN,
      days: 24,
      holdoutDays: 0,
      forcedEpisodes: [
        { asset: 'Chiller 1', failureModeId: 'FM-CH-04', onsetDay: 4, progressionDays: 14, repair: false },
      ],
    });
    const approachBefore = await medianWhileRunning(dir, 'Condenser Approach Temperature', 0, 4);
    const approachAfter = await medianWhileRunning(dir, 'Condenser Approach Temperature', 19, 24);
    const kwBefore = await medianWhileRunning(dir, 'Chiller Efficiency', 0, 4);
    const kwAfter = await medianWhileRunning(dir, 'Chiller Efficiency', 19, 24);
    expect(approachAfter - approachBefore).toBeGreaterThan(3);
    expect(kwAfter / kwBefore).toBeGreaterThan(1.08);
    // The chilled-water side is not what fouled: its approach barely moves.
    const evapBefore = await medianWhileRunning(dir, 'Evaporator Approach Temperature', 0, 4);
    const evapAfter = await medianWhileRunning(dir, 'Evaporator Approach Temperature', 19, 24);
    expect(Math.abs(evapAfter - evapBefore)).toBeLessThan(1);
  });

  it('resets the signature after the corrective repair and records the episode', async () => {
    const { dir } = await tinyWorld(5, {
      ...CLEAN,
      days: 30,
      holdoutDays: 0,
      forcedEpisodes: [
        { asset: 'Chiller 1', failureModeId: 'FM-CH-04', onsetDay: 3, progressionDays: 8, repair: true },
      ],
    });
    const ds = await openDataset(dir);
    const [ep] = await ds.query<{ onset: string; detection: string; repair: string; work_order_id: string }>(
      "select onset::VARCHAR onset, detection::VARCHAR detection, repair::VARCHAR repair, work_order_id from episodes where has_telemetry and failure_mode_id = 'FM-CH-04'",
    );
    expect(ep.detection).not.toBeNull();
    expect(ep.repair).not.toBeNull();
    expect(ep.work_order_id).toMatch(/^WO\d+$/);
    const [wo] = await ds.query<{ preventive: boolean; secondary_code: string }>(
      `select preventive, secondary_code from work_orders where wo_id = '${ep.work_order_id}'`,
    );
    expect(wo.preventive).toBe(false);
    ds.close();
    const repairDay =
      (Date.parse(`${ep.repair.replace(' ', 'T')}Z`) - Date.parse('2024-03-01T00:00:00Z')) / 86_400_000;
    expect(repairDay).toBeLessThan(28);
    const before = await medianWhileRunning(dir, 'Condenser Approach Temperature', 0, 3);
    const after = await medianWhileRunning(
      dir,
      'Condenser Approach Temperature',
      Math.ceil(repairDay) + 1,
      30,
    );
    expect(Math.abs(after - before)).toBeLessThan(1);
  });

  it('moves load, tonnage and power together', async () => {
    const { dir } = await tinyWorld(8, CLEAN);
    const ds = await openDataset(dir);
    const [r] = await ds.query<{ c: number }>(`
      select corr(t.value, p.value) c from telemetry t join telemetry p using (ts)
      where t.sensor_id = 'Chiller 1 Tonnage' and p.sensor_id = 'Chiller 1 Power Input'`);
    ds.close();
    expect(r.c).toBeGreaterThan(0.8);
  });
});
