// A scenario as a person reads it (`assetops scenarios show`): the question, what it is, the
// expected answer in words, its traps and the reference plan, with numbers rounded for
// display. The stored scenario keeps full precision; `--json` prints it as it is.
import { expectedInWords, valueText, when } from '../scenarios/describe.ts';
import type { Scenario } from '../scenarios/schema.ts';
import { wrap } from './table.ts';

const argsText = (args: Record<string, unknown>) =>
  Object.entries(args)
    .map(([k, v]) => `${k}=${valueText(v)}`)
    .join(', ');

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
