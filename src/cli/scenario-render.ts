// A scenario as a person reads it (`assetops scenarios show`): the question, what it is, the
// expected answer in words, its traps and the reference plan, with numbers rounded for
// display. The stored scenario keeps full precision; `--json` prints it as it is.
import type { ExpectedAnswer, Scenario } from '../scenarios/schema.ts';
import { wrap } from './table.ts';

/** A number for display: integers as they are, others to 2 decimals (4 below 1), trailing zeros dropped. */
export function displayNumber(x: number): string {
  if (Number.isInteger(x) || !Number.isFinite(x)) return String(x);
  return String(Number(x.toFixed(Math.abs(x) < 1 ? 4 : 2)));
}

/** A JSON value as short text, numbers rounded for display and spaces after commas (so it wraps). */
function valueText(v: unknown): string {
  if (typeof v === 'number') return displayNumber(v);
  if (Array.isArray(v)) return `[${v.map(valueText).join(', ')}]`;
  if (v && typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}: ${valueText(x)}`)
      .join(', ')}}`;
  return JSON.stringify(v) ?? 'null';
}

const argsText = (args: Record<string, unknown>) =>
  Object.entries(args)
    .map(([k, v]) => `${k}=${valueText(v)}`)
    .join(', ');

function aliasNote(aliases: string[]): string {
  if (aliases.length === 0) return '';
  const shown = aliases.slice(0, 3).map((a) => `"${a}"`);
  const more = aliases.length > 3 ? ` and ${aliases.length - 3} more` : '';
  return ` (also accepted: ${shown.join(', ')}${more})`;
}

const minutesText = (m: number) => (m % 60 === 0 && m >= 60 ? `${m / 60} h` : `${m} min`);
const when = (iso: string) =>
  iso
    .replace('T', ' ')
    .replace(/:00(\.000)?Z$/, ' UTC')
    .replace(/Z$/, ' UTC');

/** The expected answer in words, one line per part (a record has one per field). */
export function expectedInWords(e: ExpectedAnswer): string[] {
  switch (e.type) {
    case 'count':
      return [`the count ${e.value}`];
    case 'number': {
      const tol = [
        e.tolerance.abs !== undefined ? `±${displayNumber(e.tolerance.abs)}` : null,
        e.tolerance.rel !== undefined ? `±${displayNumber(100 * e.tolerance.rel)}%` : null,
      ].filter(Boolean);
      return [
        `${displayNumber(e.value)}${e.unit ? ` ${e.unit}` : ''}${tol.length ? ` (within ${tol.join(' or ')})` : ''}`,
      ];
    }
    case 'entity':
      return [`"${e.value}"${aliasNote(e.aliases)}`];
    case 'set':
      return [
        `the ${e.values.length === 1 ? 'one value' : `${e.values.length} values`} ${e.values.map((v) => `"${v}"`).join(', ')}${e.minF1 < 1 ? ` (F1 at least ${displayNumber(e.minF1)})` : ' (exactly these)'}`,
      ];
    case 'ranking':
      return [
        `in this order: ${e.values.join(' > ')} (${e.metric === 'kendall' ? `Kendall tau at least ${displayNumber(e.threshold)}` : `top ${e.k ?? e.values.length}, overlap at least ${displayNumber(e.threshold)}`})`,
      ];
    case 'time_window':
      return e.mode === 'timestamp'
        ? [`the time ${when(e.start)}, within ${minutesText(e.toleranceMinutes)}`]
        : [
            `the window ${when(e.start)} to ${e.end ? when(e.end) : 'now'} (overlap at least ${displayNumber(100 * e.minOverlap)}%, edges within ${minutesText(e.toleranceMinutes)})`,
          ];
    case 'forecast': {
      const first = e.actual[0];
      const last = e.actual[e.actual.length - 1];
      return [
        `a forecast of ${e.sensor} (${e.asset}) for ${e.actual.length} points, ${when(first.ts)} to ${when(last.ts)}; passes with an MAE at most ${displayNumber(e.maxRelativeMae)}x the seasonal-naive one (${displayNumber(e.naiveMae)})`,
      ];
    }
    case 'boolean':
      return [e.value ? 'yes' : 'no'];
    case 'free_text':
      return [`free text, read by the judge; a good answer: ${e.characteristic}`];
    case 'record':
      return Object.entries(e.fields).map(([k, f]) => `${k}: ${expectedInWords(f).join('; ')}`);
  }
}

export function renderScenario(s: Scenario, width: number): string {
  const label = 16;
  const out: string[] = [s.id];
  // A labelled field: the label in a column, its text wrapped beside it; an item's own
  // continuation lines are indented, so where one item (a plan step) ends is plain.
  const field = (name: string, lines: string[]) => {
    const room = Math.max(30, width - label - 4);
    const wrapped = lines.flatMap((l) => {
      const w = wrap(l, room).map((x, i) => (i === 0 ? x : `  ${x}`));
      return w.length ? w : [''];
    });
    wrapped.forEach((l, i) => {
      out.push(`  ${(i === 0 ? name : '').padEnd(label)}${l}`);
    });
  };
  field('question', [s.utterance]);
  field('family', [`${s.family} (template ${s.template}, ${s.difficulty}, tracks: ${s.tracks.join(', ')})`]);
  field('now', [`${when(s.context.now)}${s.context.site ? `, site ${s.context.site}` : ''}`]);
  field('answer type', [s.expected.type]);
  field('expected', expectedInWords(s.expected));
  field(
    'traps',
    s.traps.length ? s.traps.map((t) => `${t.kind.replace(/_/g, ' ')}: ${t.description}`) : ['none'],
  );
  if (s.clarification)
    field('clarification', [`asks "${s.clarification.question}", told "${s.clarification.reply}"`]);
  field(
    'evidence',
    s.requiredEvidence.length
      ? s.requiredEvidence.map(
          (e) => `${[e.tool, ...e.anyOf].join(' or ')}${e.asset ? ` on ${e.asset}` : ''}: ${e.description}`,
        )
      : ['none'],
  );
  field(
    'reference plan',
    s.referencePlan.length
      ? s.referencePlan.map(
          (p) =>
            `${p.id}. ${p.agent}/${p.tool}(${argsText(p.args)})${p.dependsOn.length ? ` after ${p.dependsOn.join(', ')}` : ''}: ${p.description}`,
        )
      : ['none'],
  );
  const pv = s.provenance;
  field('source', [
    pv.source === 'aob' && pv.aob
      ? `AssetOpsBench item ${pv.aob.id}${pv.aob.defects.length ? `; known defects: ${pv.aob.defects.join('; ')}` : ''}`
      : `generated, split ${pv.split ?? '-'}, seed ${pv.seed ?? '-'}`,
  ]);
  out.push('', '  (--json prints the scenario as stored, full precision)');
  return out.join('\n');
}
