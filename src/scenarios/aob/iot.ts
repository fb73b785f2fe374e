// IoT recipes: sites, assets, asset details, readings.
import { shape } from '../template.ts';
import { describe, intShape, type Recipe, recordShape, ts, typed, unreachable, windowOf } from './recipe.ts';
import { assetAliases, assetsIn, endExclusive, escapeRe, oneAsset, periodIn, siteIn } from './text.ts';
import { sql } from './world.ts';

export const sitesRecipe: Recipe = async ({ world, it }) => {
  if (
    !/\bsites\b/i.test(it.text) ||
    !/\b(what|which|list)\b/i.test(it.text) ||
    assetsIn(world, it.text).length
  )
    return null;
  const rows = await sql<{ site_id: string; name: string }>(
    world.ds,
    'select site_id, name from sites order by site_id',
  );
  return typed({
    template: 'aob-sites',
    expected: {
      type: 'set',
      values: rows.map((r) => r.site_id),
      aliases: Object.fromEntries(rows.map((r) => [r.site_id, [r.name]])),
    },
    answerFormat: {
      description: 'The ids of all sites.',
      jsonShape: shape('answer', { type: 'array', items: { type: 'string' } }),
    },
    requiredEvidence: [{ tool: 'sites', description: 'list the sites' }],
    referencePlan: [{ id: 's1', agent: 'iot', tool: 'sites', args: {}, description: 'list the sites' }],
  });
};

export const assetsRecipe: Recipe = async ({ world, it }) => {
  const m =
    /\b(?:what|which|list)\b.*?\b(assets|chillers|ahus|pumps|boilers)\b.*?\b(?:at|located at|found at)\b/i.exec(
      it.text,
    );
  const site = siteIn(world, it.text);
  if (!m || !site || assetsIn(world, it.text).length) return null;
  const noun = m[1].toLowerCase();
  const cls = noun === 'assets' ? null : noun.replace(/s$/, '');
  if (cls && !world.assets.some((a) => a.asset_class === cls)) return null;
  const rows = world.assets.filter((a) => a.site_id === site && (!cls || a.asset_class === cls));
  const what = cls ? `${cls}s` : 'assets';
  return typed({
    template: 'aob-assets',
    expected: {
      type: 'set',
      values: rows.map((a) => a.name),
      aliases: Object.fromEntries(rows.map((a) => [a.name, assetAliases(a)])),
    },
    answerFormat: {
      description: `The names (or ids) of all ${what} at ${site}.`,
      jsonShape: shape('answer', { type: 'array', items: { type: 'string' } }),
    },
    requiredEvidence: [{ tool: 'assets', site, description: `list the ${what} of ${site}` }],
    referencePlan: [
      {
        id: 's1',
        agent: 'iot',
        tool: 'assets',
        args: cls ? { site, asset_class: cls } : { site },
        description: `list the ${what} of ${site}`,
      },
    ],
  });
};

export const assetDetailsRecipe: Recipe = async ({ world, it }) => {
  if (!/\b(metadata|asset details)\b/i.test(it.text)) return null;
  const a = oneAsset(world, it.text);
  if (!a) return null;
  const [row] = await sql<{ asset_id: string; site_id: string; asset_class: string }>(
    world.ds,
    'select asset_id, site_id, asset_class from assets where asset_id = $a',
    { a: a.asset_id },
  );
  return typed({
    template: 'aob-asset-details',
    expected: {
      type: 'record',
      fields: {
        asset_id: {
          type: 'entity',
          value: row.asset_id,
          aliases: a.names.filter((n) => n !== row.asset_id),
        },
        site: { type: 'entity', value: row.site_id, aliases: [] },
        asset_class: { type: 'entity', value: row.asset_class, aliases: [`${row.asset_class}s`] },
      },
    },
    answerFormat: {
      description: `The metadata of ${a.name}: its asset id, site and class (more fields are welcome).`,
      jsonShape: recordShape({
        asset_id: { type: 'string' },
        site: { type: 'string' },
        asset_class: { type: 'string' },
      }),
    },
    requiredEvidence: [
      { tool: 'asset_details', asset: a.asset_id, description: `read the details of ${a.name}` },
    ],
    referencePlan: [
      {
        id: 's1',
        agent: 'iot',
        tool: 'asset_details',
        args: { asset: a.name },
        description: `details of ${a.name}`,
      },
    ],
  });
};

export const readingsRecipe: Recipe = async (ctx) => {
  const { world, it } = ctx;
  if (!/\b(retrieve|download|get)\b/i.test(it.text) || !/\bsensor data\b/i.test(it.text)) return null;
  const a = oneAsset(world, it.text);
  const p = periodIn(it.text);
  if (!a || !p) return null;
  const sensors = await sql<{ sensor_id: string; label: string }>(
    world.ds,
    'select sensor_id, label from sensors where asset_id = $a order by sensor_id',
    { a: a.asset_id },
  );
  if (sensors.length === 0) return null;
  // "Chiller 6's Tonnage from ..." names one sensor; "all sensor data for Chiller 6" none.
  const phrase = new RegExp(
    `(?:${a.names.map(escapeRe).join('|')})'s\\s+(.+?)\\s+(?:from|for|in|during)\\b`,
    'i',
  ).exec(it.text)?.[1];
  let chosen = sensors;
  if (phrase) {
    const want = phrase.toLowerCase().trim();
    chosen = sensors.filter(
      (s) =>
        s.label.toLowerCase() === want ||
        s.label.toLowerCase().endsWith(` ${want}`) ||
        s.sensor_id.toLowerCase() === want,
    );
    if (chosen.length !== 1) return null;
  }
  const why = await unreachable(ctx, p, 'telemetry', 'ts', a.asset_id);
  if (why) return { kind: 'unreachable', reason: why };
  const ids = chosen.map((s) => s.sensor_id);
  const [row] = await sql<{ n: number }>(
    world.ds,
    `select count(*)::INT n from telemetry where asset_id = $a ${phrase ? 'and sensor_id = $sensor' : ''}
       and ts >= $s::TIMESTAMP and ts < $e::TIMESTAMP`,
    { a: a.asset_id, ...(phrase ? { sensor: ids[0] } : {}), s: ts(p.start), e: ts(endExclusive(p)) },
  );
  const which = phrase ? ids[0] : `all sensors of ${a.name}`;
  return typed({
    template: 'aob-readings',
    expected: { type: 'record', fields: { readings: { type: 'count', value: row.n } } },
    answerFormat: {
      description: `How many readings of ${which} you retrieved in the period the question names (0 when there are none), and where they are (the handle).`,
      jsonShape: recordShape({ readings: intShape, handle: { type: ['string', 'null'] } }),
    },
    requiredEvidence: [
      {
        tool: 'history',
        asset: a.asset_id,
        ...(phrase ? { sensors: ids } : {}),
        window: windowOf(p),
        description: `read ${which} for ${describe(p)}`,
      },
    ],
    referencePlan: [
      {
        id: 's1',
        agent: 'iot',
        tool: 'history',
        args: { asset: a.name, ...(phrase ? { sensors: ids } : {}), start: p.start, end: endExclusive(p) },
        description: `read ${which} for ${describe(p)}`,
      },
    ],
  });
};
