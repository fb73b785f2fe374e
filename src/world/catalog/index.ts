// Domain catalogs (failure modes, failure codes, alert rules, PM tasks, phrase banks)
// and lookups over them.
import type { AlertRuleSpec, AssetClassId, FailureCodeSpec, FailureModeSpec } from '../types.ts';
import { ALERT_RULES } from './alertRules.ts';
import { FAILURE_CODES } from './failureCodes.ts';
import { FAILURE_MODES } from './failureModes.ts';

export { ALERT_RULES } from './alertRules.ts';
export { FAILURE_CODES } from './failureCodes.ts';
export { FAILURE_MODES } from './failureModes.ts';
export { CORRECTIVE_PHRASES, DUPLICATE_NOTE_PHRASES, FOLLOW_UP_PHRASES, PM_PHRASES } from './phrases.ts';
export { PM_TASKS } from './pmTasks.ts';

// Built once: the catalogs are static.
const modesByClass = new Map<AssetClassId, FailureModeSpec[]>();
for (const m of FAILURE_MODES) {
  const list = modesByClass.get(m.assetClass) ?? [];
  list.push(m);
  modesByClass.set(m.assetClass, list);
}
const modeById = new Map(FAILURE_MODES.map((m) => [m.id, m]));
const ruleById = new Map(ALERT_RULES.map((r) => [r.id, r]));
const codeBySecondary = new Map(FAILURE_CODES.map((c) => [c.secondaryCode, c]));

export function failureModesFor(assetClass: AssetClassId): FailureModeSpec[] {
  return modesByClass.get(assetClass) ?? [];
}

export function failureModeById(id: string): FailureModeSpec | undefined {
  return modeById.get(id);
}

export function alertRuleById(id: string): AlertRuleSpec | undefined {
  return ruleById.get(id);
}

export function failureCodeBySecondary(code: string): FailureCodeSpec | undefined {
  return codeBySecondary.get(code);
}
