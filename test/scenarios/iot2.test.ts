import { IOT2_TEMPLATES } from '../../src/scenarios/templates/iot2.ts';
import { checkTemplates } from '../support/scenario-harness.ts';

checkTemplates('IoT templates (2)', IOT2_TEMPLATES);
