// Every tool, by name. Sessions and MCP servers are built from (a subset of) this.
import type { Dataset } from '../dataset/open.ts';
import { FMSR_TOOLS } from './fmsr.ts';
import { IOT_TOOLS } from './iot.ts';
import { type SessionOptions, ToolSession } from './session.ts';
import { TSFM_TOOLS } from './tsfm.ts';
import { type AnyTool, DOMAINS, type Domain } from './types.ts';
import { UTIL_TOOLS } from './util.ts';
import { WO_TOOLS } from './wo.ts';

export const ALL_TOOLS: AnyTool[] = [...IOT_TOOLS, ...UTIL_TOOLS, ...FMSR_TOOLS, ...TSFM_TOOLS, ...WO_TOOLS];

export const toolRegistry: Map<string, AnyTool> = new Map(ALL_TOOLS.map((t) => [t.name, t]));

/** Tools of some domains (utilities always come along: agents need the clock and json_reader). */
export function toolsFor(domains: readonly Domain[] | 'all'): Map<string, AnyTool> {
  const wanted = new Set<Domain>(domains === 'all' ? DOMAINS : [...domains, 'util']);
  return new Map(ALL_TOOLS.filter((t) => wanted.has(t.domain)).map((t) => [t.name, t]));
}

export function createSession(
  ds: Dataset,
  opts: SessionOptions & { domains?: readonly Domain[] | 'all' } = {},
): ToolSession {
  return new ToolSession(ds, toolsFor(opts.domains ?? 'all'), opts);
}
