// Drawing a suite reads the dataset far less often than it asks: the small tables are in
// memory once the dataset is open, and the reference solver's queries are memoised for the
// draw (each distinct query and parameters runs once; every caller gets its own copy).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { memoSql } from '../src/scenarios/suite.ts';
import { tinyWorld } from './support/worlds.ts';

let ds: Dataset;

beforeAll(async () => {
  ds = await openDataset((await tinyWorld(7)).dir);
});

afterAll(() => ds?.close());

describe('suite queries', () => {
  it('holds the small tables in memory and leaves telemetry over its Parquet files', async () => {
    const views = await ds.query<{ view_name: string }>(
      'select view_name from duckdb_views() where not internal',
    );
    expect(views.map((v) => v.view_name)).toEqual(['telemetry']);
    const [wo] = await ds.query<{ n: number }>('select count(*)::INT n from work_orders');
    expect(wo.n).toBe(ds.manifest.tables.work_orders.rows);
  });

  it('runs each distinct query once and hands out copies', async () => {
    const sql = memoSql(ds);
    const q = 'select asset_id, name from assets where site_id = $s order by asset_id';
    const before = ds.queries;
    const [site] = await ds.query<{ site_id: string }>('select site_id from sites order by site_id limit 1');
    const a = await sql<{ asset_id: string; name: string }>(q, { s: site.site_id });
    a[0].name = 'changed';
    a.reverse();
    const b = await sql<{ asset_id: string; name: string }>(q, { s: site.site_id });
    expect(b).toEqual(await ds.query(q, { s: site.site_id }));
    expect(b[0].name).not.toBe('changed');
    await sql(q, { s: 'NO SUCH SITE' });
    // sites, the memoised query twice (one run), another site, the check above.
    expect(ds.queries - before).toBe(4);
  });
});
