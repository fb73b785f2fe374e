// Forecasting requests: the next hours hour by hour, tomorrow's mean, the hour of tomorrow's
// peak, whether a limit will be crossed, and a backtest of two models.
//
// The baseline forecasts with seasonal naive (tomorrow repeats today): the simplest model
// the tools offer and the reference every forecasting agent is meant to beat.
import { addDays, dayMentions, dayOf, epochOf, epochOfDay, hoursAhead } from '../parse.ts';
import { type Run, type SensorInfo, Unable } from '../run.ts';
import { answer, has, type Intent, mean, tidy, wants } from './common.ts';

const MODEL = 'seasonal_naive';

interface Point {
  ts: string;
  mean: number;
}

async function hourlyForecast(
  r: Run,
  asset: string,
  sensor: SensorInfo,
  horizon: number,
  model = MODEL,
): Promise<Point[]> {
  const d = await r.call('run_tsfm_forecasting', {
    asset,
    sensor: sensor.label,
    horizon,
    frequency: 'hourly',
    model,
  });
  return r.allRows<Point>(d, 'forecast');
}

/** Tomorrow (UTC) as the request names it, or the day after now. */
function tomorrow(r: Run): string {
  const named = dayMentions(r.text).find((d) => d.day > dayOf(r.now));
  return named?.day ?? addDays(dayOf(r.now), 1);
}

/** Forecast points that fall on one day. */
async function dayForecast(r: Run): Promise<{ sensor: SensorInfo; points: Point[] }> {
  const asset = r.asset();
  const sensor = await r.sensorIn(asset);
  const day = tomorrow(r);
  const end = epochOfDay(addDays(day, 1));
  // Enough hours to reach the end of that day, with a day to spare in case the sensor's last
  // reading (where the forecast starts) is older than now.
  const horizon = Math.ceil((end - r.now) / 3600) + 24;
  const points = await hourlyForecast(r, asset, sensor, horizon);
  const start = epochOfDay(day);
  const inDay = points.filter((p) => epochOf(p.ts) >= start && epochOf(p.ts) < end);
  if (inDay.length === 0) throw new Unable(`the forecast does not reach ${day}`);
  return { sensor, points: inDay };
}

export const nextHours: Intent = {
  id: 'forecast-next-hours',
  plan: 'forecast the sensor hourly for the hours asked (seasonal naive) and give every point',
  matches: (r) => r.shape.keys.includes('forecast'),
  async run(r) {
    const asset = r.asset();
    const sensor = await r.sensorIn(asset);
    const horizon = hoursAhead(r.text) ?? 24;
    const points = await hourlyForecast(r, asset, sensor, horizon);
    return { forecast: points.slice(0, horizon).map((p) => ({ ts: p.ts, value: p.mean })) };
  },
};

export const tomorrowMean: Intent = {
  id: 'forecast-tomorrow-mean',
  plan: "forecast hourly to the end of tomorrow and average that day's hours",
  matches: (r) => wants(r, 'number') && has(r.text, /\btomorrow\b/i) && has(r.text, /\b(average|mean)\b/i),
  async run(r) {
    const { points } = await dayForecast(r);
    return answer(tidy(mean(points.map((p) => p.mean)) as number));
  },
};

export const peakHour: Intent = {
  id: 'forecast-peak-hour',
  plan: 'forecast hourly to the end of tomorrow and take the hour with the highest value',
  matches: (r) => wants(r, 'string') && has(r.text, /\btomorrow\b/i) && has(r.text, /\bpeak/i),
  async run(r) {
    const { points } = await dayForecast(r);
    let best = points[0];
    for (const p of points) if (p.mean > best.mean) best = p;
    return answer(best.ts);
  },
};

export const exceedLimit: Intent = {
  id: 'forecast-exceed-limit',
  plan: 'forecast hourly over the hours asked and check whether any value goes above the limit',
  matches: (r) => wants(r, 'boolean') && has(r.text, /\babove\s+-?\d/i) && hoursAhead(r.text) !== null,
  async run(r) {
    const limit = Number(/\babove\s+(-?\d+(?:\.\d+)?)/i.exec(r.text)?.[1]);
    const horizon = hoursAhead(r.text) ?? 24;
    const asset = r.asset();
    // The limit is not a sensor name: look for the sensor in the text before it.
    const sensor = await r.sensorIn(asset, r.text.replace(/\babove\b.*$/i, ''));
    const points = (await hourlyForecast(r, asset, sensor, horizon)).slice(0, horizon);
    return answer(points.some((p) => p.mean > limit));
  },
};

export const backtest: Intent = {
  id: 'forecast-backtest',
  plan: 'backtest Holt-Winters on the last 24 hours; the result carries seasonal naive too; lower MAE wins',
  matches: (r) => {
    const e = r.shape.answerEnum ?? [];
    return e.includes('holt_winters') && e.includes('seasonal_naive');
  },
  async run(r) {
    const asset = r.asset();
    const sensor = await r.sensorIn(asset);
    const m = /\blast (\d+) (?:hourly values|hours)\b/i.exec(r.text);
    const d = await r.call('forecast_evaluation', {
      asset,
      sensor: sensor.label,
      horizon: m ? Number(m[1]) : 24,
      frequency: 'hourly',
      model: 'holt_winters',
    });
    const hw = (d.metrics as Record<string, number | null>)?.mae;
    const naive = (d.baseline_metrics as Record<string, number | null>)?.mae;
    if (typeof hw !== 'number' || typeof naive !== 'number') throw new Unable('the backtest gave no MAE');
    if (d.model !== 'holt_winters') return answer('seasonal_naive');
    return answer(hw < naive ? 'holt_winters' : 'seasonal_naive');
  },
};

export const FORECAST_INTENTS: Intent[] = [backtest, nextHours, tomorrowMean, peakHour, exceedLimit];
