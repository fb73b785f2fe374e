// Two entries side by side, scenario by scenario: which scenarios changed verdict, and whether
// the change is more than noise. Used by `assetops report A B` (and its HTML) so that runs of
// different configurations are compared, never pooled into one number.
import type { AttemptScore, GroupScore } from './aggregate.ts';

/** A scenario's verdict over an entry's trials. */
export type Verdict = 'pass' | 'fail' | 'mixed' | 'ungraded' | 'absent';

export function scenarioVerdicts(rows: AttemptScore[]): Map<string, Verdict> {
  const by = new Map<string, Array<boolean | null>>();
  for (const r of rows) {
    const list = by.get(r.scenarioId) ?? [];
    list.push(r.card.graded === false || r.card.total === null ? null : r.card.pass);
    by.set(r.scenarioId, list);
  }
  const out = new Map<string, Verdict>();
  for (const [id, list] of by) {
    const graded = list.filter((x): x is boolean => x !== null);
    out.set(
      id,
      graded.length === 0
        ? 'ungraded'
        : graded.every(Boolean)
          ? 'pass'
          : graded.some(Boolean)
            ? 'mixed'
            : 'fail',
    );
  }
  return out;
}

/** Every scenario any entry ran (sorted), with its verdict in each entry ("absent" where not run). */
export function verdictMatrix(entries: AttemptScore[][]): Array<{ scenarioId: string; verdicts: Verdict[] }> {
  const verdicts = entries.map(scenarioVerdicts);
  const ids = [...new Set(verdicts.flatMap((v) => [...v.keys()]))].sort();
  return ids.map((id) => ({ scenarioId: id, verdicts: verdicts.map((v) => v.get(id) ?? 'absent') }));
}

/** Exact two-sided McNemar test on the discordant scenarios (b: only A passed, c: only B). */
export function mcnemarP(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // Sum of C(n, i) / 2^n for i <= k, in logs so large n stays finite.
  let logC = 0;
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

export interface EntryComparison {
  a: string;
  b: string;
  /** Scenarios both entries ran. */
  shared: number;
  onlyA: number;
  onlyB: number;
  /** Shared scenarios whose verdict differs, A's verdict then B's. */
  changed: Array<{ scenarioId: string; a: Verdict; b: Verdict }>;
  /** Scenarios that passed in A only, and in B only (all trials passing). */
  betterA: number;
  betterB: number;
  /** McNemar's exact p on betterA vs betterB. */
  p: number;
  /** Mean total B minus A (null when either has none). */
  totalDifference: number | null;
  /** In words: is the difference more than this many scenarios can tell from noise? */
  hint: string;
}

export function groupLabel(g: Pick<GroupScore, 'run' | 'agent' | 'model' | 'suite'>): string {
  return `${g.run ? `${g.run}: ` : ''}${g.agent}${g.model ? ` · ${g.model}` : ''} · ${g.suite}`;
}

export function compareEntries(
  a: { group: GroupScore; rows: AttemptScore[] },
  b: { group: GroupScore; rows: AttemptScore[] },
  minDetectableDifference: number | null,
): EntryComparison {
  const va = scenarioVerdicts(a.rows);
  const vb = scenarioVerdicts(b.rows);
  const changed: EntryComparison['changed'] = [];
  let shared = 0;
  let betterA = 0;
  let betterB = 0;
  for (const [id, x] of va) {
    const y = vb.get(id);
    if (!y) continue;
    shared++;
    if (x !== y) changed.push({ scenarioId: id, a: x, b: y });
    if (x === 'pass' && y !== 'pass' && y !== 'ungraded') betterA++;
    if (y === 'pass' && x !== 'pass' && x !== 'ungraded') betterB++;
  }
  changed.sort((p, q) => p.scenarioId.localeCompare(q.scenarioId));
  const p = mcnemarP(betterA, betterB);
  const diff =
    a.group.meanTotal === null || b.group.meanTotal === null ? null : b.group.meanTotal - a.group.meanTotal;
  const hints: string[] = [];
  if (shared === 0) hints.push('no scenarios in common: nothing to compare scenario by scenario');
  else
    hints.push(
      `${betterA} scenarios pass only in A, ${betterB} only in B (McNemar p = ${p < 0.001 ? '<0.001' : p.toFixed(3)}${p < 0.05 ? ', unlikely to be chance' : ', could be chance'})`,
    );
  if (diff !== null && minDetectableDifference !== null)
    hints.push(
      Math.abs(diff) >= minDetectableDifference
        ? `the totals differ by ${diff.toFixed(1)}, more than the ${minDetectableDifference.toFixed(1)} points these sample sizes can detect`
        : `the totals differ by ${diff.toFixed(1)}, under the ${minDetectableDifference.toFixed(1)} points these sample sizes can detect: within noise`,
    );
  return {
    a: groupLabel(a.group),
    b: groupLabel(b.group),
    shared,
    onlyA: va.size - shared,
    onlyB: [...vb.keys()].filter((id) => !va.has(id)).length,
    changed,
    betterA,
    betterB,
    p,
    totalDifference: diff,
    hint: `${hints.join('; ')}.`,
  };
}

/** The rows of each group, found by the same key the aggregate used. */
export function rowsOfGroup(rows: AttemptScore[], g: GroupScore): AttemptScore[] {
  return rows.filter(
    (r) => (r.run ?? null) === g.run && r.agent === g.agent && r.model === g.model && r.suite === g.suite,
  );
}
