// Drift between what AAI holds under a tenant and what the instances say it should hold (pure): the comparison the
// operator's periodic read-back and `rbi aai-diff` share. Records are ours when their data-owner is ours; a record
// of ours that no instance wants is "extra", and is attributed to the instance named by its selflink (or whose
// delete list has it) so the operator only ever removes records of instances it manages.
import { planRecord, typedRecords, type Body, type RecordType } from './diff.js';
import type { DesiredInventory } from './inventory.js';
import { k8sResourcePath, vserverPath } from './paths.js';
import type { AaiTarget, BulkOperation, Relationship } from './types.js';

/** A record AAI holds (from a collection read). */
export interface HeldRecord {
  type: RecordType;
  path: string;
  body: Body;
}

/** What one instance wants under the tenant. */
export interface InstanceExpectation {
  /** namespace/name. */
  key: string;
  instanceId: string;
  inventory: DesiredInventory;
  /** Its delete list (status.aai.records). */
  intent: readonly string[];
}

export interface DriftFinding {
  drift: 'missing' | 'extra' | 'different';
  type: RecordType;
  path: string;
  /** The Kubernetes object's kind and name (k8s-resource), or the pod name (vserver). */
  kind?: string;
  name?: string;
  /** The instance the record belongs to; absent for an extra record no known instance claims. */
  instance?: string;
  instanceId?: string;
  /** What differs (different). */
  detail?: string[];
}

export type TenantTarget = Pick<AaiTarget, 'cloudOwner' | 'cloudRegion' | 'tenantId'>;

/** The path of a record read from a tenant's collection. */
export function heldRecord(type: RecordType, target: TenantTarget, body: Body): HeldRecord {
  const id = String(type === 'vserver' ? body['vserver-id'] : body.id);
  return { type, path: type === 'vserver' ? vserverPath(target, id) : k8sResourcePath(target, id), body };
}

/** The k8splugin instance id in one of our selflinks (…/v1/instance/{id}/query?…). */
function instanceIdOfSelflink(selflink: unknown): string | undefined {
  if (typeof selflink !== 'string') return undefined;
  const m = /\/v1\/instance\/([^/?#]+)\/query(?:[?#]|$)/.exec(selflink);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
}

const linkOf = (op: BulkOperation) => (op.body as Relationship | undefined)?.['related-link'] ?? '';

/** What an operation of a plan repairs, in words. */
function describe(op: BulkOperation, recordPath: string): string {
  const uri = op.uri.split('?')[0]!;
  if (uri === recordPath) return 'fields differ';
  if (uri.endsWith('/relationship-list/relationship'))
    return op.action === 'delete' ? `edge to ${linkOf(op)} not wanted` : `edge to ${linkOf(op)} missing`;
  return `stale ${uri.slice(recordPath.length + 1)}`;
}

const labelOf = (type: RecordType, body: Body) =>
  type === 'vserver'
    ? { kind: 'Pod', name: String(body['vserver-name'] ?? '') }
    : { kind: String(body.kind ?? ''), name: String(body.name ?? '') };

/** Missing, different and extra records of ours under one tenant. */
export function tenantDrift(held: readonly HeldRecord[], expected: readonly InstanceExpectation[]): DriftFinding[] {
  const findings: DriftFinding[] = [];
  const byPath = new Map(held.map((h) => [h.path, h]));
  const wanted = new Set<string>();
  for (const inst of expected) {
    for (const [type, rec] of typedRecords(inst.inventory)) {
      wanted.add(rec.path);
      const who = { instance: inst.key, instanceId: inst.instanceId, ...labelOf(type, rec.body as Body) };
      const current = byPath.get(rec.path);
      if (!current) {
        findings.push({ drift: 'missing', type, path: rec.path, ...who });
        continue;
      }
      const detail = planRecord(type, rec, current.body, inst.inventory.relationships).map((op) =>
        describe(op, rec.path),
      );
      if (detail.length > 0) findings.push({ drift: 'different', type, path: rec.path, ...who, detail });
    }
  }
  const byId = new Map(expected.map((e) => [e.instanceId, e]));
  const byIntent = new Map(expected.flatMap((e) => e.intent.map((p) => [p, e] as const)));
  for (const h of held) {
    if (wanted.has(h.path)) continue;
    const selflink = h.type === 'vserver' ? h.body['vserver-selflink'] : h.body.selflink;
    const claimedId = instanceIdOfSelflink(selflink);
    const owner = byIntent.get(h.path) ?? (claimedId !== undefined ? byId.get(claimedId) : undefined);
    findings.push({
      drift: 'extra',
      type: h.type,
      path: h.path,
      ...labelOf(h.type, h.body),
      ...(owner ? { instance: owner.key, instanceId: owner.instanceId } : claimedId ? { instanceId: claimedId } : {}),
    });
  }
  return findings;
}
