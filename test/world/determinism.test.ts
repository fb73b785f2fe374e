import { describe, expect, it } from 'vitest';
import { tinyWorld } from '../support/worlds.ts';

describe('world determinism', () => {
  it('gives the same content checksums for the same seed, and different ones for another seed', async () => {
    const a = await tinyWorld(3);
    const b = await tinyWorld(3);
    const c = await tinyWorld(4);
    expect(a.manifest.checksum).toBe(b.manifest.checksum);
    for (const [name, entry] of Object.entries(a.manifest.tables)) {
      expect(b.manifest.tables[name].contentChecksum, name).toBe(entry.contentChecksum);
      expect(b.manifest.tables[name].rows, name).toBe(entry.rows);
    }
    expect(c.manifest.checksum).not.toBe(a.manifest.checksum);
    expect(c.manifest.tables.telemetry.contentChecksum).not.toBe(a.manifest.tables.telemetry.contentChecksum);
  });
});
