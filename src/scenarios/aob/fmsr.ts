// FMSR recipes: failure modes and sensors.
import { shape } from '../template.ts';
import { type Recipe, typed } from './recipe.ts';
import { exactAsset } from './text.ts';
import { sql } from './world.ts';

/** The subject of "List all ... of (asset) X (at MAIN site)." */
function listSubject(text: string, what: string): string | null {
  const m = new RegExp(
    `^\\s*list all ${what} of (?:asset )?(.+?)(?:\\s+at (?:the )?\\w+ site)?\\s*[.?]?\\s*$`,
    'i',
  ).exec(text);
  return m ? m[1].trim() : null;
}

function words(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** The items of the first [...] list in a characteristic form. */
function formList(form: string | null): string[] {
  const m = form ? /\[(.*)\]/s.exec(form) : null;
  if (!m) return [];
  return m[1]
    .split(/'\s*,\s*'/)
    .map((s) => s.replace(/^\s*'|'\s*$/g, '').trim())
    .filter(Boolean);
}

export const failureModesRecipe: Recipe = async ({ world, it }) => {
  const subject = listSubject(it.text, 'failure modes');
  if (!subject) return null;
  const asset = exactAsset(world, subject);
  const norm = subject.toLowerCase().replace(/\s+/g, '_');
  const cls = asset?.asset_class ?? world.fmClasses.find((c) => c === norm || `${c}s` === norm);
  if (!cls) return null;
  const modes = await sql<{ id: string; name: string; mech: string | null }>(
    world.ds,
    `select failure_mode_id id, name, degradation_mechanism mech from failure_modes where asset_class = $c order by failure_mode_id`,
    { c: cls },
  );
  if (modes.length === 0) return null;
  const defects: string[] = [];
  const listed = formList(it.form);
  if (listed.length > 0 && listed.length !== modes.length) {
    // A mode is in the published list when all words of its name appear in one listed item.
    const inForm = modes.filter((m) => listed.some((l) => words(m.name).every((w) => words(l).includes(w))));
    const first = inForm.length === listed.length && inForm.every((m, i) => m.id === modes[i].id);
    defects.push(
      `the characteristic form lists ${listed.length} failure modes, the failure-mode table has ${modes.length} for class ${cls}` +
        (first
          ? ` (the listed ones are its first ${listed.length} rows, ${modes[0].id} to ${modes[listed.length - 1].id})`
          : '') +
        `; missing: ${modes
          .filter((m) => !inForm.includes(m))
          .map((m) => m.name)
          .join(', ')}`,
    );
  }
  const target = asset ? asset.name : cls;
  return typed({
    template: 'aob-failure-modes',
    expected: {
      type: 'set',
      values: modes.map((m) => m.name),
      aliases: Object.fromEntries(
        modes.map((m) => [
          m.name,
          [
            m.id,
            ...(m.mech ? [`${m.name} ${m.mech}`, `${m.name}: ${m.mech}`, `${m.name} - ${m.mech}`] : []),
            m.name.replace(/:/g, ''),
          ],
        ]),
      ),
    },
    answerFormat: {
      description: `The failure modes of ${target} (names or ids from the failure-mode catalog).`,
      jsonShape: shape('answer', { type: 'array', items: { type: 'string' } }),
    },
    requiredEvidence: [
      {
        tool: 'get_failure_modes',
        ...(asset ? { asset: asset.asset_id } : {}),
        description: `list the failure modes of ${target}`,
      },
    ],
    referencePlan: [
      {
        id: 's1',
        agent: 'fmsr',
        tool: 'get_failure_modes',
        args: asset ? { asset: asset.name } : { asset_class: cls },
        description: `failure modes of ${target}`,
      },
    ],
    defects,
  });
};

export const sensorsRecipe: Recipe = async ({ world, it }) => {
  const subject = listSubject(it.text, 'installed sensors');
  const a = subject ? exactAsset(world, subject) : null;
  if (!a) return null;
  const rows = await sql<{ sensor_id: string; label: string; sensor_key: string }>(
    world.ds,
    'select sensor_id, label, sensor_key from sensors where asset_id = $a order by sensor_id',
    { a: a.asset_id },
  );
  if (rows.length === 0) return null;
  const defects: string[] = [];
  const listed = (it.form ? (/\bare:?\s*(.+)$/s.exec(it.form)?.[1] ?? '') : '')
    .split(/,\s*/)
    .map((s) =>
      s
        .replace(/[.\s]+$/, '')
        .trim()
        .toLowerCase(),
    )
    .filter(Boolean);
  if (listed.length > 0 && listed.length !== rows.length) {
    const missing = rows.filter((r) => !listed.includes(r.sensor_id.toLowerCase())).map((r) => r.label);
    defects.push(
      `the characteristic form lists ${listed.length} sensors of ${a.name}, the published telemetry has ${rows.length}` +
        (missing.length ? ` (it omits ${missing.join(', ')})` : ''),
    );
  }
  return typed({
    template: 'aob-sensors',
    expected: {
      type: 'set',
      values: rows.map((r) => r.sensor_id),
      aliases: Object.fromEntries(rows.map((r) => [r.sensor_id, [r.label, r.sensor_key]])),
    },
    answerFormat: {
      description: `The sensors of ${a.name}.`,
      jsonShape: shape('answer', { type: 'array', items: { type: 'string' } }),
    },
    requiredEvidence: [{ tool: 'sensors', asset: a.asset_id, description: `list the sensors of ${a.name}` }],
    referencePlan: [
      {
        id: 's1',
        agent: 'iot',
        tool: 'sensors',
        args: { asset: a.name },
        description: `sensors of ${a.name}`,
      },
    ],
    defects,
  });
};
