// API requests by verb and resource, from the API server's own metrics (apiserver_request_total): what every client
// asked during a phase of the benchmark.
import type { KubeClient } from '../operator/kube/client.js';

/** "VERB resource" → count. */
export type RequestCounts = Record<string, number>;

export async function apiRequestCounts(client: KubeClient): Promise<RequestCounts> {
  const text = await client.text('/metrics', 'API server metrics');
  const out: RequestCounts = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const verb = /verb="([^"]*)"/.exec(line)?.[1] ?? '';
    const resource = /resource="([^"]*)"/.exec(line)?.[1] ?? '';
    const sub = /subresource="([^"]*)"/.exec(line)?.[1];
    const key = `${verb} ${resource}${sub ? `/${sub}` : ''}`;
    out[key] = (out[key] ?? 0) + Number(line.split(' ').pop());
  }
  return out;
}

export function diffCounts(before: RequestCounts, after: RequestCounts): RequestCounts {
  const out: RequestCounts = {};
  for (const [k, n] of Object.entries(after)) {
    const d = n - (before[k] ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}

/** Counts over a window as requests per second, less the background over a window of the same length (≥ 0). */
export function ratesPerSecond(counts: RequestCounts, seconds: number, background: RequestCounts = {}): RequestCounts {
  const out: RequestCounts = {};
  for (const [k, n] of Object.entries(counts)) {
    const rate = (n - (background[k] ?? 0)) / seconds;
    if (rate > 0) out[k] = Math.round(rate * 100) / 100;
  }
  return out;
}
