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
import { stableJson } from '../control/status-writer.js';
import { AaiError, type AaiClient, type BulkOperation } from './client.js';

/** What status.aai records about the last sync. */
export interface AaiSyncState {
  fingerprint?: string;
  /** Fingerprint of the records alone: when only the operational-status changed, no record is read again. */
  recordsFingerprint?: string;
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

/** The record without the fields that do not make a change, at every depth. */
function semantic(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(semantic);
  if (!value || typeof value !== 'object') return value;
  const out: Body = {};
  for (const [k, v] of Object.entries(value)) if (!IGNORED.has(k)) out[k] = semantic(v);
  return out;
}

/** Keys that identify the items of AAI child lists. */
const ITEM_KEYS = ['interface-name', 'l3-interface-ipv4-address', 'l3-interface-ipv6-address'];

/**
 * What AAI holds, seen through the fields we write: extra fields AAI adds (defaults, its own bookkeeping) are not a
 * difference; child items are matched by their key; a list of another length is.
 */
function project(current: unknown, desired: unknown): unknown {
  if (Array.isArray(desired)) {
    if (!Array.isArray(current) || current.length !== desired.length) return current;
    return desired.map((want, i) => {
      const key = want && typeof want === 'object' ? ITEM_KEYS.find((k) => k in want) : undefined;
      const match = key
        ? current.find((c) => c && typeof c === 'object' && (c as Body)[key] === (want as Body)[key])
        : current[i];
      return project(match, want);
    });
  }
  if (!desired || typeof desired !== 'object') return current;
  if (!current || typeof current !== 'object') return current;
  const out: Body = {};
  for (const k of Object.keys(desired)) out[k] = project((current as Body)[k], (desired as Body)[k]);
  return out;
}

/** True when AAI's copy differs from ours in a field we write. */
function differs(current: Body, desired: Body): boolean {
  const want = semantic(desired);
  return stableJson(project(current, want)) !== stableJson(want);
}

const hash = (value: unknown) => createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 32);

/** The records and their edges (not the operational-status). */
export function recordsFingerprint(inv: DesiredInventory): string {
  return hash({
    records: [...inv.k8sResources, ...inv.vservers].map((r) => [r.path, semantic(r.body)]),
    relationships: inv.relationships,
  });
}

/** Everything a sync writes: the records, their edges and the operational-status. */
export function inventoryFingerprint(inv: DesiredInventory): string {
  return hash({ records: recordsFingerprint(inv), status: inv.statusPatch ?? null });
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

type Versioned = Record<string, unknown> & { 'resource-version'?: unknown };

/** Copies the resource-version of each child that already exists (matched by key) into the desired children. */
function carryVersions(
  desired: Versioned[] | undefined,
  current: Versioned[] | undefined,
  key: string,
  nested: Array<[string, string]>,
): Versioned[] | undefined {
  if (!desired) return desired;
  return desired.map((child) => {
    const existing = current?.find((c) => c[key] === child[key]);
    if (!existing) return child;
    const out: Versioned = { ...child, 'resource-version': existing['resource-version'] };
    for (const [listKey, itemKey] of nested) {
      const list = carryVersions(
        child[listKey] as Versioned[] | undefined,
        existing[listKey] as Versioned[] | undefined,
        itemKey,
        [],
      );
      if (list) out[listKey] = list;
    }
    return out;
  });
}

/**
 * A replace body: the object's resource-version, and for a vserver the resource-versions of the l-interfaces and
 * addresses that already exist (AAI checks each child of a replace as it checks the parent).
 */
function withVersions(body: Body, current: Body): Body {
  const out: Body = { ...body, 'resource-version': current['resource-version'] };
  const desiredIfs = (body['l-interfaces'] as { 'l-interface'?: Versioned[] } | undefined)?.['l-interface'];
  const currentIfs = (current['l-interfaces'] as { 'l-interface'?: Versioned[] } | undefined)?.['l-interface'];
  if (desiredIfs) {
    out['l-interfaces'] = {
      'l-interface': carryVersions(desiredIfs, currentIfs, 'interface-name', [
        ['l3-interface-ipv4-address-list', 'l3-interface-ipv4-address'],
        ['l3-interface-ipv6-address-list', 'l3-interface-ipv6-address'],
      ]),
    };
  }
  return out;
}

/**
 * Addresses AAI holds on an interface we keep but that the pod no longer has. Address lists are not containers, so a
 * replace of the vserver leaves them in place (AAI's ImpliedDelete covers containers only): delete them one by one.
 */
function staleAddresses(vserverPath: string, desired: Body, current: Body): BulkOperation[] {
  const ifs = (b: Body) => (b['l-interfaces'] as { 'l-interface'?: Versioned[] } | undefined)?.['l-interface'] ?? [];
  const ops: BulkOperation[] = [];
  for (const want of ifs(desired)) {
    const have = ifs(current).find((c) => c['interface-name'] === want['interface-name']);
    if (!have) continue;
    for (const [list, key] of [
      ['l3-interface-ipv4-address-list', 'l3-interface-ipv4-address'],
      ['l3-interface-ipv6-address-list', 'l3-interface-ipv6-address'],
    ] as const) {
      const keep = new Set(((want[list] as Versioned[] | undefined) ?? []).map((a) => a[key]));
      for (const old of (have[list] as Versioned[] | undefined) ?? []) {
        if (keep.has(old[key])) continue;
        const path = `${vserverPath}/l-interfaces/l-interface/${encodeURIComponent(String(want['interface-name']))}/${list}/${encodeURIComponent(String(old[key]))}`;
        ops.push(deleteOp(path, old));
      }
    }
  }
  return ops;
}

/** AAI's single-transaction wants a body on every operation, deletes included. */
const deleteOp = (path: string, current: Body): BulkOperation => ({
  action: 'delete',
  uri: `${path}?resource-version=${encodeURIComponent(String(current['resource-version'] ?? ''))}`,
  body: {},
});

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
    if (differs(current, body)) {
      // No relationship-list in the body: AAI leaves the edges as they are.
      ops.push({ action: 'put', uri: rec.path, body: withVersions(body, current) });
    }
    if (type === 'vserver') ops.push(...staleAddresses(rec.path, body, current));
    for (const rel of inv.relationships)
      if (!hasEdge(current, rel)) ops.push({ action: 'put', uri: relationshipPath(rec.path), body: rel });
  }
  const keep = new Set(inventoryPaths(inv));
  for (const path of previous.records ?? []) {
    if (keep.has(path)) continue;
    const current = await client.get<Body>(path);
    reads++;
    if (current) ops.push(deleteOp(path, current));
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
  const records = recordsFingerprint(inv);
  const recordsInSync = previous.recordsFingerprint === records && !previous.lastError;
  for (let attempt = 1; !recordsInSync; attempt++) {
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
      recordsFingerprint: records,
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
    if (current) ops.push(deleteOp(path, current));
  }
  return client.write(ops);
}
