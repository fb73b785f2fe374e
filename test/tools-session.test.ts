// The tool session: frozen clock, seeded fault injection, and the recorder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { createSession, toolsFor } from '../src/tools/registry.ts';
import { MAX_STORED_ROWS, ToolSession } from '../src/tools/session.ts';
import { defineTool } from '../src/tools/types.ts';
import { expectOneLineError, runCli } from './support/cli.ts';
import { tinyWorld } from './support/worlds.ts';

let ds: Dataset;
let world: string;

beforeAll(async () => {
  world = (await tinyWorld(7)).dir;
  ds = await openDataset(world);
});

afterAll(() => ds?.close());

const HISTORY = {
  asset: 'Chiller 1',
  sensors: ['Tonnage', 'Power Input'],
  start: '2024-03-02',
  end: '2024-03-04',
};

describe('tool session', () => {
  it('never shows data after its frozen now', async () => {
    const s = createSession(ds, { now: '2024-03-03T12:00:00Z' });
    const r = await s.call('history', { ...HISTORY, end: '2024-03-06' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.data as { end: string; note: string; handle: string };
    expect(d.end).toBe('2024-03-03T12:00:01Z');
    expect(d.note).toContain('cut at the current time');
    const all = (await s.call('json_reader', { handle: d.handle, limit: 1000 })) as {
      ok: true;
      data: { rows: Array<{ ts: string }> };
    };
    for (const row of all.data.rows) expect(row.ts <= '2024-03-03T12:00:00Z').toBe(true);
    const future = await s.call('history', { ...HISTORY, start: '2024-03-05' });
    expect(future.ok).toBe(false);
    if (!future.ok) expect(future.error.code).toBe('out_of_range');
    const latest = (await s.call('latest', { asset: 'Chiller 1', sensors: ['Tonnage'] })) as {
      ok: true;
      data: { readings: Array<{ ts: string }> };
    };
    expect(latest.data.readings[0].ts <= '2024-03-03T12:00:00Z').toBe(true);
  });

  it('cannot be moved past the last moment the dataset exposes', () => {
    const s = createSession(ds, { now: '2030-01-01T00:00:00Z' });
    expect(s.nowIso).toBe(ds.manifest.timeRange.exposedUntil);
  });

  it('records every call, valid or not, with a digest and a reference to the full result', async () => {
    const s = createSession(ds);
    await s.call('sites', {});
    await s.call('history', { asset: 'Chiller 1' });
    await s.call('no_such_tool', {});
    expect(s.log.map((r) => [r.seq, r.tool, r.ok])).toEqual([
      [1, 'sites', true],
      [2, 'history', false],
      [3, 'no_such_tool', false],
    ]);
    expect(s.log[1].error?.code).toBe('invalid_arguments');
    expect(s.log[0].digest).toMatch(/^[0-9a-f]{16}$/);
    expect(s.result(s.log[0].resultRef)).toMatchObject({ ok: true });
  });

  it('keeps the rows stored for json_reader within a bound, however many large results it makes', async () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ i }));
    const big = defineTool({
      name: 'big',
      domain: 'util',
      description: 'A test tool that stores a large result, eagerly or lazily.',
      input: z.object({ lazy: z.boolean() }),
      output: z.object({ handle: z.string() }),
      readOnly: true,
      async handler({ lazy }, ctx) {
        const n = 40_000;
        return {
          handle: lazy ? ctx.storeResult(() => rows(n), 'lazy', n) : ctx.storeResult(rows(n), 'eager'),
        };
      },
    });
    const tools = toolsFor('all');
    tools.set('big', big);
    const s = new ToolSession(ds, tools);
    const handles: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = (await s.call('big', { lazy: i % 2 === 1 })) as { ok: true; data: { handle: string } };
      handles.push(r.data.handle);
      // Reading a lazy result builds it.
      if (i % 2 === 1) expect((await s.call('json_reader', { handle: r.data.handle })).ok).toBe(true);
      expect(s.storedSize().builtRows).toBeLessThanOrEqual(MAX_STORED_ROWS);
    }
    // The oldest eager result has expired; an old lazy one is built again when read.
    const first = await s.call('json_reader', { handle: handles[0] });
    expect(first.ok).toBe(false);
    const lazy = (await s.call('json_reader', { handle: handles[1], offset: 39_999 })) as {
      ok: true;
      data: { total: number; rows: unknown[] };
    };
    expect(lazy.data.total).toBe(40_000);
    expect(lazy.data.rows).toEqual([{ i: 39_999 }]);
    expect(s.storedSize().builtRows).toBeLessThanOrEqual(MAX_STORED_ROWS);
    // Listing the stored results does not build them.
    expect(s.storedResults().find((r) => r.handle === handles[9])?.rows).toBe(40_000);
  });

  it('injects seeded faults, the same for the same seed, and records each one', async () => {
    const run = async (seed: number) => {
      const s = createSession(ds, { faults: 'hostile', seed, id: 'fuzz' });
      for (let i = 0; i < 60; i++) await s.call('history', HISTORY);
      return s.log.map((r) => r.fault?.kind ?? 'none');
    };
    const a = await run(1);
    expect(a).toEqual(await run(1));
    expect(a).not.toEqual(await run(2));
    expect(new Set(a)).toEqual(new Set(['none', 'error', 'timeout', 'partial', 'stale']));
    const s = createSession(ds, { faults: 'hostile', seed: 1, id: 'fuzz' });
    for (let i = 0; i < 60; i++) {
      const r = await s.call('history', HISTORY);
      const rec = s.log[i];
      if (rec.fault?.kind === 'error' || rec.fault?.kind === 'timeout') {
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.hint).toContain('retry');
      }
      if (rec.fault?.kind === 'partial' && r.ok) {
        const d = r.data as { total_observations: number; rows: unknown[] };
        // The total still tells the truth, so a careful agent can see rows are missing.
        expect(d.rows.length).toBeLessThan(Math.min(20, d.total_observations));
      }
    }
  });

  it('answers a stale call from a real older snapshot', async () => {
    const s = createSession(ds, { faults: 'hostile', seed: 3, id: 'stale' });
    let stale = 0;
    for (let i = 0; i < 200; i++) {
      const r = await s.call('latest', { asset: 'Chiller 1', sensors: ['Tonnage'] });
      if (!r.ok) continue;
      const reading = (r.data as { readings: Array<{ ts: string; value: number }> }).readings[0];
      const age = s.now - Date.parse(reading.ts) / 1000;
      if (s.log[i].fault?.kind === 'stale') {
        stale++;
        expect(age).toBeGreaterThanOrEqual(86400);
        // The value is the one logged at that older time, not today's under an old label.
        const [row] = await ds.query<{ v: number }>(
          "select value v from telemetry where sensor_id = 'Chiller 1 Tonnage' and ts = $t::TIMESTAMP",
          { t: reading.ts.replace('T', ' ').replace('Z', '') },
        );
        expect(row.v).toBe(reading.value);
      } else expect(age).toBeLessThan(86400);
    }
    expect(stale).toBeGreaterThan(0);
  });

  it('keeps no faults at all with the none profile', async () => {
    const s = createSession(ds, { faults: 'none' });
    for (let i = 0; i < 30; i++) await s.call('history', HISTORY);
    expect(s.log.every((r) => r.fault === null && r.ok)).toBe(true);
  });
});

describe('assetops tools', () => {
  it('lists the tools of a domain as JSON with their input schemas', () => {
    const r = runCli(['tools', 'list', '--domain', 'wo', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const tools = JSON.parse(r.stdout) as Array<{
      name: string;
      domain: string;
      inputSchema: { type: string };
    }>;
    expect(tools.map((t) => t.name)).toContain('get_work_orders');
    expect(tools.map((t) => t.name)).toContain('current_date_time');
    expect(tools.every((t) => t.inputSchema.type === 'object')).toBe(true);
  });

  it('calls a tool and prints its result', () => {
    const r = runCli(['tools', 'call', 'asset_details', '{"asset": "chiller 1"}', '--world', world]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).data.asset_id).toBe('CWC04001');
    const bad = runCli(['tools', 'call', 'asset_details', '{"asset": "chiller 99"}', '--world', world]);
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout).error.code).toBe('not_found');
  });

  it('gives one-line errors for bad JSON, domains and ports', () => {
    expect(expectOneLineError(runCli(['tools', 'call', 'sites', '{nope', '--world', world]))).toContain(
      'not valid JSON',
    );
    expect(expectOneLineError(runCli(['tools', 'list', '--domain', 'iotx']))).toContain('not a domain');
    expect(
      expectOneLineError(runCli(['mcp', '--transport', 'http', '--port', '99999', '--world', world])),
    ).toContain('port');
  });
});
