// Anomaly detection for the TSFM tools: a rolling robust z-score, split-conformal detection on
// seasonal naive residuals, and a multivariate Mahalanobis score over a group of sensors.
// Dependency-free and deterministic, like forecast.ts.
//
// Missing readings (NaN) are never anomalies: they get score 0 and are not flagged, and the
// rolling statistics skip them. Only the conformal predictor fills interior gaps (fillGaps), because
// a prediction one season back must exist even when that reading was lost.
import {
  fillGaps,
  MAD_TO_SD,
  mad,
  median,
  normalQuantile,
  quantileSorted,
  type Series,
  TsfmInputError,
} from './forecast.ts';

export interface Anomaly {
  /** Step index in the input. */
  index: number;
  /** How far out the step is, on the method's own scale (see each method). */
  score: number;
  /** The reading (for multivariate: the reading of the top contributor). */
  value?: number;
  /** What the method expected instead. */
  expected?: number;
  /** Band of normal values, where the method has one. */
  lower?: number;
  upper?: number;
  /** Multivariate only: index (in the input group) of the sensor contributing most. */
  contributor?: number;
}

export interface AnomalyResult {
  method: 'robust_zscore' | 'conformal_residual' | 'multivariate_mahalanobis';
  /** One score per input step; 0 where there is no reading or not enough history to judge. */
  scores: number[];
  /** Flagged steps in index order. */
  anomalies: Anomaly[];
  params: Record<string, number>;
  /** Conformal only: prediction and band per step (NaN where no prediction exists). */
  band?: { expected: number[]; lower: number[]; upper: number[] };
}

function checkPositiveInt(name: string, v: number, min: number, hint: string): number {
  if (!Number.isInteger(v) || v < min) {
    throw new TsfmInputError(`${name} must be an integer of at least ${min}, got ${v}`, hint);
  }
  return v;
}

/**
 * A small positive scale used when a window's MAD is 0 (a flat stretch or a quantised sensor), so a
 * score never divides by zero. It is a tenth of the series' noise level, estimated robustly from
 * first differences (scaled MAD of the differences / sqrt 2): differencing removes slow level and
 * seasonal movement, so the floor tracks sample-to-sample noise rather than the overall range and
 * never hides a genuine spike in a series that is merely locally quiet. Falls back to the mean
 * absolute difference, then to a relative epsilon for a perfectly constant series.
 */
function scaleFloor(y: Series): number {
  const diffs: number[] = [];
  for (let i = 1; i < y.length; i++) {
    if (Number.isFinite(y[i]) && Number.isFinite(y[i - 1])) diffs.push(y[i] - y[i - 1]);
  }
  const robust = (mad(diffs) * MAD_TO_SD) / Math.SQRT2;
  if (robust > 0) return 0.1 * robust;
  const meanAbs = diffs.length ? diffs.reduce((a, d) => a + Math.abs(d), 0) / diffs.length : 0;
  if (meanAbs > 0) return (0.1 * meanAbs * 1.2533) / Math.SQRT2;
  const centre = median(y);
  return 1e-6 * (1 + (Number.isFinite(centre) ? Math.abs(centre) : 0));
}

/**
 * Median and unscaled MAD of the finite values of y[from, to), or count 0 when there are none.
 * The rolling methods call this once per step, so it sorts in two reusable typed arrays (numeric
 * sort without a comparator) instead of allocating and sorting plain arrays.
 */
function windowMedianMad(
  y: Series,
  from: number,
  to: number,
  buf: Float64Array,
  dev: Float64Array,
): { count: number; centre: number; mad: number } {
  let count = 0;
  for (let i = Math.max(0, from); i < to; i++) if (Number.isFinite(y[i])) buf[count++] = y[i];
  if (count === 0) return { count, centre: Number.NaN, mad: Number.NaN };
  const vals = buf.subarray(0, count).sort();
  const centre = quantileSorted(vals, 0.5);
  for (let i = 0; i < count; i++) dev[i] = Math.abs(vals[i] - centre);
  return { count, centre, mad: quantileSorted(dev.subarray(0, count).sort(), 0.5) };
}

// ---------------------------------------------------------------------------------------------
// Robust z-score
// ---------------------------------------------------------------------------------------------

export interface RobustZOptions {
  /** Trailing window length in steps (default 96: four days of hourly readings; shorter windows
   *  estimate the median and MAD less precisely and raise more false alarms). */
  window?: number;
  /** Flag when the score exceeds this (default 3.5, the usual cut for the modified z-score). */
  threshold?: number;
  /** Readings the window must hold before a step is scored (default max(3, window / 2)). */
  minPeriods?: number;
}

/**
 * Rolling robust z-score: for each step t, the median and MAD of the readings in the trailing
 * window [t - window, t) (the step itself excluded, so a spike cannot mask itself), and
 *   score = |y_t - median| / max(1.4826 * MAD, floor),
 * flagged when score > threshold. 1.4826 * MAD estimates the standard deviation for normal noise but
 * ignores up to half the window being outliers, so earlier anomalies do not widen the band.
 * Assumes the series is locally level over a window (trend or seasonality within the window shows
 * up as spread and lowers sensitivity; use conformalResidual for seasonal series). A level shift is
 * flagged from its start until it fills half the window. Missing readings are skipped in the window
 * statistics and score 0 themselves; steps with fewer than minPeriods readings behind them score 0.
 */
export function robustZScore(y: Series, opts: RobustZOptions = {}): AnomalyResult {
  const window = checkPositiveInt('window', opts.window ?? 96, 3, 'Use a trailing window of e.g. 96 steps.');
  const threshold = opts.threshold ?? 3.5;
  if (!(threshold > 0)) {
    throw new TsfmInputError(`threshold must be positive, got ${threshold}`, 'The usual value is 3.5.');
  }
  const minPeriods = checkPositiveInt(
    'minPeriods',
    opts.minPeriods ?? Math.max(3, Math.ceil(window / 2)),
    1,
    'Omit minPeriods for the default.',
  );
  const floor = scaleFloor(y);
  const n = y.length;
  const scores = new Array<number>(n).fill(0);
  const anomalies: Anomaly[] = [];
  const buf = new Float64Array(window);
  const dev = new Float64Array(window);
  for (let t = 0; t < n; t++) {
    if (!Number.isFinite(y[t])) continue;
    const st = windowMedianMad(y, t - window, t, buf, dev);
    if (st.count < minPeriods) continue;
    const centre = st.centre;
    const scale = Math.max(st.mad * MAD_TO_SD, floor);
    const score = Math.abs(y[t] - centre) / scale;
    scores[t] = score;
    if (score > threshold) {
      anomalies.push({
        index: t,
        score,
        value: y[t],
        expected: centre,
        lower: centre - threshold * scale,
        upper: centre + threshold * scale,
      });
    }
  }
  return {
    method: 'robust_zscore',
    scores,
    anomalies,
    params: { window, threshold, minPeriods, scaleFloor: floor },
  };
}

// ---------------------------------------------------------------------------------------------
// Split-conformal residuals
// ---------------------------------------------------------------------------------------------

export interface ConformalOptions {
  /** Seasonal period of the one-step predictor (1 = previous reading). Default 1. */
  season?: number;
  /** The first `calibration` steps calibrate the band (default half the series). */
  calibration?: number;
  /** Target false-alarm rate per step after calibration (default 0.01). */
  alpha?: number;
  /** Longest run of consecutive flags treated as outliers before accepting a new regime
   *  (default max(season, 3)); see conformalResidual. */
  maxRun?: number;
}

/**
 * Split-conformal anomaly detection on the residuals of a one-step seasonal naive predictor,
 * prediction_t = y_{t-season}.
 *
 * Calibration: the absolute residuals of the steps before `calibration` (n of them) give
 *   q = the ceil((n + 1)(1 - alpha))-th smallest, i.e. the empirical quantile at level
 *   ceil((n + 1)(1 - alpha)) / n,
 * the finite-sample correction that makes P(|residual| > q) <= alpha for a new exchangeable step,
 * without any assumption about the residual distribution. Needs n >= 1/alpha - 1 residuals.
 * Detection: a later step is an anomaly when |residual| > q; score = |residual| / q (> 1 means
 * flagged); the band is prediction +- q. Calibration steps get scores too but are never flagged.
 * Assumes the calibration stretch is mostly normal behaviour and the noise does not change later.
 *
 * Flagged readings are replaced by their prediction in the predictor's history, so a spike is not
 * echoed one season later (it would otherwise become the prediction for that step). A run of more
 * than maxRun consecutive flags is taken as a real change of level: its actual readings are put back
 * into the history, so a level shift is flagged for about one season from its start and then
 * accepted. Interior gaps are filled for the predictor (fillGaps); missing readings score 0.
 */
export function conformalResidual(y: Series, opts: ConformalOptions = {}): AnomalyResult {
  const n = y.length;
  const m = checkPositiveInt(
    'season',
    opts.season ?? 1,
    1,
    'Use e.g. 24 for hourly data with a daily cycle.',
  );
  const calibration = checkPositiveInt(
    'calibration',
    opts.calibration ?? Math.floor(n / 2),
    m + 1,
    'Calibrate on at least one season plus one step; more is better.',
  );
  if (calibration > n) {
    throw new TsfmInputError(
      `calibration (${calibration}) is longer than the series (${n})`,
      'Use a calibration window shorter than the series.',
    );
  }
  const alpha = opts.alpha ?? 0.01;
  if (!(alpha > 0 && alpha < 1)) {
    throw new TsfmInputError(`alpha must be between 0 and 1, got ${alpha}`, 'Use e.g. alpha: 0.01.');
  }
  const maxRun = checkPositiveInt('maxRun', opts.maxRun ?? Math.max(m, 3), 1, 'Omit maxRun for the default.');

  const filled = fillGaps(y, { season: m }).values;
  const calResiduals: number[] = [];
  for (let t = m; t < calibration; t++) {
    if (Number.isFinite(y[t]) && Number.isFinite(filled[t - m]))
      calResiduals.push(Math.abs(y[t] - filled[t - m]));
  }
  const nCal = calResiduals.length;
  // The small subtraction keeps e.g. (99 + 1) * 0.99 from rounding up to 100.
  const rank = Math.ceil((nCal + 1) * (1 - alpha) - 1e-9);
  if (rank > nCal) {
    throw new TsfmInputError(
      `The calibration window gives ${nCal} residuals; alpha ${alpha} needs at least ${Math.ceil(1 / alpha - 1)}`,
      'Use a longer calibration window or a larger alpha.',
    );
  }
  calResiduals.sort((a, b) => a - b);
  const centre = median(y);
  // A perfectly repeating calibration stretch gives q = 0; keep the score finite.
  const q = Math.max(calResiduals[rank - 1], 1e-9 * (1 + (Number.isFinite(centre) ? Math.abs(centre) : 0)));

  const hist = filled.slice();
  const scores = new Array<number>(n).fill(0);
  const expected = new Array<number>(n).fill(Number.NaN);
  const lower = new Array<number>(n).fill(Number.NaN);
  const upper = new Array<number>(n).fill(Number.NaN);
  const anomalies: Anomaly[] = [];
  let run: number[] = [];
  for (let t = m; t < n; t++) {
    const pred = hist[t - m];
    if (!Number.isFinite(pred)) continue;
    expected[t] = pred;
    lower[t] = pred - q;
    upper[t] = pred + q;
    if (!Number.isFinite(y[t])) continue;
    const r = y[t] - pred;
    const score = Math.abs(r) / q;
    scores[t] = score;
    if (t < calibration) continue;
    if (score > 1) {
      anomalies.push({ index: t, score, value: y[t], expected: pred, lower: pred - q, upper: pred + q });
      hist[t] = pred;
      run.push(t);
      if (run.length >= maxRun) {
        for (const i of run) hist[i] = filled[i];
        run = [];
      }
    } else {
      run = [];
    }
  }
  return {
    method: 'conformal_residual',
    scores,
    anomalies,
    params: { season: m, calibration, alpha, q, calibrationResiduals: nCal, maxRun },
    band: { expected, lower, upper },
  };
}

// ---------------------------------------------------------------------------------------------
// Multivariate Mahalanobis
// ---------------------------------------------------------------------------------------------

/**
 * Chi-square quantile with k degrees of freedom by the Wilson-Hilferty cube-root approximation,
 *   k * (1 - 2/(9k) + z_p * sqrt(2/(9k)))^3,
 * within about 1-3% of the exact value in the upper tail even for k = 1 or 2. Preferred over the
 * cruder k + 3 sqrt(2k), which for two sensors sits at the 98th percentile and would raise ~40 false
 * alarms per 2,000 steps.
 */
export function chiSquareQuantile(p: number, k: number): number {
  const z = normalQuantile(p);
  const c = 2 / (9 * k);
  return k * Math.max(0, 1 - c + z * Math.sqrt(c)) ** 3;
}

/** Cholesky factor L (lower triangular, A = L L^T) of a symmetric matrix, or null if not positive definite. */
function cholesky(a: number[][]): number[][] | null {
  const k = a.length;
  const l = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i][j];
      for (let p = 0; p < j; p++) sum -= l[i][p] * l[j][p];
      if (i === j) {
        if (!(sum > 0)) return null;
        l[i][i] = Math.sqrt(sum);
      } else {
        l[i][j] = sum / l[j][j];
      }
    }
  }
  return l;
}

/** Solves L L^T x = b by forward then backward substitution. */
function choleskySolve(l: number[][], b: number[]): number[] {
  const k = l.length;
  const y = new Array<number>(k);
  for (let i = 0; i < k; i++) {
    let sum = b[i];
    for (let p = 0; p < i; p++) sum -= l[i][p] * y[p];
    y[i] = sum / l[i][i];
  }
  const x = new Array<number>(k);
  for (let i = k - 1; i >= 0; i--) {
    let sum = y[i];
    for (let p = i + 1; p < k; p++) sum -= l[p][i] * x[p];
    x[i] = sum / l[i][i];
  }
  return x;
}

/**
 * Cholesky of `cov + ridge * I`, multiplying the ridge by 10 until it succeeds. Pairwise-complete
 * covariances (used when readings are missing) need not be positive definite; the extra ridge keeps
 * the distance defined and the choice deterministic.
 */
function regularisedCholesky(cov: number[][], ridge: number): number[][] {
  for (let r = ridge; ; r *= 10) {
    const a = cov.map((row, i) => row.map((v, j) => (i === j ? v + r : v)));
    const l = cholesky(a);
    if (l) return l;
    if (r > 1e6) throw new Error('covariance could not be regularised');
  }
}

interface Reference {
  centre: number[];
  scale: number[];
  usable: boolean[];
  cov: number[][];
}

export interface MultivariateOptions {
  /** Trailing window of steps the reference statistics come from (default 100). */
  window?: number;
  /** If given, use the first `calibration` steps as a fixed reference instead of a trailing window. */
  calibration?: number;
  /** Flag when the squared distance exceeds this; default chiSquareQuantile(1 - alpha, sensors). */
  threshold?: number;
  /** False-alarm rate for the default threshold (default 0.001). */
  alpha?: number;
  /** Added to the diagonal of the correlation-scale covariance (default 1e-3). */
  ridge?: number;
  /** Robust z values are clipped to +-clip when estimating the covariance (default 4). */
  clip?: number;
  /** Readings a sensor needs in the reference window to take part (default max(5, window / 2)). */
  minPeriods?: number;
}

/**
 * Multivariate anomaly score for sensors sampled at the same steps (`series[sensor][step]`).
 *
 * 1. Reference: for each step, the trailing `window` steps before it (or a fixed calibration
 *    stretch). Each sensor is standardised robustly, z = (x - median) / (1.4826 * MAD), so scales
 *    and units drop out and earlier outliers do not move the centre.
 * 2. Covariance of the standardised values about zero, with z clipped to +-clip so that a few past
 *    anomalies cannot dominate it, plus `ridge` on the diagonal to keep it invertible when sensors
 *    are nearly collinear (which is exactly the case this method is for).
 * 3. score = squared Mahalanobis distance z^T C^-1 z of the step's standardised readings (chi-square
 *    with k degrees of freedom under normal behaviour), flagged above the threshold.
 * This catches a step where every sensor is within its own normal range but their relationship is
 * broken (e.g. flow up without pressure following). Assumes the relationship is roughly linear and
 * stable over the window.
 *
 * For a flagged step, the contributor is the sensor with the largest term z_j (C^-1 z)_j (the terms
 * sum to the score); `expected` is that sensor's value predicted from the others by the conditional
 * mean E[z_j | z_others] = -sum_{i != j} P_ji z_i / P_jj with P = C^-1, mapped back to its units.
 *
 * Missing readings: a step is scored on the sensors it has (with the threshold for that many
 * degrees of freedom); reference statistics skip missing values and use pairwise-complete
 * covariances; a sensor with fewer than minPeriods reference readings sits out. Steps with no usable
 * sensor score 0.
 */
export function multivariate(series: Series[], opts: MultivariateOptions = {}): AnomalyResult {
  const k = series.length;
  if (k === 0) throw new TsfmInputError('No sensors given', 'Pass one array of readings per sensor.');
  const n = series[0].length;
  for (const s of series) {
    if (s.length !== n) {
      throw new TsfmInputError(
        `All sensors must have the same number of steps (got ${series.map((v) => v.length).join(', ')})`,
        'Align the sensors on a common time index first; use NaN for missing readings.',
      );
    }
  }
  const window = checkPositiveInt(
    'window',
    opts.window ?? 100,
    5,
    'Use a trailing window of e.g. 100 steps.',
  );
  const alpha = opts.alpha ?? 0.001;
  if (!(alpha > 0 && alpha < 1)) {
    throw new TsfmInputError(`alpha must be between 0 and 1, got ${alpha}`, 'Use e.g. alpha: 0.001.');
  }
  if (opts.threshold !== undefined && !(opts.threshold > 0)) {
    throw new TsfmInputError(`threshold must be positive, got ${opts.threshold}`, 'Omit it for the default.');
  }
  const ridge = opts.ridge ?? 1e-3;
  const clip = opts.clip ?? 4;
  const calibration = opts.calibration;
  if (calibration !== undefined) {
    checkPositiveInt('calibration', calibration, 5, 'Calibrate on at least 5 steps; more is better.');
  }
  const refLength = calibration ?? window;
  const minPeriods = checkPositiveInt(
    'minPeriods',
    opts.minPeriods ?? Math.max(5, Math.ceil(refLength / 2)),
    2,
    'Omit minPeriods for the default.',
  );
  const floors = series.map(scaleFloor);
  const buf = new Float64Array(Math.max(refLength, 1));
  const dev = new Float64Array(Math.max(refLength, 1));

  const reference = (from: number, to: number): Reference => {
    const centre: number[] = [];
    const scale: number[] = [];
    const usable: boolean[] = [];
    for (let j = 0; j < k; j++) {
      const st = windowMedianMad(series[j], from, to, buf, dev);
      centre.push(st.centre);
      scale.push(Math.max(st.mad * MAD_TO_SD, floors[j]));
      usable.push(st.count >= minPeriods);
    }
    // Clipped standardised values of the reference steps (NaN where missing).
    const z = series.map((s, j) => {
      const row = new Float64Array(Math.max(0, to - from));
      for (let i = 0; i < row.length; i++) {
        const v = s[from + i];
        row[i] = Number.isFinite(v)
          ? Math.max(-clip, Math.min(clip, (v - centre[j]) / scale[j]))
          : Number.NaN;
      }
      return row;
    });
    const cov = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        let sum = 0;
        let cnt = 0;
        for (let i = 0; i < z[a].length; i++) {
          if (Number.isNaN(z[a][i]) || Number.isNaN(z[b][i])) continue;
          sum += z[a][i] * z[b][i];
          cnt++;
        }
        // Too few common readings: treat the pair as uncorrelated rather than guess.
        const v = cnt >= 2 ? sum / cnt : a === b ? 1 : 0;
        cov[a][b] = v;
        cov[b][a] = v;
      }
    }
    return { centre, scale, usable, cov };
  };

  const fixed = calibration !== undefined ? reference(0, Math.min(calibration, n)) : null;
  const scores = new Array<number>(n).fill(0);
  const anomalies: Anomaly[] = [];
  for (let t = 0; t < n; t++) {
    const ref = fixed ?? reference(Math.max(0, t - window), t);
    const obs: number[] = [];
    for (let j = 0; j < k; j++) if (ref.usable[j] && Number.isFinite(series[j][t])) obs.push(j);
    if (obs.length === 0) continue;
    const z = obs.map((j) => (series[j][t] - ref.centre[j]) / ref.scale[j]);
    const sub = obs.map((a) => obs.map((b) => ref.cov[a][b]));
    const l = regularisedCholesky(sub, ridge);
    const w = choleskySolve(l, z);
    let score = 0;
    let top = 0;
    for (let i = 0; i < obs.length; i++) {
      const term = z[i] * w[i];
      score += term;
      if (term > z[top] * w[top]) top = i;
    }
    score = Math.max(0, score);
    scores[t] = score;
    const limit = opts.threshold ?? chiSquareQuantile(1 - alpha, obs.length);
    if (!(score > limit)) continue;
    const j = obs[top];
    // Row `top` of the precision matrix P = C^-1 (symmetric, so solving for e_top gives it).
    const e = obs.map((_, i) => (i === top ? 1 : 0));
    const p = choleskySolve(l, e);
    let cond = 0;
    for (let i = 0; i < obs.length; i++) if (i !== top) cond -= (p[i] * z[i]) / p[top];
    anomalies.push({
      index: t,
      score,
      value: series[j][t],
      expected: ref.centre[j] + ref.scale[j] * cond,
      contributor: j,
    });
  }
  return {
    method: 'multivariate_mahalanobis',
    scores,
    anomalies,
    params: {
      sensors: k,
      window: calibration ?? window,
      fixedReference: calibration !== undefined ? 1 : 0,
      threshold: opts.threshold ?? chiSquareQuantile(1 - alpha, k),
      alpha,
      ridge,
      clip,
      minPeriods,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

export interface AnomalyEvent {
  start: number;
  end: number;
  peakIndex: number;
  peakScore: number;
  count: number;
}

/**
 * Merges flagged steps into events: two flags whose indices differ by at most `maxGap` belong to
 * the same event (maxGap 1 merges only adjacent steps). An event spans its first to last flag and
 * reports the highest-scoring flag as its peak (the earliest one on ties). Input order does not
 * matter; events come out in index order.
 */
export function groupAnomalies(
  anomalies: ReadonlyArray<{ index: number; score: number }>,
  maxGap = 1,
): AnomalyEvent[] {
  const sorted = [...anomalies].sort((a, b) => a.index - b.index);
  const events: AnomalyEvent[] = [];
  let cur: AnomalyEvent | null = null;
  for (const a of sorted) {
    if (cur && a.index - cur.end <= maxGap) {
      cur.end = a.index;
      cur.count++;
      if (a.score > cur.peakScore) {
        cur.peakScore = a.score;
        cur.peakIndex = a.index;
      }
    } else {
      cur = { start: a.index, end: a.index, peakIndex: a.index, peakScore: a.score, count: 1 };
      events.push(cur);
    }
  }
  return events;
}
