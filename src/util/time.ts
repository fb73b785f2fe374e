// Time helpers. Everything inside the project is UTC; timestamps travel as epoch
// seconds in hot loops and as ISO strings ("2024-05-01T00:00:00Z") at boundaries.

export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86400;

export function isoFromEpoch(sec: number): string {
  return new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
}

/** DuckDB TIMESTAMP literal ("2024-05-01 06:00:00") of an epoch, for query parameters. */
export function sqlTimestamp(sec: number): string {
  return isoFromEpoch(sec).replace('T', ' ').replace('Z', '');
}

export function epochFromIso(iso: string): number {
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${iso}`);
  return Math.floor(ms / 1000);
}

/** Hours since local midnight for a UTC epoch and a fixed UTC offset in hours. */
export function localHour(sec: number, utcOffsetHours: number): number {
  const h = (((sec / HOUR + utcOffsetHours) % 24) + 24) % 24;
  return h;
}

/** Day of week (0 = Sunday) in local time. */
export function localWeekday(sec: number, utcOffsetHours: number): number {
  return new Date((sec + utcOffsetHours * HOUR) * 1000).getUTCDay();
}

/** Day of year (0-based, fractional) in UTC. */
export function dayOfYear(sec: number): number {
  const d = new Date(sec * 1000);
  const start = Date.UTC(d.getUTCFullYear(), 0, 1) / 1000;
  return (sec - start) / DAY;
}
