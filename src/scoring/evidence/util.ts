// Small helpers every evidence scorer shares: name normalisation, JSON reading that never
// throws, and the verdict shape. Kept apart so each scorer module reads as its rule only.
import type { DimensionVerdict, EvidencePointer } from '../types.ts';

export type Obj = Record<string, unknown>;

/** Evidence lists stay readable: a verdict points at no more than this many places. */
const MAX_EVIDENCE = 20;
/** Longer texts are not parsed as JSON (nobody writes an answer that long on purpose). */
const MAX_JSON_CHARS = 2_000_000;

export function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/**
 * Names compare the way the tools resolve them (src/tools/lookup.ts): case, surrounding space
 * and runs of spaces, underscores and hyphens do not matter ("cooling_tower" = "Cooling Tower").
 */
export function norm(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether `name` occurs in `text` as whole words: "chiller 1" is in "chiller 1 tonnage" but not
 * in "chiller 10". Both sides are expected normalised (norm).
 */
export function containsWords(text: string, name: string): boolean {
  if (name === '') return false;
  let from = 0;
  for (;;) {
    const at = text.indexOf(name, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : text[at - 1];
    const after = text[at + name.length] ?? '';
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) return true;
    from = at + 1;
  }
}

export function clip(s: string, n = 80): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function listed(items: string[], max = 4): string {
  const head = items.slice(0, max).join(', ');
  return items.length > max ? `${head} and ${items.length - max} more` : head;
}

const FENCE_RE = /^```[\w-]*\s*([\s\S]*?)\s*```$/;

/** JSON text (optionally in a markdown fence) as a value; anything else comes back unchanged. */
export function parseJsonText(x: unknown): unknown {
  if (typeof x !== 'string' || x.length > MAX_JSON_CHARS) return x;
  const trimmed = x.trim();
  const fenced = FENCE_RE.exec(trimmed);
  const text = fenced ? fenced[1] : trimmed;
  if (!/^[[{"]/.test(text)) return fenced ? text : x;
  try {
    return JSON.parse(text);
  } catch {
    return fenced ? text : x;
  }
}

/** Any answer as text a person (or a regex) can read. Never throws, even on cycles. */
export function textOf(x: unknown): string {
  if (x === null || x === undefined) return '';
  if (typeof x === 'string') return x;
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}

/** An answer that says nothing: null, blank text, an empty list or object. */
export function isEmptyAnswer(x: unknown): boolean {
  const v = parseJsonText(x);
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  if (isObj(v)) return Object.values(v).every((f) => f === null || f === undefined || f === '');
  return false;
}

/** Every leaf of a JSON value with the key it sits under (the nearest named key for list items). */
export function leaves(x: unknown, key = '', out: Array<{ key: string; value: unknown }> = []) {
  if (out.length > 5000) return out;
  if (Array.isArray(x)) for (const item of x) leaves(item, key, out);
  else if (isObj(x)) for (const [k, v] of Object.entries(x)) leaves(v, k, out);
  else out.push({ key, value: x });
  return out;
}

export function verdict(
  pass: boolean,
  score: number,
  rationale: string,
  evidence: EvidencePointer[] = [],
): DimensionVerdict {
  return {
    pass,
    score: clamp01(score),
    rationale,
    evidence: evidence.slice(0, MAX_EVIDENCE),
    applicable: true,
  };
}

/** A dimension the evidence cannot assess: consumers skip it (scoring/total.ts, scoring/aob.ts). */
export function notApplicable(rationale: string): DimensionVerdict {
  return { pass: false, score: 0, rationale, evidence: [], applicable: false };
}
