import { FORECAST_TEMPLATES } from '../../src/scenarios/templates/forecast.ts';
import { checkTemplates } from '../support/scenario-harness.ts';

checkTemplates('Forecast templates', FORECAST_TEMPLATES);
