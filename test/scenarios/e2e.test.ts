import { E2E_TEMPLATES } from '../../src/scenarios/templates/e2e.ts';
import { checkTemplates } from '../support/scenario-harness.ts';

checkTemplates('End-to-end templates', E2E_TEMPLATES);
