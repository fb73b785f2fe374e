// Every rule, in the order they are tried: answer formats with their own fields first (they
// say the most about the request), then the {answer: ...} requests, most specific first.
import type { Intent } from './common.ts';
import { E2E_INTENTS } from './e2e.ts';
import { EVENT_INTENTS } from './events.ts';
import { FMSR_INTENTS } from './fmsr.ts';
import { FORECAST_INTENTS } from './forecast.ts';
import { IOT_INTENTS } from './iot.ts';
import { TSFM_INTENTS } from './tsfm.ts';
import { WORKORDER_INTENTS } from './workorders.ts';

export type { Answer, Intent } from './common.ts';

export const INTENTS: Intent[] = [
  ...E2E_INTENTS,
  ...FORECAST_INTENTS,
  ...WORKORDER_INTENTS,
  ...FMSR_INTENTS,
  ...EVENT_INTENTS,
  ...IOT_INTENTS,
  ...TSFM_INTENTS,
];
