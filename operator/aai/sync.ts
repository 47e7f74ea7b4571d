// One AAI sync of one instance: compare the desired inventory with what AAI holds and write only the difference
// (creates, updates with resource-version, missing edges, deletes of records this instance wrote before that are
// gone now), in atomic bulk chunks; then the vf-module's operational-status by merge-patch.
//
// What counts as a change: the records' content without data-source-version (the Kubernetes resourceVersion moves
// with every status tick of an object; copying it into AAI each time is what makes ONAP's sync chatty), their
// edges, and the operational-status. Idle instances therefore cost no AAI call at all (the fingerprint matches).
import { createHash } from 'node:crypto';
import type { DesiredInventory } from '../../mappers/aai/inventory.js';
import type { DesiredRecord } from '../../mappers/aai/k8s-resource.js';
import { relationshipPath } from '../../mappers/aai/paths.js';
import type { Relationship } from '../../mappers/aai/types.js';
import { validateAai } from '../../mappers/aai/validate.js';
import { stableJson } from '../status-writer.js';
import { AaiError, type AaiClient, type BulkOperation } from './client.js';

/** What status.aai records about the last sync. */
export interface AaiSyncState {
  fingerprint?: string;
  lastSyncTime?: string;
  /** Records written. */
  objects?: number;
  /** Paths (relative to /aai/<version>) of every record this instance may have written: the delete list. */
  records?: string[];
  lastError?: string;
}

export interface SyncResult {
  state: AaiSyncState;
  /** Write operations sent (0 when nothing differed). */
  writes: number;
  /** Read calls made. */
  reads: number;
}

type Body = Record<string, unknown>;

const IGNORED = new Set(['resource-version', 'data-source-version', 'relationship-list']);

/** The record without the fields that do not make a change. */
function semantic(body: Body): Body {
  const out: Body = {};
  for (const [k, v] of Object.entries(body)) {
    if (IGNORED.has(k)) continue;
    if (k === 'l-interfaces' && v && typeof v === 'object') {
      const list = ((v as { 'l-interface'?: Body[] })['l-interface'] ?? []).map((li) => semantic(li));
      out[k] = {
        'l-interface': list.sort((a, b) => String(a['interface-name']).localeCompare(String(b['interface-name']))),
      };
    } else out[k] = v;
  }
  return out;
}

export function inventoryFingerprint(inv: DesiredInventory): string {
  const records = [...inv.k8sResources, ...inv.vservers].map((r) => [r.path, semantic(r.body as unknown as Body)]);
  return createHash('sha256')
    .update(stableJson({ records, relationships: inv.relationships, status: inv.statusPatch ?? null }))
    .digest('hex')
    .slice(0, 32);
}

/** Every record's path, for the delete list. */
export const inventoryPaths = (inv: DesiredInventory) => [...inv.k8sResources, ...inv.vservers].map((r) => r.path);

function hasEdge(current: Body, rel: Relationship): boolean {
  const list = (current['relationship-list'] as { relationship?: Relationship[] } | undefined)?.relationship ?? [];
  const tail = (link: string) => link.replace(/^\/aai\/v\d+/, '');
  return list.some(
    (r) => r['related-to'] === rel['related-to'] && tail(r['related-link']) === tail(rel['related-link']),
  );
}

function validate(type: 'k8s-resource' | 'vserver', rec: DesiredRecord<unknown>): void {
  const problems = validateAai(type, rec.body);
  if (problems.length > 0) throw new Error(`invalid ${type} payload for ${rec.path}: ${problems.join('; ')}`);
}

/** Operations that bring AAI from what it holds to `inv`; reads each record once. */
async function planSync(
  client: AaiClient,
  inv: DesiredInventory,
  previous: AaiSyncState,
): Promise<{ ops: BulkOperation[]; reads: number }> {
  const ops: BulkOperation[] = [];
  let reads = 0;
  const typed: Array<['k8s-resource' | 'vserver', DesiredRecord<unknown>]> = [
    ...inv.k8sResources.map((r) => ['k8s-resource', r] as ['k8s-resource', DesiredRecord<unknown>]),
    ...inv.vservers.map((r) => ['vserver', r] as ['vserver', DesiredRecord<unknown>]),
  ];
  for (const [type, rec] of typed) {
    validate(type, rec);
    const body = rec.body as Body;
    const current = await client.get<Body>(rec.path, type === 'vserver' ? 'all' : undefined);
    reads++;
    if (!current) {
      ops.push({
        action: 'put',
        uri: rec.path,
        body: inv.relationships.length ? { ...body, 'relationship-list': { relationship: inv.relationships } } : body,
      });
      continue;
    }
    if (stableJson(semantic(current)) !== stableJson(semantic(body))) {
      // No relationship-list in the body: AAI leaves the edges as they are.
      ops.push({ action: 'put', uri: rec.path, body: { ...body, 'resource-version': current['resource-version'] } });
    }
    for (const rel of inv.relationships)
      if (!hasEdge(current, rel)) ops.push({ action: 'put', uri: relationshipPath(rec.path), body: rel });
  }
  const keep = new Set(inventoryPaths(inv));
  for (const path of previous.records ?? []) {
    if (keep.has(path)) continue;
    const current = await client.get<Body>(path);
    reads++;
    if (current)
      ops.push({
        action: 'delete',
        uri: `${path}?resource-version=${encodeURIComponent(String(current['resource-version'] ?? ''))}`,
      });
  }
  return { ops, reads };
}

/**
 * Syncs one instance. A 412 (someone wrote in between) re-reads and retries once. Throws AaiError (with the AAI
 * code and transaction id) when AAI refuses or cannot be reached; the caller keeps `records` widened so nothing
 * written by a failed attempt is ever forgotten.
 */
export async function syncInventory(
  client: AaiClient,
  inv: DesiredInventory,
  previous: AaiSyncState,
  now: Date,
): Promise<SyncResult> {
  let reads = 0;
  let writes = 0;
  for (let attempt = 1; ; attempt++) {
    const plan = await planSync(client, inv, previous);
    reads += plan.reads;
    try {
      writes += await client.write(plan.ops);
      break;
    } catch (err) {
      if (err instanceof AaiError && err.preconditionFailed && attempt < 3) continue;
      throw err;
    }
  }
  if (inv.statusPatch && previous.fingerprint !== inventoryFingerprint(inv)) {
    await client.patch(inv.statusPatch.path, inv.statusPatch.body);
    writes++;
  }
  const paths = inventoryPaths(inv);
  return {
    state: {
      fingerprint: inventoryFingerprint(inv),
      lastSyncTime: now.toISOString(),
      objects: paths.length,
      records: paths,
    },
    writes,
    reads,
  };
}

/** Removes every record in `paths` (instance deletion). Missing ones are fine. */
export async function deleteRecords(client: AaiClient, paths: readonly string[]): Promise<number> {
  const ops: BulkOperation[] = [];
  for (const path of paths) {
    const current = await client.get<Body>(path);
    if (current)
      ops.push({
        action: 'delete',
        uri: `${path}?resource-version=${encodeURIComponent(String(current['resource-version'] ?? ''))}`,
      });
  }
  return client.write(ops);
}
