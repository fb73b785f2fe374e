// Forecasting for the TSFM tools: seasonal naive, additive Holt-Winters and a linear trend.
// Everything here is dependency-free and deterministic (same input, same output; no randomness,
// no iteration-order surprises), so tool answers can be scored against fixed reference values.
//
// Conventions shared with anomaly.ts and metrics.ts:
// - a series is a plain number[] or Float64Array sampled at a regular step;
// - NaN (or any non-finite value) marks a missing reading.
// Forecasters need a gap-free history, so they
// - fill interior gaps (fillGaps: linear for short gaps, seasonal copy for long ones),
// - drop leading gaps (nothing to interpolate from),
// - treat trailing gaps as extra horizon: the model is fitted up to the last real reading and the
//   forecast is sliced so that it still starts right after the last index of the input, with the
//   wider uncertainty those extra steps imply.
// Statistics (medians, quantiles) instead skip missing values; see the helpers below.
import { UserError } from '../../util/errors.ts';

export type Series = ArrayLike<number>;

/** Bad input a caller (often an agent) can fix; `hint` says how. */
export class TsfmInputError extends UserError {
  constructor(message: string, hint: string) {
    super(message, hint, 'tsfm_input');
    this.name = 'TsfmInputError';
  }
}

// ---------------------------------------------------------------------------------------------
// Shared numeric helpers (also used by anomaly.ts and metrics.ts)
// ---------------------------------------------------------------------------------------------

/** Scales a median absolute deviation to a standard deviation for normally distributed data. */
export const MAD_TO_SD = 1.4826;

/** The finite values of a series, in order (missing readings skipped). */
export function finiteValues(y: Series, from = 0, to = y.length): number[] {
  const out: number[] = [];
  for (let i = Math.max(0, from); i < Math.min(to, y.length); i++) if (Number.isFinite(y[i])) out.push(y[i]);
  return out;
}

/**
 * Quantile of an ascending array by linear interpolation between order statistics (Hyndman-Fan
 * type 7, the default of R and numpy). NaN for an empty array.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = Math.min(Math.max(p, 0), 1) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Quantile of the finite values (missing readings skipped); NaN when none. */
export function quantile(values: Series, p: number): number {
  return quantileSorted(
    finiteValues(values).sort((a, b) => a - b),
    p,
  );
}

/** Median of the finite values; NaN when none. */
export function median(values: Series): number {
  return quantile(values, 0.5);
}

/** Median absolute deviation about `center` (default: the median), unscaled; NaN skipped. */
export function mad(values: Series, center = median(values)): number {
  const dev = finiteValues(values).map((v) => Math.abs(v - center));
  return median(dev);
}

/** Arithmetic mean of the finite values; NaN when none. */
export function mean(values: Series): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) {
      sum += values[i];
      n++;
    }
  }
  return n ? sum / n : Number.NaN;
}

/**
 * Standard normal quantile (inverse CDF) by Acklam's rational approximation; relative error below
 * 1.2e-9 over (0, 1), ample for interval widths and thresholds. ±Infinity at 0 and 1.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0)) return p === 0 ? Number.NEGATIVE_INFINITY : Number.NaN;
  if (!(p < 1)) return p === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716];
  const a5 = 2.506628277459239;
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  ];
  const c5 = 2.938163982698783;
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c5) /
    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  const pLow = 0.02425;
  if (p < pLow) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - pLow) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a5) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/**
 * Student-t quantile with `df` degrees of freedom. Exact for df 1 and 2; otherwise the
 * Cornish-Fisher expansion around the normal quantile (Abramowitz & Stegun 26.7.5), accurate to a
 * few parts in a thousand for df >= 3, which is far below the sampling noise of an interval.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!Number.isFinite(df) || df > 1e6) return normalQuantile(p);
  if (df <= 1) return Math.tan(Math.PI * (p - 0.5));
  if (df <= 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

// ---------------------------------------------------------------------------------------------
// Gap filling
// ---------------------------------------------------------------------------------------------

export interface FillOptions {
  /** Seasonal period in steps (1 = none). Long gaps are filled from one season back. */
  season?: number;
  /** Longest gap (in steps) filled by a straight line; default max(1, floor(season / 4)), or
   *  unlimited for a non-seasonal series. */
  maxLinearGap?: number;
}

/**
 * Fills interior gaps (runs of NaN with a reading on both sides) and returns a same-length copy;
 * leading and trailing gaps stay NaN because there is nothing to interpolate from.
 * - Short gaps (<= maxLinearGap) are joined by a straight line between the two neighbours.
 * - Longer gaps in a seasonal series copy the values one season back, plus an offset that ramps
 *   linearly from the mismatch at the left edge to the mismatch at the right edge, so the fill keeps
 *   the seasonal shape (a straight line across half a day would flatten a daily cycle) and still
 *   joins both neighbours. When there is no full season of history before the gap it falls back to
 *   the straight line.
 * Assumes the series is sampled at a regular step (a gap is a run of missing samples).
 */
export function fillGaps(y: Series, opts: FillOptions = {}): { values: number[]; imputed: number } {
  const m = Math.max(1, Math.floor(opts.season ?? 1));
  const maxLinear = opts.maxLinearGap ?? (m > 1 ? Math.max(1, Math.floor(m / 4)) : Number.POSITIVE_INFINITY);
  const out = Array.from(y, (v) => (Number.isFinite(v) ? v : Number.NaN));
  let first = 0;
  while (first < out.length && Number.isNaN(out[first])) first++;
  let last = out.length - 1;
  while (last >= 0 && Number.isNaN(out[last])) last--;
  let imputed = 0;
  for (let i = first + 1; i < last; i++) {
    if (!Number.isNaN(out[i])) continue;
    const a = i - 1;
    let b = i;
    while (Number.isNaN(out[b])) b++;
    const len = b - a - 1;
    imputed += len;
    if (m > 1 && len > maxLinear && a - m >= first) {
      const dLeft = out[a] - out[a - m];
      for (let k = a + 1; k < b; k++) out[k] = out[k - m];
      const dRight = out[b] - out[b - m];
      for (let k = a + 1; k < b; k++) out[k] += dLeft + ((dRight - dLeft) * (k - a)) / (b - a);
    } else {
      for (let k = a + 1; k < b; k++) out[k] = out[a] + ((out[b] - out[a]) * (k - a)) / (b - a);
    }
    i = b;
  }
  return { values: out, imputed };
}

/** A gap-free history: filled interior, leading gap dropped, trailing gap counted. */
interface History {
  x: number[];
  lead: number;
  trail: number;
  imputed: number;
  min: number;
  max: number;
}

function prepareHistory(y: Series, season: number): History {
  const { values, imputed } = fillGaps(y, { season });
  let lead = 0;
  while (lead < values.length && Number.isNaN(values[lead])) lead++;
  if (lead === values.length) {
    throw new TsfmInputError(
      `The series has no readings (${values.length} values, all missing)`,
      'Pass a series with at least some numeric values; NaN marks a missing reading.',
    );
  }
  let end = values.length;
  while (Number.isNaN(values[end - 1])) end--;
  const x = values.slice(lead, end);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of x) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { x, lead, trail: values.length - end, imputed, min, max };
}

// ---------------------------------------------------------------------------------------------
// Forecasters
// ---------------------------------------------------------------------------------------------

export type ForecastMethod = 'seasonal_naive' | 'holt_winters' | 'linear_trend';

export interface ForecastResult {
  /** The method that produced the numbers (seasonal_naive when Holt-Winters fell back). */
  method: ForecastMethod;
  /** Point forecasts for the `horizon` steps right after the last index of the input. */
  mean: number[];
  lower: number[];
  upper: number[];
  /** Central coverage of [lower, upper] as a fraction, e.g. 0.9. */
  level: number;
  /** One-step in-sample predictions aligned with the input; NaN where the method has none. */
  fitted?: number[];
  /** Standard deviation of the one-step in-sample residuals. */
  residualSd: number;
  params: Record<string, number>;
}

interface CommonOptions {
  /** Steps to forecast (positive integer). */
  horizon: number;
  /** Interval coverage in (0, 1); 1 < level < 100 is read as a percentage. Default 0.9. */
  level?: number;
}

export interface SeasonalNaiveOptions extends CommonOptions {
  /** Seasonal period in steps (e.g. 24 for hourly data with a daily cycle); 1 = plain naive. */
  season: number;
}

export interface HoltWintersOptions extends CommonOptions {
  season: number;
  /** Level smoothing in [0, 1]; chosen by grid search when omitted. */
  alpha?: number;
  /** Trend smoothing in [0, 1] (relative form beta*: share of each level change fed to the trend). */
  beta?: number;
  /** Seasonal smoothing in [0, 1]. */
  gamma?: number;
  /** Damp the trend: true picks phi from a grid, a number in (0, 1] is used as phi. */
  damped?: boolean | number;
}

export interface LinearTrendOptions extends CommonOptions {
  /** Fit only the last `window` steps (default: the whole series). */
  window?: number;
  /** Accepted and ignored, so a dispatcher call may always pass it. */
  season?: number;
}

function checkHorizon(horizon: number): number {
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new TsfmInputError(
      `horizon must be a positive integer, got ${horizon}`,
      'Pass the number of future steps to forecast, e.g. horizon: 24.',
    );
  }
  return horizon;
}

function checkSeason(season: number): number {
  if (!Number.isInteger(season) || season < 1) {
    throw new TsfmInputError(
      `season must be a positive integer number of steps, got ${season}`,
      'Use e.g. 24 for hourly readings with a daily cycle, 96 for 15-minute readings, or 1 for none.',
    );
  }
  return season;
}

function checkLevel(level: number | undefined): number {
  let l = level ?? 0.9;
  if (l > 1 && l < 100) l /= 100;
  if (!(l > 0 && l < 1)) {
    throw new TsfmInputError(
      `level must be a coverage between 0 and 1, got ${level}`,
      'Use e.g. level: 0.9 for a 90% prediction interval.',
    );
  }
  return l;
}

/** Places one-step predictions of the trimmed history back on the input's index axis. */
function alignFitted(length: number, h: History, fittedX: number[]): number[] {
  const out = new Array<number>(length).fill(Number.NaN);
  for (let i = 0; i < fittedX.length; i++) out[h.lead + i] = fittedX[i];
  return out;
}

/**
 * Seasonal naive: every future step repeats the value one season earlier (the last observed season
 * is repeated as often as needed). Works for any series with a stable seasonal shape and no trend;
 * with season 1 it is the plain "last value" forecast.
 *
 * Interval: normal approximation. The one-step residual is the seasonal difference
 * e_t = y_t - y_{t-season}; sigma is its root mean square (about zero, because the method assumes no
 * drift). A step k seasons ahead stacks k such differences, so its sd is sigma * sqrt(k).
 *
 * Missing readings: interior gaps are filled (fillGaps), leading ones dropped, trailing ones are
 * forecast as part of the horizon. Needs at least season + 1 readings after trimming.
 */
export function seasonalNaive(y: Series, opts: SeasonalNaiveOptions): ForecastResult {
  const horizon = checkHorizon(opts.horizon);
  const m = checkSeason(opts.season);
  const level = checkLevel(opts.level);
  const h = prepareHistory(y, m);
  return seasonalNaiveOnHistory(y.length, h, m, horizon, level);
}

function seasonalNaiveOnHistory(
  length: number,
  h: History,
  m: number,
  horizon: number,
  level: number,
): ForecastResult {
  const { x } = h;
  const n = x.length;
  if (n < m + 1) {
    throw new TsfmInputError(
      `Seasonal naive needs at least one season plus one reading (${m + 1} points for season ${m}); got ${n}`,
      'Pass a longer history or a shorter season.',
    );
  }
  const fittedX = new Array<number>(n).fill(Number.NaN);
  let sumSq = 0;
  for (let t = m; t < n; t++) {
    fittedX[t] = x[t - m];
    sumSq += (x[t] - x[t - m]) ** 2;
  }
  const sigma = Math.sqrt(sumSq / (n - m));
  const z = normalQuantile((1 + level) / 2);
  const steps = horizon + h.trail;
  const mean: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  for (let s = 1; s <= steps; s++) {
    const k = Math.floor((s - 1) / m) + 1;
    const v = x[n - 1 + s - k * m];
    if (s <= h.trail) continue;
    const half = z * sigma * Math.sqrt(k);
    mean.push(v);
    lower.push(v - half);
    upper.push(v + half);
  }
  return {
    method: 'seasonal_naive',
    mean,
    lower,
    upper,
    level,
    fitted: alignFitted(length, h, fittedX),
    residualSd: sigma,
    params: { season: m, horizon, imputed: h.imputed, trailingGap: h.trail },
  };
}

interface HwParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

interface HwInit {
  level: number;
  trend: number;
  seasonal: number[];
}

/**
 * Classical start values from the first two seasons: the trend is the change of the season means
 * per step, the level is projected back to just before the first reading, and each seasonal index
 * is the average, over both seasons, of the reading minus the local trend line; the indices are
 * centred to sum to zero so that the level carries the whole mean.
 */
function hwInit(x: number[], m: number): HwInit {
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < m; i++) {
    s1 += x[i];
    s2 += x[m + i];
  }
  const a1 = s1 / m;
  const a2 = s2 / m;
  const trend = (a2 - a1) / m;
  const seasonal: number[] = [];
  for (let i = 0; i < m; i++) {
    const off = trend * (i - (m - 1) / 2);
    seasonal.push((x[i] - (a1 + off) + (x[m + i] - (a2 + off))) / 2);
  }
  const centre = seasonal.reduce((a, b) => a + b, 0) / m;
  return { level: a1 - (trend * (m + 1)) / 2, trend, seasonal: seasonal.map((v) => v - centre) };
}

/**
 * Runs additive Holt-Winters over the history in error-correction form (equivalent to the usual
 * component form): with e_t = y_t - (l + phi*b + s_{t-m}),
 *   l_t = l_{t-1} + phi*b_{t-1} + alpha*e_t
 *   b_t = phi*b_{t-1} + alpha*beta*e_t
 *   s_t = s_{t-m} + gamma*e_t.
 * Returns the one-step SSE and, when asked, the fitted values and final state.
 */
function hwRun(x: number[], m: number, p: HwParams, init: HwInit, keepFitted: boolean) {
  let l = init.level;
  let b = init.trend;
  const s = init.seasonal.slice();
  const fitted = keepFitted ? new Array<number>(x.length) : [];
  let sse = 0;
  for (let t = 0; t < x.length; t++) {
    const j = t % m;
    const pred = l + p.phi * b + s[j];
    const e = x[t] - pred;
    if (keepFitted) fitted[t] = pred;
    sse += e * e;
    l = l + p.phi * b + p.alpha * e;
    b = p.phi * b + p.alpha * p.beta * e;
    s[j] += p.gamma * e;
    // A blown-up run cannot win the grid search; stop early instead of overflowing.
    if (!Number.isFinite(sse)) return { sse: Number.POSITIVE_INFINITY, fitted, l, b, s };
  }
  return { sse, fitted, l, b, s };
}

const ALPHA_GRID = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];
const BETA_GRID = [0, 0.02, 0.05, 0.1, 0.2, 0.4];
const GAMMA_GRID = [0, 0.05, 0.1, 0.2, 0.4, 0.6];
const PHI_GRID = [0.8, 0.9, 0.95, 0.98];

function checkUnit(name: string, v: number | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  if (!(v >= 0 && v <= 1)) {
    throw new TsfmInputError(`${name} must be between 0 and 1, got ${v}`, `Omit ${name} to have it chosen.`);
  }
  return [v];
}

/**
 * Additive Holt-Winters (level + trend + seasonal), optionally with a damped trend.
 *
 * Parameters: alpha (level), beta (trend, relative form), gamma (seasonal), phi (damping, 1 = none).
 * Those not given are chosen by an exhaustive grid search (8 x 6 x 6 values, x4 for phi when
 * damped) minimising the in-sample one-step-ahead SSE; ties keep the first grid point, so the
 * choice is deterministic. Start values come from the first two seasons (hwInit).
 *
 * Interval: the standard additive HW (ETS(A,Ad,A)) forecast variance,
 *   var_h = sigma^2 * (1 + sum_{j=1}^{h-1} c_j^2),  c_j = alpha + alpha*beta*phi_j + gamma*[j mod m = 0],
 * with phi_j = phi + ... + phi^j, and sigma^2 = SSE / (n - number of estimated quantities), counting
 * the smoothing parameters and the m + 1 start values. Normal quantiles; assumes roughly normal,
 * uncorrelated one-step errors.
 *
 * Requires at least two full seasons (2 * season readings after trimming leading/trailing gaps),
 * else throws TsfmInputError. Missing readings are handled as in seasonalNaive.
 *
 * Sanity check: if the run blows up (non-finite numbers, or a point forecast more than 10 observed
 * ranges outside the observed range) the seasonal naive forecast is returned instead, with
 * params.fallback = 1.
 */
export function holtWinters(y: Series, opts: HoltWintersOptions): ForecastResult {
  const horizon = checkHorizon(opts.horizon);
  const m = checkSeason(opts.season);
  const level = checkLevel(opts.level);
  const h = prepareHistory(y, m);
  const { x } = h;
  const n = x.length;
  if (n < 2 * m) {
    throw new TsfmInputError(
      `Holt-Winters needs at least 2 full seasons (${2 * m} readings for season ${m}); got ${n}`,
      'Pass a longer history, a shorter season, or use method seasonal_naive or linear_trend.',
    );
  }
  let phiGrid = [1];
  if (opts.damped === true) phiGrid = PHI_GRID;
  else if (typeof opts.damped === 'number') {
    if (!(opts.damped > 0 && opts.damped <= 1)) {
      throw new TsfmInputError(
        `damped (phi) must be in (0, 1], got ${opts.damped}`,
        'Pass damped: true to have phi chosen.',
      );
    }
    phiGrid = [opts.damped];
  }
  const alphas = checkUnit('alpha', opts.alpha) ?? ALPHA_GRID;
  const betas = checkUnit('beta', opts.beta) ?? BETA_GRID;
  // With season 1 the seasonal state would just duplicate the level; keep it at zero.
  const gammas = m === 1 ? [0] : (checkUnit('gamma', opts.gamma) ?? GAMMA_GRID);

  const init = hwInit(x, m);
  let best: HwParams | null = null;
  let bestSse = Number.POSITIVE_INFINITY;
  for (const alpha of alphas) {
    for (const beta of betas) {
      for (const gamma of gammas) {
        for (const phi of phiGrid) {
          const p = { alpha, beta, gamma, phi };
          const { sse } = hwRun(x, m, p, init, false);
          if (sse < bestSse) {
            bestSse = sse;
            best = p;
          }
        }
      }
    }
  }

  // Seasonal naive stands in when no grid point gives a finite fit or the forecast blows up.
  const fallback = () => {
    const r = seasonalNaiveOnHistory(y.length, h, m, horizon, level);
    r.params.fallback = 1;
    if (best)
      Object.assign(r.params, { alpha: best.alpha, beta: best.beta, gamma: best.gamma, phi: best.phi });
    return r;
  };
  if (!best) return fallback();

  const p = best;
  const run = hwRun(x, m, p, init, true);
  const estimated = [
    opts.alpha === undefined,
    opts.beta === undefined,
    m > 1 && opts.gamma === undefined,
    opts.damped === true,
  ].filter(Boolean).length;
  const dof = Math.max(1, n - (estimated + m + 1));
  const sigma = Math.sqrt(run.sse / dof);
  const z = normalQuantile((1 + level) / 2);

  const mean: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  let phiSum = 0; // phi_h = phi + ... + phi^h
  let phiPow = 1;
  let varSum = 0; // sum of c_j^2 for j < h
  const steps = horizon + h.trail;
  for (let s = 1; s <= steps; s++) {
    phiPow *= p.phi;
    phiSum += phiPow;
    const v = run.l + phiSum * run.b + run.s[(n - 1 + s) % m];
    const half = z * sigma * Math.sqrt(1 + varSum);
    if (s > h.trail) {
      mean.push(v);
      lower.push(v - half);
      upper.push(v + half);
    }
    // c_j for j = s, used by the variance of step s + 1.
    const c = p.alpha + p.alpha * p.beta * phiSum + (s % m === 0 ? p.gamma : 0);
    varSum += c * c;
  }

  const span = h.max - h.min > 0 ? h.max - h.min : Math.max(1, Math.abs(h.max));
  const lo = h.min - 10 * span;
  const hi = h.max + 10 * span;
  const sane =
    Number.isFinite(sigma) &&
    mean.every((v) => Number.isFinite(v) && v >= lo && v <= hi) &&
    lower.every(Number.isFinite) &&
    upper.every(Number.isFinite);
  if (!sane) return fallback();

  return {
    method: 'holt_winters',
    mean,
    lower,
    upper,
    level,
    fitted: alignFitted(y.length, h, run.fitted),
    residualSd: sigma,
    params: {
      season: m,
      horizon,
      alpha: p.alpha,
      beta: p.beta,
      gamma: p.gamma,
      phi: p.phi,
      sse: run.sse,
      imputed: h.imputed,
      trailingGap: h.trail,
      fallback: 0,
    },
  };
}

/**
 * Linear trend: ordinary least squares of the value on the step index, y = intercept + slope * t
 * (t = 0 at the first input value), extrapolated. Fitted on the readings that are present (missing
 * ones are skipped, not filled), optionally only over the last `window` steps. Suits drifting
 * series without seasonality, e.g. slow degradation.
 *
 * Interval: the classical OLS prediction interval,
 *   +- t_{n-2} * s * sqrt(1 + 1/n + (t0 - mean t)^2 / Sxx),
 * which widens away from the data; assumes independent, roughly normal residuals around the line.
 * Needs at least 3 readings.
 */
export function linearTrend(y: Series, opts: LinearTrendOptions): ForecastResult {
  const horizon = checkHorizon(opts.horizon);
  const level = checkLevel(opts.level);
  const N = y.length;
  const window = opts.window ?? N;
  if (!Number.isInteger(window) || window < 3) {
    throw new TsfmInputError(
      `window must be an integer of at least 3 steps, got ${opts.window}`,
      'Omit window to fit the whole series.',
    );
  }
  const from = Math.max(0, N - window);
  let n = 0;
  let st = 0;
  let sy = 0;
  for (let t = from; t < N; t++) {
    if (!Number.isFinite(y[t])) continue;
    n++;
    st += t;
    sy += y[t];
  }
  if (n < 3) {
    throw new TsfmInputError(
      `Linear trend needs at least 3 readings; got ${n}`,
      'Pass a longer history (or a wider window) with fewer missing values.',
    );
  }
  const tBar = st / n;
  const yBar = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let t = from; t < N; t++) {
    if (!Number.isFinite(y[t])) continue;
    sxx += (t - tBar) ** 2;
    sxy += (t - tBar) * (y[t] - yBar);
  }
  const slope = sxy / sxx;
  const intercept = yBar - slope * tBar;
  let sse = 0;
  for (let t = from; t < N; t++) if (Number.isFinite(y[t])) sse += (y[t] - intercept - slope * t) ** 2;
  const s = Math.sqrt(sse / (n - 2));
  const q = studentTQuantile((1 + level) / 2, n - 2);
  const mean: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  for (let k = 0; k < horizon; k++) {
    const t0 = N + k;
    const v = intercept + slope * t0;
    const half = q * s * Math.sqrt(1 + 1 / n + (t0 - tBar) ** 2 / sxx);
    mean.push(v);
    lower.push(v - half);
    upper.push(v + half);
  }
  const fitted = Array.from({ length: N }, (_, t) => (t >= from ? intercept + slope * t : Number.NaN));
  return {
    method: 'linear_trend',
    mean,
    lower,
    upper,
    level,
    fitted,
    residualSd: s,
    params: { horizon, slope, intercept, n, window: N - from },
  };
}

export type ForecastRequest =
  | ({ method: 'seasonal_naive' } & SeasonalNaiveOptions)
  | ({ method: 'holt_winters' } & HoltWintersOptions)
  | ({ method: 'linear_trend' } & LinearTrendOptions);

/** Runs the named forecaster; see each function for its assumptions. */
export function forecast(y: Series, req: ForecastRequest): ForecastResult {
  switch (req.method) {
    case 'seasonal_naive':
      return seasonalNaive(y, req);
    case 'holt_winters':
      return holtWinters(y, req);
    case 'linear_trend':
      return linearTrend(y, req);
    default:
      throw new TsfmInputError(
        `Unknown forecast method ${(req as { method: unknown }).method}`,
        'Use one of seasonal_naive, holt_winters, linear_trend.',
      );
  }
}
