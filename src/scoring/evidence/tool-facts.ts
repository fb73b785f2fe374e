// What scoring needs to know about a tool, read from the tool's own definition (the registry)
// rather than kept in a list here: whether a call of it fetches data from the plant (a domain
// tool) or only helps (the clock, date arithmetic, paging, asking the operator, delegating to a
// sub-agent). Imported trajectories name tools the registry does not know (AssetOpsBench's
// own); those count as data tools unless they are plainly a sub-agent or a helper. Scoring
// and the TrajFM detectors (trajfm/detect/view.ts) share this one rule.
import { toolRegistry } from '../../tools/registry.ts';
import { norm } from './util.ts';

/** Helpers that fetch nothing from the plant, under the names other agents give them. */
const HELPER_NAMES = new Set([
  'ask_operator',
  'finish',
  'final_answer',
  'submit_answer',
  'think',
  'current_date_time',
  'date_math',
]);

/** "iot_agent", "IoTAgent", "WorkOrderAgent": a sub-agent, whose report is not data. */
export function isSubAgentName(name: string): boolean {
  const n = norm(name).replace(/\s+/g, '');
  return /agent$/.test(n);
}

/** Whether a call of this tool reads the plant's data (telemetry, assets, work orders, models...). */
export function isDataTool(name: string): boolean {
  const def = toolRegistry.get(name);
  if (def) return def.plantData ?? def.domain !== 'util';
  if (isSubAgentName(name)) return false;
  return !HELPER_NAMES.has(norm(name).replace(/\s+/g, '_'));
}

/** Whether a call of this tool changes state (a work order written, an alert acknowledged). */
export function isWriteTool(name: string): boolean {
  const def = toolRegistry.get(name);
  return def ? !def.readOnly : false;
}

/** The tools that change state, by the registry's own flag. */
export const WRITE_TOOLS: ReadonlySet<string> = new Set(
  [...toolRegistry.values()].filter((t) => !t.readOnly).map((t) => t.name),
);
