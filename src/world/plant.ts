// The plant layout: sites, their assets (names, id aliases, ratings) and each
// asset's sensors, laid out deterministically from the config and seed.
import type { Rng } from '../util/rng.ts';
import { CLASS_SPECS } from './classes/specs.ts';
import type { SiteConfig, WorldConfig } from './config.ts';
import { ASSET_CLASSES, type AssetClassId, type SensorSpec } from './types.ts';

export interface AssetRecord {
  assetId: string;
  name: string;
  equipmentId: string;
  siteId: string;
  assetClass: AssetClassId;
  /** Index of this asset among the site's assets of its class (0-based). */
  classIndex: number;
  description: string;
  manufacturer: string;
  model: string;
  capacity: number;
  capacityUnit: string;
  installYear: number;
  location: string;
  aliases: string[];
  /** For pumps: which loop they serve. */
  service?: 'chilled_water' | 'condenser_water' | 'hot_water';
  sensors: SensorRecord[];
}

export interface SensorRecord {
  sensorId: string;
  spec: SensorSpec;
}

export interface Plant {
  sites: SiteConfig[];
  assets: AssetRecord[];
}

const MAKERS: Record<AssetClassId, Array<[string, string[]]>> = {
  chiller: [
    ['Trane', ['CVHF Centravac', 'RTHD Series R']],
    ['Carrier', ['19XR AquaEdge', '23XRV']],
    ['York', ['YK Centrifugal', 'YMC2 Magnetic']],
  ],
  ahu: [
    ['Trane', ['Performance Climate Changer']],
    ['Daikin', ['Vision AHU', 'Skyline']],
    ['Carrier', ['39M AeroSeries']],
  ],
  pump: [
    ['Bell & Gossett', ['e-1510 End Suction', 'VSX Split Case']],
    ['Armstrong', ['4300 Vertical In-Line']],
    ['Grundfos', ['NK End Suction']],
  ],
  cooling_tower: [
    ['BAC', ['Series 3000 Crossflow']],
    ['Marley', ['NC Crossflow', 'MD Counterflow']],
  ],
  boiler: [
    ['Cleaver-Brooks', ['ClearFire-CE', 'CBEX Elite']],
    ['Lochinvar', ['Crest Condensing']],
  ],
  air_compressor: [
    ['Atlas Copco', ['GA 90 VSD+', 'ZR 160']],
    ['Ingersoll Rand', ['R-Series 110']],
    ['Sullair', ['LS-160']],
  ],
};

const LOCATIONS: Record<AssetClassId, string[]> = {
  chiller: ['Central Plant Level B1', 'Central Plant Mezzanine', 'Chiller Room East'],
  ahu: ['Penthouse Mechanical Room', 'Roof', 'Level 2 Mechanical', 'Basement Fan Room'],
  pump: ['Central Plant Pump Gallery', 'Boiler Room', 'Chiller Room East'],
  cooling_tower: ['Roof Tower Yard', 'Grade-level Tower Enclosure'],
  boiler: ['Boiler Room', 'Central Plant Level B1'],
  air_compressor: ['Compressor Room', 'Utility Annex'],
};

function roundTo(x: number, step: number): number {
  return Math.round(x / step) * step;
}

/** Lays out the plant. Numbering runs plant-wide per class ("Chiller 1" ... "Chiller 11"). */
export function buildPlant(config: WorldConfig, rng: Rng): Plant {
  const assets: AssetRecord[] = [];
  const nextNumber: Record<string, number> = {};
  config.sites.forEach((site, siteIndex) => {
    for (const cls of ASSET_CLASSES) {
      const n = site.assets[cls] ?? 0;
      const spec = CLASS_SPECS[cls];
      for (let i = 0; i < n; i++) {
        const r = rng.fork(`asset:${site.siteId}:${cls}:${i}`);
        nextNumber[cls] = (nextNumber[cls] ?? 0) + 1;
        const number = nextNumber[cls];
        const name = `${spec.displayName} ${number}`;
        const equipmentId = `${spec.equipmentPrefix}0${4 + siteIndex}${String(number).padStart(3, '0')}`;
        const [maker, models] = r.pick(MAKERS[cls]);
        const model = r.pick(models);
        const capStep = spec.capacity.max > 5000 ? 500 : spec.capacity.max > 1000 ? 50 : 10;
        const capacity = roundTo(r.uniform(spec.capacity.min, spec.capacity.max), capStep);
        const service =
          cls === 'pump' ? (['chilled_water', 'condenser_water', 'hot_water'] as const)[i % 3] : undefined;
        const serviceText = service ? ` (${service.replace('_', ' ')} loop)` : '';
        const asset: AssetRecord = {
          assetId: equipmentId,
          name,
          equipmentId,
          siteId: site.siteId,
          assetClass: cls,
          classIndex: i,
          description: `${maker} ${model} ${spec.displayName.toLowerCase()}${serviceText}, ${capacity} ${spec.capacity.unit}`,
          manufacturer: maker,
          model,
          capacity,
          capacityUnit: spec.capacity.unit,
          installYear: r.int(2002, 2019),
          location: `${site.name}, ${r.pick(LOCATIONS[cls])}`,
          aliases: [
            name,
            name.toLowerCase(),
            equipmentId,
            `${site.siteId}-${name.replaceAll(' ', '-').toUpperCase()}`,
          ],
          service,
          sensors: spec.sensors.map((s) => ({ sensorId: `${name} ${s.label}`, spec: s })),
        };
        assets.push(asset);
      }
    }
  });
  return { sites: config.sites, assets };
}
