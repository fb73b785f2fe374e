// The dataset format: which tables a dataset folder holds and their columns.
// Generated worlds and imported AssetOpsBench data share this one format, so every
// tool, scenario and scorer reads both the same way.

export const DATASET_FORMAT = 'assetops-dataset';
export const FORMAT_VERSION = 1;

export type ColumnType = 'VARCHAR' | 'DOUBLE' | 'INTEGER' | 'BIGINT' | 'BOOLEAN' | 'TIMESTAMP';

export interface TableDef {
  name: string;
  columns: ReadonlyArray<readonly [string, ColumnType]>;
  description: string;
}

function table(name: string, description: string, columns: Array<readonly [string, ColumnType]>): TableDef {
  return { name, description, columns };
}

// Timestamps are UTC (DuckDB TIMESTAMP without zone). JSON-valued columns hold
// canonical JSON text (lists of keys, detail objects).
export const TABLES = {
  sites: table('sites', 'Plant sites', [
    ['site_id', 'VARCHAR'],
    ['name', 'VARCHAR'],
    ['timezone', 'VARCHAR'],
    ['utc_offset_hours', 'DOUBLE'],
    ['latitude', 'DOUBLE'],
    ['climate', 'VARCHAR'],
    ['description', 'VARCHAR'],
  ]),
  assets: table('assets', 'Equipment, each with its name and id aliases', [
    ['asset_id', 'VARCHAR'],
    ['name', 'VARCHAR'],
    ['equipment_id', 'VARCHAR'],
    ['site_id', 'VARCHAR'],
    ['asset_class', 'VARCHAR'],
    ['description', 'VARCHAR'],
    ['manufacturer', 'VARCHAR'],
    ['model', 'VARCHAR'],
    ['capacity', 'DOUBLE'],
    ['capacity_unit', 'VARCHAR'],
    ['install_date', 'TIMESTAMP'],
    ['location', 'VARCHAR'],
    // JSON list of other names the asset goes by (e.g. "chiller 9", "CWC04009").
    ['aliases', 'VARCHAR'],
  ]),
  sensors: table('sensors', 'Points logged by the building system', [
    ['sensor_id', 'VARCHAR'],
    ['asset_id', 'VARCHAR'],
    ['sensor_key', 'VARCHAR'],
    ['label', 'VARCHAR'],
    ['unit', 'VARCHAR'],
    ['interval_minutes', 'INTEGER'],
    ['calculated', 'BOOLEAN'],
    ['min_value', 'DOUBLE'],
    ['max_value', 'DOUBLE'],
    ['description', 'VARCHAR'],
  ]),
  telemetry: table('telemetry', 'Sensor readings (long format), sorted by asset, sensor and time', [
    ['asset_id', 'VARCHAR'],
    ['sensor_id', 'VARCHAR'],
    ['ts', 'TIMESTAMP'],
    ['value', 'DOUBLE'],
  ]),
  failure_modes: table('failure_modes', 'Failure-mode catalog with the sensors that reveal each mode', [
    ['failure_mode_id', 'VARCHAR'],
    ['asset_class', 'VARCHAR'],
    ['name', 'VARCHAR'],
    ['component', 'VARCHAR'],
    ['degradation_mechanism', 'VARCHAR'],
    // JSON list of strings.
    ['influencing_factors', 'VARCHAR'],
    // JSON list of sensor keys of the class.
    ['sensors', 'VARCHAR'],
    ['signature', 'VARCHAR'],
    ['failure_code', 'VARCHAR'],
    // JSON list of alert rule ids.
    ['alert_rules', 'VARCHAR'],
  ]),
  failure_codes: table('failure_codes', 'Failure and maintenance codes (primary and secondary)', [
    ['category', 'VARCHAR'],
    ['primary_code', 'VARCHAR'],
    ['primary_description', 'VARCHAR'],
    ['secondary_code', 'VARCHAR'],
    ['secondary_description', 'VARCHAR'],
  ]),
  alert_rules: table('alert_rules', 'Rules of the building rule engine', [
    ['rule_id', 'VARCHAR'],
    ['name', 'VARCHAR'],
    ['asset_class', 'VARCHAR'],
    ['sensor_key', 'VARCHAR'],
    ['logic', 'VARCHAR'],
    ['severity', 'VARCHAR'],
    // JSON list of primary failure codes.
    ['failure_codes', 'VARCHAR'],
  ]),
  alerts: table('alerts', 'Alerts raised by the rule engine', [
    ['alert_id', 'VARCHAR'],
    ['rule_id', 'VARCHAR'],
    ['asset_id', 'VARCHAR'],
    ['start_time', 'TIMESTAMP'],
    ['end_time', 'TIMESTAMP'],
    ['severity', 'VARCHAR'],
    ['peak_value', 'DOUBLE'],
  ]),
  anomalies: table('anomalies', 'KPI anomaly events with the band they left and a score', [
    ['anomaly_id', 'VARCHAR'],
    ['asset_id', 'VARCHAR'],
    ['kpi', 'VARCHAR'],
    ['ts', 'TIMESTAMP'],
    ['value', 'DOUBLE'],
    ['upper_bound', 'DOUBLE'],
    ['lower_bound', 'DOUBLE'],
    ['score', 'DOUBLE'],
  ]),
  work_orders: table('work_orders', 'Work orders from the maintenance system', [
    ['wo_id', 'VARCHAR'],
    ['asset_id', 'VARCHAR'],
    ['description', 'VARCHAR'],
    // The component the work is about ("collection" in AssetOpsBench).
    ['component', 'VARCHAR'],
    ['preventive', 'BOOLEAN'],
    ['primary_code', 'VARCHAR'],
    ['secondary_code', 'VARCHAR'],
    ['priority', 'INTEGER'],
    ['status', 'VARCHAR'],
    ['reported_time', 'TIMESTAMP'],
    ['actual_start', 'TIMESTAMP'],
    ['actual_finish', 'TIMESTAMP'],
    ['duration_hours', 'DOUBLE'],
    ['labor_hours', 'DOUBLE'],
    ['cost', 'DOUBLE'],
    // Time zone the finish time was logged in when it is not UTC (a known mess).
    ['logged_timezone', 'VARCHAR'],
  ]),
  events: table('events', 'One log uniting work orders, alerts and anomalies', [
    ['event_id', 'VARCHAR'],
    ['event_group', 'VARCHAR'],
    ['event_category', 'VARCHAR'],
    ['event_type', 'VARCHAR'],
    ['description', 'VARCHAR'],
    ['asset_id', 'VARCHAR'],
    ['event_time', 'TIMESTAMP'],
    ['note', 'VARCHAR'],
  ]),
  episodes: table(
    'episodes',
    'Ground truth: degradation episodes (asset, failure mode, onset, detection, repair)',
    [
      ['episode_id', 'VARCHAR'],
      ['asset_id', 'VARCHAR'],
      ['failure_mode_id', 'VARCHAR'],
      ['onset', 'TIMESTAMP'],
      ['peak_severity', 'DOUBLE'],
      ['detection', 'TIMESTAMP'],
      // alert id, anomaly id, "inspection" or null when never detected.
      ['detected_by', 'VARCHAR'],
      ['repair', 'TIMESTAMP'],
      ['work_order_id', 'VARCHAR'],
      ['has_telemetry', 'BOOLEAN'],
      // e.g. "closed_while_fault_persists"
      ['note', 'VARCHAR'],
    ],
  ),
  data_faults: table(
    'data_faults',
    'Ground truth: data-quality faults (gaps, stuck values, spikes, drift, duplicates, clock skew)',
    [
      ['fault_id', 'VARCHAR'],
      ['kind', 'VARCHAR'],
      ['asset_id', 'VARCHAR'],
      // null for asset-wide or site-wide faults
      ['sensor_id', 'VARCHAR'],
      ['start_time', 'TIMESTAMP'],
      ['end_time', 'TIMESTAMP'],
      // JSON object with kind-specific detail
      ['detail', 'VARCHAR'],
    ],
  ),
  meters: table('meters', 'Meter definitions (imported AssetOpsBench data)', [
    ['meter', 'VARCHAR'],
    ['component', 'VARCHAR'],
    ['measurement', 'VARCHAR'],
    ['unit', 'VARCHAR'],
    ['description', 'VARCHAR'],
    ['calculated', 'BOOLEAN'],
    ['formula', 'VARCHAR'],
  ]),
  components: table('components', 'Component taxonomy', [
    ['asset_class', 'VARCHAR'],
    ['component', 'VARCHAR'],
    ['explanation', 'VARCHAR'],
  ]),
} as const satisfies Record<string, TableDef>;

export type TableName = keyof typeof TABLES;

/** Tables every dataset must have (possibly empty). */
export const REQUIRED_TABLES: TableName[] = [
  'sites',
  'assets',
  'sensors',
  'telemetry',
  'failure_modes',
  'failure_codes',
  'alert_rules',
  'alerts',
  'anomalies',
  'work_orders',
  'events',
  'episodes',
  'data_faults',
];

/** A row as JavaScript sees it: timestamps as ISO strings or epoch seconds. */
export type Row = Record<string, string | number | boolean | null | undefined>;
