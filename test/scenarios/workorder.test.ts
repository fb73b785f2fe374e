import { WORKORDER_TEMPLATES } from '../../src/scenarios/templates/workorder.ts';
import { checkTemplates } from '../support/scenario-harness.ts';

checkTemplates('Work-order templates', WORKORDER_TEMPLATES);
