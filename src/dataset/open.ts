// Opens a dataset folder for reading: checks the manifest, the files and their
// checksums, then exposes every table as a DuckDB view over its Parquet files.
// The folder itself is never written to.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBMaterializedResult,
  type DuckDBValue,
} from '@duckdb/node-api';
import { UserError } from '../util/errors.ts';
import { fileSha256 } from '../util/hash.ts';
import { type Manifest, ManifestSchema } from './manifest.ts';
import { DATASET_FORMAT, FORMAT_VERSION, REQUIRED_TABLES } from './schema.ts';

export interface OpenOptions {
  /** Check every file's sha256 against the manifest (default true). */
  verify?: boolean;
}

export type QueryParams = Record<string, DuckDBValue> | DuckDBValue[];

/** A handle to an opened dataset folder and its DuckDB connection. */
export class Dataset {
  constructor(
    readonly dir: string,
    readonly manifest: Manifest,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /**
   * Queries sent to DuckDB through this handle (query, queryJs, run): what benchmarks count
   * to see how often the Parquet files are read.
   */
  queries = 0;

  /** Runs SQL and returns plain JSON-friendly row objects (timestamps as ISO-like strings). */
  async query<T = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<T[]> {
    this.queries++;
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJson() as T[];
  }

  /** Like query, but values keep their JavaScript types (bigint, Date-like values). */
  async queryJs<T = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<T[]> {
    this.queries++;
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJS() as T[];
  }

  private bulkConnection: Promise<DuckDBConnection> | null = null;
  private bulkOpen: DuckDBConnection | null = null;

  /**
   * Runs a bulk read (whole series out of telemetry) and returns DuckDB's materialized result,
   * for reading columns chunk by chunk. It has a connection of its own: a connection runs one
   * query at a time, and on a fresh server the quick lookups of other calls (assets, sensors,
   * work orders) would otherwise queue behind every series being read.
   */
  async run(sql: string, params?: QueryParams): Promise<DuckDBMaterializedResult> {
    this.queries++;
    this.bulkConnection ??= this.instance.connect().then((c) => {
      if (this.closed) c.closeSync();
      else this.bulkOpen = c;
      return c;
    });
    return (await this.bulkConnection).run(sql, params);
  }

  private closed = false;

  /** Idempotent: a run context and the command that opened the dataset may both close it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    // (A bulk connection still being opened closes itself when it arrives.)
    this.bulkOpen?.closeSync();
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

async function readManifest(dir: string, shown: string): Promise<Manifest> {
  const path = join(dir, 'manifest.json');
  if (!existsSync(dir)) {
    throw new UserError(
      `no dataset at ${shown}: the folder does not exist`,
      'Generate one with `assetops world generate` or pass the right folder with --world',
      'missing',
    );
  }
  if (!existsSync(path)) {
    throw new UserError(
      `${shown} is not a dataset: manifest.json is missing`,
      'Generate one with `assetops world generate --out <dir>` or import one with `assetops world import-aob`',
      'missing_manifest',
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new UserError(
      `${join(shown, 'manifest.json')} is not valid JSON`,
      'The dataset is damaged: regenerate it with `assetops world generate --force`',
      'bad_manifest',
    );
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(
      `${join(shown, 'manifest.json')} is malformed (${issue.path.join('.') || 'root'}: ${issue.message})`,
      'The dataset is damaged: regenerate it with `assetops world generate --force`',
      'bad_manifest',
    );
  }
  const m = parsed.data;
  if (m.format !== DATASET_FORMAT || m.formatVersion !== FORMAT_VERSION) {
    throw new UserError(
      `${shown} has dataset format ${m.format} v${m.formatVersion}, this version reads ${DATASET_FORMAT} v${FORMAT_VERSION}`,
      'Regenerate it with this version: `assetops world generate --force --out <dir>`',
      'format_version',
    );
  }
  return m;
}

/** Tables (but telemetry) up to this many rows are loaded into memory when a dataset opens (see openDataset). */
export const IN_MEMORY_ROWS = 1_000_000;

/** Opens a dataset folder, failing with a message that names the damaged file and the fix. */
export async function openDataset(dirArg: string, opts: OpenOptions = {}): Promise<Dataset> {
  const dir = resolve(dirArg);
  const manifest = await readManifest(dir, dirArg);
  for (const name of REQUIRED_TABLES) {
    if (!manifest.tables[name]) {
      throw new UserError(
        `${dirArg} has no ${name} table in its manifest`,
        'The dataset is incomplete: regenerate or re-import it',
        'missing_table',
      );
    }
  }
  for (const entry of Object.values(manifest.tables)) {
    for (const file of entry.files) {
      const path = join(dir, file);
      if (!existsSync(path)) {
        throw new UserError(
          `${join(dirArg, file)} is missing`,
          'The dataset is incomplete: regenerate it with `assetops world generate --force` (or re-import it)',
          'missing_file',
        );
      }
      if (opts.verify !== false) {
        const sum = await fileSha256(path);
        if (sum !== entry.fileChecksums[file]) {
          throw new UserError(
            `${join(dirArg, file)} does not match its checksum in manifest.json`,
            'The file was changed or damaged: regenerate the dataset with `assetops world generate --force`',
            'checksum',
          );
        }
      }
    }
  }
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  for (const [name, entry] of Object.entries(manifest.tables)) {
    const files = entry.files.map((f) => `'${join(dir, f).replaceAll("'", "''")}'`).join(', ');
    // Small tables (catalogs, work orders, events, ground truth) are read into memory once:
    // tools and the suite generator query them hundreds of times, and every query over a view
    // decodes its Parquet file again. Telemetry, by far the largest, stays a view over its
    // files whatever its size (series are read once into the series cache).
    const kind = name !== 'telemetry' && entry.rows <= IN_MEMORY_ROWS ? 'TABLE' : 'VIEW';
    await connection.run(`CREATE ${kind} "${name}" AS SELECT * FROM read_parquet([${files}])`);
  }
  return new Dataset(dir, manifest, instance, connection);
}

/** Reads only the manifest (fast: no checksums, no DuckDB); for `world info` and listings. */
export async function readDatasetManifest(dirArg: string): Promise<Manifest> {
  return readManifest(resolve(dirArg), dirArg);
}
