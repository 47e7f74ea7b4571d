// The /__sim endpoints, for tests in another process (no AAI headers, no auth):
//   GET /__sim/stats   request counts          POST /__sim/reset  clear data, stats and faults
//   GET /__sim/dump    every object and edge   GET|POST|PATCH|DELETE /__sim/faults  read, replace, merge, clear faults
import { readFaultSettings, type FaultControl } from './faults.js';
import type { RequestStats } from './stats.js';
import type { AaiGraph } from './store.js';

export interface SimControlContext {
  graph: AaiGraph;
  stats: RequestStats;
  faults: FaultControl;
  /** Called after the data changed (persistence). */
  onDataChanged: () => void;
}

export interface SimControlAnswer {
  status: number;
  body?: unknown;
}

function parseJson(raw: string): unknown {
  return raw.trim() === '' ? {} : JSON.parse(raw);
}

export function answerSimControl(
  ctx: SimControlContext,
  method: string,
  path: string,
  rawBody: string,
): SimControlAnswer {
  const endpoint = `${method} ${path.replace(/\/$/, '')}`;
  try {
    switch (endpoint) {
      case 'GET /__sim/stats':
        return { status: 200, body: ctx.stats.snapshot() };
      case 'GET /__sim/dump':
        return { status: 200, body: ctx.graph.snapshot() };
      case 'POST /__sim/reset':
        ctx.graph.clear();
        ctx.stats.reset();
        ctx.faults.clear();
        ctx.onDataChanged();
        return { status: 204 };
      case 'GET /__sim/faults':
        return { status: 200, body: ctx.faults.current };
      case 'POST /__sim/faults':
      case 'PUT /__sim/faults':
        ctx.faults.set(readFaultSettings(parseJson(rawBody)));
        return { status: 200, body: ctx.faults.current };
      case 'PATCH /__sim/faults':
        ctx.faults.update(readFaultSettings(parseJson(rawBody)));
        return { status: 200, body: ctx.faults.current };
      case 'DELETE /__sim/faults':
        ctx.faults.clear();
        return { status: 200, body: ctx.faults.current };
      default:
        return { status: 404, body: { error: `no simulator endpoint ${endpoint}` } };
    }
  } catch (err) {
    return { status: 400, body: { error: err instanceof Error ? err.message : String(err) } };
  }
}
