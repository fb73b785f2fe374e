// How numbers read on the pages.

export const pct = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined || Number.isNaN(x) ? '—' : `${(x * 100).toFixed(digits)}%`;

export const num = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(digits);

export function usd(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (x === 0) return '$0';
  return x < 0.01 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`;
}

export const ms = (x: number | null | undefined): string =>
  x === null || x === undefined ? '—' : x < 1000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(1)} s`;

export const when = (iso: string | null | undefined): string =>
  iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '—';

export const modelName = (m: string | null | undefined): string => m ?? '—';

/** Pretty JSON of a value; a string holding JSON is parsed first. */
export function pretty(value: unknown): string {
  if (typeof value === 'string') {
    const t = value.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        return JSON.stringify(JSON.parse(t), null, 2);
      } catch {
        return value;
      }
    }
    return value;
  }
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** A dimension id as a heading: `task_completion` reads "Task completion". */
export const dimensionLabel = (d: string): string => {
  const s = d.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
};

/** A leaderboard entry's readiness in words: a verdict, or why there is none. */
export function readinessLabel(e: {
  readiness: 'ready' | 'not ready' | 'incomplete' | 'insufficient data';
  ungraded: number;
  attempts: number;
  graded: number;
}): string {
  if (e.readiness === 'incomplete') return `incomplete: ${e.ungraded} of ${e.attempts} ungraded`;
  if (e.readiness === 'insufficient data') return `insufficient data (${e.graded} graded)`;
  return e.readiness;
}

/** A total with its interval: "72.4 [65.1–79.0]", "72.4 (no CI)", or "ungraded". */
export function totalLabel(t: { mean: number | null; ci: { lower: number; upper: number } | null }): string {
  if (t.mean === null) return 'ungraded';
  return t.ci ? `${num(t.mean)} [${num(t.ci.lower)}–${num(t.ci.upper)}]` : `${num(t.mean)} (no CI)`;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe to put in HTML: names and descriptions come from uploads. */
export const escapeHtml = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

/**
 * HTML for a chart tooltip (echarts puts a formatter's string into the page as HTML): the
 * literal parts are markup, every interpolated value is escaped, so `html\`${name}<br/>\``
 * can never smuggle a tag in through a submitted agent, model or failure description.
 */
export function html(parts: TemplateStringsArray, ...values: unknown[]): string {
  return parts.reduce((out, part, i) => out + escapeHtml(values[i - 1]) + part);
}
