// ReAct "Action Input" text as structured arguments. ReActXen logs keep what the model wrote,
// and the published files use every form a model writes: "site_name=MAIN, assetnum=Chiller 6",
// JSON objects, "{}", Python lists ("['a', 'b']"), positional lists ("Chiller 6, [...], [...]"),
// and a bare string for one-argument tools ("Chiller 6"). Scorers and detectors compare calls by
// their arguments (repetition, wrong entity, retrieval), so an argument left as one opaque string
// is invisible to them. The tool's parameter names come from the system prompt of the same log
// ("(3) assets[site_name] : ..."), when it is there.

/** Tool name -> parameter names, read from a ReActXen system prompt's tool list. */
export type Signatures = Map<string, string[]>;

// "(2) history[site_name, assetnum, start, final] : Returns ..."
const TOOL_LINE = /^\s*\(\d+\)\s*([^[\n]+?)\s*\[([^\]\n]*)\]\s*:/gm;
// ReActXen's placeholder for a tool that takes nothing.
const NO_ARGS = new Set(['v__args', '']);

export function signaturesOf(systemPrompt: unknown): Signatures {
  const out: Signatures = new Map();
  if (typeof systemPrompt !== 'string') return out;
  for (const m of systemPrompt.matchAll(TOOL_LINE)) {
    const params = m[2]
      .split(',')
      .map((p) => p.trim())
      .filter((p) => !NO_ARGS.has(p));
    out.set(m[1].trim(), params);
  }
  return out;
}

/** "Action Input 3: site_name=MAIN" as the short export writes it: the label is not the input. */
const INPUT_LABEL = /^\s*Action\s+Input(?:\s+\d+)?\s*:\s*/i;

/** Splits at commas outside quotes, brackets and braces. */
function splitTop(text: string, at: (i: number) => boolean = () => true): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      // An apostrophe inside a word ("Chiller's") does not open a quote.
      if (ch === '"' || !/\w/.test(text[i - 1] ?? '')) quote = ch;
    } else if (ch === '[' || ch === '{' || ch === '(') depth++;
    else if (ch === ']' || ch === '}' || ch === ')') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0 && at(i)) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0]) return t.slice(1, -1);
  return t;
}

/** "['a', 'b']", '["a"]', "[a, b]": a list of strings (or whatever JSON it holds). */
function listOf(text: string): unknown[] | null {
  const t = text.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return null;
  try {
    const v = JSON.parse(t);
    if (Array.isArray(v)) return v;
  } catch {
    // Python's repr, not JSON: split it ourselves.
  }
  return splitTop(t.slice(1, -1)).map(unquote);
}

/** One value as written: JSON scalars and lists parsed, quotes removed, the rest kept as text. */
function valueIn(text: string): unknown {
  const t = text.trim();
  const list = listOf(t);
  if (list) return list;
  if (/^[{]/.test(t)) {
    try {
      return JSON.parse(t);
    } catch {
      return t;
    }
  }
  if (/^(?:None|null)$/.test(t)) return null;
  return unquote(t);
}

const KEY_START = /^\s*([A-Za-z_][\w]*)\s*=(?!=)/;

/**
 * The arguments an Action Input stands for. `params` are the tool's parameter names when the log
 * names them. Never throws; text it cannot structure becomes {input: text} (or the one
 * parameter's name), so the call still carries its argument.
 */
export function parseActionInput(raw: unknown, params?: string[]): Record<string, unknown> {
  if (raw === null || raw === undefined) return {};
  if (typeof raw === 'object') {
    return Array.isArray(raw) ? { [params?.[0] ?? 'input']: raw } : (raw as Record<string, unknown>);
  }
  const text = String(raw).replace(INPUT_LABEL, '').trim();
  if (text === '' || text === '{}' || /^(?:None|null)$/.test(text)) return {};
  if (text.startsWith('{')) {
    try {
      const v = JSON.parse(text);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // Not JSON after all: read on as text.
    }
  }
  // key=value, key=value: split only at commas that start another key.
  if (KEY_START.test(text)) {
    const parts = splitTop(text, (i) => KEY_START.test(text.slice(i + 1)));
    const out: Record<string, unknown> = {};
    for (const p of parts) {
      const m = KEY_START.exec(p);
      if (!m) continue;
      out[m[1]] = valueIn(p.slice(m[0].length));
    }
    if (Object.keys(out).length > 0) return out;
  }
  const names = params ?? [];
  if (names.length === 1) return { [names[0]]: valueIn(text) };
  if (names.length > 1) {
    const parts = splitTop(text);
    if (parts.length > 1 && parts.length <= names.length) {
      return Object.fromEntries(parts.map((p, i) => [names[i], valueIn(p)]));
    }
  }
  // A list on its own, or text for a tool whose parameters we do not know.
  return { input: valueIn(text) };
}
