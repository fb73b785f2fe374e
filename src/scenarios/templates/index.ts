// Every scenario template, by id.
import type { ScenarioTemplate } from '../template.ts';
import { ANOMALY_TEMPLATES } from './anomaly.ts';
import { E2E_TEMPLATES } from './e2e.ts';
import { FMSR_TEMPLATES } from './fmsr.ts';
import { FORECAST_TEMPLATES } from './forecast.ts';
import { IOT_TEMPLATES } from './iot.ts';
import { IOT2_TEMPLATES } from './iot2.ts';
import { WORKORDER_TEMPLATES } from './workorder.ts';

export const TEMPLATES: ScenarioTemplate[] = [
  ...IOT_TEMPLATES,
  ...IOT2_TEMPLATES,
  ...ANOMALY_TEMPLATES,
  ...FMSR_TEMPLATES,
  ...FORECAST_TEMPLATES,
  ...WORKORDER_TEMPLATES,
  ...E2E_TEMPLATES,
];

export const templateById: Map<string, ScenarioTemplate> = new Map(TEMPLATES.map((t) => [t.id, t]));
