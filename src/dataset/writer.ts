// Writes a dataset folder: one Parquet file per entity table, telemetry in Parquet
// parts, and manifest.json with counts and checksums. Everything is written into a
// staging folder first and moved into place at the end, so a failed or interrupted
// write never damages a dataset that was already there.
import { existsSync, readdirSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { type DuckDBAppender, type DuckDBConnection, DuckDBInstance, timestampValue } from '@duckdb/node-api';
import { UserError } from '../util/errors.ts';
import { makeDirs } from '../util/fsx.ts';
import { canonicalJson, fileSha256, newHash, sha256Hex } from '../util/hash.ts';
import { isProcessAlive } from '../util/process.ts';
import { epochFromIso, isoFromEpoch } from '../util/time.ts';
import type { Manifest, TableEntry } from './manifest.ts';
import { DATASET_FORMAT, FORMAT_VERSION, type Row, TABLES, type TableDef, type TableName } from './schema.ts';

const STAGING = /^\.(.+)\.partial-(\d+)(\.old)?$/;

/**
 * Removes the staging folders next to `target` whose generator process is gone. A backup of
 * the previous dataset (`.old`, left when the process died between its two renames) goes back
 * in place when the target is missing, so a kill never loses a dataset that was there.
 */
export async function clearStaleStaging(target: string): Promise<string[]> {
  const parent = dirname(target);
  if (!existsSync(parent)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(parent)) {
    const m = STAGING.exec(name);
    if (!m || m[1] !== basename(target) || isProcessAlive(Number(m[2]))) continue;
    const path = join(parent, name);
    if (m[3] && !existsSync(target) && existsSync(join(path, 'manifest.json'))) {
      await rename(path, target);
      continue;
    }
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}

/** Rows of telemetry staged in DuckDB before a Parquet part is written (bounds memory). */
const PART_ROWS = 3_000_000;

export interface WriterOptions {
  /** Replace an existing dataset at the target (it is only removed once the new one is complete). */
  force?: boolean;
}

export type ManifestMeta = Omit<Manifest, 'format' | 'formatVersion' | 'tables' | 'checksum' | 'counts'> & {
  counts: Record<string, number | string | null>;
};

function toEpoch(v: unknown, table: string, col: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return epochFromIso(v);
  throw new Error(`${table}.${col}: expected a timestamp, got ${typeof v}`);
}

/** Normalises a row to the values that are written, in column order (the hashed content). */
function normaliseRow(def: TableDef, row: Row): Array<string | number | boolean | null> {
  return def.columns.map(([col, type]) => {
    const v = row[col];
    if (v === undefined || v === null) return null;
    switch (type) {
      case 'TIMESTAMP':
        return isoFromEpoch(toEpoch(v, def.name, col));
      case 'DOUBLE':
      case 'INTEGER':
      case 'BIGINT':
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new Error(`${def.name}.${col}: expected a finite number, got ${String(v)}`);
        }
        return type === 'DOUBLE' ? v : Math.trunc(v);
      case 'BOOLEAN':
        return Boolean(v);
      default:
        return String(v);
    }
  });
}

function appendValue(app: DuckDBAppender, type: string, v: string | number | boolean | null): void {
  if (v === null) {
    app.appendNull();
    return;
  }
  switch (type) {
    case 'TIMESTAMP':
      app.appendTimestamp(timestampValue(BigInt(epochFromIso(v as string)) * 1_000_000n));
      break;
    case 'DOUBLE':
      app.appendDouble(v as number);
      break;
    case 'INTEGER':
      app.appendInteger(v as number);
      break;
    case 'BIGINT':
      app.appendBigInt(BigInt(v as number));
      break;
    case 'BOOLEAN':
      app.appendBoolean(v as boolean);
      break;
    default:
      app.appendVarchar(v as string);
  }
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

export class DatasetWriter {
  private readonly tables = new Map<string, TableEntry>();
  private series: Array<{ assetId: string; sensorId: string }> = [];
  private staged = 0;
  private telemetryRows = 0;
  private telemetryParts: string[] = [];
  private readonly telemetryHash = newHash();
  private stageAppender: DuckDBAppender | null = null;

  private constructor(
    readonly target: string,
    readonly staging: string,
    private readonly instance: DuckDBInstance,
    private readonly con: DuckDBConnection,
    private readonly force: boolean,
  ) {}

  /** Opens a writer for `target`; fails with a clear error when the folder can't be written. */
  static async create(target: string, opts: WriterOptions = {}): Promise<DatasetWriter> {
    const abs = resolve(target);
    // A generator killed mid-way left its staging folder (and, killed while swapping, the old
    // dataset under a backup name): put the old dataset back and clear the rest first.
    await clearStaleStaging(abs).catch(() => {});
    if (existsSync(join(abs, 'manifest.json')) && !opts.force) {
      throw new UserError(
        `${target} already holds a dataset`,
        'Pass --force to replace it, or choose another folder with --out',
        'exists',
      );
    }
    if (existsSync(abs) && !existsSync(join(abs, 'manifest.json')) && readdirSync(abs).length > 0) {
      throw new UserError(
        `${target} exists, is not empty and is not a dataset`,
        'Choose an empty or new folder with --out; nothing there was changed',
        'not_empty',
      );
    }
    const staging = join(dirname(abs), `.${basename(abs)}.partial-${process.pid}`);
    try {
      await rm(staging, { recursive: true, force: true });
      await makeDirs(join(staging, 'telemetry'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new UserError(
        `cannot write to ${dirname(abs)} (${code})`,
        'Choose a folder you can write to (--out, or --world for bench), or fix its permissions',
        'unwritable',
      );
    }
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const con = await instance.connect();
    await con.run('CREATE TABLE tstage(series INTEGER, ts INTEGER, value DOUBLE)');
    return new DatasetWriter(abs, staging, instance, con, Boolean(opts.force));
  }

  /** Writes a whole entity table (small tables: sites, assets, work orders, ...). */
  async writeTable(name: TableName, rows: readonly Row[]): Promise<void> {
    if (name === 'telemetry') throw new Error('telemetry is written with addSeries()');
    const def: TableDef = TABLES[name];
    const colsSql = def.columns.map(([c, t]) => `"${c}" ${t}`).join(', ');
    const tmp = `w_${name}`;
    await this.con.run(`CREATE OR REPLACE TABLE ${tmp}(${colsSql})`);
    const app = await this.con.createAppender(tmp);
    const hash = newHash();
    for (const row of rows) {
      const values = normaliseRow(def, row);
      hash.update(JSON.stringify(values));
      hash.update('\n');
      def.columns.forEach(([, type], i) => {
        appendValue(app, type, values[i]);
      });
      app.endRow();
    }
    app.closeSync();
    const file = `${name}.parquet`;
    await this.con.run(
      `COPY ${tmp} TO ${sqlString(join(this.staging, file))} (FORMAT parquet, COMPRESSION zstd)`,
    );
    await this.con.run(`DROP TABLE ${tmp}`);
    this.tables.set(name, {
      files: [file],
      rows: rows.length,
      contentChecksum: hash.digest('hex'),
      fileChecksums: {},
    });
  }

  /**
   * Appends one sensor's readings. Values must already carry the precision the
   * dataset should store; timestamps are epoch seconds in ascending order (repeats allowed).
   */
  async addSeries(
    assetId: string,
    sensorId: string,
    ts: ArrayLike<number>,
    values: ArrayLike<number>,
  ): Promise<void> {
    if (ts.length !== values.length)
      throw new Error(`series ${sensorId}: ${ts.length} times, ${values.length} values`);
    if (ts.length === 0) return;
    const idx = this.series.length;
    this.series.push({ assetId, sensorId });
    const tsArr = Float64Array.from(ts);
    const valArr = Float64Array.from(values);
    this.telemetryHash.update(`${assetId}\u0000${sensorId}\u0000${ts.length}\u0000`);
    this.telemetryHash.update(new Uint8Array(tsArr.buffer));
    this.telemetryHash.update(new Uint8Array(valArr.buffer));
    if (!this.stageAppender) this.stageAppender = await this.con.createAppender('tstage');
    const app = this.stageAppender;
    for (let i = 0; i < tsArr.length; i++) {
      app.appendInteger(idx);
      app.appendInteger(tsArr[i]);
      app.appendDouble(valArr[i]);
      app.endRow();
    }
    this.staged += tsArr.length;
    this.telemetryRows += tsArr.length;
    if (this.staged >= PART_ROWS) await this.flushTelemetry();
  }

  /** Writes the staged readings as one Parquet part (sorted by series, then time). */
  async flushTelemetry(): Promise<void> {
    if (this.stageAppender) {
      this.stageAppender.closeSync();
      this.stageAppender = null;
    }
    if (this.staged === 0) return;
    await this.con.run(
      'CREATE OR REPLACE TABLE series_map(series INTEGER, asset_id VARCHAR, sensor_id VARCHAR)',
    );
    const app = await this.con.createAppender('series_map');
    this.series.forEach((s, i) => {
      app.appendInteger(i);
      app.appendVarchar(s.assetId);
      app.appendVarchar(s.sensorId);
      app.endRow();
    });
    app.closeSync();
    const file = `telemetry/part-${String(this.telemetryParts.length).padStart(5, '0')}.parquet`;
    await this.con.run(
      `COPY (SELECT m.asset_id, m.sensor_id, make_timestamp(t.ts::BIGINT * 1000000) AS ts, t.value
             FROM tstage t JOIN series_map m USING (series) ORDER BY t.series, t.ts)
       TO ${sqlString(join(this.staging, file))} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 65536)`,
    );
    await this.con.run('DELETE FROM tstage');
    this.telemetryParts.push(file);
    this.staged = 0;
  }

  /** Completes the dataset: manifest with counts and checksums, then moves it into place. */
  async finish(meta: ManifestMeta): Promise<Manifest> {
    await this.flushTelemetry();
    if (this.telemetryParts.length === 0) {
      // An empty telemetry table still needs a file so the schema is known.
      const file = 'telemetry/part-00000.parquet';
      await this.con.run(
        `COPY (SELECT NULL::VARCHAR AS asset_id, NULL::VARCHAR AS sensor_id, NULL::TIMESTAMP AS ts, NULL::DOUBLE AS value LIMIT 0)
         TO ${sqlString(join(this.staging, file))} (FORMAT parquet)`,
      );
      this.telemetryParts.push(file);
    }
    this.tables.set('telemetry', {
      files: this.telemetryParts,
      rows: this.telemetryRows,
      contentChecksum: this.telemetryHash.digest('hex'),
      fileChecksums: {},
    });
    for (const entry of this.tables.values()) {
      for (const f of entry.files) entry.fileChecksums[f] = await fileSha256(join(this.staging, f));
    }
    const tables = Object.fromEntries([...this.tables.entries()].sort(([a], [b]) => a.localeCompare(b)));
    const contentSummary = Object.fromEntries(
      Object.entries(tables).map(([n, t]) => [n, { rows: t.rows, contentChecksum: t.contentChecksum }]),
    );
    const manifest: Manifest = {
      format: DATASET_FORMAT,
      formatVersion: FORMAT_VERSION,
      ...meta,
      tables,
      checksum: sha256Hex(canonicalJson({ config: meta.config ?? null, tables: contentSummary })),
    };
    await writeFile(join(this.staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    this.con.closeSync();
    this.instance.closeSync();
    await this.moveIntoPlace();
    return manifest;
  }

  /** Drops the staging folder (after an error). */
  async abort(): Promise<void> {
    try {
      this.con.closeSync();
      this.instance.closeSync();
    } catch {
      // already closed
    }
    await rm(this.staging, { recursive: true, force: true });
  }

  private async moveIntoPlace(): Promise<void> {
    const backup = `${this.staging}.old`;
    const hadOld = existsSync(this.target);
    if (hadOld) {
      if (!this.force && existsSync(join(this.target, 'manifest.json'))) {
        throw new UserError(`${this.target} already holds a dataset`, 'Pass --force to replace it', 'exists');
      }
      await rename(this.target, backup);
    }
    await rename(this.staging, this.target);
    if (hadOld) await rm(backup, { recursive: true, force: true });
  }
}
