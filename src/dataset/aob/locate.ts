// Finds the AssetOpsBench `sample_data` folder from what a user is likely to point at:
// the folder itself, a folder holding it, or a checkout of the public repository.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../../util/errors.ts';

/** Files that identify a sample_data folder (both are needed by the importer). */
export const SAMPLE_DATA_MARKERS = ['failure_mode.csv', 'all_wo_with_code_component_events.csv'] as const;

/** Where sample_data may sit relative to the given folder, most specific first. */
const LAYOUTS = ['.', 'sample_data', join('src', 'assetopsbench', 'sample_data')];

function isSampleData(dir: string): boolean {
  return SAMPLE_DATA_MARKERS.every((f) => existsSync(join(dir, f)));
}

/** Returns the absolute path of the sample_data folder, or throws a UserError saying what was looked for. */
export function locateSampleData(dir: string): string {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new UserError(
      `${dir} is not a folder`,
      'Pass the AssetOpsBench sample_data folder, the folder that holds it, or a checkout of ' +
        'https://github.com/IBM/AssetOpsBench',
      'aob_not_found',
    );
  }
  for (const layout of LAYOUTS) {
    const candidate = join(root, layout);
    if (isSampleData(candidate)) return candidate;
  }
  const looked = LAYOUTS.map((l) => (l === '.' ? './' : `${l}/`)).join(', ');
  throw new UserError(
    `no AssetOpsBench sample data in ${dir}: looked for ${SAMPLE_DATA_MARKERS.join(' and ')} in ${looked}`,
    'Pass the sample_data folder itself, a folder that holds sample_data/, or a checkout of ' +
      'https://github.com/IBM/AssetOpsBench (git clone it, then pass the checkout)',
    'aob_not_found',
  );
}
