// Claims: the checkable statements of a final answer (numbers with their units, timestamps,
// asset/sensor/failure-mode names, work-order ids and codes, and "I created the work order").
// The extractor reads JSON answers by structure (a value's key says what it is, prose fields
// are read as text) and text answers by pattern. It needs nothing but the answer, so other
// scorers (the judge's prompt, failure analysis) can reuse it; grounding is in grounding.ts.
import { blankLayoutNumbers } from '../../scenarios/aob/answer.ts';
import { parseTimestamp } from '../../scenarios/graders.ts';
import { isObj, norm, parseJsonText } from './util.ts';

export const CLAIM_KINDS = [
  'number',
  'timestamp',
  'asset',
  'site',
  'sensor',
  'failure_mode',
  'work_order',
  'code',
  'name',
  'completion',
] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

export interface Claim {
  kind: ClaimKind;
  /** The claim as the answer wrote it. */
  text: string;
  /** The JSON key it sat under ("" for a text answer). */
  key: string;
  /** number: the value and the decimals written (22.89 -> 2), for grounding after rounding. */
  value?: number;
  decimals?: number;
  unit?: string;
  /** timestamp: epoch seconds, and whether only a date was given. */
  epoch?: number;
  dateOnly?: boolean;
  /** completion: what the answer says was done. */
  action?: 'create' | 'update' | 'any';
  /**
   * Set by grounding: whether the tool results (or the task) back the claim; null when it
   * cannot be told (not in what was recorded, but a result was recorded clipped).
   */
  grounded?: boolean | null;
  /** Set by grounding: where the backing was found, or why there is none. */
  source?: { step?: number; call?: number; note: string };
}

/** An answer this long is not read further: a runaway answer still gets a bounded check. */
const MAX_CLAIMS = 300;
const MAX_NAME_CHARS = 80;
const MAX_NAME_WORDS = 8;

/** Keys whose string values are prose: read for the claims inside, not as one name. */
const PROSE_KEYS = new Set([
  'reason',
  'reasons',
  'reasoning',
  'evidence',
  'explanation',
  'justification',
  'rationale',
  'note',
  'notes',
  'comment',
  'comments',
  'summary',
  'description',
  'details',
  'detail',
  'message',
  'analysis',
  'recommendation',
  'recommendations',
  'basis',
  'why',
  'remarks',
  'observation',
  'observations',
  'findings',
  'text',
  'thought',
]);

/** Words that are answers but not claims about the plant. */
const NOT_CLAIMS = new Set([
  'yes',
  'no',
  'none',
  'n/a',
  'na',
  'null',
  'nil',
  'unknown',
  'true',
  'false',
  'ok',
  'nothing',
  'not available',
  'unavailable',
  'not applicable',
  'all',
  '-',
]);

const WO_ID_RE = /\b(?:WO|SBX)-?\d{3,}\b/gi;
const FM_ID_RE = /\bFM-[A-Z]{2,}-\d+\b/g;
const ASSET_ID_RE = /\b[A-Z]{3}\d{5}\b/g;
// RUL0102, F001a, ALR-000001, ANM-000001: letters, then digits (a dash allowed between).
const CODE_RE = /\b[A-Z]{1,5}(?:-[A-Z]{1,5})*-?\d{2,}[a-z]?\b/g;
const TIMESTAMP_RE =
  /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})\b|Z)?)?/gi;
// Classes of plant equipment as people write them: "Chiller 1", "Cooling Tower 2", "AHU-3".
const ASSET_NAME_RE =
  /\b(?:chiller|ahu|air handl(?:ing|er) unit|pump|boiler|cooling tower|air compressor|compressor|fan|heat exchanger|generator|transformer|motor|tank|turbine|rtu|vav|crac|crah|cwp|chwp)[\s-]+#?\d{1,4}\b/gi;
// As in graders.ts: a number not glued to a word or another number; thousands separators kept.
const NUMBER_RE =
  /(?<![\p{L}\p{N}_.])[-+]?(?:\d{1,3}(?:,\d{3})+(?!\d|,\d)|\d+)(?:\.\d+)?(?:e[-+]?\d+)?(?!\.\d)/giu;
const UNIT_RE =
  /^\s?(%|°\s?[FC]\b|deg\s?[FC]\b|kW\/ton|kWh|kW|MW|tons?\b|gpm|psig|psia|psi|inH2O|scfm|cfm|rpm|Hz|mm\/s|in\/s|uS\/cm|µS\/cm|MBH|hours?\b|hrs?\b|h\b|minutes?\b|mins?\b|days?\b|weeks?\b|months?\b|years?\b)/i;
const QUOTED_RE = /"([^"\n]{2,60})"|“([^”\n]{2,60})”/g;

// "created work order", "the work order has been created", "I drafted a work order".
const CREATE_RES = [
  /\b(?:created|drafted|submitted|filed|issued)\s+(?:(?:a|an|the|one|new|corrective|preventive|urgent)\s+){0,3}(?:work[\s_-]?orders?|WOs?)\b/i,
  // Present perfect or "successfully": "20 work orders were created in 2023" reports history.
  /\bwork[\s_-]?orders?\b[^.;\n]{0,60}?\b(?:(?:has|have)\s+(?:now\s+)?been\s+(?:successfully\s+)?|(?:was|were|is)\s+(?:now\s+)?successfully\s+)(?:created|drafted|submitted|filed|issued|opened|raised|logged|scheduled|placed)\b/i,
  /\b(?:I|we)\s+(?:have\s+|'ve\s+)?(?:successfully\s+)?(?:created|drafted|submitted|filed|issued|opened|raised|logged|scheduled|placed)\b[^.;\n]{0,60}?\b(?:work[\s_-]?orders?|WOs?|SBX-?\d+)\b/i,
];
const UPDATE_RES = [
  /\b(?:I|we)\s+(?:have\s+|'ve\s+)?(?:successfully\s+)?(?:updated|closed|cancell?ed|approved|changed|modified|reassigned|re-?prioriti[sz]ed)\b[^.;\n]{0,60}?\b(?:work[\s_-]?orders?|WOs?|WO-?\d+|SBX-?\d+)\b/i,
  /\bwork[\s_-]?orders?\b[^.;\n]{0,60}?\b(?:has|have)\s+(?:now\s+)?been\s+(?:successfully\s+)?(?:updated|approved|cancell?ed|changed|modified|reassigned|re-?prioriti[sz]ed)\b/i,
];
const DONE_RES = [
  /^\s*(?:done|completed|success|all set)\b/i,
  /\b(?:task|request|action)\s+(?:is\s+|has\s+been\s+|was\s+)?(?:successfully\s+)?(?:done|completed)\b/i,
  /\bsuccessfully\s+(?:completed|done|carried out)\b/i,
];
/** JSON keys whose value says an order was created ({wo_id: "SBX-0001"}, {created: true}). */
const CREATED_KEYS = new Set([
  'woid',
  'workorderid',
  'createdworkorder',
  'newworkorder',
  'createdwoid',
  'draftedworkorder',
]);
const CREATED_FLAG_KEYS = new Set(['created', 'workordercreated', 'wocreated', 'drafted']);

function normKey(k: string): string {
  return k.toLowerCase().replace(/[\s_-]+/g, '');
}

function decimalsOf(text: string): number {
  const m = /\.(\d+)/.exec(text.replace(/e[-+]?\d+$/i, ''));
  return m ? m[1].length : 0;
}

function numberClaim(text: string, key: string, unit?: string): Claim | null {
  const value = Number(text.replace(/,/g, ''));
  if (!Number.isFinite(value)) return null;
  return {
    kind: 'number',
    text: unit ? `${text} ${unit}` : text,
    key,
    value,
    decimals: decimalsOf(text),
    ...(unit ? { unit } : {}),
  };
}

function timestampClaim(text: string, key: string): Claim | null {
  const t = text.trim();
  const epoch = parseTimestamp(t);
  if (epoch === null) return null;
  return { kind: 'timestamp', text: t, key, epoch, dateOnly: /^\d{4}-\d{2}-\d{2}$/.test(t) };
}

/** What a short string is, from its shape first and the key it sits under second. */
function nameKind(value: string, key: string): ClaimKind {
  const k = normKey(key);
  if (new RegExp(`^${WO_ID_RE.source}$`, 'i').test(value)) return 'work_order';
  if (new RegExp(`^${FM_ID_RE.source}$`).test(value)) return 'failure_mode';
  if (new RegExp(`^${ASSET_ID_RE.source}$`).test(value)) return 'asset';
  if (k.includes('failuremode') || k === 'mode' || k === 'modes') return 'failure_mode';
  if (k.includes('sensor') || k.includes('kpi')) return 'sensor';
  if (k.includes('asset') || k.includes('equipment')) return 'asset';
  if (k.includes('site')) return 'site';
  if (k === 'woid' || k.includes('workorder')) return 'work_order';
  if (new RegExp(`^${CODE_RE.source}$`).test(value) || k.includes('code')) return 'code';
  return 'name';
}

function isProse(s: string): boolean {
  const words = s.trim().split(/\s+/).length;
  return s.length > MAX_NAME_CHARS || words > MAX_NAME_WORDS || /[.;!?:]\s/.test(s) || /\n/.test(s);
}

/** Replaces every match with spaces (so later patterns do not see it) and reports it. */
function take(text: string, re: RegExp, found: (m: RegExpMatchArray) => void): string {
  return text.replace(re, (...args) => {
    const m = args[0] as string;
    const groups = args.slice(0, -2) as string[];
    const match = Object.assign([...groups], {
      index: args.at(-2) as number,
      input: text,
    }) as RegExpMatchArray;
    found(match);
    return ' '.repeat(m.length);
  });
}

function completionClaims(text: string, key: string): Claim[] {
  const out: Claim[] = [];
  for (const [action, res] of [
    ['create', CREATE_RES],
    ['update', UPDATE_RES],
    ['any', DONE_RES],
  ] as const) {
    for (const re of res) {
      const m = re.exec(text);
      if (m) {
        out.push({ kind: 'completion', text: m[0].trim(), key, action });
        break;
      }
    }
  }
  // "Done" adds nothing when the answer already says what was done.
  return out.some((c) => c.action !== 'any') ? out.filter((c) => c.action !== 'any') : out;
}

/** Claims in prose: timestamps, ids and codes, equipment names, quoted names, numbers with units. */
function textClaims(text: string, key: string): Claim[] {
  const out: Claim[] = [...completionClaims(text, key)];
  let rest = text.normalize('NFKC').replace(/\u2212/g, '-');
  rest = take(rest, TIMESTAMP_RE, (m) => {
    const c = timestampClaim(m[0], key);
    if (c) out.push(c);
  });
  rest = take(rest, WO_ID_RE, (m) => out.push({ kind: 'work_order', text: m[0], key }));
  rest = take(rest, FM_ID_RE, (m) => out.push({ kind: 'failure_mode', text: m[0], key }));
  rest = take(rest, ASSET_ID_RE, (m) => out.push({ kind: 'asset', text: m[0], key }));
  rest = take(rest, CODE_RE, (m) => out.push({ kind: 'code', text: m[0], key }));
  rest = take(rest, ASSET_NAME_RE, (m) => out.push({ kind: 'asset', text: m[0].replace(/\s+/g, ' '), key }));
  rest = take(rest, QUOTED_RE, (m) => {
    const name = (m[1] ?? m[2] ?? '').trim();
    if (name && !NOT_CLAIMS.has(name.toLowerCase())) out.push({ kind: nameKind(name, key), text: name, key });
  });
  // "1." and "2)" opening list items, and "Step 3" labels, number the layout: they claim nothing.
  rest = blankLayoutNumbers(rest);
  for (const m of rest.matchAll(NUMBER_RE)) {
    const after = rest.slice((m.index ?? 0) + m[0].length);
    const unit = UNIT_RE.exec(after)?.[1];
    const c = numberClaim(m[0], key, unit?.replace(/\s+/g, ''));
    if (c) out.push(c);
  }
  return out;
}

function stringClaims(s: string, key: string): Claim[] {
  const t = s.trim();
  if (t === '' || NOT_CLAIMS.has(t.toLowerCase())) return [];
  // "Done." or "Work order created" is a claim about an action, whatever its length.
  if (PROSE_KEYS.has(normKey(key)) || isProse(t) || completionClaims(t, key).length > 0)
    return textClaims(t, key);
  const ts = timestampClaim(t, key);
  if (ts) return [ts];
  const num = /^([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(.*)$/.exec(t);
  if (num && (num[2] === '' || UNIT_RE.test(` ${num[2]}`))) {
    const c = numberClaim(num[1], key, num[2] || undefined);
    return c ? [c] : [];
  }
  // A short string with a number in it under a generic key ("2 anomalies", "Chiller 1") is
  // read as text, so the number is checked as a number; named fields keep their whole name.
  const kind = nameKind(t, key);
  if (kind === 'name' && /\d/.test(t)) return textClaims(t, key);
  return [{ kind, text: t, key }];
}

function walk(x: unknown, key: string, out: Claim[], depth: number): void {
  if (out.length >= MAX_CLAIMS || depth > 12) return;
  if (typeof x === 'number') {
    if (Number.isFinite(x)) out.push(numberClaim(String(x), key) as Claim);
  } else if (typeof x === 'string') {
    out.push(...stringClaims(x, key));
  } else if (typeof x === 'boolean') {
    if (x && CREATED_FLAG_KEYS.has(normKey(key)))
      out.push({ kind: 'completion', text: `${key}: true`, key, action: 'create' });
  } else if (Array.isArray(x)) {
    for (const item of x) walk(item, key, out, depth + 1);
  } else if (isObj(x)) {
    for (const [k, v] of Object.entries(x)) {
      if (typeof v === 'string' && v.trim() && CREATED_KEYS.has(normKey(k)))
        out.push({ kind: 'completion', text: `${k}: ${v}`, key: k, action: 'create' });
      walk(v, k, out, depth + 1);
    }
  }
}

/**
 * The claims of a final answer, in the order written. JSON (or JSON text) is read by
 * structure; anything else as text. Never throws; at most 300 claims.
 */
export function extractClaims(answer: unknown): Claim[] {
  try {
    const out: Claim[] = [];
    walk(parseJsonText(answer), '', out, 0);
    // Duplicates (the same number twice) are one claim.
    const seen = new Set<string>();
    return out.slice(0, MAX_CLAIMS).filter((c) => {
      const id = `${c.kind}|${norm(c.text)}|${c.action ?? ''}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  } catch {
    return [];
  }
}
