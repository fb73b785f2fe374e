// Consistency of the domain catalogs with each other and with the class specs.
import { describe, expect, it } from 'vitest';
import {
  ALERT_RULES,
  alertRuleById,
  CORRECTIVE_PHRASES,
  DUPLICATE_NOTE_PHRASES,
  FAILURE_CODES,
  FAILURE_MODES,
  FOLLOW_UP_PHRASES,
  failureCodeBySecondary,
  failureModeById,
  failureModesFor,
  PM_PHRASES,
  PM_TASKS,
} from '../src/world/catalog/index.ts';
import { CLASS_SPECS } from '../src/world/classes/specs.ts';
import { ASSET_CLASSES, type AssetClassId } from '../src/world/types.ts';

const EXPECTED_MODES: Record<AssetClassId, number> = {
  chiller: 14,
  ahu: 12,
  pump: 7,
  cooling_tower: 7,
  boiler: 7,
  air_compressor: 6,
};

// Target PM work orders per asset per year.
const PM_PER_YEAR: Record<AssetClassId, [number, number]> = {
  chiller: [14, 18],
  ahu: [9, 12],
  pump: [6, 8],
  cooling_tower: [9, 12],
  boiler: [8, 11],
  air_compressor: [10, 14],
};

// For each rule: the knobs that push its sensor toward the alarm, and the sign of the
// knob change that does it (+1 = knob goes up). Mirrors the signal model's physics.
const RULE_TRIGGERS: Record<string, Record<string, 1 | -1>> = {
  RUL0101: { evap_approach_add: 1, temp_sensor_bias: 1 },
  RUL0102: { cond_approach_add: 1 },
  RUL0103: { kw_per_ton_factor: 1 },
  RUL0104: { discharge_temp_add: 1 },
  RUL0105: { vibration_add: 1 },
  RUL0106: { purge_runtime_add: 1 },
  RUL0107: { supply_temp_offset: 1, temp_sensor_bias: 1 },
  RUL0108: { filter_loading: 1 },
  RUL0109: { fan_vibration_add: 1 },
  RUL0110: { valve_leak: 1, coil_fouling: 1, damper_stuck: 1, temp_sensor_bias: 1, control_noise: 1 },
  RUL0111: { bearing_wear: 1, misalignment: 1, suction_restriction: 1 },
  RUL0112: { impeller_wear: 1, seal_leak: 1, suction_restriction: 1, control_noise: 1 },
  RUL0113: { fill_fouling: 1, nozzle_clogging: 1, fan_efficiency_factor: -1, temp_sensor_bias: 1 },
  RUL0114: { gearbox_wear: 1 },
  RUL0115: { makeup_fault: 1 },
  RUL0116: { fireside_fouling: 1, waterside_scale: 1 },
  RUL0117: { excess_air_add: 1 },
  RUL0118: { ignition_fault: 1, temp_sensor_bias: -1 },
  RUL0119: { cooler_fouling: 1, intake_filter_loading: 1, bearing_wear: 1 },
  RUL0120: { dryer_fault: 1 },
  RUL0121: { bearing_wear: 1 },
  RUL0122: { air_leak: 1, intake_filter_loading: 1, valve_fault: 1 },
};

const sensorKeys = (c: AssetClassId) => new Set(CLASS_SPECS[c].sensors.map((s) => s.key));
const knobKeys = (c: AssetClassId) => new Set(CLASS_SPECS[c].knobs.map((k) => k.key));
const primaryCodes = new Set(FAILURE_CODES.map((c) => c.primaryCode));

describe('failure codes', () => {
  it('has 138-146 secondary codes in at least 8 categories', () => {
    expect(FAILURE_CODES.length).toBeGreaterThanOrEqual(138);
    expect(FAILURE_CODES.length).toBeLessThanOrEqual(146);
    expect(new Set(FAILURE_CODES.map((c) => c.category)).size).toBeGreaterThanOrEqual(8);
  });

  it('has unique secondary codes formed as primary + lower-case letter', () => {
    expect(new Set(FAILURE_CODES.map((c) => c.secondaryCode)).size).toBe(FAILURE_CODES.length);
    for (const c of FAILURE_CODES) {
      expect(c.secondaryCode).toMatch(/^[A-Z]{1,2}\d{2,3}[a-z]$/);
      expect(c.secondaryCode.slice(0, -1)).toBe(c.primaryCode);
    }
  });

  it('gives each primary code one category and one description', () => {
    const seen = new Map<string, string>();
    for (const c of FAILURE_CODES) {
      const key = `${c.category}|${c.primaryDescription}`;
      expect(seen.get(c.primaryCode) ?? key).toBe(key);
      seen.set(c.primaryCode, key);
    }
  });
});

describe('failure modes', () => {
  it('has exactly 53 modes with the expected count per class', () => {
    expect(FAILURE_MODES.length).toBe(53);
    for (const c of ASSET_CLASSES) expect(failureModesFor(c).length, c).toBe(EXPECTED_MODES[c]);
  });

  it('has unique ids that follow the class prefix', () => {
    expect(new Set(FAILURE_MODES.map((m) => m.id)).size).toBe(FAILURE_MODES.length);
    const prefix: Record<AssetClassId, string> = {
      chiller: 'CH',
      ahu: 'AH',
      pump: 'PU',
      cooling_tower: 'CT',
      boiler: 'BO',
      air_compressor: 'AC',
    };
    for (const m of FAILURE_MODES) {
      expect(m.id).toMatch(new RegExp(`^FM-${prefix[m.assetClass]}-\\d{2}$`));
      expect(failureModeById(m.id)).toBe(m);
    }
  });

  it('uses only sensors and knobs of its own class', () => {
    for (const m of FAILURE_MODES) {
      const sensors = sensorKeys(m.assetClass);
      const knobs = knobKeys(m.assetClass);
      expect(m.sensors.length, m.id).toBeGreaterThanOrEqual(2);
      expect(m.sensors.length, m.id).toBeLessThanOrEqual(5);
      for (const s of m.sensors) expect(sensors.has(s), `${m.id} sensor ${s}`).toBe(true);
      expect(m.effects.length, m.id).toBeGreaterThanOrEqual(1);
      expect(m.effects.length, m.id).toBeLessThanOrEqual(4);
      expect(new Set(m.effects.map((e) => e.knob)).size, `${m.id} repeats a knob`).toBe(m.effects.length);
      for (const e of m.effects) {
        expect(knobs.has(e.knob), `${m.id} knob ${e.knob}`).toBe(true);
        expect(e.atFullSeverity, `${m.id} ${e.knob}`).not.toBe(0);
      }
    }
  });

  it('has sane progression, weight and repair ranges', () => {
    for (const m of FAILURE_MODES) {
      expect(m.progressionDays.min, m.id).toBeGreaterThanOrEqual(1);
      expect(m.progressionDays.min, m.id).toBeLessThanOrEqual(m.progressionDays.max);
      expect(m.weight, m.id).toBeGreaterThanOrEqual(0.5);
      expect(m.weight, m.id).toBeLessThanOrEqual(3);
      expect(m.repair.laborHours[0], m.id).toBeLessThanOrEqual(m.repair.laborHours[1]);
      expect(m.repair.partsCost[0], m.id).toBeLessThanOrEqual(m.repair.partsCost[1]);
      expect(m.signature.length, m.id).toBeGreaterThan(40);
    }
  });

  it('writes a corrective (non-MT) secondary code that exists', () => {
    for (const m of FAILURE_MODES) {
      expect(failureCodeBySecondary(m.failureCode), `${m.id} code ${m.failureCode}`).toBeDefined();
      expect(m.failureCode.startsWith('MT'), m.id).toBe(false);
    }
  });

  it('links 1-2 rules of its own class whose sensor it lists', () => {
    for (const m of FAILURE_MODES) {
      expect(m.alertRules.length, m.id).toBeGreaterThanOrEqual(1);
      expect(m.alertRules.length, m.id).toBeLessThanOrEqual(2);
      for (const id of m.alertRules) {
        const rule = alertRuleById(id);
        expect(rule, `${m.id} rule ${id}`).toBeDefined();
        expect(rule!.assetClass, `${m.id} rule ${id}`).toBe(m.assetClass);
        expect(m.sensors, `${m.id} should list the sensor of ${id}`).toContain(rule!.sensor);
      }
    }
  });
});

describe('alert rules', () => {
  it('has 18-22 rules with unique ids, at least 2 per class', () => {
    expect(ALERT_RULES.length).toBeGreaterThanOrEqual(18);
    expect(ALERT_RULES.length).toBeLessThanOrEqual(22);
    expect(new Set(ALERT_RULES.map((r) => r.id)).size).toBe(ALERT_RULES.length);
    for (const r of ALERT_RULES) expect(r.id).toMatch(/^RUL\d{4}$/);
    for (const c of ASSET_CLASSES) {
      expect(ALERT_RULES.filter((r) => r.assetClass === c).length, c).toBeGreaterThanOrEqual(2);
    }
  });

  it('watches a sensor of its class and points at existing primary codes', () => {
    for (const r of ALERT_RULES) {
      expect(sensorKeys(r.assetClass).has(r.sensor), `${r.id} sensor ${r.sensor}`).toBe(true);
      expect(r.failureCodes.length, r.id).toBeGreaterThan(0);
      for (const code of r.failureCodes) expect(primaryCodes.has(code), `${r.id} code ${code}`).toBe(true);
      expect(r.minDurationMinutes, r.id).toBeGreaterThan(0);
      expect(r.description.length, r.id).toBeGreaterThan(20);
    }
  });

  it('runs only-when-running rules on classes that log run status', () => {
    for (const r of ALERT_RULES.filter((x) => x.onlyWhenRunning)) {
      expect(sensorKeys(r.assetClass).has('run_status'), r.id).toBe(true);
    }
  });

  it('is referenced by at least one failure mode', () => {
    const used = new Set(FAILURE_MODES.flatMap((m) => m.alertRules));
    for (const r of ALERT_RULES) expect(used.has(r.id), r.id).toBe(true);
  });

  it('is linked only to modes that push its sensor the alarming way', () => {
    for (const m of FAILURE_MODES) {
      for (const id of m.alertRules) {
        const triggers = RULE_TRIGGERS[id];
        expect(triggers, `RULE_TRIGGERS has no entry for ${id}`).toBeDefined();
        const fires = m.effects.some(
          (e) => triggers[e.knob] !== undefined && Math.sign(e.atFullSeverity) === triggers[e.knob],
        );
        expect(fires, `${m.id} moves no knob that trips ${id}`).toBe(true);
      }
    }
  });
});

describe('PM tasks', () => {
  it('uses existing MT codes and valid intervals', () => {
    for (const t of PM_TASKS) {
      expect(failureCodeBySecondary(t.code), t.code).toBeDefined();
      expect(t.code.startsWith('MT'), t.code).toBe(true);
      expect([1, 3, 6, 12]).toContain(t.intervalMonths);
      expect(t.laborHours[0]).toBeLessThanOrEqual(t.laborHours[1]);
    }
  });

  it('gives each class 3-6 tasks and the target PM volume per year', () => {
    for (const c of ASSET_CLASSES) {
      const tasks = PM_TASKS.filter((t) => t.assetClass === c);
      expect(tasks.length, c).toBeGreaterThanOrEqual(3);
      expect(tasks.length, c).toBeLessThanOrEqual(6);
      expect(new Set(tasks.map((t) => t.code)).size, `${c} repeats a code`).toBe(tasks.length);
      const perYear = tasks.reduce((sum, t) => sum + 12 / t.intervalMonths, 0);
      expect(perYear, c).toBeGreaterThanOrEqual(PM_PER_YEAR[c][0]);
      expect(perYear, c).toBeLessThanOrEqual(PM_PER_YEAR[c][1]);
    }
  });
});

describe('phrases', () => {
  const placeholders = (s: string) => s.match(/\{[^}]*\}/g) ?? [];

  it('has 4 corrective phrases per failure mode and no phrases for unknown modes', () => {
    for (const m of FAILURE_MODES) expect(CORRECTIVE_PHRASES[m.id]?.length, m.id).toBe(4);
    for (const id of Object.keys(CORRECTIVE_PHRASES)) expect(failureModeById(id), id).toBeDefined();
  });

  it('has 2-3 phrases for every PM task code', () => {
    for (const t of PM_TASKS) {
      expect(PM_PHRASES[t.code]?.length, t.code).toBeGreaterThanOrEqual(2);
      expect(PM_PHRASES[t.code]?.length, t.code).toBeLessThanOrEqual(3);
    }
  });

  it('has follow-up and duplicate banks', () => {
    expect(FOLLOW_UP_PHRASES.length).toBeGreaterThanOrEqual(8);
    expect(DUPLICATE_NOTE_PHRASES.length).toBeGreaterThanOrEqual(4);
  });

  it('uses only the known placeholders', () => {
    for (const list of Object.values(CORRECTIVE_PHRASES)) {
      for (const p of list)
        for (const ph of placeholders(p)) expect(['{asset}', '{component}']).toContain(ph);
    }
    for (const list of Object.values(PM_PHRASES)) {
      for (const p of list) for (const ph of placeholders(p)) expect(ph).toBe('{asset}');
    }
    for (const p of [...FOLLOW_UP_PHRASES, ...DUPLICATE_NOTE_PHRASES]) expect(placeholders(p)).toEqual([]);
  });
});
