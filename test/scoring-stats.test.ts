// The report statistics: hand-computed values, textbook examples and properties (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_GRADED_FOR_STATS } from '../src/scoring/aggregate.ts';
import {
  bootstrapCI,
  cohensKappa,
  flipRate,
  mean,
  minimumDetectableDifference,
  normalQuantile,
  passAtK,
  passHatK,
  quantile,
  sd,
} from '../src/scoring/stats.ts';
import { Rng } from '../src/util/rng.ts';

const T = true;
const F = false;

/** All k-element subsets of 0..n-1. */
function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  if (n < k) return [];
  const without = subsets(n - 1, k);
  const withLast = subsets(n - 1, k - 1).map((s) => [...s, n - 1]);
  return [...without, ...withLast];
}

/** pass^k and pass@k by brute force: over every k-subset of a scenario's trials. */
function bruteForce(trials: readonly boolean[][], k: number): { hat: number; at: number } {
  const per = trials.map((t) => {
    const all = subsets(t.length, k);
    return {
      hat: all.filter((s) => s.every((i) => t[i])).length / all.length,
      at: all.filter((s) => s.some((i) => t[i])).length / all.length,
    };
  });
  return { hat: mean(per.map((p) => p.hat)), at: mean(per.map((p) => p.at)) };
}

const trialsArb = fc.array(fc.array(fc.boolean(), { minLength: 4, maxLength: 8 }), {
  minLength: 1,
  maxLength: 8,
});

describe('mean, sd, quantile, normalQuantile', () => {
  it('agree with known values', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    expect(sd(xs, { population: true })).toBe(2);
    expect(sd(xs)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(mean([])).toBeNaN();
    expect(sd([3])).toBeNaN();
    expect(sd([3], { population: true })).toBe(0);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20], 0.25)).toBe(12.5);

    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212335729143, 12);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.6448536269514722, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 9);
    expect(normalQuantile(1e-20)).toBeCloseTo(-9.26234008979841, 9);
    expect(normalQuantile(0.3)).toBeCloseTo(-0.5244005127080407, 12);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
  });

  it('normalQuantile is odd around 0.5 and non-decreasing', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 0.5, noNaN: true }),
        fc.double({ min: 1e-6, max: 0.5, noNaN: true }),
        (p, q) => {
          expect(normalQuantile(p)).toBeCloseTo(-normalQuantile(1 - p), 6);
          // Non-decreasing: two adjacent doubles may map to the same quantile.
          if (p < q) expect(normalQuantile(p)).toBeLessThanOrEqual(normalQuantile(q));
          if (q - p > 1e-9) expect(normalQuantile(p)).toBeLessThan(normalQuantile(q));
        },
      ),
    );
  });
});

describe('passHatK and passAtK', () => {
  const trials = [
    [T, T, F, T], // c = 3 of 4
    [T, T, T, T], // c = 4
    [F, F, F, F], // c = 0
  ];

  it('match hand-computed values', () => {
    // k = 1: the pass rate, (3/4 + 1 + 0)/3.
    expect(passHatK(trials, 1)).toBeCloseTo(7 / 12, 12);
    // k = 2: C(3,2)/C(4,2) = 1/2 for the first scenario: (1/2 + 1 + 0)/3.
    expect(passHatK(trials, 2)).toBeCloseTo(0.5, 12);
    // k = 3: C(3,3)/C(4,3) = 1/4.
    expect(passHatK(trials, 3)).toBeCloseTo((0.25 + 1) / 3, 12);
    expect(passHatK(trials, 4)).toBeCloseTo(1 / 3, 12);

    expect(passAtK(trials, 1)).toBeCloseTo(7 / 12, 12);
    // The first scenario has one failure only: any 2 trials include a pass.
    expect(passAtK(trials, 2)).toBeCloseTo(2 / 3, 12);
    // One pass of four, k = 2: 1 - C(3,2)/C(4,2) = 1/2.
    expect(passAtK([[T, F, F, F]], 2)).toBeCloseTo(0.5, 12);
    expect(passHatK([], 1)).toBeNaN();
  });

  it('refuse k larger than a scenario’s trials or not a positive integer', () => {
    expect(() => passHatK(trials, 5)).toThrow(RangeError);
    expect(() => passAtK(trials, 0)).toThrow(RangeError);
    expect(() => passHatK(trials, 1.5)).toThrow(RangeError);
  });

  it('equal the average over every k-subset of trials (the estimator is exact for the sample)', () => {
    fc.assert(
      fc.property(trialsArb, fc.integer({ min: 1, max: 4 }), (t, k) => {
        const b = bruteForce(t, k);
        expect(passHatK(t, k)).toBeCloseTo(b.hat, 10);
        expect(passAtK(t, k)).toBeCloseTo(b.at, 10);
      }),
    );
  });

  it('pass^k falls and pass@k rises with k, pass^k <= pass@k, both equal the pass rate at k = 1', () => {
    fc.assert(
      fc.property(trialsArb, fc.integer({ min: 1, max: 3 }), (t, k) => {
        const rate = mean(t.map((x) => x.filter(Boolean).length / x.length));
        expect(passHatK(t, 1)).toBeCloseTo(rate, 12);
        expect(passAtK(t, 1)).toBeCloseTo(rate, 12);
        expect(passHatK(t, k + 1)).toBeLessThanOrEqual(passHatK(t, k) + 1e-12);
        expect(passAtK(t, k + 1)).toBeGreaterThanOrEqual(passAtK(t, k) - 1e-12);
        expect(passHatK(t, k)).toBeLessThanOrEqual(passAtK(t, k) + 1e-12);
        expect(passHatK(t, k)).toBeGreaterThanOrEqual(0);
        expect(passAtK(t, k)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('flipRate', () => {
  it('counts scenarios with mixed verdicts among those with two or more trials', () => {
    expect(flipRate([[T, T], [T, F], [F, F], [T]])).toBeCloseTo(1 / 3, 12);
    expect(
      flipRate([
        [F, F, T],
        [T, T, T],
      ]),
    ).toBe(0.5);
    expect(flipRate([[T], [F]])).toBeNaN();
  });

  it('is zero exactly when every scenario is consistent', () => {
    fc.assert(
      fc.property(trialsArb, (t) => {
        const consistent = t.every((x) => x.every((v) => v === x[0]));
        expect(flipRate(t) === 0).toBe(consistent);
      }),
    );
  });
});

describe('bootstrapCI', () => {
  const sample = (n: number, seed: number) => {
    const rng = new Rng(seed, 'sample');
    return Array.from({ length: n }, () => rng.normal(10, 2));
  };

  it('contains the mean, is reproducible by seed, and narrows as n grows', () => {
    const small = sample(30, 1);
    const large = sample(3_000, 2);
    const a = bootstrapCI(small, { seed: 7 });
    expect(a.lower).toBeLessThan(a.mean);
    expect(a.upper).toBeGreaterThan(a.mean);
    expect(a.mean).toBeCloseTo(mean(small), 12);
    expect(bootstrapCI(small, { seed: 7 })).toEqual(a);
    expect(bootstrapCI(small, { seed: 8 })).not.toEqual(a);

    const b = bootstrapCI(large, { seed: 7 });
    expect(b.upper - b.lower).toBeLessThan((a.upper - a.lower) / 5);
    // Against the normal interval: 2 · 1.96 · s/√n.
    const normalWidth = (2 * 1.959964 * sd(large)) / Math.sqrt(large.length);
    expect((b.upper - b.lower) / normalWidth).toBeGreaterThan(0.9);
    expect((b.upper - b.lower) / normalWidth).toBeLessThan(1.1);
    // A wider coverage gives a wider interval.
    const c = bootstrapCI(small, { seed: 7, alpha: 0.01 });
    expect(c.upper - c.lower).toBeGreaterThan(a.upper - a.lower);
  });

  it('collapses on constant values and is NaN on none', () => {
    expect(bootstrapCI([0.5, 0.5, 0.5], { iterations: 50 })).toMatchObject({
      mean: 0.5,
      lower: 0.5,
      upper: 0.5,
    });
    const empty = bootstrapCI([]);
    expect(empty.lower).toBeNaN();
    expect(() => bootstrapCI([1], { alpha: 1 })).toThrow(RangeError);
  });

  it('stays within the range of the values and around the mean', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.integer(),
        (xs, seed) => {
          const ci = bootstrapCI(xs, { iterations: 200, seed });
          expect(ci.lower).toBeGreaterThanOrEqual(Math.min(...xs) - 1e-9);
          expect(ci.upper).toBeLessThanOrEqual(Math.max(...xs) + 1e-9);
          expect(ci.lower).toBeLessThanOrEqual(ci.upper);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('minimumDetectableDifference', () => {
  it('matches the normal-approximation formula', () => {
    // (1.959964 + 0.841621) · √2 · 0.5 / √100.
    expect(minimumDetectableDifference(100, { p: 0.5 })).toBeCloseTo(0.198101, 5);
    expect(minimumDetectableDifference(100, { sd: 0.5 })).toBeCloseTo(0.198101, 5);
    // α = 0.01, power 0.9: (2.575829 + 1.281552) · √2 · 1 / √50.
    expect(minimumDetectableDifference(50, { sd: 1 }, { alpha: 0.01, power: 0.9 })).toBeCloseTo(
      ((2.575829 + 1.281552) * Math.SQRT2) / Math.sqrt(50),
      5,
    );
    expect(minimumDetectableDifference(10, { p: 1 })).toBe(0);
    expect(() => minimumDetectableDifference(0, { p: 0.5 })).toThrow(RangeError);
    expect(() => minimumDetectableDifference(10, { p: 1.5 })).toThrow(RangeError);
  });

  it('shrinks as n grows (as 1/√n) and grows with p towards 0.5', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 1_000 }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        (n, extra, p) => {
          const a = minimumDetectableDifference(n, { p });
          const b = minimumDetectableDifference(n + extra, { p });
          expect(b).toBeLessThan(a);
          expect(minimumDetectableDifference(4 * n, { p })).toBeCloseTo(a / 2, 10);
          expect(minimumDetectableDifference(n, { p: 0.5 })).toBeGreaterThanOrEqual(a - 1e-12);
        },
      ),
    );
  });
});

describe('cohensKappa', () => {
  /** Two raters' verdicts from a 2×2 table: both yes, a yes b no, a no b yes, both no. */
  function fromTable(yy: number, yn: number, ny: number, nn: number): [boolean[], boolean[]] {
    const a: boolean[] = [];
    const b: boolean[] = [];
    const add = (count: number, x: boolean, y: boolean) => {
      for (let i = 0; i < count; i++) {
        a.push(x);
        b.push(y);
      }
    };
    add(yy, T, T);
    add(yn, T, F);
    add(ny, F, T);
    add(nn, F, F);
    return [a, b];
  }

  it('matches textbook 2×2 examples', () => {
    // p_o = 0.7, p_e = 0.5·0.6 + 0.5·0.4 = 0.5: κ = 0.4.
    expect(cohensKappa(...fromTable(20, 5, 10, 15))).toBeCloseTo(0.4, 12);
    // p_o = 0.6, p_e = 0.6·0.7 + 0.4·0.3 = 0.54: κ = 0.06/0.46.
    expect(cohensKappa(...fromTable(45, 15, 25, 15))).toBeCloseTo(0.06 / 0.46, 12);
    // p_o = 0.6, p_e = 0.6·0.3 + 0.4·0.7 = 0.46: κ = 0.14/0.54.
    expect(cohensKappa(...fromTable(25, 35, 5, 35))).toBeCloseTo(0.14 / 0.54, 12);
  });

  it('handles the degenerate cases', () => {
    expect(cohensKappa([T, T, T], [T, T, T])).toBe(1);
    expect(cohensKappa([F, F], [F, F])).toBe(1);
    // One rater constant, the other not: agreement is what chance gives.
    expect(cohensKappa([T, T, T, T], [T, F, T, F])).toBeCloseTo(0, 12);
    expect(cohensKappa([T, F, T, F], [F, T, F, T])).toBeCloseTo(-1, 12);
    expect(cohensKappa([T, F], [T, F])).toBe(1);
    expect(cohensKappa([], [])).toBeNaN();
    expect(() => cohensKappa([T], [T, F])).toThrow(RangeError);
  });

  it('is symmetric, at most 1, and 1 for identical ratings', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 50 }),
        (pairs) => {
          const a = pairs.map((p) => p[0]);
          const b = pairs.map((p) => p[1]);
          const k = cohensKappa(a, b);
          expect(k).toBeCloseTo(cohensKappa(b, a), 12);
          expect(k).toBeLessThanOrEqual(1 + 1e-12);
          expect(k).toBeGreaterThanOrEqual(-1 - 1e-12);
          expect(cohensKappa(a, a)).toBe(1);
        },
      ),
    );
  });
});

describe('the minimum group size for an interval', () => {
  // Skewed totals like an agent's (mostly near 100, sometimes near 0): how often the 95%
  // percentile bootstrap interval of the mean holds the true mean, by group size. The figures
  // are in docs/SCORING.md; below MIN_GRADED_FOR_STATS the interval is too often wrong to show.
  function coverage(n: number, repeats = 400): number {
    const rng = new Rng(7, 'coverage');
    const draw = () => (rng.next() < 0.7 ? 85 + 15 * rng.next() : 40 * rng.next());
    const truth = 0.7 * 92.5 + 0.3 * 20;
    let hit = 0;
    for (let r = 0; r < repeats; r++) {
      const ci = bootstrapCI(Array.from({ length: n }, draw), { seed: r, iterations: 1000 });
      if (ci.lower <= truth && truth <= ci.upper) hit++;
    }
    return hit / repeats;
  }

  it(`under-covers badly below ${MIN_GRADED_FOR_STATS} values and is close to nominal from there`, () => {
    expect(coverage(3)).toBeLessThan(0.7);
    expect(coverage(5)).toBeLessThan(0.85);
    expect(coverage(MIN_GRADED_FOR_STATS)).toBeGreaterThanOrEqual(0.88);
  });
});
