// TSFM recipes: what our tools support.
import { shape } from '../template.ts';
import { type Recipe, recordShape, typed } from './recipe.ts';
import { type Capability, tsfmCapability } from './text.ts';

/**
 * Our TSFM catalog (src/tools/tsfm.ts). The dataset holds no model list, so these are the facts
 * the answers are computed from; validation checks them against get_ai_tasks/get_tsfm_models.
 * IBM's answers name TTM models and a fine-tuning task we do not have: those questions stay
 * free text, except "no model with a 1024 context", which holds for ours too.
 */
const OUR_TSFM_TASKS = [
  'tsfm_forecasting',
  'tsfm_anomaly_detection',
  'tsfm_integrated_tsad',
  'tsfm_forecasting_evaluation',
];
const OUR_TSFM_MODELS: Array<{ id: string; task: string; context: number | null }> = [
  { id: 'holt_winters', task: 'tsfm_forecasting', context: null },
  { id: 'seasonal_naive', task: 'tsfm_forecasting', context: null },
  { id: 'linear_trend', task: 'tsfm_forecasting', context: null },
  { id: 'robust_zscore', task: 'tsfm_anomaly_detection', context: null },
  { id: 'conformal', task: 'tsfm_anomaly_detection', context: null },
  { id: 'multivariate', task: 'tsfm_anomaly_detection', context: null },
];

function capabilityHolds(c: Capability): boolean {
  const models = OUR_TSFM_MODELS.map((m) => m.id).join(' ');
  switch (c) {
    case 'forecasting_models':
      return OUR_TSFM_MODELS.some((m) => m.task === 'tsfm_forecasting');
    case 'lstm':
      return /lstm/i.test(models);
    case 'chronos':
      return /chronos/i.test(models);
    case 'anomaly_detection':
      return OUR_TSFM_TASKS.some((t) => /anomaly/.test(t));
    case 'classification':
      return OUR_TSFM_TASKS.some((t) => /classification/.test(t));
    case 'regression':
      return OUR_TSFM_TASKS.some((t) => /regression/.test(t));
    case 'context_1024':
      return OUR_TSFM_MODELS.some((m) => m.context === 1024);
  }
}

/** The tool a capability is read from. */
export function capabilityTool(c: Capability): 'get_ai_tasks' | 'get_tsfm_models' {
  return c === 'anomaly_detection' || c === 'classification' || c === 'regression'
    ? 'get_ai_tasks'
    : 'get_tsfm_models';
}

/** Yes/no of a published answer ("Yes, ...", "... is not supported", "No, ..."), or null. */
function formBoolean(form: string | null): boolean | null {
  const body = form?.replace(/^.*?should be:?/i, '') ?? '';
  if (/\b(not|no)\b/i.test(body)) return false;
  if (/\byes\b/i.test(body)) return true;
  return null;
}

export const tsfmTasksRecipe: Recipe = async ({ it }) => {
  if (!/\btypes of time series analysis\b|\bwhat (?:ai )?tasks\b/i.test(it.text)) return null;
  const published = [...(it.form ?? '').matchAll(/task_id:\s*'([^']+)'/g)].map((m) => m[1]);
  const differs =
    published.length > 0 && published.slice().sort().join() !== OUR_TSFM_TASKS.slice().sort().join();
  return typed({
    template: 'aob-tsfm-tasks',
    expected: {
      type: 'set',
      values: OUR_TSFM_TASKS,
      aliases: Object.fromEntries(
        OUR_TSFM_TASKS.map((t) => [t, [t.replace(/^tsfm_/, ''), t.replace(/^tsfm_/, '').replace(/_/g, ' ')]]),
      ),
    },
    answerFormat: {
      description: 'The time-series task ids the TSFM tools offer.',
      jsonShape: shape('answer', { type: 'array', items: { type: 'string' } }),
    },
    requiredEvidence: [{ tool: 'get_ai_tasks', description: 'list the TSFM tasks' }],
    referencePlan: [
      { id: 's1', agent: 'tsfm', tool: 'get_ai_tasks', args: {}, description: 'list the TSFM tasks' },
    ],
    divergences: differs
      ? [`the published tasks are IBM's (${published.join(', ')}); ours are ${OUR_TSFM_TASKS.join(', ')}`]
      : [],
  });
};

export const tsfmRegression1024Recipe: Recipe = async ({ it }) => {
  if (!/regression/i.test(it.text) || !/context length 1024/i.test(it.text)) return null;
  const regression = capabilityHolds('regression');
  const context = capabilityHolds('context_1024');
  const said = formBoolean(it.form);
  const defects =
    said !== null && said !== (regression || context)
      ? [`the characteristic form says ${said ? 'yes' : 'no'}`]
      : [];
  return typed({
    template: 'aob-tsfm-regression-1024',
    expected: {
      type: 'record',
      fields: {
        regression: { type: 'boolean', value: regression },
        context_1024: { type: 'boolean', value: context },
      },
    },
    answerFormat: {
      description:
        'Whether regression tasks are supported, and whether any model has a context length of 1024.',
      jsonShape: recordShape({ regression: { type: 'boolean' }, context_1024: { type: 'boolean' } }),
    },
    requiredEvidence: [
      { tool: 'get_ai_tasks', description: 'list the TSFM tasks' },
      { tool: 'get_tsfm_models', description: 'list the TSFM models' },
    ],
    referencePlan: [
      { id: 's1', agent: 'tsfm', tool: 'get_ai_tasks', args: {}, description: 'list the TSFM tasks' },
      { id: 's2', agent: 'tsfm', tool: 'get_tsfm_models', args: {}, description: 'list the TSFM models' },
    ],
    defects,
  });
};

export const tsfmSupportRecipe: Recipe = async ({ it }) => {
  if (!/^\s*(?:is|are)\b.*\bsupported\b/i.test(it.text)) return null;
  const cap = tsfmCapability(it.text);
  if (!cap) return null;
  const value = capabilityHolds(cap);
  const said = formBoolean(it.form);
  const tool = capabilityTool(cap);
  return typed({
    template: 'aob-tsfm-supports',
    expected: { type: 'boolean', value },
    answerFormat: {
      description: 'Yes (true) or no (false).',
      jsonShape: shape('answer', { type: 'boolean' }),
    },
    requiredEvidence: [
      { tool, description: `check the ${tool === 'get_ai_tasks' ? 'tasks' : 'models'} the TSFM tools offer` },
    ],
    referencePlan: [
      {
        id: 's1',
        agent: 'tsfm',
        tool,
        args: {},
        description: `list the TSFM ${tool === 'get_ai_tasks' ? 'tasks' : 'models'}`,
      },
    ],
    divergences:
      said !== null && said !== value
        ? [`the published answer is ${said ? 'yes' : 'no'} for IBM's tools; ours say ${value ? 'yes' : 'no'}`]
        : [],
  });
};
