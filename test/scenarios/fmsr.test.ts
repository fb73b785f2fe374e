import { FMSR_TEMPLATES } from '../../src/scenarios/templates/fmsr.ts';
import { checkTemplates } from '../support/scenario-harness.ts';

checkTemplates('FMSR templates', FMSR_TEMPLATES);
