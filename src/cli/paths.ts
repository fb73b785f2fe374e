// Where the project keeps its files: `.assetops/` in the working folder, or $ASSETOPS_HOME.
import { join, resolve } from 'node:path';

export function assetopsHome(): string {
  return resolve(process.env.ASSETOPS_HOME ?? '.assetops');
}

export function defaultWorldDir(): string {
  return join(assetopsHome(), 'world');
}

export function defaultAobDir(): string {
  return join(assetopsHome(), 'aob');
}

/**
 * Where the published AssetOpsBench files are, looked for the same way by every command: the
 * --aob-data flag, $ASSETOPS_AOB_DATA, the folder the imported data (.assetops/aob) came from,
 * then ../shared/assetopsbench beside the working folder. `has` says what the folder must hold
 * (a relative path, e.g. scenarios/all_utterance.jsonl); `looked` lists every place tried, for
 * the message when none has it.
 */
export function findAobData(opts: {
  flag?: string;
  importedFrom?: string | null;
  has: (dir: string) => boolean;
}): { dir: string | null; looked: string[] } {
  const candidates: Array<[string, string | undefined | null]> = [
    ['--aob-data', opts.flag],
    ['$ASSETOPS_AOB_DATA', process.env.ASSETOPS_AOB_DATA],
    [`the source of ${defaultAobDir()}`, opts.importedFrom],
    ['beside the working folder', resolve('../shared/assetopsbench')],
  ];
  const looked: string[] = [];
  for (const [why, dir] of candidates) {
    if (!dir) continue;
    const d = resolve(dir);
    looked.push(`${d} (${why})`);
    if (opts.has(d)) return { dir: d, looked };
  }
  return { dir: null, looked };
}
