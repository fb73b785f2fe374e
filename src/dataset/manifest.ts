// manifest.json: what a dataset folder holds, how it was made, and checksums.
import { z } from 'zod';

export const TableEntrySchema = z.object({
  files: z.array(z.string()),
  rows: z.number().int().nonnegative(),
  /** sha256 over the table's rows in canonical form: equal content, equal checksum. */
  contentChecksum: z.string(),
  /** sha256 of each file's bytes, to detect damage when the folder is opened. */
  fileChecksums: z.record(z.string(), z.string()),
});
export type TableEntry = z.infer<typeof TableEntrySchema>;

export const ManifestSchema = z.object({
  format: z.string(),
  formatVersion: z.number().int(),
  kind: z.enum(['generated', 'aob-import']),
  generator: z.object({ name: z.string(), version: z.string() }),
  seed: z.number().int().nullable(),
  scale: z.string().nullable(),
  config: z.unknown(),
  source: z.string().nullable().optional(),
  timeRange: z.object({
    /** First telemetry timestamp. */
    start: z.string(),
    /** Last timestamp any tool may show (later telemetry is held out for forecast grading). */
    exposedUntil: z.string(),
    /** Last telemetry timestamp, including the hold-out. */
    end: z.string(),
    /** First work order (history may reach back further than telemetry). */
    historyStart: z.string().nullable().optional(),
  }),
  counts: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  tables: z.record(z.string(), TableEntrySchema),
  /** Content checksum of the whole dataset (config plus every table's content checksum). */
  checksum: z.string(),
});
export type Manifest = z.infer<typeof ManifestSchema>;
