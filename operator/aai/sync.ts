// One AAI sync of one instance (the I/O half): read each desired record once, let mappers/aai/diff.ts decide the
// operations (creates, replaces with resource-version, missing edges, stale addresses), delete the records this
// instance wrote before that are gone now, send it all in atomic bulk chunks, then the vf-module's
// operational-status by merge-patch. Idle instances cost no AAI call at all (the fingerprint matches).
import {
  deleteOp,
  inventoryFingerprint,
  inventoryPaths,
  planRecord,
  recordsFingerprint,
  typedRecords,
  type AaiSyncState,
  type Body,
} from '../../mappers/aai/diff.js';
import type { DesiredInventory } from '../../mappers/aai/inventory.js';
import type { BulkOperation } from '../../mappers/aai/types.js';
import { vfModuleOwnershipProblem, type MissingStackId } from '../../mappers/aai/vf-module-ownership.js';
import type { AaiClient } from './client.js';
import { AaiError } from './errors.js';

export interface SyncResult {
  state: AaiSyncState;
  /** Write operations sent (0 when nothing differed). */
  writes: number;
  /** Read calls made. */
  reads: number;
}

/** The vf-module a sync would link to or patch belongs to another instance (or is not known to be this one's). */
export class VfModuleNotOwned extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VfModuleNotOwned';
  }
}

/** A 412 (someone wrote in between) re-reads and plans again, up to this many attempts in all. */
const MAX_ATTEMPTS = 3;

/** Operations that bring AAI from what it holds to `inv`; reads each record once. */
async function planSync(
  client: AaiClient,
  inv: DesiredInventory,
  previous: AaiSyncState,
): Promise<{ ops: BulkOperation[]; reads: number }> {
  const ops: BulkOperation[] = [];
  let reads = 0;
  for (const [type, rec] of typedRecords(inv)) {
    const current = await client.get<Body>(rec.path, type === 'vserver' ? 'all' : undefined);
    reads++;
    ops.push(...planRecord(type, rec, current, inv.relationships));
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
 * Syncs one instance. A 412 re-reads and retries (MAX_ATTEMPTS in all). Throws AaiError (with the AAI code and
 * transaction id) when AAI refuses or cannot be reached; the caller keeps `records` widened so nothing written by a
 * failed attempt is ever forgotten.
 */
export async function syncInventory(
  client: AaiClient,
  inv: DesiredInventory,
  previous: AaiSyncState,
  now: Date,
  opts: { vfModuleWithoutStackId?: MissingStackId } = {},
): Promise<SyncResult> {
  let reads = 0;
  let writes = 0;
  const records = recordsFingerprint(inv);
  const recordsInSync = previous.recordsFingerprint === records && !previous.lastError;
  const patchStatus = !!inv.statusPatch && previous.fingerprint !== inventoryFingerprint(inv);
  // Before anything links to the vf-module or patches it: it must be this instance's (heat-stack-id).
  if (inv.vfModule && (!recordsInSync || patchStatus)) {
    const vfModule = await client.get<Body>(inv.vfModule.path);
    reads++;
    const problem = vfModule
      ? vfModuleOwnershipProblem(
          vfModule,
          inv.vfModule.path,
          inv.vfModule.instanceId,
          opts.vfModuleWithoutStackId ?? 'refuse',
        )
      : undefined; // missing: the edges' transaction fails atomically and says so
    if (problem) throw new VfModuleNotOwned(problem);
  }
  for (let attempt = 1; !recordsInSync; attempt++) {
    const plan = await planSync(client, inv, previous);
    reads += plan.reads;
    try {
      writes += await client.write(plan.ops);
      break;
    } catch (err) {
      if (err instanceof AaiError && err.preconditionFailed && attempt < MAX_ATTEMPTS) continue;
      throw err;
    }
  }
  if (inv.statusPatch && patchStatus) {
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
