// Questions about what the time-series tools offer: the task types, and whether a model or
// a kind of analysis is supported. Answered from what the tools list, never from memory.
import { norm, words } from '../parse.ts';
import type { Run } from '../run.ts';
import { answer, has, type Intent, wants } from './common.ts';

interface Offer {
  id: string;
  text: string;
}

/** Everything the TSFM tools offer: task ids and model ids with their descriptions. */
async function offers(r: Run): Promise<Offer[]> {
  const tasks = (await r.call('get_ai_tasks', {})).tasks as Array<{ task_id: string; description: string }>;
  const models = (await r.call('get_tsfm_models', {})).models as Array<{
    model_id: string;
    task: string;
    description: string;
  }>;
  return [
    ...(tasks ?? []).map((t) => ({ id: t.task_id, text: `${t.task_id} ${t.description}` })),
    ...(models ?? []).map((m) => ({ id: m.model_id, text: `${m.model_id} ${m.task} ${m.description}` })),
  ];
}

/** Words that say nothing about which capability is meant. */
const FILLER = new Set([
  'is',
  'are',
  'any',
  'model',
  'models',
  'supported',
  'support',
  'tsfm',
  'in',
  'does',
  'time',
  'series',
  'with',
  'or',
  'for',
  'tasks',
  'task',
]);

/** Whether something the tools offer names every meaningful word of the capability. */
function offered(capability: string, list: Offer[]): boolean {
  const wanted = words(capability)
    .filter((w) => !FILLER.has(w))
    .map((w) => w.replace(/ing$|s$/, ''));
  if (wanted.length === 0) return false;
  return list.some((o) => {
    const have = norm(o.text).replace(/_/g, ' ');
    return wanted.every((w) => have.includes(w));
  });
}

export const tsfmTasks: Intent = {
  id: 'tsfm-task-types',
  plan: 'list the time-series task types the TSFM tools offer',
  matches: (r) => wants(r, 'array') && has(r.text, /time series|tsfm/i),
  async run(r) {
    const d = await r.call('get_ai_tasks', {});
    return answer(((d.tasks ?? []) as Array<{ task_id: string }>).map((t) => t.task_id));
  },
};

export const tsfmSupport: Intent = {
  id: 'tsfm-support',
  plan: 'list the TSFM tasks and models and check whether one of them is the capability asked about',
  matches: (r) => wants(r, 'boolean') && has(r.text, /\bsupport/i) && has(r.text, /tsfm|time series|model/i),
  async run(r) {
    const capability = /\b(?:is|are)\s+(.+?)\s+supported\b/i.exec(r.text)?.[1] ?? r.text;
    return answer(offered(capability, await offers(r)));
  },
};

export const tsfmRegressionContext: Intent = {
  id: 'tsfm-regression-and-context',
  plan: 'check the TSFM tasks and models for regression and for a 1024-step context',
  matches: (r) => r.shape.keys.includes('regression') && r.shape.keys.includes('context_1024'),
  async run(r) {
    const list = await offers(r);
    return { regression: offered('regression', list), context_1024: offered('context 1024', list) };
  },
};

export const TSFM_INTENTS: Intent[] = [tsfmRegressionContext, tsfmSupport, tsfmTasks];
