// Where the tests find the published AssetOpsBench data: ../shared/assetopsbench beside the
// checkout (as CI provides it), or $ASSETOPS_AOB_DATA. Missing data is a failure with the fix,
// never a skip.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export function aobData(): string {
  const dir = process.env.ASSETOPS_AOB_DATA ?? resolve(import.meta.dirname, '../../../shared/assetopsbench');
  if (!existsSync(dir)) {
    throw new Error(
      `the AssetOpsBench data is not at ${dir}: put shared/assetopsbench beside the checkout, or set ASSETOPS_AOB_DATA`,
    );
  }
  return dir;
}
