// Small worlds for tests, generated into temporary folders.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '../../src/dataset/manifest.ts';
import { presetConfig, type WorldConfig, WorldConfigSchema } from '../../src/world/config.ts';
import { generateWorld } from '../../src/world/generate.ts';

export function tempDir(prefix = 'assetops-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function tinyWorld(
  seed = 7,
  overrides: Partial<WorldConfig> = {},
): Promise<{ dir: string; manifest: Manifest }> {
  const dir = join(tempDir(), 'world');
  const config = WorldConfigSchema.parse({ ...presetConfig('tiny', seed), ...overrides });
  const manifest = await generateWorld(config, { out: dir });
  return { dir, manifest };
}
