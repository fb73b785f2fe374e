// The per-item settings the suite documents in index.ts: family, tracks, difficulty and "now".
import { isoFromEpoch } from '../../util/time.ts';
import type { Difficulty, Family, Track } from '../template.ts';
import type { Item } from './published.ts';
import { MONTH, monthNo, ymd } from './text.ts';
import type { World } from './world.ts';

export function familyOf(it: Item): Family {
  const t = (it.type ?? it.category ?? '').toLowerCase();
  const n = it.num ?? 0;
  if (t === 'e2e' || (it.source === 'utterances' && n >= 500 && n < 700)) return 'e2e';
  if (t === 'iot') return 'iot';
  if (t === 'tsfm') return /anomal/i.test(it.text) ? 'anomaly' : 'forecast';
  if (t === 'workorder' || t === 'wo') return 'workorder';
  if (t === 'fmsr' || (n >= 101 && n <= 120)) return 'fmsr';
  // Not reached with the published files; an unknown type is most likely a knowledge question.
  return 'fmsr';
}

const CATEGORY_LEVEL: Record<string, number> = {
  'knowledge query': 0,
  'data query': 1,
  'inference query': 2,
  'tuning query': 2,
  'anomaly detection query': 2,
  'complex query': 2,
};

function textLevel(text: string): number {
  if (
    /recommend|suggest|guid|plan\b|recipe|prioriti|should|build|how can|causal|root cause|distinguish|meaningful/i.test(
      text,
    )
  )
    return 2;
  if (
    /summary|daily|distribution|bundl|predict|detect|relevant|monitor|forecast|anomal|temporal|identif/i.test(
      text,
    )
  )
    return 1;
  return 0;
}

export function difficultyOf(it: Item, paired: Item | undefined, multi: boolean): Difficulty {
  const fromCategory =
    CATEGORY_LEVEL[(it.category ?? '').toLowerCase()] ??
    CATEGORY_LEVEL[(paired?.category ?? '').toLowerCase()];
  const level = Math.min(2, (fromCategory ?? textLevel(it.text)) + (multi ? 1 : 0));
  return (['easy', 'medium', 'hard'] as const)[level];
}

/** End-to-end (multi-agent) items are on the planning track too. */
export function tracksOf(multi: boolean): Track[] {
  return multi ? ['planning', 'execution'] : ['execution'];
}

/** The "now" of a scenario (see index.ts). */
export function scenarioNow(it: Item, family: Family, world: World): string {
  const date = /\bcurrent date is (\d{4}-\d{2}-\d{2})\b/i.exec(it.text);
  if (date) return `${date[1]}T00:00:00Z`;
  const today = new RegExp(`\\btoday is (?:early (?:of )?)?${MONTH},? (\\d{4})\\b`, 'i').exec(it.text);
  if (today) return `${ymd(Number(today[2]), monthNo(today[1]), 1)}T00:00:00Z`;
  return family === 'workorder' ? world.woNow : isoFromEpoch(world.exposedUntil);
}
