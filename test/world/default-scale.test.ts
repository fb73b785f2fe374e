// The main job on a fresh folder: `assetops bench` generates the default world, and that
// world meets the published scale of AssetOpsBench and beyond.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../../src/dataset/open.ts';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/worlds.ts';

let home: string;
let ds: Dataset;
let benchOut: ReturnType<typeof runCli>;

beforeAll(async () => {
  home = tempDir('assetops-home-');
  benchOut = runCli(['bench'], { ASSETOPS_HOME: home });
  ds = await openDataset(join(home, 'world'));
});

const one = async (sql: string) => Number((await ds.query<{ n: number }>(sql))[0].n);

describe('assetops bench on a fresh folder', () => {
  it('generates the default world and ends with its summary', () => {
    expect(benchOut.status, benchOut.stderr).toBe(0);
    expect(benchOut.stderr).toContain('generating the default one');
    expect(benchOut.stdout).toContain('World at');
    expect(benchOut.stdout).toContain('The world is ready');
  });

  it('reuses the world on a second run', () => {
    const again = runCli(['bench'], { ASSETOPS_HOME: home });
    expect(again.status).toBe(0);
    expect(again.stderr).not.toContain('generating');
  });
});

describe('default world', () => {
  it('has at least 2.3 million readings, 4,200 work orders and 53 failure modes', async () => {
    expect(ds.manifest.tables.telemetry.rows).toBeGreaterThanOrEqual(2_300_000);
    expect(await one('select count(*)::INT n from work_orders')).toBeGreaterThanOrEqual(4200);
    expect(await one('select count(*)::INT n from failure_modes')).toBe(53);
  });

  it('has three sites (one MAIN), six asset classes and at least 40 assets', async () => {
    expect(await one('select count(*)::INT n from sites')).toBe(3);
    expect(await one("select count(*)::INT n from sites where site_id = 'MAIN'")).toBe(1);
    expect(await one('select count(distinct asset_class)::INT n from assets')).toBeGreaterThanOrEqual(6);
    expect(await one('select count(*)::INT n from assets')).toBeGreaterThanOrEqual(40);
  });

  it('has preventive and corrective work, alerts, anomalies and episodes with their repairs', async () => {
    expect(await one('select count(*)::INT n from work_orders where preventive')).toBeGreaterThan(2000);
    expect(await one('select count(*)::INT n from work_orders where not preventive')).toBeGreaterThan(500);
    expect(await one('select count(distinct rule_id)::INT n from alerts')).toBeGreaterThanOrEqual(5);
    expect(await one('select count(distinct kpi)::INT n from anomalies')).toBeGreaterThanOrEqual(5);
    expect(await one('select count(*)::INT n from episodes where has_telemetry')).toBeGreaterThan(20);
    // Every repaired episode points at a corrective work order of the same asset.
    expect(
      await one(`select count(*)::INT n from episodes e left join work_orders w on w.wo_id = e.work_order_id
                 where e.repair is not null and (w.wo_id is null or w.preventive or w.asset_id <> e.asset_id)`),
    ).toBe(0);
  });

  it('keeps the mess of real logs, and says where it is', async () => {
    expect(await one('select count(*)::INT n from work_orders where logged_timezone is not null')).toBe(1);
    expect(
      await one("select count(*)::INT n from data_faults where kind = 'duplicate_work_order'"),
    ).toBeGreaterThan(0);
    expect(await one("select count(*)::INT n from data_faults where kind = 'clock_skew'")).toBe(1);
    expect(
      await one("select count(*)::INT n from episodes where note like 'closed_while_fault_persists%'"),
    ).toBeGreaterThan(0);
  });
});
