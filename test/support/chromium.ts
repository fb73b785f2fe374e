// Debian's Chromium for the browser tests and the dashboard benchmark: installed with apt-get
// when missing (as root, through the same helper that installs PostgreSQL and Redis), then
// launched headless by playwright-core.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { aptInstall } from './servers.ts';

export const CHROMIUM = '/usr/bin/chromium';

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Installs Chromium when missing; returns how long the install took (0 when it was there). */
export async function ensureChromium(): Promise<number> {
  if (existsSync(CHROMIUM)) return 0;
  const t0 = performance.now();
  await aptInstall('chromium');
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but there is no ${CHROMIUM}`);
  return performance.now() - t0;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}
