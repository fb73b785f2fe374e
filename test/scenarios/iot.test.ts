import { IOT_TEMPLATES } from '../../src/scenarios/templates/iot.ts';
import { checkTemplates } from '../support/scenario-harness.ts';

checkTemplates('IoT templates', IOT_TEMPLATES);
