// The four domain agents and which tools each may use. Tools are grouped by a name -> domain
// map that callers may pass in, so the agents layer never loads the tool modules (the tool
// list an agent is given carries no domain). The default below mirrors src/tools; a test
// checks that it still does.
import type { AgentTools } from '../agent.ts';

export const AGENT_DOMAINS = ['iot', 'fmsr', 'tsfm', 'wo'] as const;
export type AgentDomain = (typeof AGENT_DOMAINS)[number];

/** Tool name -> domain ('iot', 'util', 'fmsr', 'tsfm', 'wo'). */
export type ToolDomains = Readonly<Record<string, string>>;

/** Every sub-agent also gets these: the clock, date arithmetic and json_reader for handles. */
export const SHARED_DOMAIN = 'util';

export const DEFAULT_TOOL_DOMAINS: ToolDomains = {
  sites: 'iot',
  assets: 'iot',
  asset_details: 'iot',
  sensors: 'iot',
  history: 'iot',
  latest: 'iot',
  current_date_time: 'util',
  json_reader: 'util',
  date_math: 'util',
  get_failure_modes: 'fmsr',
  get_failure_mode_sensor_mapping: 'fmsr',
  get_failure_codes: 'fmsr',
  get_ai_tasks: 'tsfm',
  get_tsfm_models: 'tsfm',
  run_tsfm_forecasting: 'tsfm',
  run_tsad: 'tsfm',
  run_integrated_tsad: 'tsfm',
  forecast_evaluation: 'tsfm',
  get_work_orders: 'wo',
  get_preventive_work_orders: 'wo',
  get_corrective_work_orders: 'wo',
  get_events: 'wo',
  get_work_order_distribution: 'wo',
  predict_next_work_order: 'wo',
  analyze_alert_to_failure: 'wo',
  bundle_work_orders: 'wo',
  create_work_order: 'wo',
  update_work_order: 'wo',
};

/** What each domain agent knows; planners and meta-agents choose agents by these lines. */
export const DOMAIN_SKILLS: Record<AgentDomain, string> = {
  iot: 'sites, assets and their details, sensors, and sensor readings (history over a period, latest values)',
  fmsr: 'failure modes of an asset class, which sensors reveal which failure mode, failure codes',
  tsfm: 'time-series models on sensor data: forecasting a sensor, anomaly detection, forecast evaluation',
  wo: 'work orders (all, preventive, corrective), events and alerts, work order statistics and predictions, creating or updating work orders',
};

export function subAgentName(domain: AgentDomain): string {
  return `${domain}_agent`;
}

/**
 * The tool session as one domain agent sees it: its domain's tools and the shared ones.
 * Tools missing from the map belong to no domain, so no sub-agent gets them.
 */
export function domainTools(tools: AgentTools, domain: AgentDomain, map: ToolDomains): AgentTools {
  const allowed = (name: string) => map[name] === domain || map[name] === SHARED_DOMAIN;
  return {
    list: () => tools.list().filter((t) => allowed(t.name)),
    call: async (name, args) =>
      allowed(name)
        ? tools.call(name, args)
        : {
            ok: false,
            error: {
              code: 'unknown_tool',
              message: `${name} is not a tool of the ${domain} agent`,
              hint: `Use one of: ${tools
                .list()
                .filter((t) => allowed(t.name))
                .map((t) => t.name)
                .join(', ')}`,
            },
          },
  };
}
