// Forecast accuracy metrics for the TSFM tools. Every metric compares position by position and
// skips a position when any of the values it needs is missing (NaN or otherwise non-finite), so a
// gap in the actuals does not poison the score; evaluateForecast reports how many positions were
// used (`n`). With no usable position a metric is NaN ("undefined"), never 0.
import { type Series, TsfmInputError } from './forecast.ts';

function checkSameLength(what: string, a: Series, b: Series): void {
  if (a.length !== b.length) {
    throw new TsfmInputError(
      `${what} must have the same length (got ${a.length} and ${b.length})`,
      'Align the forecast with the actual values step by step before scoring.',
    );
  }
}

/** Mean absolute error over the positions where both values are present. */
export function mae(actual: Series, forecast: Series): number {
  checkSameLength('actual and forecast', actual, forecast);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    if (!Number.isFinite(actual[i]) || !Number.isFinite(forecast[i])) continue;
    sum += Math.abs(actual[i] - forecast[i]);
    n++;
  }
  return n ? sum / n : Number.NaN;
}

/** Root mean squared error over the positions where both values are present. */
export function rmse(actual: Series, forecast: Series): number {
  checkSameLength('actual and forecast', actual, forecast);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    if (!Number.isFinite(actual[i]) || !Number.isFinite(forecast[i])) continue;
    sum += (actual[i] - forecast[i]) ** 2;
    n++;
  }
  return n ? Math.sqrt(sum / n) : Number.NaN;
}

/**
 * Symmetric MAPE on the 0..200 scale: mean of 200 * |F - A| / (|A| + |F|). Pairs where both are 0
 * are skipped (a perfect forecast of zero has no defined percentage error), which is why it is
 * preferred over MAPE for sensors that sit at zero while an asset is off.
 */
export function smape(actual: Series, forecast: Series): number {
  checkSameLength('actual and forecast', actual, forecast);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const f = forecast[i];
    if (!Number.isFinite(a) || !Number.isFinite(f)) continue;
    const denom = Math.abs(a) + Math.abs(f);
    if (denom === 0) continue;
    sum += (200 * Math.abs(f - a)) / denom;
    n++;
  }
  return n ? sum / n : Number.NaN;
}

/**
 * In-sample MAE of the seasonal naive forecast on the training series: mean |y_t - y_{t-season}|
 * over the pairs where both are present. The MASE denominator.
 */
export function seasonalNaiveScale(training: Series, season = 1): number {
  if (!Number.isInteger(season) || season < 1) {
    throw new TsfmInputError(`season must be a positive integer, got ${season}`, 'Use 1 for no seasonality.');
  }
  let sum = 0;
  let n = 0;
  for (let t = season; t < training.length; t++) {
    if (!Number.isFinite(training[t]) || !Number.isFinite(training[t - season])) continue;
    sum += Math.abs(training[t] - training[t - season]);
    n++;
  }
  return n ? sum / n : Number.NaN;
}

/**
 * Mean absolute scaled error (Hyndman & Koehler): forecast MAE divided by the in-sample MAE of the
 * seasonal naive method on `training`. Below 1 beats seasonal naive. When the training series has
 * no seasonal variation at all (scale 0) the ratio is undefined and NaN is returned, rather than an
 * Infinity that would dominate any average.
 */
export function mase(actual: Series, forecast: Series, training: Series, season = 1): number {
  const scale = seasonalNaiveScale(training, season);
  const err = mae(actual, forecast);
  if (!(scale > 0)) return Number.NaN;
  return err / scale;
}

/** Share (0..1) of actual values inside [lower, upper], over positions where all three are present. */
export function intervalCoverage(actual: Series, lower: Series, upper: Series): number {
  checkSameLength('actual and lower', actual, lower);
  checkSameLength('actual and upper', actual, upper);
  let inside = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    if (!Number.isFinite(actual[i]) || !Number.isFinite(lower[i]) || !Number.isFinite(upper[i])) continue;
    n++;
    if (actual[i] >= lower[i] && actual[i] <= upper[i]) inside++;
  }
  return n ? inside / n : Number.NaN;
}

export interface EvaluateOptions {
  /** History the forecast was made from; enables MASE. */
  training?: Series;
  /** Seasonal period for the MASE scale (default 1). */
  season?: number;
  /** Interval bounds; both enable coverage. */
  lower?: Series;
  upper?: Series;
}

export interface ForecastEvaluation {
  /** Positions where both actual and forecast are present. */
  n: number;
  mae: number;
  rmse: number;
  smape: number;
  /** Mean of forecast - actual: positive means the forecast runs high. */
  bias: number;
  mase?: number;
  coverage?: number;
}

/** All accuracy metrics of one forecast against the actual values. */
export function evaluateForecast(
  actual: Series,
  forecast: Series,
  opts: EvaluateOptions = {},
): ForecastEvaluation {
  checkSameLength('actual and forecast', actual, forecast);
  let n = 0;
  let bias = 0;
  for (let i = 0; i < actual.length; i++) {
    if (!Number.isFinite(actual[i]) || !Number.isFinite(forecast[i])) continue;
    n++;
    bias += forecast[i] - actual[i];
  }
  const out: ForecastEvaluation = {
    n,
    mae: mae(actual, forecast),
    rmse: rmse(actual, forecast),
    smape: smape(actual, forecast),
    bias: n ? bias / n : Number.NaN,
  };
  if (opts.training) out.mase = mase(actual, forecast, opts.training, opts.season ?? 1);
  if (opts.lower && opts.upper) out.coverage = intervalCoverage(actual, opts.lower, opts.upper);
  return out;
}
