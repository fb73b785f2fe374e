// Plain-text rendering helpers for command output.
import type { Manifest } from '../dataset/manifest.ts';

/** The summary `world info --json` prints (and `world info` shows as text). */
export function worldSummary(m: Manifest): Record<string, unknown> {
  const c = m.counts;
  return {
    kind: m.kind,
    points: m.tables.telemetry?.rows ?? 0,
    sensors: c.sensors ?? m.tables.sensors?.rows ?? 0,
    assets: c.assets ?? m.tables.assets?.rows ?? 0,
    sites: c.sites ?? m.tables.sites?.rows ?? 0,
    assetClasses: c.assetClasses ?? null,
    workOrders: c.workOrders ?? m.tables.work_orders?.rows ?? 0,
    failureModes: c.failureModes ?? m.tables.failure_modes?.rows ?? 0,
    failureCodes: c.failureCodes ?? m.tables.failure_codes?.rows ?? 0,
    alertRules: c.alertRules ?? m.tables.alert_rules?.rows ?? 0,
    alerts: c.alerts ?? m.tables.alerts?.rows ?? 0,
    anomalies: c.anomalies ?? m.tables.anomalies?.rows ?? 0,
    events: c.events ?? m.tables.events?.rows ?? 0,
    episodes: c.episodes ?? m.tables.episodes?.rows ?? 0,
    gaps: c.gaps ?? 0,
    dataFaults: c.dataFaults ?? m.tables.data_faults?.rows ?? 0,
    timeRange: m.timeRange,
    seed: m.seed,
    scale: m.scale,
    generator: m.generator,
    checksum: m.checksum,
  };
}

export function renderSummary(dir: string, m: Manifest): string {
  const s = worldSummary(m);
  const n = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-US') : String(v ?? '-'));
  const tr = m.timeRange;
  const lines = [
    `World at ${dir} (${m.kind === 'generated' ? `seed ${m.seed}, scale ${m.scale}` : 'imported AssetOpsBench data'})`,
    `  sites ${n(s.sites)}, assets ${n(s.assets)} in ${n(s.assetClasses)} classes, sensors ${n(s.sensors)}`,
    `  telemetry ${n(s.points)} readings, ${tr.start} to ${tr.end} (tools see up to ${tr.exposedUntil})`,
    `  work orders ${n(s.workOrders)}${tr.historyStart ? ` since ${tr.historyStart.slice(0, 10)}` : ''}, events ${n(s.events)}`,
    `  alerts ${n(s.alerts)} from ${n(s.alertRules)} rules, anomalies ${n(s.anomalies)}`,
    `  failure modes ${n(s.failureModes)}, failure codes ${n(s.failureCodes)}`,
    `  ground truth: ${n(s.episodes)} degradation episodes, ${n(s.dataFaults)} data-quality faults (${n(s.gaps)} gaps)`,
    `  checksum ${m.checksum.slice(0, 16)}`,
  ];
  return lines.join('\n');
}
