// k8splugin's query filters (ApiVersion, Kind, Name, Labels, Namespace) over an instance's objects (pure).
import { selectorMatches } from '../status/label-selector.js';
import type { KubeObject } from '../status/types.js';

export interface QueryFilter {
  apiVersion?: string;
  kind?: string;
  name?: string;
  /** "k=v,k2=v2" (equality only, as k8splugin). */
  labels?: Record<string, string>;
  namespace?: string;
}

/** Parses the query string; throws Error with a readable message on a malformed Labels value. */
export function parseQuery(params: URLSearchParams): QueryFilter {
  const f: QueryFilter = {};
  const get = (k: string) => params.get(k) ?? undefined;
  if (get('ApiVersion')) f.apiVersion = get('ApiVersion');
  if (get('Kind')) f.kind = get('Kind');
  if (get('Name')) f.name = get('Name');
  if (get('Namespace')) f.namespace = get('Namespace');
  const labels = get('Labels');
  if (labels) {
    f.labels = {};
    for (const pair of labels.split(',')) {
      const m = /^\s*([A-Za-z0-9./_-]+)\s*=\s*([A-Za-z0-9._-]*)\s*$/.exec(pair);
      if (!m) throw new Error(`Labels: expected k=v[,k=v], got ${JSON.stringify(labels)}`);
      f.labels[m[1]!] = m[2]!;
    }
  }
  return f;
}

export function matches(obj: KubeObject, f: QueryFilter): boolean {
  if (f.apiVersion && obj.apiVersion !== f.apiVersion) return false;
  if (f.kind && obj.kind !== f.kind) return false;
  if (f.name && obj.metadata?.name !== f.name) return false;
  if (f.namespace && (obj.metadata?.namespace ?? '') !== f.namespace) return false;
  if (f.labels && !selectorMatches({ matchLabels: f.labels }, obj.metadata?.labels)) return false;
  return true;
}
