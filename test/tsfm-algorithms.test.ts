// Known-answer tests for the TSFM forecasting, anomaly and metric algorithms. Every series is
// built here from a seeded PRNG, so the expected outcomes follow from how the data was made (the
// injected spike positions, the true continuation), not from snapshots of earlier output.
import { describe, expect, it } from 'vitest';
import {
  chiSquareQuantile,
  conformalResidual,
  groupAnomalies,
  multivariate,
  robustZScore,
} from '../src/tools/tsfm/anomaly.ts';
import {
  fillGaps,
  forecast,
  holtWinters,
  linearTrend,
  normalQuantile,
  seasonalNaive,
  studentTQuantile,
  TsfmInputError,
} from '../src/tools/tsfm/forecast.ts';
import { evaluateForecast, intervalCoverage, mae, mase, rmse, smape } from '../src/tools/tsfm/metrics.ts';

/** mulberry32: a tiny 32-bit PRNG, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n standard normal draws (Box-Muller). */
function normals(seed: number, n: number): number[] {
  const rand = mulberry32(seed);
  const out: number[] = [];
  while (out.length < n) {
    const r = Math.sqrt(-2 * Math.log(1 - rand()));
    const th = 2 * Math.PI * rand();
    out.push(r * Math.cos(th), r * Math.sin(th));
  }
  return out.slice(0, n);
}

const DAY = 24;
const shape = (t: number) => 10 * Math.sin((2 * Math.PI * t) / DAY) + 4 * Math.cos((4 * Math.PI * t) / DAY);

/** 22 days of hourly data: 20 to fit, 2 (48 steps) to check against. Noise sd 1. */
function seasonalSeries(seed: number, slope = 0): { hist: number[]; future: number[] } {
  const y = normals(seed, 22 * DAY).map((e, t) => 50 + slope * t + shape(t) + e);
  return { hist: y.slice(0, 20 * DAY), future: y.slice(20 * DAY) };
}

const allFinite = (xs: number[]) => xs.every(Number.isFinite);

describe('forecasting', () => {
  it('seasonal naive and Holt-Winters track a pure seasonal signal within 2 noise sd', () => {
    for (const seed of [1, 2, 3]) {
      const { hist, future } = seasonalSeries(seed);
      const sn = seasonalNaive(hist, { horizon: 48, season: DAY, level: 0.9 });
      const hw = holtWinters(hist, { horizon: 48, season: DAY, level: 0.9 });
      expect(sn.mean).toHaveLength(48);
      expect(hw.mean).toHaveLength(48);
      expect(mae(future, sn.mean)).toBeLessThan(2);
      expect(mae(future, hw.mean)).toBeLessThan(2);
      expect(hw.params.fallback).toBe(0);
    }
  });

  it('seasonal naive repeats the last season exactly', () => {
    const y = Array.from({ length: 3 * DAY }, (_, t) => shape(t));
    const sn = seasonalNaive(y, { horizon: 30, season: DAY });
    for (const [h, v] of sn.mean.entries()) expect(v).toBeCloseTo(shape(3 * DAY + h), 10);
    // The data repeat exactly, so the seasonal-difference residuals and the band are zero.
    expect(sn.residualSd).toBeCloseTo(0, 10);
  });

  it('Holt-Winters beats seasonal naive when there is a trend', () => {
    for (const seed of [1, 2, 3]) {
      const { hist, future } = seasonalSeries(seed, 0.05);
      const sn = seasonalNaive(hist, { horizon: 48, season: DAY });
      const hw = holtWinters(hist, { horizon: 48, season: DAY });
      // Seasonal naive lags by one or two days of trend (1.2 and 2.4 units); HW carries the slope.
      expect(mae(future, hw.mean)).toBeLessThan(0.7 * mae(future, sn.mean));
    }
  });

  it('90% intervals cover roughly 80-100% of the real future values', () => {
    for (const method of ['seasonal_naive', 'holt_winters'] as const) {
      let inside = 0;
      let total = 0;
      for (const seed of [1, 2, 3, 4, 5]) {
        const { hist, future } = seasonalSeries(seed, method === 'holt_winters' ? 0.05 : 0);
        const f = forecast(hist, { method, horizon: 48, season: DAY, level: 0.9 });
        expect(f.level).toBe(0.9);
        inside += intervalCoverage(future, f.lower, f.upper) * future.length;
        total += future.length;
      }
      expect(inside / total).toBeGreaterThanOrEqual(0.8);
      expect(inside / total).toBeLessThanOrEqual(1);
    }
  });

  it('linear trend recovers slope and intercept and covers the future', () => {
    const e = normals(7, 260);
    const y = e.map((v, t) => 5 + 0.5 * t + v);
    const f = linearTrend(y.slice(0, 200), { horizon: 60, level: 0.9 });
    expect(f.params.slope).toBeCloseTo(0.5, 2);
    expect(Math.abs(f.params.intercept - 5)).toBeLessThan(0.5);
    expect(mae(y.slice(200), f.mean)).toBeLessThan(1.5);
    expect(intervalCoverage(y.slice(200), f.lower, f.upper)).toBeGreaterThanOrEqual(0.8);
    // The OLS interval widens away from the data.
    expect(f.upper[59] - f.lower[59]).toBeGreaterThan(f.upper[0] - f.lower[0]);
  });

  it('the dispatcher runs the named method', () => {
    const { hist } = seasonalSeries(4);
    expect(forecast(hist, { method: 'seasonal_naive', horizon: 5, season: DAY })).toEqual(
      seasonalNaive(hist, { horizon: 5, season: DAY }),
    );
    expect(forecast(hist, { method: 'linear_trend', horizon: 5 }).method).toBe('linear_trend');
    expect(() => forecast(hist, { method: 'prophet', horizon: 5 } as never)).toThrow(TsfmInputError);
  });

  it('Holt-Winters with fewer than 2 seasons throws TsfmInputError with a hint', () => {
    const y = seasonalSeries(1).hist.slice(0, 40);
    let err: unknown;
    try {
      holtWinters(y, { horizon: 10, season: DAY });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TsfmInputError);
    expect((err as TsfmInputError).message).toContain('48');
    expect((err as TsfmInputError).hint).toMatch(/seasonal_naive/);
  });

  it('falls back to seasonal naive when Holt-Winters diverges', () => {
    // A late jump with alpha = beta = 1 makes the trend extrapolate far beyond the data.
    const y = [...new Array(15).fill(0), 1];
    const f = holtWinters(y, { horizon: 200, season: 4, alpha: 1, beta: 1, gamma: 0 });
    expect(f.params.fallback).toBe(1);
    expect(f.method).toBe('seasonal_naive');
    expect(allFinite(f.mean) && allFinite(f.lower) && allFinite(f.upper)).toBe(true);
  });

  it('rejects bad options with hints', () => {
    const y = seasonalSeries(1).hist;
    expect(() => seasonalNaive(y, { horizon: 0, season: DAY })).toThrow(TsfmInputError);
    expect(() => seasonalNaive(y, { horizon: 5, season: 2.5 })).toThrow(TsfmInputError);
    expect(() => seasonalNaive(y, { horizon: 5, season: DAY, level: 1.5e3 })).toThrow(TsfmInputError);
    expect(seasonalNaive(y, { horizon: 5, season: DAY, level: 95 }).level).toBeCloseTo(0.95);
    expect(() => seasonalNaive(new Array(30).fill(Number.NaN), { horizon: 5, season: DAY })).toThrow(
      TsfmInputError,
    );
  });
});

describe('missing readings', () => {
  /** A seasonal series with leading, short interior, long interior and trailing gaps. */
  function gappy(): { y: number[]; truth: number[] } {
    const truth = normals(21, 15 * DAY).map((e, t) => 50 + shape(t) + 0.5 * e);
    const y = truth.slice();
    for (let t = 0; t < 5; t++) y[t] = Number.NaN;
    for (let t = 100; t < 103; t++) y[t] = Number.NaN;
    for (let t = 200; t < 230; t++) y[t] = Number.NaN;
    y[250] = Number.POSITIVE_INFINITY;
    for (let t = y.length - 4; t < y.length; t++) y[t] = Number.NaN;
    return { y, truth };
  }

  it('forecasters neither crash nor produce NaN', () => {
    const { y } = gappy();
    for (const method of ['seasonal_naive', 'holt_winters', 'linear_trend'] as const) {
      const f = forecast(y, { method, horizon: 30, season: DAY });
      expect(f.mean).toHaveLength(30);
      expect(allFinite(f.mean) && allFinite(f.lower) && allFinite(f.upper)).toBe(true);
      expect(Number.isFinite(f.residualSd)).toBe(true);
    }
  });

  it('a trailing gap still forecasts the steps right after the input', () => {
    const y = Array.from({ length: 3 * DAY }, (_, t) => shape(t));
    for (let t = y.length - 5; t < y.length; t++) y[t] = Number.NaN;
    const sn = seasonalNaive(y, { horizon: 10, season: DAY });
    for (const [h, v] of sn.mean.entries()) expect(v).toBeCloseTo(shape(3 * DAY + h), 10);
    expect(sn.params.trailingGap).toBe(5);
  });

  it('fills short gaps linearly and long gaps with the seasonal shape', () => {
    const { y, truth } = gappy();
    const { values, imputed } = fillGaps(y, { season: DAY });
    expect(imputed).toBe(3 + 30 + 1);
    expect(Number.isNaN(values[0]) && Number.isNaN(values[values.length - 1])).toBe(true);
    expect(values[101]).toBeCloseTo((y[99] + y[103]) / 2, 10);
    // A straight line across 30 hours would miss the daily swing of +-14 by far more than this.
    expect(mae(truth.slice(200, 230), values.slice(200, 230))).toBeLessThan(1.5);
  });

  it('anomaly scores stay finite and missing steps score 0', () => {
    const { y } = gappy();
    const results = [
      robustZScore(y),
      conformalResidual(y, { season: DAY, calibration: 150, alpha: 0.05 }),
      multivariate([y, y.map((v) => 2 * v)], { window: 48 }),
    ];
    for (const r of results) {
      expect(r.scores).toHaveLength(y.length);
      expect(allFinite(r.scores)).toBe(true);
      expect(r.scores[210]).toBe(0);
      expect(r.anomalies.some((a) => a.index >= 200 && a.index < 230)).toBe(false);
    }
  });
});

describe('metrics', () => {
  it('give hand-computed values on tiny arrays', () => {
    expect(mae([1, 2, 3], [2, 2, 2])).toBeCloseTo(2 / 3, 12);
    expect(rmse([1, 2, 3], [2, 2, 2])).toBeCloseTo(Math.sqrt(2 / 3), 12);
    // (1, 3): 200 * 2 / 4 = 100; (0, 0) skipped; (2, 2): 0.
    expect(smape([1, 0, 2], [3, 0, 2])).toBeCloseTo(50, 12);
    expect(smape([1], [-1])).toBeCloseTo(200, 12);
    // Naive in-sample MAE of 1..5 is 1; with season 2 it is 2.
    expect(mase([3, 5], [4, 4], [1, 2, 3, 4, 5], 1)).toBeCloseTo(1, 12);
    expect(mase([3, 5], [4, 4], [1, 2, 3, 4, 5], 2)).toBeCloseTo(0.5, 12);
    expect(mase([3, 5], [4, 4], [2, 2, 2, 2], 1)).toBeNaN();
    expect(intervalCoverage([1, 2, 3, 4], [0, 0, 0, 0], [2, 2, 2, 5])).toBeCloseTo(0.75, 12);
  });

  it('skip NaN pairs and report n', () => {
    expect(mae([1, Number.NaN, 3], [2, 2, Number.NaN])).toBe(1);
    expect(mae([Number.NaN], [1])).toBeNaN();
    const ev = evaluateForecast([1, 2, Number.NaN, 4], [2, 2, 2, 2], {
      training: [1, 2, 3, 4, 5],
      lower: [0, 0, 0, 3],
      upper: [1, 3, 3, 3],
    });
    expect(ev.n).toBe(3);
    expect(ev.mae).toBeCloseTo(1, 12);
    expect(ev.rmse).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(ev.bias).toBeCloseTo(-1 / 3, 12);
    expect(ev.mase).toBeCloseTo(1, 12);
    expect(ev.coverage).toBeCloseTo(2 / 3, 12);
  });

  it('refuse misaligned arrays', () => {
    expect(() => mae([1, 2], [1])).toThrow(TsfmInputError);
  });

  it('quantile helpers match tabulated values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 2);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.302653, 5);
    expect(chiSquareQuantile(0.95, 1)).toBeCloseTo(3.841, 0);
    expect(Math.abs(chiSquareQuantile(0.999, 2) - 13.8155) / 13.8155).toBeLessThan(0.03);
  });
});

describe('anomaly detection', () => {
  const SPIKES = [300, 700, 1100, 1500, 1900];
  const falsePositives = (idx: number[], truth: number[]) => idx.filter((i) => !truth.includes(i)).length;

  it('robust z-score finds 8 sd spikes with few false positives', () => {
    const y = normals(3, 2000).map((e) => 20 + e);
    SPIKES.forEach((i, k) => {
      y[i] += k % 2 ? -8 : 8;
    });
    const r = robustZScore(y);
    const idx = r.anomalies.map((a) => a.index);
    expect(SPIKES.every((i) => idx.includes(i))).toBe(true);
    expect(falsePositives(idx, SPIKES)).toBeLessThanOrEqual(6);
    const a = r.anomalies.find((x) => x.index === 700)!;
    expect(a.value).toBe(y[700]);
    expect(Math.abs(a.expected! - 20)).toBeLessThan(0.5);
    expect(a.lower! < a.expected! && a.expected! < a.upper!).toBe(true);
  });

  it('robust z-score flags a level shift near its start', () => {
    const y = normals(5, 2000).map((e, t) => 20 + e + (t >= 1400 ? 6 : 0));
    const events = groupAnomalies(robustZScore(y).anomalies, 3);
    const shift = events.find((e) => e.end >= 1400 && e.start <= 1405);
    expect(shift).toBeDefined();
    expect(shift!.start).toBeGreaterThanOrEqual(1400);
    expect(shift!.count).toBeGreaterThan(5);
  });

  it('robust z-score survives a zero MAD', () => {
    const y = new Array(200).fill(5);
    y[150] = 6;
    const r = robustZScore(y, { window: 20 });
    expect(allFinite(r.scores)).toBe(true);
    expect(r.anomalies.map((a) => a.index)).toEqual([150]);
  });

  function seasonalWithSpikes(seed: number): number[] {
    const y = normals(seed, 2000).map((e, t) => 20 + 5 * Math.sin((2 * Math.PI * t) / DAY) + e);
    for (const i of SPIKES.slice(2)) y[i] += 8;
    y[1300] += 8;
    y[1700] -= 8;
    return y;
  }
  const CONFORMAL_SPIKES = [1100, 1300, 1500, 1700, 1900];

  it('conformal residuals find 8 sd spikes on a seasonal series without echoes', () => {
    const y = seasonalWithSpikes(1);
    const r = conformalResidual(y, { season: DAY, calibration: 1000, alpha: 0.003 });
    const idx = r.anomalies.map((a) => a.index);
    expect(CONFORMAL_SPIKES.every((i) => idx.includes(i))).toBe(true);
    expect(falsePositives(idx, CONFORMAL_SPIKES)).toBeLessThanOrEqual(4);
    // Replacing flagged readings in the predictor's history stops the echo one season later.
    for (const i of CONFORMAL_SPIKES) expect(idx).not.toContain(i + DAY);
    // q is a quantile of |e_t - e_{t-24}| for unit noise: about 2.9 * sqrt(2).
    expect(r.params.q).toBeGreaterThan(3);
    expect(r.params.q).toBeLessThan(5.5);
    for (const a of r.anomalies) {
      expect(a.score).toBeGreaterThan(1);
      expect(a.upper! - a.expected!).toBeCloseTo(r.params.q, 10);
      expect(r.band!.lower[a.index]).toBe(a.lower);
    }
    // Calibration steps are scored but never flagged.
    expect(idx.every((i) => i >= 1000)).toBe(true);
  });

  it('conformal residuals flag a level shift from its start, then accept it', () => {
    const y = normals(2, 2000).map(
      (e, t) => 20 + 5 * Math.sin((2 * Math.PI * t) / DAY) + e + (t >= 1400 ? 8 : 0),
    );
    const r = conformalResidual(y, { season: DAY, calibration: 1000, alpha: 0.003 });
    const events = groupAnomalies(r.anomalies, 3);
    const shift = events.find((e) => e.start >= 1400 && e.start <= 1403);
    expect(shift).toBeDefined();
    // One season of flags, then the new level is the reference.
    expect(r.anomalies.filter((a) => a.index >= 1440).length).toBeLessThanOrEqual(3);
  });

  it('conformal calibration must be long enough for alpha', () => {
    const y = seasonalWithSpikes(1);
    expect(() => conformalResidual(y, { season: DAY, calibration: 100, alpha: 0.001 })).toThrow(
      TsfmInputError,
    );
  });

  it('multivariate flags a broken correlation that each sensor alone misses', () => {
    const e1 = normals(11, 2000);
    const e2 = normals(111, 2000);
    const y1 = e1.map((e) => 10 + 3 * e);
    const y2 = y1.map((v, t) => 2 * v + 0.3 * e2[t]);
    // y2 is 6 above 2 * y1 (20 noise sd) but only one sd of y2 away from its own median.
    y2[1234] = 2 * y1[1234] + 6;
    expect(Math.abs(y2[1234] - 20)).toBeLessThan(12);

    const r = multivariate([y1, y2]);
    const hit = r.anomalies.find((a) => a.index === 1234);
    expect(hit).toBeDefined();
    expect(hit!.contributor).toBe(1);
    expect(hit!.value).toBe(y2[1234]);
    expect(Math.abs(hit!.expected! - 2 * y1[1234])).toBeLessThan(1);
    expect(r.anomalies.length).toBeLessThanOrEqual(4);

    for (const s of [y1, y2]) expect(robustZScore(s).anomalies.map((a) => a.index)).not.toContain(1234);
  });

  it('multivariate with a fixed calibration window gives the same verdict', () => {
    const e1 = normals(12, 1500);
    const e2 = normals(112, 1500);
    const y1 = e1.map((e) => 10 + 3 * e);
    const y2 = y1.map((v, t) => 2 * v + 0.3 * e2[t]);
    y2[1200] = 2 * y1[1200] - 6;
    const r = multivariate([y1, y2], { calibration: 500 });
    expect(r.params.fixedReference).toBe(1);
    expect(r.anomalies.map((a) => a.index)).toContain(1200);
  });

  it('groupAnomalies merges nearby flags into events', () => {
    const flags = [
      { index: 10, score: 4 },
      { index: 2, score: 5 },
      { index: 1, score: 2 },
      { index: 3, score: 5 },
    ];
    expect(groupAnomalies(flags, 1)).toEqual([
      { start: 1, end: 3, peakIndex: 2, peakScore: 5, count: 3 },
      { start: 10, end: 10, peakIndex: 10, peakScore: 4, count: 1 },
    ]);
    expect(groupAnomalies(flags, 7)).toEqual([{ start: 1, end: 10, peakIndex: 2, peakScore: 5, count: 4 }]);
    expect(groupAnomalies([], 3)).toEqual([]);
  });
});
