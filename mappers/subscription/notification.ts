// What a status subscription notifies (pure): the instance's status as the operator wrote it (status.resources and
// status.pods), reduced to one verdict digest per object or pod; a notification carries the entries that appeared,
// went or changed verdict since the digests last delivered. Built from the written status, not from the caches, so
// a receiver hears of exactly the changes `kubectl get rbi` shows, never a state the status did not take.
import { createHash } from 'node:crypto';
import { instanceIdOf, targetNamespaceOf, type ResourceBundleInstance } from '../instance/types.js';
import type { State } from '../status/types.js';
import type { ChangedResource, NotifyPayload, ResourceBundleSubscription } from './types.js';

interface Verdict {
  group: string;
  version: string;
  kind: string;
  name: string;
  status: State;
  reason: string;
  message: string;
}

/** "<group>/<version>/<kind>/<name>", e.g. "apps/v1/Deployment/web", "/v1/Pod/web-1". */
const entryKey = (v: Pick<Verdict, 'group' | 'version' | 'kind' | 'name'>) =>
  `${v.group}/${v.version}/${v.kind}/${v.name}`;

const digestOf = (v: Verdict) =>
  `${v.status}|${v.reason}|${createHash('sha256').update(v.message).digest('hex').slice(0, 12)}`;

function verdicts(rbi: ResourceBundleInstance): Map<string, Verdict> {
  const out = new Map<string, Verdict>();
  for (const r of rbi.status?.resources ?? []) {
    const v = { ...r, group: r.group ?? '', message: r.message ?? '' };
    out.set(entryKey(v), v);
  }
  for (const p of rbi.status?.pods ?? []) {
    const v: Verdict = {
      group: '',
      version: 'v1',
      kind: 'Pod',
      name: p.name,
      status: p.status,
      reason: p.reason,
      message: p.message ?? '',
    };
    if (!out.has(entryKey(v))) out.set(entryKey(v), v); // a listed Pod is one entry
  }
  return out;
}

/** The digests of the instance's written status; undefined before the operator's first write (nothing to judge). */
export function notifiedEntries(rbi: ResourceBundleInstance): Record<string, string> | undefined {
  if (!rbi.status?.phase) return undefined;
  return Object.fromEntries([...verdicts(rbi)].map(([k, v]) => [k, digestOf(v)]));
}

export interface StatusDelta {
  created: string[];
  deleted: string[];
  modified: string[];
}

export function statusDelta(before: Record<string, string>, now: Record<string, string>): StatusDelta {
  const d: StatusDelta = { created: [], deleted: [], modified: [] };
  for (const [k, digest] of Object.entries(now)) {
    if (!(k in before)) d.created.push(k);
    else if (before[k] !== digest) d.modified.push(k);
  }
  for (const k of Object.keys(before)) if (!(k in now)) d.deleted.push(k);
  return d;
}

export const isEmptyDelta = (d: StatusDelta) => d.created.length + d.deleted.length + d.modified.length === 0;

function changed(rbi: ResourceBundleInstance, key: string, v: Verdict | undefined): ChangedResource {
  const [group = '', version = '', kind = '', ...rest] = key.split('/');
  const name = rest.join('/');
  return {
    name,
    GVK: { Group: group, Version: version, Kind: kind },
    status: {
      apiVersion: group ? `${group}/${version}` : version,
      kind,
      metadata: { name, namespace: targetNamespaceOf(rbi) },
    },
    ...(v ? { summary: { status: v.status, reason: v.reason, message: v.message } } : {}),
  };
}

/** The callback's body: k8splugin's notifyRequestPayload for `delta`. */
export function notifyPayload(
  rbi: ResourceBundleInstance,
  sub: ResourceBundleSubscription,
  delta: StatusDelta,
): NotifyPayload {
  const now = verdicts(rbi);
  const entries = (keys: string[], withVerdict: boolean) =>
    keys.sort().map((k) => changed(rbi, k, withVerdict ? now.get(k) : undefined));
  return {
    'instance-id': instanceIdOf(rbi),
    'subscription-name': sub.spec.name,
    metadata: sub.spec.notifyMetadata ?? {},
    'resource-changes': {
      created: entries(delta.created, true),
      deleted: entries(delta.deleted, false),
      modified: entries(delta.modified, true),
    },
  };
}
