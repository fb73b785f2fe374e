import { ANOMALY_TEMPLATES } from '../../src/scenarios/templates/anomaly.ts';
import { checkTemplates } from '../support/scenario-harness.ts';

checkTemplates('Anomaly templates', ANOMALY_TEMPLATES);
