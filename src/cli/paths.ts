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
