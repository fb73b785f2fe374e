// Work-order recipes: counts, distributions per code, bundles, the next work order.
import { DAY, sqlTimestamp } from '../../util/time.ts';
import { shape } from '../template.ts';
import {
  countsBefore,
  describe,
  intShape,
  openCountsShape,
  type Recipe,
  recordShape,
  ts,
  typed,
  unreachable,
  windowOf,
} from './recipe.ts';
import { endExclusive, NUM, numberOf, oneAsset, periodIn } from './text.ts';
import { sql } from './world.ts';

export const woCountRecipe: Recipe = async (ctx) => {
  const { world, it } = ctx;
  if (!/\bwork orders?\b/i.test(it.text)) return null;
  if (
    /recommend|suggest|prioriti|should|bundl|predict|distribution|anomal|alert|\bevents?\b|probabilit/i.test(
      it.text,
    )
  )
    return null;
  const a = oneAsset(world, it.text);
  const p = periodIn(it.text);
  if (!a || !p) return null;
  const kind = /\bpreventive\b/i.test(it.text)
    ? 'preventive'
    : /\bcorrective\b/i.test(it.text)
      ? 'corrective'
      : 'all';
  const why = await unreachable(ctx, p, 'work_orders', 'actual_finish', a.asset_id);
  if (why) return { kind: 'unreachable', reason: why };
  const [row] = await sql<{ n: number }>(
    world.ds,
    `select count(*)::INT n from work_orders where asset_id = $a and actual_finish >= $s::TIMESTAMP and actual_finish < $e::TIMESTAMP
       ${kind === 'all' ? '' : `and preventive = ${kind === 'preventive'}`}`,
    { a: a.asset_id, s: ts(p.start), e: ts(endExclusive(p)) },
  );
  const said = countsBefore(it.form, 'records?|work orders?');
  const defects =
    said.length > 0 && !said.includes(row.n)
      ? [`the characteristic form says ${said.join(', ')}; computed ${row.n}`]
      : [];
  const tool = kind === 'all' ? 'get_work_orders' : `get_${kind}_work_orders`;
  const what = kind === 'all' ? 'work orders' : `${kind} work orders`;
  const eq = a.equipment_id ?? a.asset_id;
  return typed({
    template: 'aob-wo-count',
    expected: { type: 'count', value: row.n },
    answerFormat: {
      description: `The number of ${what} of ${eq} finished in the period the question names (list them in your explanation).`,
      jsonShape: shape('answer', intShape),
    },
    requiredEvidence: [
      {
        tool,
        anyOf: kind === 'all' ? [] : ['get_work_orders'],
        asset: a.asset_id,
        window: windowOf(p),
        description: `retrieve the ${what} of ${eq} for ${describe(p)}`,
      },
    ],
    referencePlan: [
      {
        id: 's1',
        agent: 'wo',
        tool,
        args: { asset: eq, start: p.start, end: p.end },
        description: `${what} of ${eq}`,
      },
    ],
    defects,
  });
};

export const woDistributionRecipe: Recipe = async (ctx) => {
  const { world, it } = ctx;
  if (!/work order distribution/i.test(it.text)) return null;
  const a = oneAsset(world, it.text);
  const p = periodIn(it.text);
  if (!a || !p) return null;
  const why = await unreachable(ctx, p, 'work_orders', 'actual_finish', a.asset_id);
  if (why) return { kind: 'unreachable', reason: why };
  const rows = await sql<{ code: string; n: number }>(
    world.ds,
    `select primary_code code, count(*)::INT n from work_orders where asset_id = $a and primary_code is not null
       and actual_finish >= $s::TIMESTAMP and actual_finish < $e::TIMESTAMP group by 1 order by 2 desc, 1`,
    { a: a.asset_id, s: ts(p.start), e: ts(endExclusive(p)) },
  );
  const total = rows.reduce((s, r) => s + r.n, 0);
  const defects: string[] = [];
  const said = new Map(
    [...(it.form ?? '').matchAll(new RegExp(`\\b([A-Z]{1,3}\\d{3}[a-z]?)\\s+occurred\\s+${NUM}`, 'g'))].map(
      (m) => [m[1], numberOf(m[2])],
    ),
  );
  if (said.size > 0) {
    const wrong = [...said].filter(([c, n]) => rows.find((r) => r.code === c)?.n !== n);
    const unsaid = rows.filter((r) => !said.has(r.code));
    if (wrong.length || unsaid.length) {
      defects.push(
        `the characteristic form gives ${[...said].map(([c, n]) => `${c} ${n}`).join(', ')}; computed ${rows.map((r) => `${r.code} ${r.n}`).join(', ')}`,
      );
    }
  }
  const eq = a.equipment_id ?? a.asset_id;
  return typed({
    template: 'aob-wo-distribution',
    expected: {
      type: 'record',
      fields: {
        total_work_orders: { type: 'count', value: total },
        ...Object.fromEntries(rows.map((r) => [r.code, { type: 'count', value: r.n }])),
      },
    },
    answerFormat: {
      description: `How many of ${eq}'s work orders finished in the period the question names carry each primary failure code, and the total.`,
      jsonShape: {
        ...openCountsShape('total_work_orders, and the count per primary code (e.g. "MT001": 12)'),
        required: ['total_work_orders'],
      },
    },
    requiredEvidence: [
      {
        tool: 'get_work_order_distribution',
        anyOf: ['get_work_orders'],
        asset: a.asset_id,
        window: windowOf(p),
        description: `count ${eq}'s work orders per code for ${describe(p)}`,
      },
    ],
    referencePlan: [
      {
        id: 's1',
        agent: 'wo',
        tool: 'get_work_order_distribution',
        args: { asset: eq, start: p.start, end: p.end },
        description: 'work orders per code pair',
      },
    ],
    defects,
  });
};

/** The largest bundling gap tried when looking for the reading behind a published bundle answer. */
const MAX_GAP_DAYS = 60;

/** Work orders finished in order and chained while each comes at most gapDays after the previous. */
function chainSizes(finishes: number[], gapDays: number, minSize: number): number[] {
  const chains: number[][] = [];
  for (const f of finishes) {
    const last = chains[chains.length - 1];
    if (last && f - last[last.length - 1] <= gapDays * DAY) last.push(f);
    else chains.push([f]);
  }
  return chains.filter((c) => c.length >= minSize).map((c) => c.length);
}

export const bundlesRecipe: Recipe = async (ctx) => {
  const { world, it } = ctx;
  if (!/\bbundl/i.test(it.text)) return null;
  const a = oneAsset(world, it.text);
  const p = periodIn(it.text);
  if (!a || !p) return null;
  // "within two weeks", "say in two weeks", "within 10 days"; AssetOpsBench's default is two weeks.
  const weeks = /\b(?:within|in)\s+(?:a\s+)?(\w+)[\s-]+weeks?\b/i.exec(it.text);
  const days = /\b(?:within|in)\s+(\d+)\s+days?\b/i.exec(it.text);
  const gapDays = days
    ? Number(days[1])
    : weeks && numberOf(weeks[1]) !== null
      ? 7 * (numberOf(weeks[1]) as number)
      : 14;
  const minTok = new RegExp(`\\bat least ${NUM}\\b`, 'i').exec(it.text)?.[1];
  const minSize = (minTok ? numberOf(minTok) : null) ?? 2;
  const why = await unreachable(ctx, p, 'work_orders', 'actual_finish', a.asset_id);
  if (why) return { kind: 'unreachable', reason: why };
  const rows = await sql<{ f: number }>(
    world.ds,
    `select epoch(actual_finish)::BIGINT f from work_orders where asset_id = $a and not preventive
       and actual_finish >= $s::TIMESTAMP and actual_finish < $e::TIMESTAMP order by actual_finish, wo_id`,
    { a: a.asset_id, s: ts(p.start), e: ts(endExclusive(p)) },
  );
  const sizes = chainSizes(
    rows.map((r) => Number(r.f)),
    gapDays,
    minSize,
  );
  const defects: string[] = [];
  const form = it.form ?? '';
  const saidCount = new RegExp(`\\b${NUM}\\s+bundles?\\b`, 'i').exec(form);
  // Sizes are the form's plain numbers, not its years.
  const saidSizes = [...form.matchAll(/(?<![\w.-])(\d+)(?![\w-])/g)]
    .map((m) => Number(m[1]))
    .filter((n) => n < 1900 || n > 2099);
  const key = (xs: number[]) => [...xs].sort((x, y) => x - y).join(',');
  const saidN = saidCount ? numberOf(saidCount[1]) : null;
  const agrees = (xs: number[]) =>
    (saidN === null || saidN === xs.length) && (saidSizes.length === 0 || key(saidSizes) === key(xs));
  if ((saidN !== null || saidSizes.length > 0) && !agrees(sizes)) {
    // Is the published answer another gap's answer? Try every whole-day gap up to 60 days.
    const finishes = rows.map((r) => Number(r.f));
    const other = Array.from({ length: MAX_GAP_DAYS }, (_, i) => i + 1).find((g) =>
      agrees(chainSizes(finishes, g, minSize)),
    );
    const published = `${saidCount ? `${saidCount[1]} bundles` : 'bundles'}${saidSizes.length ? ` of ${saidSizes.join(', ')}` : ''}`;
    defects.push(
      `the characteristic form says ${published}; ${a.equipment_id ?? a.asset_id}'s corrective work orders ${describe(p)} ` +
        `chained with a gap of at most ${gapDays} days (at least ${minSize} per bundle) give ${sizes.length} bundle(s)` +
        `${sizes.length ? ` of ${sizes.join(', ')}` : ''}, and ` +
        (other
          ? `the published answer needs a gap of ${other} days`
          : `no gap from 1 to ${MAX_GAP_DAYS} days reproduces it`),
    );
  }
  const eq = a.equipment_id ?? a.asset_id;
  const fields: Record<string, { type: 'count'; value: number }> = {
    bundles: { type: 'count', value: sizes.length },
  };
  sizes.forEach((n, i) => {
    fields[`bundle_${i + 1}_size`] = { type: 'count', value: n };
  });
  return typed({
    template: 'aob-bundles',
    expected: { type: 'record', fields },
    answerFormat: {
      description:
        `The bundles of ${eq}'s corrective work orders (${describe(p)}; consecutive orders at most ${gapDays} days apart, ` +
        `at least ${minSize} per bundle): how many, and the size of each in time order as bundle_1_size, bundle_2_size, ...`,
      jsonShape: {
        ...openCountsShape(
          'bundles (the number of bundles) and bundle_<n>_size for each bundle in time order',
        ),
        required: ['bundles'],
      },
    },
    requiredEvidence: [
      {
        tool: 'bundle_work_orders',
        anyOf: ['get_corrective_work_orders', 'get_work_orders'],
        asset: a.asset_id,
        window: windowOf(p),
        description: `group ${eq}'s corrective work orders of ${describe(p)} into bundles`,
      },
    ],
    referencePlan: [
      {
        id: 's1',
        agent: 'wo',
        tool: 'bundle_work_orders',
        args: { asset: eq, start: p.start, end: p.end, gap_days: gapDays, min_size: minSize },
        description: 'bundle the corrective work orders',
      },
    ],
    defects,
  });
};

export const woNextRecipe: Recipe = async (ctx) => {
  const { world, it } = ctx;
  if (!/predict (?:the )?next work order/i.test(it.text)) return null;
  // Without a stated date the prediction depends on when it is asked (412): free text.
  const date = /\bcurrent date is (\d{4}-\d{2}-\d{2})\b/i.exec(it.text)?.[1];
  const a = oneAsset(world, it.text);
  if (!date || !a) return null;
  const rows = await sql<{ code: string }>(
    world.ds,
    `select primary_code code from work_orders where asset_id = $a and primary_code is not null
       and actual_finish <= $now::TIMESTAMP order by actual_finish, wo_id`,
    { a: a.asset_id, now: sqlTimestamp(ctx.now) },
  );
  if (rows.length < 2) return null;
  // First-order Markov chain: what followed the last code; when nothing ever did, the overall frequencies.
  const codes = rows.map((r) => r.code);
  const last = codes[codes.length - 1];
  const next = new Map<string, number>();
  for (let i = 0; i + 1 < codes.length; i++)
    if (codes[i] === last) next.set(codes[i + 1], (next.get(codes[i + 1]) ?? 0) + 1);
  if (next.size === 0) for (const c of codes) next.set(c, (next.get(c) ?? 0) + 1);
  const total = [...next.values()].reduce((s, n) => s + n, 0);
  const best = Math.max(...next.values());
  const top = [...next]
    .filter(([, n]) => n === best)
    .map(([c]) => c)
    .sort();
  const p = best / total;
  const defects: string[] = [];
  const saidCodes = [...(it.form ?? '').matchAll(/\b([A-Z]{1,3}\d{3})\b/g)].map((m) => m[1]);
  const saidProbs = [...(it.form ?? '').matchAll(/\bprobability of (0?\.\d+|1(?:\.0+)?)\b/gi)].map((m) =>
    Number(m[1]),
  );
  if (saidProbs.length && !saidProbs.some((x) => Math.abs(x - p) < 0.01)) {
    defects.push(
      `the characteristic form gives ${[...new Set(saidCodes)].join(', ')} a probability of ${saidProbs.join(', ')}; the first-order ` +
        `Markov chain over ${a.equipment_id ?? a.asset_id}'s work orders up to ${date} (last code ${last}) gives ` +
        `${top.join(', ')} ${p.toFixed(3)} (${best} of ${total} transitions)`,
    );
  }
  const eq = a.equipment_id ?? a.asset_id;
  return typed({
    template: 'aob-wo-next',
    expected: {
      type: 'record',
      fields: {
        most_likely:
          top.length === 1
            ? { type: 'entity', value: top[0], aliases: [] }
            : { type: 'set', values: top, aliases: {} },
        probability: { type: 'number', value: p, tolerance: { abs: 0.005 } },
      },
    },
    answerFormat: {
      description: `The most likely primary code of ${eq}'s next work order and its probability (list the others too).`,
      jsonShape: recordShape({ most_likely: { type: 'string' }, probability: { type: 'number' } }),
    },
    requiredEvidence: [
      {
        tool: 'predict_next_work_order',
        asset: a.asset_id,
        description: `predict ${eq}'s next work order from its history`,
      },
    ],
    referencePlan: [
      {
        id: 's1',
        agent: 'wo',
        tool: 'predict_next_work_order',
        args: { asset: eq },
        description: 'Markov prediction',
      },
    ],
    defects,
  });
};
