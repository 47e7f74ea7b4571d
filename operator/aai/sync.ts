// One AAI sync of one instance (the I/O half): read each desired record once, let mappers/aai/diff.ts decide the
// operations (creates, replaces with resource-version, missing edges, edges to a vf-module or generic-vnf the
// instance no longer names, stale addresses), delete the records this instance wrote before that are gone now, make
// the intent durable, send it all in atomic bulk chunks, then the vf-module's operational-status by merge-patch.
// Idle instances cost no AAI call at all (the fingerprint matches), unless a read-back is forced (drift repair).
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
import { intentFor } from '../../mappers/aai/intent.js';
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

/** A write refused on our side: this replica is shutting down or no longer the leader. Not a sync failure. */
export class WriteNotAllowed extends Error {
  constructor(why: string) {
    super(`AAI write not sent: ${why}`);
    this.name = 'WriteNotAllowed';
  }
}

/** What a sync needs from its caller besides AAI: durable intent and the right to write. */
export interface SyncHooks {
  /**
   * Called before any write with every path that may exist in AAI because of this instance once the write is sent
   * (the new delete list). Resolves once that list is durable (status.aai.records); throws when it cannot be made so,
   * and then nothing is written.
   */
  persistIntent?: (records: string[]) => Promise<void>;
  /** Throws when this replica may no longer write (leadership lost, shutting down); checked before every write. */
  checkWrite?: () => void;
}

export interface SyncOptions {
  vfModuleWithoutStackId?: MissingStackId;
  /** Read every record back even when the fingerprint says AAI is in step (drift repair). */
  force?: boolean;
  hooks?: SyncHooks;
}

/** A 412 (someone wrote in between) re-reads and plans again, up to this many attempts in all. */
const MAX_ATTEMPTS = 3;

interface Plan {
  ops: BulkOperation[];
  reads: number;
  /** Paths of the delete list (not desired any more) that AAI still holds: this plan deletes them. */
  stillThere: string[];
}

/** Operations that bring AAI from what it holds to `inv`; reads each record once. */
async function planSync(client: AaiClient, inv: DesiredInventory, previous: readonly string[]): Promise<Plan> {
  const ops: BulkOperation[] = [];
  let reads = 0;
  for (const [type, rec] of typedRecords(inv)) {
    const current = await client.get<Body>(rec.path, type === 'vserver' ? 'all' : undefined);
    reads++;
    ops.push(...planRecord(type, rec, current, inv.relationships));
  }
  const keep = new Set(inventoryPaths(inv));
  const stillThere: string[] = [];
  for (const path of previous) {
    if (keep.has(path)) continue;
    const current = await client.get<Body>(path);
    reads++;
    if (!current) continue;
    stillThere.push(path);
    ops.push(deleteOp(path, current));
  }
  return { ops, reads, stillThere };
}

/**
 * Syncs one instance. A 412 re-reads and retries (MAX_ATTEMPTS in all). Throws AaiError (with the AAI code and
 * transaction id) when AAI refuses or cannot be reached; `hooks.persistIntent` has then recorded every record the
 * failed attempt may have left in AAI, so nothing written is ever forgotten.
 */
export async function syncInventory(
  client: AaiClient,
  inv: DesiredInventory,
  previous: AaiSyncState,
  now: Date,
  opts: SyncOptions = {},
): Promise<SyncResult> {
  let reads = 0;
  let writes = 0;
  const hooks = opts.hooks ?? {};
  const records = recordsFingerprint(inv);
  const recordsInSync = !opts.force && previous.recordsFingerprint === records && !previous.lastError;
  let patchStatus = !!inv.statusPatch && previous.fingerprint !== inventoryFingerprint(inv);
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
    // A read-back also repairs an operational-status someone else changed.
    if (opts.force && vfModule && inv.statusPatch)
      patchStatus ||= vfModule['operational-status'] !== inv.statusPatch.body['operational-status'];
  }
  let deleteList = previous.records ?? [];
  for (let attempt = 1; !recordsInSync; attempt++) {
    const plan = await planSync(client, inv, deleteList);
    reads += plan.reads;
    if (plan.ops.length === 0) break;
    // The new delete list: what we want plus what is still there to delete; paths AAI no longer holds drop out.
    deleteList = intentFor(inventoryPaths(inv), plan.stillThere);
    await hooks.persistIntent?.(deleteList);
    hooks.checkWrite?.();
    try {
      writes += await client.write(plan.ops, hooks.checkWrite);
      break;
    } catch (err) {
      if (err instanceof AaiError && err.preconditionFailed && attempt < MAX_ATTEMPTS) continue;
      throw err;
    }
  }
  if (inv.statusPatch && patchStatus) {
    hooks.checkWrite?.();
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
      // Compaction: after a successful sync AAI holds exactly these of ours.
      records: paths,
    },
    writes,
    reads,
  };
}

/** Removes every record in `paths` (instance deletion, purge). Missing ones are fine. */
export async function deleteRecords(
  client: AaiClient,
  paths: readonly string[],
  checkWrite?: () => void,
): Promise<number> {
  const ops: BulkOperation[] = [];
  for (const path of paths) {
    const current = await client.get<Body>(path);
    if (current) ops.push(deleteOp(path, current));
  }
  checkWrite?.();
  return client.write(ops, checkWrite);
}
