// Drift repair: every resync interval (jittered ±10 %, the first one at a random point of the first interval so
// replicas and restarts do not line up), the records of ours (data-owner) under each tenant the synced instances
// write are read back, one collection page of 500 at a time, and compared with what the instances want
// (mappers/aai/drift.ts). An instance with a missing, altered or extra record gets a sync that reads every record
// and rewrites or deletes what differs. Reads and the repairs they start are paced globally (RequestPacer, qps), so
// the cost is per page, not per instance: 100 idle instances of 4 records in one tenant cost one read per interval.
// Records no managed instance claims (a deleted instance's, with the skip-cleanup annotation; another shard's) are
// left alone: `rbi aai-diff` reports them.
import type { DesiredInventory } from '../../mappers/aai/inventory.js';
import { heldRecord, tenantDrift, type DriftFinding, type TenantTarget } from '../../mappers/aai/drift.js';
import type { Body } from '../../mappers/aai/diff.js';
import { k8sResourcePath, vserverPath } from '../../mappers/aai/paths.js';
import type { AaiTarget } from '../../mappers/aai/types.js';
import { errorMessage } from '../kube/errors.js';
import type { Logger } from '../telemetry/logger.js';
import type { AaiClient } from './client.js';
import { RequestPacer } from './rate-limiter.js';

/** A synced instance as the read-back sees it. */
export interface SweepInstance {
  key: string;
  instanceId: string;
  target: AaiTarget;
  inventory: DesiredInventory;
  intent: readonly string[];
}

export interface SweepConfig {
  client: AaiClient;
  dataOwner: string;
  intervalMs: number;
  qps: number;
  log: Logger;
  random?: () => number;
}

export interface SweepDeps {
  instances: () => SweepInstance[];
  /** An instance drifted: sync it with a full read-back, with `extra` records of ours added to its delete list. */
  repair: (key: string, extra: readonly string[]) => void;
  /** When the instance's last sync started (a sync during the read-back makes its findings stale). */
  lastStart: (key: string) => number;
  /** This replica may write (leader, not shutting down). */
  active: () => boolean;
  reachable: () => void;
}

const tenantKey = (t: TenantTarget) => `${t.cloudOwner}/${t.cloudRegion}/${t.tenantId}`;
/** A tenant's collection path (the parent of its k8s-resources and vservers). */
const collection = (t: TenantTarget, type: 'k8s-resource' | 'vserver') =>
  (type === 'vserver' ? vserverPath(t, '_') : k8sResourcePath(t, '_')).replace(/\/[^/]+\/_$/, '');

/** Reads a tenant's records of ours; `pace` runs before every page (the read-back counts and paces them there). */
export async function readTenant(
  client: AaiClient,
  target: TenantTarget,
  dataOwner: string,
  kinds: { k8sResources: boolean; vservers: boolean },
  pace?: () => Promise<void>,
): Promise<{ held: ReturnType<typeof heldRecord>[] }> {
  const beforePage = pace;
  const held = [];
  if (kinds.k8sResources)
    for (const body of await client.list<Body>(
      collection(target, 'k8s-resource'),
      'k8s-resource',
      {
        'data-owner': dataOwner,
      },
      { beforePage },
    ))
      held.push(heldRecord('k8s-resource', target, body));
  if (kinds.vservers)
    for (const body of await client.list<Body>(
      collection(target, 'vserver'),
      'vserver',
      { 'data-owner': dataOwner },
      {
        depth: 'all',
        beforePage,
      },
    ))
      held.push(heldRecord('vserver', target, body));
  return { held };
}

/** Counters of the read-backs since the process started. */
export interface ReadBackStats {
  /** AAI read calls (collection pages). */
  reads: number;
  /** Instances given a repairing sync. */
  repairs: number;
  /** Records found drifted, by how (missing, different, extra), among those of the instances repaired (records no
   * managed instance claims are not counted: `rbi aai-diff` reports them). */
  drift: Record<'missing' | 'different' | 'extra', number>;
  /** Tenant read-backs that failed (retried at the next interval). */
  failures: number;
  /** When the last read-back of every tenant ended with none failed (ms since the epoch; 0: not yet). A replica
   * that stops leading halfway through the last tenant's repairs still counts its read-back as complete. */
  lastCompletedAt: number;
}

export class DriftSweep {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private readonly pacer: RequestPacer;
  private readonly abort = new AbortController();
  /** What the read-backs have done so far (metrics, tests). */
  readonly stats: ReadBackStats = {
    reads: 0,
    repairs: 0,
    drift: { missing: 0, different: 0, extra: 0 },
    failures: 0,
    lastCompletedAt: 0,
  };

  constructor(
    private readonly config: SweepConfig,
    private readonly deps: SweepDeps,
  ) {
    this.pacer = new RequestPacer(config.qps);
  }

  start(): void {
    this.schedule(this.config.intervalMs * (0.5 + 0.5 * this.random()));
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abort.abort();
  }

  private random(): number {
    return (this.config.random ?? Math.random)();
  }

  private schedule(ms: number): void {
    if (this.abort.signal.aborted) return;
    this.timer = setTimeout(() => {
      void this.sweepOnce().finally(() => this.schedule(this.config.intervalMs * (0.9 + 0.2 * this.random())));
    }, ms);
    this.timer.unref();
  }

  /** One read-back of every tenant; resolves to the number of findings (one at a time: a running one is joined). */
  sweepOnce(): Promise<number> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<number> {
    if (!this.deps.active()) return 0;
    const started = Date.now();
    const byTenant = new Map<string, { target: TenantTarget; instances: SweepInstance[] }>();
    for (const inst of this.deps.instances()) {
      const k = tenantKey(inst.target);
      const group = byTenant.get(k) ?? { target: inst.target, instances: [] };
      group.instances.push(inst);
      byTenant.set(k, group);
    }
    let found = 0;
    let complete = true;
    for (const { target, instances } of byTenant.values()) {
      if (!this.deps.active()) {
        complete = false;
        break;
      }
      try {
        found += await this.sweepTenant(target, instances, started);
      } catch (err) {
        complete = false;
        if (this.abort.signal.aborted) break;
        this.stats.failures++;
        this.config.log.warn('aai read-back failed (next interval retries)', {
          tenant: tenantKey(target),
          error: errorMessage(err),
        });
      }
    }
    if (complete) this.stats.lastCompletedAt = Date.now();
    return found;
  }

  private async sweepTenant(target: TenantTarget, instances: SweepInstance[], started: number): Promise<number> {
    const kinds = {
      k8sResources: instances.some((i) => i.inventory.k8sResources.length > 0),
      vservers: instances.some((i) => i.inventory.vservers.length > 0),
    };
    // Counted page by page, so the pages of a read-back that fails halfway count too.
    const { held } = await readTenant(this.config.client, target, this.config.dataOwner, kinds, () => {
      this.stats.reads++;
      return this.pacer.take(1, this.abort.signal);
    });
    this.deps.reachable();
    const findings = tenantDrift(held, instances).filter(
      // A sync that started since the read-back began may have changed what it read.
      (f) => f.instance === undefined || this.deps.lastStart(f.instance) < started,
    );
    const byInstance = new Map<string, DriftFinding[]>();
    let unclaimed = 0;
    for (const f of findings) {
      if (!f.instance) {
        unclaimed++;
        continue;
      }
      byInstance.set(f.instance, [...(byInstance.get(f.instance) ?? []), f]);
    }
    for (const [key, list] of byInstance) {
      const inst = instances.find((i) => i.key === key)!;
      // The repair costs about one read per record, one write and the vf-module read: paced like the read-back.
      await this.pacer.take(inst.inventory.k8sResources.length + inst.inventory.vservers.length + 2, this.abort.signal);
      if (!this.deps.active()) break;
      const counts = {
        missing: list.filter((f) => f.drift === 'missing').length,
        different: list.filter((f) => f.drift === 'different').length,
        extra: list.filter((f) => f.drift === 'extra').length,
      };
      this.config.log.info('aai drift found', { instance: key, ...counts });
      for (const drift of ['missing', 'different', 'extra'] as const) this.stats.drift[drift] += counts[drift];
      this.stats.repairs++;
      this.deps.repair(
        key,
        list.filter((f) => f.drift === 'extra').map((f) => f.path),
      );
    }
    if (unclaimed > 0)
      this.config.log.debug('aai records of ours no managed instance claims (see rbi aai-diff)', {
        tenant: tenantKey(target),
        records: unclaimed,
      });
    return findings.length;
  }
}
