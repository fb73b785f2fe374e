// Every scenario template, by id.
import type { ScenarioTemplate } from '../template.ts';
import { IOT_TEMPLATES } from './iot.ts';

export const TEMPLATES: ScenarioTemplate[] = [...IOT_TEMPLATES];

export const templateById: Map<string, ScenarioTemplate> = new Map(TEMPLATES.map((t) => [t.id, t]));
