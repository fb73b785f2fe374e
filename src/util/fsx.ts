// File-system helpers with clear failures.
import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Creates a folder and its missing parents one level at a time. (Node's recursive
 * mkdir can spin forever under pseudo file systems such as /proc, so it is not used.)
 * Throws the underlying error with its code when a level cannot be created.
 */
export async function makeDirs(path: string): Promise<void> {
  const missing: string[] = [];
  let p = path;
  while (!existsSync(p)) {
    missing.push(p);
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
  }
  if (existsSync(p) && !statSync(p).isDirectory()) {
    throw Object.assign(new Error(`${p} is not a folder`), { code: 'ENOTDIR' });
  }
  for (const dir of missing.reverse()) await mkdir(dir);
}
