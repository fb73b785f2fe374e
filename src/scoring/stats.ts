// Statistics for reports: reliability over repeated trials (pass^k, pass@k, flip rate),
// uncertainty (seeded percentile bootstrap), power (minimum detectable difference) and
// agreement (Cohen's kappa, e.g. judge against evidence or judge against judge). Pure
// functions on plain arrays; results that are undefined for the input (a mean of nothing)
// are NaN, and arguments that make no sense (k larger than the trials) throw a RangeError.
import { Rng } from '../util/rng.ts';

// ---- basics -----------------------------------------------------------------------------

/** Arithmetic mean; NaN for no values. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * Standard deviation. By default the sample one, sqrt(Σ(x−x̄)² / (n−1)) (NaN below two
 * values); with population: true, sqrt(Σ(x−x̄)² / n) (NaN for no values). Two passes, so no
 * cancellation on large values.
 */
export function sd(values: readonly number[], opts: { population?: boolean } = {}): number {
  const n = values.length;
  const denominator = opts.population ? n : n - 1;
  if (denominator < 1) return Number.NaN;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  return Math.sqrt(ss / denominator);
}

/** Quantile with linear interpolation between order statistics (Hyndman and Fan type 7). */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0];
  if (p >= 1) return sorted[sorted.length - 1];
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The standard normal quantile Φ⁻¹(p), by Wichura's algorithm AS 241 (PPND16, Applied
 * Statistics 37, 1988): rational approximations on three ranges, relative error about 1e-16.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301227 * r + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) *
          r +
          13731.69376550946) *
          r +
          1971.5909503065513) *
          r +
          133.14166789178438) *
          r +
          3.3871328727963665)) /
      (((((((5226.495278852546 * r + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) *
        r +
        5394.196021424751) *
        r +
        687.1870074920579) *
        r +
        42.31333070160091) *
        r +
        1)
    );
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x =
      (((((((0.0007745450142783414 * r + 0.022723844989269184) * r + 0.2417807251774506) * r +
        1.2704582524523684) *
        r +
        3.6478483247632045) *
        r +
        5.769497221460691) *
        r +
        4.630337846156546) *
        r +
        1.4234371107496835) /
      (((((((1.0507500716444169e-9 * r + 0.0005475938084995345) * r + 0.015198666563616457) * r +
        0.14810397642748008) *
        r +
        0.6897673349851) *
        r +
        1.6763848301838038) *
        r +
        2.053191626637759) *
        r +
        1);
  } else {
    r -= 5;
    x =
      (((((((2.0103343992922881e-7 * r + 2.7115555687434876e-5) * r + 0.0012426609473880784) * r +
        0.026532189526576124) *
        r +
        0.29656057182850487) *
        r +
        1.7848265399172913) *
        r +
        5.463784911164114) *
        r +
        6.657904643501103) /
      (((((((2.0442631033899397e-15 * r + 1.421511758316446e-7) * r + 1.8463183175100548e-5) * r +
        0.0007868691311456133) *
        r +
        0.014875361290850615) *
        r +
        0.1369298809227358) *
        r +
        0.599832206555888) *
        r +
        1);
  }
  return q < 0 ? -x : x;
}

// ---- reliability over trials ------------------------------------------------------------

function checkK(trialsPassed: readonly (readonly boolean[])[], k: number, what: string): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`${what}: k must be a positive integer (got ${k})`);
  trialsPassed.forEach((trials, i) => {
    if (trials.length < k) {
      throw new RangeError(`${what}: scenario ${i} has ${trials.length} trials, fewer than k = ${k}`);
    }
  });
}

/**
 * pass^k: the chance that k independent trials of a scenario ALL pass, averaged over
 * scenarios (τ-bench, Yao et al. 2024). Per scenario with n trials of which c passed, the
 * unbiased estimate is C(c,k)/C(n,k) = Π_{i=0}^{k−1} (c−i)/(n−i), computed as that product
 * to stay exact-ish for large n. pass^1 is the plain pass rate. NaN for no scenarios.
 */
export function passHatK(trialsPassed: readonly (readonly boolean[])[], k: number): number {
  checkK(trialsPassed, k, 'passHatK');
  return mean(
    trialsPassed.map((trials) => {
      const n = trials.length;
      const c = trials.filter(Boolean).length;
      let p = 1;
      for (let i = 0; i < k; i++) p *= (c - i) / (n - i);
      return Math.max(0, p);
    }),
  );
}

/**
 * pass@k: the chance that at least one of k trials passes, averaged over scenarios (the
 * unbiased estimator of Chen et al. 2021): 1 − C(n−c,k)/C(n,k) = 1 − Π_{i=0}^{k−1} (n−c−i)/(n−i).
 */
export function passAtK(trialsPassed: readonly (readonly boolean[])[], k: number): number {
  checkK(trialsPassed, k, 'passAtK');
  return mean(
    trialsPassed.map((trials) => {
      const n = trials.length;
      const c = trials.filter(Boolean).length;
      let none = 1;
      for (let i = 0; i < k; i++) none *= (n - c - i) / (n - i);
      return 1 - Math.max(0, none);
    }),
  );
}

/**
 * Share of scenarios whose verdict is not the same in every trial (some trials pass, some
 * fail), among the scenarios with at least two trials; NaN when there are none.
 */
export function flipRate(trialsPassed: readonly (readonly boolean[])[]): number {
  const repeated = trialsPassed.filter((t) => t.length >= 2);
  if (repeated.length === 0) return Number.NaN;
  const flipped = repeated.filter((t) => t.some((x) => x !== t[0])).length;
  return flipped / repeated.length;
}

// ---- uncertainty ------------------------------------------------------------------------

export interface ConfidenceInterval {
  mean: number;
  lower: number;
  upper: number;
  /** 1 − alpha is the coverage (0.95 by default). */
  alpha: number;
  iterations: number;
}

/**
 * Percentile bootstrap of the mean (Efron and Tibshirani 1993, ch. 13): draw `iterations`
 * resamples of the values with replacement, take each one's mean, and report the alpha/2 and
 * 1 − alpha/2 quantiles of those means. Seeded, so the same input gives the same interval.
 */
export function bootstrapCI(
  values: readonly number[],
  opts: { iterations?: number; alpha?: number; seed?: number } = {},
): ConfidenceInterval {
  const iterations = opts.iterations ?? 2_000;
  const alpha = opts.alpha ?? 0.05;
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`bootstrapCI: iterations must be a positive integer (got ${iterations})`);
  }
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`bootstrapCI: alpha must be in (0, 1) (got ${alpha})`);
  const n = values.length;
  const m = mean(values);
  if (n === 0) return { mean: m, lower: Number.NaN, upper: Number.NaN, alpha, iterations };
  const rng = new Rng(opts.seed ?? 0, 'bootstrap');
  const means = new Float64Array(iterations);
  for (let b = 0; b < iterations; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[Math.floor(rng.next() * n)];
    means[b] = s / n;
  }
  means.sort();
  const sorted = Array.from(means);
  return {
    mean: m,
    lower: quantile(sorted, alpha / 2),
    upper: quantile(sorted, 1 - alpha / 2),
    alpha,
    iterations,
  };
}

/**
 * The smallest true difference between two equally sized groups of n (two-sample, two-sided
 * test at level alpha) that is detected with the given power, by the normal approximation:
 *   MDE = (z_{1−α/2} + z_{power}) · √2 · σ / √n
 * (e.g. Cohen 1988; the √2 is because both means are estimated). σ is given, or for pass
 * rates derived from a proportion p as √(p(1−p)), the worst case being p = 0.5. With the
 * defaults (α = 0.05, power 0.8) the factor is (1.960 + 0.842) · √2 ≈ 3.96. Per-trial
 * correlation (the same scenarios in both groups) is ignored, so this is conservative for
 * paired comparisons.
 */
export function minimumDetectableDifference(
  n: number,
  spread: { p: number } | { sd: number },
  opts: { alpha?: number; power?: number } = {},
): number {
  const alpha = opts.alpha ?? 0.05;
  const power = opts.power ?? 0.8;
  if (!(n > 0)) throw new RangeError(`minimumDetectableDifference: n must be positive (got ${n})`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`minimumDetectableDifference: alpha must be in (0, 1)`);
  if (!(power > 0 && power < 1)) throw new RangeError(`minimumDetectableDifference: power must be in (0, 1)`);
  let sigma: number;
  if ('p' in spread) {
    if (!(spread.p >= 0 && spread.p <= 1))
      throw new RangeError(`minimumDetectableDifference: p must be in [0, 1]`);
    sigma = Math.sqrt(spread.p * (1 - spread.p));
  } else {
    if (!(spread.sd >= 0)) throw new RangeError(`minimumDetectableDifference: sd must be non-negative`);
    sigma = spread.sd;
  }
  return ((normalQuantile(1 - alpha / 2) + normalQuantile(power)) * Math.SQRT2 * sigma) / Math.sqrt(n);
}

// ---- agreement --------------------------------------------------------------------------

/**
 * Cohen's kappa for two raters' pass/fail verdicts on the same items (Cohen 1960):
 *   κ = (p_o − p_e) / (1 − p_e),
 * p_o the share of items they agree on, p_e = p_a·p_b + (1−p_a)(1−p_b) the agreement expected
 * by chance from each rater's pass share. When p_e = 1 both raters gave the same single
 * verdict to every item: agreement is perfect and κ is taken as 1 (the formula is 0/0).
 * NaN for no items; a RangeError for lists of different lengths.
 */
export function cohensKappa(a: readonly boolean[], b: readonly boolean[]): number {
  if (a.length !== b.length) {
    throw new RangeError(`cohensKappa: the raters rated ${a.length} and ${b.length} items`);
  }
  const n = a.length;
  if (n === 0) return Number.NaN;
  let agree = 0;
  let aPass = 0;
  let bPass = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) agree++;
    if (a[i]) aPass++;
    if (b[i]) bPass++;
  }
  const po = agree / n;
  const pa = aPass / n;
  const pb = bPass / n;
  const pe = pa * pb + (1 - pa) * (1 - pb);
  if (pe === 1) return 1;
  return (po - pe) / (1 - pe);
}
