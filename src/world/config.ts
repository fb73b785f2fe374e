// World configuration: scale presets and the validated config the generator runs on.
import { z } from 'zod';
import { ASSET_CLASSES, type AssetClassId } from './types.ts';

export const GENERATOR_NAME = 'assetops-world';
/** Bump when generated content changes for the same seed. */
export const GENERATOR_VERSION = '1.0.0';

export const SCALES = ['tiny', 'default', 'large'] as const;
export type Scale = (typeof SCALES)[number];

const SiteSchema = z.object({
  siteId: z.string(),
  name: z.string(),
  timezone: z.string(),
  utcOffsetHours: z.number(),
  latitude: z.number(),
  climate: z.enum(['temperate', 'hot_humid', 'dry', 'cold', 'marine']),
  description: z.string(),
  /** What the site does: drives occupancy, internal loads and plant-air demand. */
  profile: z.enum(['office', 'manufacturing', 'datacenter', 'hospital', 'warehouse', 'lab']),
  /** Number of assets of each class at the site. */
  assets: z.record(z.enum(ASSET_CLASSES), z.number().int().nonnegative()),
});
export type SiteConfig = z.infer<typeof SiteSchema>;

export const ForcedEpisodeSchema = z.object({
  /** Asset name, e.g. "Chiller 1". */
  asset: z.string(),
  failureModeId: z.string(),
  /** Days after the telemetry start. */
  onsetDay: z.number().nonnegative(),
  progressionDays: z.number().positive(),
  /** Leave unrepaired (no corrective work order) when false. */
  repair: z.boolean().default(true),
});

export const WorldConfigSchema = z.object({
  seed: z.number().int().nonnegative(),
  scale: z.enum(SCALES),
  /** First telemetry timestamp (UTC, midnight). */
  start: z.string(),
  /** Days of telemetry tools may expose. */
  days: z.number().int().positive(),
  /** Days of telemetry after that, kept for grading forecasts. */
  holdoutDays: z.number().int().nonnegative(),
  /** Years of maintenance history before the telemetry end. */
  historyYears: z.number().positive(),
  /** Base sampling step in minutes (sensors sample at multiples of it). */
  stepMinutes: z.number().int().positive(),
  sites: z.array(SiteSchema).min(1),
  /** Multiplier on episode durations (tiny worlds compress weeks into days). */
  episodeTimeScale: z.number().positive(),
  /** Expected degradation episodes per asset per 30 days of telemetry. */
  episodeRate: z.number().nonnegative(),
  /** Expected data-quality faults per sensor per 30 days, by kind. */
  faultRates: z.object({
    gap: z.number(),
    assetOutage: z.number(),
    stuck: z.number(),
    spike: z.number(),
    drift: z.number(),
    duplicate: z.number(),
  }),
  forcedEpisodes: z.array(ForcedEpisodeSchema).default([]),
  /** Put at least one data-quality fault of every kind on every asset (tiny worlds for tests). */
  ensureEveryFault: z.boolean().default(false),
});
export type WorldConfig = z.infer<typeof WorldConfigSchema>;
export type WorldConfigInput = z.input<typeof WorldConfigSchema>;

function counts(c: Partial<Record<AssetClassId, number>>): Record<AssetClassId, number> {
  return Object.fromEntries(ASSET_CLASSES.map((k) => [k, c[k] ?? 0])) as Record<AssetClassId, number>;
}

const MAIN: Omit<SiteConfig, 'assets'> = {
  siteId: 'MAIN',
  name: 'Main Campus',
  timezone: 'America/New_York',
  utcOffsetHours: -5,
  latitude: 41,
  climate: 'temperate',
  description: 'Central plant serving offices and labs',
  profile: 'office',
};
const RIVERSIDE: Omit<SiteConfig, 'assets'> = {
  siteId: 'RIVERSIDE',
  name: 'Riverside Manufacturing',
  timezone: 'America/Chicago',
  utcOffsetHours: -6,
  latitude: 30,
  climate: 'hot_humid',
  description: 'Two-shift production plant with process cooling and plant air',
  profile: 'manufacturing',
};
const HIGHLAND: Omit<SiteConfig, 'assets'> = {
  siteId: 'HIGHLAND',
  name: 'Highland Data Center',
  timezone: 'America/Denver',
  utcOffsetHours: -7,
  latitude: 39.7,
  climate: 'dry',
  description: 'Around-the-clock data hall cooling with office wing',
  profile: 'datacenter',
};
const EXTRA_SITES: Array<Omit<SiteConfig, 'assets'>> = [
  {
    siteId: 'PORTSIDE',
    name: 'Portside Distribution',
    timezone: 'America/Los_Angeles',
    utcOffsetHours: -8,
    latitude: 37.8,
    climate: 'marine',
    description: 'Cold storage and logistics hub',
    profile: 'warehouse',
  },
  {
    siteId: 'LAKEVIEW',
    name: 'Lakeview Hospital',
    timezone: 'America/Chicago',
    utcOffsetHours: -6,
    latitude: 44,
    climate: 'cold',
    description: '24/7 hospital with heavy heating load',
    profile: 'hospital',
  },
  {
    siteId: 'MESA',
    name: 'Mesa Research Park',
    timezone: 'America/Phoenix',
    utcOffsetHours: -7,
    latitude: 33.4,
    climate: 'dry',
    description: 'Laboratories in a hot desert climate',
    profile: 'lab',
  },
];

const BASE = {
  start: '2024-03-01T00:00:00Z',
  stepMinutes: 15,
  forcedEpisodes: [],
};

/** Scale presets. `default` holds more than 2.3 million readings and 4,200 work orders. */
export function presetConfig(scale: Scale, seed: number): WorldConfig {
  if (scale === 'tiny') {
    return WorldConfigSchema.parse({
      ...BASE,
      seed,
      scale,
      days: 5,
      holdoutDays: 1,
      historyYears: 1,
      episodeTimeScale: 0.1,
      episodeRate: 1.5,
      faultRates: { gap: 1.5, assetOutage: 1, stuck: 0.8, spike: 3, drift: 0.5, duplicate: 0.8 },
      ensureEveryFault: true,
      // Six days are too short for random faults to reliably ripen: plant a few that do,
      // so tests always have alerts, repairs and corrective work orders to look at.
      forcedEpisodes: [
        { asset: 'Chiller 1', failureModeId: 'FM-CH-04', onsetDay: 0.5, progressionDays: 2.5, repair: true },
        { asset: 'AHU 1', failureModeId: 'FM-AH-01', onsetDay: 1, progressionDays: 2, repair: true },
        { asset: 'Pump 1', failureModeId: 'FM-PU-01', onsetDay: 2, progressionDays: 3, repair: false },
      ],
      sites: [
        { ...MAIN, assets: counts({ chiller: 2, ahu: 1, pump: 1, cooling_tower: 1, boiler: 1 }) },
        { ...RIVERSIDE, assets: counts({ air_compressor: 1 }) },
      ],
    });
  }
  if (scale === 'default') {
    return WorldConfigSchema.parse({
      ...BASE,
      seed,
      scale,
      days: 90,
      holdoutDays: 14,
      historyYears: 7,
      episodeTimeScale: 1,
      episodeRate: 0.6,
      faultRates: { gap: 0.35, assetOutage: 0.25, stuck: 0.12, spike: 0.8, drift: 0.05, duplicate: 0.1 },
      sites: [
        {
          ...MAIN,
          assets: counts({ chiller: 6, ahu: 6, pump: 4, cooling_tower: 3, boiler: 2, air_compressor: 2 }),
        },
        {
          ...RIVERSIDE,
          assets: counts({ chiller: 3, ahu: 4, pump: 3, cooling_tower: 2, boiler: 1, air_compressor: 2 }),
        },
        {
          ...HIGHLAND,
          assets: counts({ chiller: 2, ahu: 3, pump: 2, cooling_tower: 1, boiler: 2, air_compressor: 1 }),
        },
      ],
    });
  }
  const bigSite = counts({ chiller: 6, ahu: 8, pump: 5, cooling_tower: 3, boiler: 2, air_compressor: 2 });
  return WorldConfigSchema.parse({
    ...BASE,
    seed,
    scale,
    start: '2023-06-01T00:00:00Z',
    days: 365,
    holdoutDays: 14,
    historyYears: 8,
    episodeTimeScale: 1,
    episodeRate: 0.4,
    faultRates: { gap: 0.35, assetOutage: 0.25, stuck: 0.12, spike: 0.8, drift: 0.05, duplicate: 0.1 },
    sites: [MAIN, RIVERSIDE, HIGHLAND, ...EXTRA_SITES].map((s) => ({ ...s, assets: bigSite })),
  });
}
