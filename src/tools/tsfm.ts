// TSFM tools: forecasting and anomaly detection on sensor series, with the algorithms
// of src/tools/tsfm/ (seasonal naive, Holt-Winters, linear trend; robust z-score,
// split-conformal residuals, multivariate Mahalanobis). Series are read through the
// session clock, put on a regular grid (NaN where nothing was logged) and resampled
// when asked; the season is one day at the chosen frequency.
import { z } from 'zod';
import { seriesCache } from '../dataset/series.ts';
import { isoFromEpoch } from '../util/time.ts';
import { resolveAsset, resolveSensors, type SensorRow } from './lookup.ts';
import { timeWindow } from './timeargs.ts';
import { conformalResidual, groupAnomalies, multivariate, robustZScore } from './tsfm/anomaly.ts';
import { type ForecastMethod, forecast, TsfmInputError } from './tsfm/forecast.ts';
import { evaluateForecast } from './tsfm/metrics.ts';
import { defineTool, type ToolContext, ToolFailure, type ToolWindow } from './types.ts';

/** Model tools read the last 14 days unless told otherwise. */
const TSFM_WINDOW: ToolWindow = { defaultDays: 14, dateOnlyEndInclusive: false };

const FORECAST_MODELS = ['holt_winters', 'seasonal_naive', 'linear_trend'] as const;
const TSAD_METHODS = ['robust_zscore', 'conformal', 'multivariate'] as const;
const FREQUENCIES = { native: 0, hourly: 60, daily: 1440 } as const;
type Frequency = keyof typeof FREQUENCIES;
const INLINE = 24;

const TASKS = [
  {
    task_id: 'tsfm_forecasting',
    description: 'Forecast a sensor or KPI with prediction intervals (run_tsfm_forecasting).',
  },
  {
    task_id: 'tsfm_anomaly_detection',
    description: 'Find anomalous readings in one sensor or, jointly, in a group of sensors (run_tsad).',
  },
  {
    task_id: 'tsfm_integrated_tsad',
    description:
      'Forecast-based anomaly detection with a calibrated (conformal) band in one call (run_integrated_tsad).',
  },
  {
    task_id: 'tsfm_forecasting_evaluation',
    description:
      'Backtest a forecasting model on history: MAE, RMSE, sMAPE, MASE, interval coverage (forecast_evaluation).',
  },
];

const MODELS = [
  {
    model_id: 'holt_winters',
    task: 'tsfm_forecasting',
    description:
      'Additive Holt-Winters (level, trend, daily season), parameters by grid search; needs two seasons of history.',
  },
  {
    model_id: 'seasonal_naive',
    task: 'tsfm_forecasting',
    description: 'Repeats the last season (one day); the baseline every model should beat.',
  },
  {
    model_id: 'linear_trend',
    task: 'tsfm_forecasting',
    description: 'Least-squares straight line through the history.',
  },
  {
    model_id: 'robust_zscore',
    task: 'tsfm_anomaly_detection',
    description: 'Rolling median and MAD over a trailing window; flags readings far from the local level.',
  },
  {
    model_id: 'conformal',
    task: 'tsfm_anomaly_detection',
    description: 'Split-conformal band around a one-day seasonal predictor; calibrated false-alarm rate.',
  },
  {
    model_id: 'multivariate',
    task: 'tsfm_anomaly_detection',
    description:
      'Mahalanobis distance over a group of sensors; finds readings that break the usual relation between sensors.',
  },
];

export const getAiTasksTool = defineTool({
  name: 'get_ai_tasks',
  domain: 'tsfm',
  description:
    'List the time-series tasks available (forecasting, anomaly detection, integrated detection, evaluation). No arguments.',
  input: z.object({}),
  output: z.object({ tasks: z.array(z.object({ task_id: z.string(), description: z.string() })) }),
  readOnly: true,
  // It lists what the bench offers, not anything about the plant.
  plantData: false,
  async handler() {
    return { tasks: TASKS };
  },
});

export const getTsfmModelsTool = defineTool({
  name: 'get_tsfm_models',
  domain: 'tsfm',
  description:
    'List the forecasting and anomaly-detection models with the task each serves. No arguments. There is no deep-learning model and no model with a 1024-step context.',
  input: z.object({}),
  output: z.object({
    models: z.array(z.object({ model_id: z.string(), task: z.string(), description: z.string() })),
  }),
  readOnly: true,
  // It lists what the bench offers, not anything about the plant.
  plantData: false,
  async handler() {
    return { models: MODELS };
  },
});

interface Grid {
  sensor: SensorRow;
  /** Epoch of each step. */
  t: number[];
  /** Value per step, NaN where nothing was logged. */
  v: number[];
  stepMinutes: number;
  season: number;
}

/** Reads a sensor in [start, end) onto a regular grid at the asked frequency. */
async function gridSeries(
  ctx: ToolContext,
  sensor: SensorRow,
  start: number,
  end: number,
  freq: Frequency,
): Promise<Grid> {
  const raw = await seriesCache(ctx.ds).window(sensor.sensor_id, start, end);
  const stepMinutes = FREQUENCIES[freq] || sensor.interval_minutes;
  const step = stepMinutes * 60;
  const first = Math.ceil(start / step) * step;
  const n = Math.max(0, Math.ceil((end - first) / step));
  if (n > 200_000) {
    throw new ToolFailure(
      'invalid_arguments',
      `the window holds ${n} steps at this frequency`,
      'Use a shorter window or frequency "hourly"/"daily"',
    );
  }
  const sum = new Float64Array(n);
  const count = new Float64Array(n);
  for (let i = 0; i < raw.t.length; i++) {
    const k = Math.floor((raw.t[i] - first) / step);
    if (k >= 0 && k < n) {
      sum[k] += raw.v[i];
      count[k]++;
    }
  }
  const t: number[] = [];
  const v: number[] = [];
  for (let k = 0; k < n; k++) {
    t.push(first + k * step);
    v.push(count[k] > 0 ? sum[k] / count[k] : Number.NaN);
  }
  return { sensor, t, v, stepMinutes, season: Math.max(1, Math.round(1440 / stepMinutes)) };
}

function observed(g: Grid): number {
  return g.v.filter((x) => Number.isFinite(x)).length;
}

/** Drops leading and trailing steps without readings (forecasts start after the last reading). */
function trim(g: Grid): Grid {
  let a = 0;
  let b = g.v.length;
  while (a < b && !Number.isFinite(g.v[a])) a++;
  while (b > a && !Number.isFinite(g.v[b - 1])) b--;
  return { ...g, t: g.t.slice(a, b), v: g.v.slice(a, b) };
}

function asToolFailure(err: unknown): never {
  if (err instanceof TsfmInputError) throw new ToolFailure('invalid_arguments', err.message, err.hint);
  throw err;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

const SeriesArgs = {
  asset: z.string().min(1),
  start: z.string().min(1).optional().describe('Start of the history (default: 14 days before end)'),
  end: z.string().min(1).optional().describe('End of the history (default: now)'),
  frequency: z
    .enum(['native', 'hourly', 'daily'])
    .optional()
    .describe('Resample the history first (default native)'),
};

async function readOne(
  ctx: ToolContext,
  args: { asset: string; sensor: string; start?: string; end?: string; frequency?: Frequency },
) {
  const a = await resolveAsset(ctx.ds, args.asset);
  const [sensor] = await resolveSensors(ctx.ds, a, [args.sensor]);
  const w = timeWindow(args.start, args.end, ctx.now, { start: ctx.now - 14 * 86400 });
  const grid = trim(await gridSeries(ctx, sensor, w.start, w.end, args.frequency ?? 'native'));
  if (observed(grid) < 8) {
    throw new ToolFailure(
      'no_data',
      `${sensor.sensor_id} has too few readings in this window (${observed(grid)})`,
      'Widen the window or pick a sensor that was logging (see history)',
    );
  }
  return { asset: a, sensor, window: w, grid };
}

/** Forecasting and backtesting take the same arguments. */
const ForecastInput = z.object({
  ...SeriesArgs,
  sensor: z.string().min(1),
  horizon: z.number().int().min(1).max(2000),
  model: z.enum(FORECAST_MODELS).optional(),
  level: z.number().gt(0).lt(1).optional(),
});

const ForecastPoint = z.object({ ts: z.string(), mean: z.number(), lower: z.number(), upper: z.number() });

export const runForecastingTool = defineTool({
  name: 'run_tsfm_forecasting',
  domain: 'tsfm',
  description:
    'Forecast one sensor of an asset from its history. Arguments: asset, sensor, start/end of the history (default the last 14 days up to now), horizon (steps ahead at the chosen frequency), model (holt_winters default, seasonal_naive, linear_trend), frequency (native, hourly, daily), level (interval coverage, default 0.9). Returns the forecast with prediction intervals (first rows inline, all behind a handle) and the fitted parameters. The future itself is not shown by any tool.',
  input: ForecastInput,
  output: z.object({
    asset_id: z.string(),
    sensor: z.string(),
    model: z.string(),
    frequency_minutes: z.number(),
    history_start: z.string(),
    history_end: z.string(),
    history_points: z.number(),
    missing_points: z.number(),
    horizon: z.number(),
    level: z.number(),
    forecast: z.array(ForecastPoint),
    handle: z.string(),
    params: z.record(z.string(), z.number()),
    note: z.string().nullable(),
  }),
  readOnly: true,
  window: TSFM_WINDOW,
  async handler(args, ctx) {
    const { asset, sensor, window, grid } = await readOne(ctx, args);
    const method: ForecastMethod = args.model ?? 'holt_winters';
    let res: ReturnType<typeof forecast>;
    try {
      res = forecast(grid.v, {
        method,
        horizon: args.horizon,
        season: grid.season,
        level: args.level ?? 0.9,
      });
    } catch (err) {
      asToolFailure(err);
    }
    const step = grid.stepMinutes * 60;
    const last = grid.t[grid.t.length - 1];
    // A forecast stays within what the sensor can read (no negative tonnage).
    const lo = sensor.min_value ?? Number.NEGATIVE_INFINITY;
    const hi = sensor.max_value ?? Number.POSITIVE_INFINITY;
    const clip = (x: number) => r3(Math.min(hi, Math.max(lo, x)));
    const points = res.mean.map((m, i) => ({
      ts: isoFromEpoch(last + (i + 1) * step),
      mean: clip(m),
      lower: clip(res.lower[i]),
      upper: clip(res.upper[i]),
    }));
    const notes = [
      window.note,
      res.params.fallback ? 'Holt-Winters diverged; seasonal naive was used instead' : null,
    ];
    return {
      asset_id: asset.asset_id,
      sensor: sensor.sensor_id,
      model: res.method,
      frequency_minutes: grid.stepMinutes,
      history_start: isoFromEpoch(grid.t[0]),
      history_end: isoFromEpoch(last),
      history_points: observed(grid),
      missing_points: grid.v.length - observed(grid),
      horizon: args.horizon,
      level: res.level,
      forecast: points.slice(0, INLINE),
      handle: ctx.storeResult(points, `forecast of ${sensor.sensor_id}`),
      params: Object.fromEntries(Object.entries(res.params).map(([k, v]) => [k, r3(v)])),
      note: notes.filter(Boolean).join('; ') || null,
    };
  },
});

const AnomalyOut = z.object({
  sensor: z.string(),
  ts: z.string(),
  value: z.number().nullable(),
  score: z.number(),
  expected: z.number().nullable(),
});
const EventOut = z.object({
  sensor: z.string(),
  start: z.string(),
  end: z.string(),
  peak_ts: z.string(),
  peak_score: z.number(),
  count: z.number(),
});

export const runTsadTool = defineTool({
  name: 'run_tsad',
  domain: 'tsfm',
  description:
    'Detect anomalies in sensors of an asset. Arguments: asset, sensors (1 to 10), start/end (default the last 14 days), method (robust_zscore default for one sensor; conformal; multivariate, the default for several sensors, finds readings that break their usual relation), threshold (optional), frequency (native, hourly, daily). Returns the anomalous readings with scores, grouped into events.',
  input: z.object({
    ...SeriesArgs,
    sensors: z.array(z.string().min(1)).min(1).max(10),
    method: z.enum(TSAD_METHODS).optional(),
    threshold: z.number().positive().max(1000).optional(),
  }),
  output: z.object({
    asset_id: z.string(),
    method: z.string(),
    start: z.string(),
    end: z.string(),
    total_anomalies: z.number(),
    anomalies: z.array(AnomalyOut),
    events: z.array(EventOut),
    handle: z.string().nullable(),
    note: z.string().nullable(),
  }),
  readOnly: true,
  window: TSFM_WINDOW,
  async handler(args, ctx) {
    const a = await resolveAsset(ctx.ds, args.asset);
    const sensors = await resolveSensors(ctx.ds, a, args.sensors);
    const w = timeWindow(args.start, args.end, ctx.now, { start: ctx.now - 14 * 86400 });
    const freq = args.frequency ?? 'native';
    // A common grid for all sensors: the coarsest native interval among them.
    const stepMin = FREQUENCIES[freq] || Math.max(...sensors.map((s) => s.interval_minutes));
    const grids = await Promise.all(
      sensors.map((s) => gridSeries(ctx, { ...s, interval_minutes: stepMin }, w.start, w.end, freq)),
    );
    const method = args.method ?? (sensors.length > 1 ? 'multivariate' : 'robust_zscore');
    if (grids.every((g) => observed(g) < 8)) {
      throw new ToolFailure(
        'no_data',
        'too few readings in this window',
        'Widen the window or check the sensors with history',
      );
    }
    const found: Array<{
      sensor: string;
      index: number;
      score: number;
      value: number | null;
      expected: number | null;
    }> = [];
    const events: Array<z.infer<typeof EventOut>> = [];
    const t = grids[0].t;
    try {
      if (method === 'multivariate') {
        if (grids.length < 2) {
          throw new ToolFailure(
            'invalid_arguments',
            'the multivariate method needs at least two sensors',
            'Pass two or more sensors, or use robust_zscore',
          );
        }
        const res = multivariate(
          grids.map((g) => g.v),
          { threshold: args.threshold, window: Math.min(96 * 3, Math.max(24, Math.floor(t.length / 3))) },
        );
        for (const an of res.anomalies) {
          found.push({
            sensor: sensors[an.contributor ?? 0].sensor_id,
            index: an.index,
            score: an.score,
            value: an.value ?? null,
            expected: an.expected ?? null,
          });
        }
        for (const e of groupAnomalies(res.anomalies, 2)) events.push(eventOut('group', e, t));
      } else {
        grids.forEach((g, k) => {
          const res =
            method === 'conformal'
              ? conformalResidual(g.v, {
                  season: g.season,
                  calibration: Math.floor(g.v.length / 2),
                  alpha: 0.005,
                })
              : robustZScore(g.v, {
                  threshold: args.threshold,
                  window: Math.min(96, Math.max(8, Math.floor(g.v.length / 4))),
                });
          for (const an of res.anomalies) {
            found.push({
              sensor: sensors[k].sensor_id,
              index: an.index,
              score: an.score,
              value: an.value ?? g.v[an.index],
              expected: an.expected ?? null,
            });
          }
          for (const e of groupAnomalies(res.anomalies, 2)) events.push(eventOut(sensors[k].sensor_id, e, t));
        });
      }
    } catch (err) {
      asToolFailure(err);
    }
    const rows = found
      .sort((x, y) => x.index - y.index || x.sensor.localeCompare(y.sensor))
      .map((f) => ({
        sensor: f.sensor,
        ts: isoFromEpoch(t[f.index]),
        value: f.value === null || !Number.isFinite(f.value) ? null : r3(f.value),
        score: r3(f.score),
        expected: f.expected === null || !Number.isFinite(f.expected) ? null : r3(f.expected),
      }));
    return {
      asset_id: a.asset_id,
      method,
      start: isoFromEpoch(w.start),
      end: isoFromEpoch(w.end),
      total_anomalies: rows.length,
      anomalies: rows.slice(0, 50),
      events,
      handle: rows.length > 0 ? ctx.storeResult(rows, `anomalies of ${a.name}`) : null,
      note: [w.note, rows.length === 0 ? 'no anomalies found' : null].filter(Boolean).join('; ') || null,
    };
  },
});

function eventOut(
  sensor: string,
  e: { start: number; end: number; peakIndex: number; peakScore: number; count: number },
  t: number[],
) {
  return {
    sensor,
    start: isoFromEpoch(t[e.start]),
    end: isoFromEpoch(t[e.end]),
    peak_ts: isoFromEpoch(t[e.peakIndex]),
    peak_score: r3(e.peakScore),
    count: e.count,
  };
}

export const runIntegratedTsadTool = defineTool({
  name: 'run_integrated_tsad',
  domain: 'tsfm',
  description:
    'Forecast-based anomaly detection in one call: a one-day seasonal predictor is calibrated on the first part of the window (split conformal) and the rest is checked against the calibrated band. Arguments: asset, sensor, start/end (default the last 14 days), calibration_fraction (default 0.5), alpha (false-alarm rate, default 0.01), frequency. Returns anomalies with expected values and bands, and the band width.',
  input: z.object({
    ...SeriesArgs,
    sensor: z.string().min(1),
    calibration_fraction: z.number().min(0.2).max(0.9).optional(),
    alpha: z.number().min(0.001).max(0.2).optional(),
  }),
  output: z.object({
    asset_id: z.string(),
    sensor: z.string(),
    start: z.string(),
    end: z.string(),
    calibration_end: z.string(),
    band_half_width: z.number(),
    total_anomalies: z.number(),
    anomalies: z.array(
      z.object({
        ts: z.string(),
        value: z.number(),
        expected: z.number(),
        lower: z.number(),
        upper: z.number(),
        score: z.number(),
      }),
    ),
    events: z.array(EventOut),
    handle: z.string().nullable(),
    note: z.string().nullable(),
  }),
  readOnly: true,
  window: TSFM_WINDOW,
  async handler(args, ctx) {
    const { asset, sensor, window, grid } = await readOne(ctx, args);
    const calibration = Math.floor(grid.v.length * (args.calibration_fraction ?? 0.5));
    let res: ReturnType<typeof conformalResidual>;
    try {
      res = conformalResidual(grid.v, { season: grid.season, calibration, alpha: args.alpha ?? 0.01 });
    } catch (err) {
      asToolFailure(err);
    }
    const rows = res.anomalies
      .filter((an) => Number.isFinite(grid.v[an.index]))
      .map((an) => ({
        ts: isoFromEpoch(grid.t[an.index]),
        value: r3(grid.v[an.index]),
        expected: r3(an.expected ?? Number.NaN),
        lower: r3(an.lower ?? Number.NaN),
        upper: r3(an.upper ?? Number.NaN),
        score: r3(an.score),
      }))
      .filter((r) => Number.isFinite(r.expected) && Number.isFinite(r.lower) && Number.isFinite(r.upper));
    return {
      asset_id: asset.asset_id,
      sensor: sensor.sensor_id,
      start: isoFromEpoch(grid.t[0]),
      end: isoFromEpoch(grid.t[grid.t.length - 1]),
      calibration_end: isoFromEpoch(grid.t[Math.min(calibration, grid.t.length - 1)]),
      band_half_width: r3(res.params.q ?? 0),
      total_anomalies: rows.length,
      anomalies: rows.slice(0, 50),
      events: groupAnomalies(res.anomalies, 2).map((e) => eventOut(sensor.sensor_id, e, grid.t)),
      handle:
        rows.length > 0 ? ctx.storeResult(rows, `integrated anomaly detection of ${sensor.sensor_id}`) : null,
      note: [window.note, rows.length === 0 ? 'no anomalies found' : null].filter(Boolean).join('; ') || null,
    };
  },
});

export const forecastEvaluationTool = defineTool({
  name: 'forecast_evaluation',
  domain: 'tsfm',
  description:
    'Backtest a forecasting model on history: the last `horizon` steps of the window are held out, forecast from the steps before them, and compared. Arguments: asset, sensor, start/end (default the last 14 days), horizon, model (default holt_winters), frequency, level. Returns MAE, RMSE, sMAPE, MASE (scaled by the seasonal-naive error in the training part), interval coverage, and the same metrics for the seasonal-naive baseline.',
  input: ForecastInput,
  output: z.object({
    asset_id: z.string(),
    sensor: z.string(),
    model: z.string(),
    training_points: z.number(),
    test_points: z.number(),
    metrics: z.record(z.string(), z.number().nullable()),
    baseline_metrics: z.record(z.string(), z.number().nullable()),
    note: z.string().nullable(),
  }),
  readOnly: true,
  window: TSFM_WINDOW,
  async handler(args, ctx) {
    const { asset, sensor, grid } = await readOne(ctx, args);
    if (args.horizon >= grid.v.length - 2 * grid.season) {
      throw new ToolFailure(
        'invalid_arguments',
        `a horizon of ${args.horizon} leaves too little history (${grid.v.length} steps, season ${grid.season})`,
        'Use a shorter horizon or a longer window (at least two days of training before the held-out part)',
      );
    }
    const train = grid.v.slice(0, grid.v.length - args.horizon);
    const test = grid.v.slice(grid.v.length - args.horizon);
    const level = args.level ?? 0.9;
    const run = (method: ForecastMethod) => {
      try {
        const f = forecast(train, { method, horizon: args.horizon, season: grid.season, level });
        const m = evaluateForecast(test, f.mean, {
          training: train,
          season: grid.season,
          lower: f.lower,
          upper: f.upper,
        });
        return { method: f.method, metrics: m };
      } catch (err) {
        asToolFailure(err);
      }
    };
    const clean = (m: Record<string, number | undefined>) =>
      Object.fromEntries(
        Object.entries(m).map(([k, v]) => [k, v === undefined || !Number.isFinite(v) ? null : r3(v)]),
      );
    const main = run(args.model ?? 'holt_winters');
    const base = run('seasonal_naive');
    return {
      asset_id: asset.asset_id,
      sensor: sensor.sensor_id,
      model: main.method,
      training_points: train.filter((x) => Number.isFinite(x)).length,
      test_points: main.metrics.n,
      metrics: clean({ ...main.metrics }),
      baseline_metrics: clean({ ...base.metrics }),
      note:
        main.metrics.n < args.horizon
          ? `${args.horizon - main.metrics.n} held-out steps had no reading`
          : null,
    };
  },
});

export const TSFM_TOOLS = [
  getAiTasksTool,
  getTsfmModelsTool,
  runForecastingTool,
  runTsadTool,
  runIntegratedTsadTool,
  forecastEvaluationTool,
];
