// Leader election on a coordination.k8s.io/v1 Lease, with controller-runtime's defaults (lease 15 s, renew
// deadline 10 s, retry 2 s). Every replica keeps its caches warm; only the leader reconciles and writes. A leader
// that cannot renew within the deadline steps down (and keeps trying to lead again); on shutdown it releases the
// Lease so a follower takes over at once instead of waiting for it to expire.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { errorMessage } from '../kube/errors.js';
import type { KubeClient } from '../kube/client.js';
import type { Logger } from '../telemetry/logger.js';
import { heldSpec, LeaseApi, releasedSpec } from './leases.js';

export interface LeaderElectionConfig {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

export const DEFAULT_LEADER_ELECTION = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

export const defaultIdentity = () => `${process.env.POD_NAME ?? hostname()}_${randomBytes(4).toString('hex')}`;

export interface LeaderCallbacks {
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
}

export class LeaderElector {
  leading = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private lastRenew = 0;
  private readonly leases: LeaseApi;

  constructor(
    client: KubeClient,
    private readonly cfg: LeaderElectionConfig,
    private readonly callbacks: LeaderCallbacks,
    private readonly log: Logger,
  ) {
    this.leases = new LeaseApi(client, cfg.namespace);
  }

  start(): void {
    void this.tick();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.cfg.retryPeriodMs);
  }

  private async tick(): Promise<void> {
    try {
      const acquired = await this.tryAcquireOrRenew();
      if (acquired) {
        this.lastRenew = Date.now();
        if (!this.leading) {
          this.leading = true;
          this.log.info('became leader', {
            lease: `${this.cfg.namespace}/${this.cfg.name}`,
            identity: this.cfg.identity,
          });
          this.callbacks.onStartedLeading();
        }
      } else if (this.leading) this.stepDown('the lease is held by another replica');
    } catch (err) {
      this.log.debug('lease update failed', { error: errorMessage(err) });
      if (this.leading && Date.now() - this.lastRenew > this.cfg.renewDeadlineMs)
        this.stepDown(`could not renew within ${this.cfg.renewDeadlineMs} ms: ${errorMessage(err)}`);
    }
    this.schedule();
  }

  private stepDown(why: string): void {
    this.leading = false;
    this.log.warn('lost leadership', { reason: why });
    this.callbacks.onStoppedLeading();
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = new Date();
    const { name, identity, leaseDurationMs } = this.cfg;
    const lease = await this.leases.get(name);
    // false when someone else created it first
    if (!lease) return this.leases.create(name, heldSpec(undefined, identity, leaseDurationMs, now));
    const s = lease.spec ?? {};
    const renewed = Date.parse(s.renewTime ?? '') || 0;
    const expired = renewed + (s.leaseDurationSeconds ?? 15) * 1000 < now.getTime();
    const ours = s.holderIdentity === identity;
    if (s.holderIdentity && !ours && !expired) return false;
    // false when it raced with another replica
    return this.leases.update(lease, heldSpec(s, identity, leaseDurationMs, now));
  }

  /** Stops electing; a leader gives the Lease up so a follower takes over at once. */
  async release(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.leading) return;
    this.leading = false;
    try {
      const lease = await this.leases.get(this.cfg.name);
      if (lease?.spec?.holderIdentity !== this.cfg.identity) return;
      if (await this.leases.update(lease, releasedSpec(lease.spec), 'release'))
        this.log.info('lease released', { lease: `${this.cfg.namespace}/${this.cfg.name}` });
      else this.log.warn('could not release the lease', { error: 'it changed meanwhile' });
    } catch (err) {
      this.log.warn('could not release the lease', { error: errorMessage(err) });
    }
  }
}
