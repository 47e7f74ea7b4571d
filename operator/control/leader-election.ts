// Leader election on a coordination.k8s.io/v1 Lease, with controller-runtime's defaults (lease 15 s, renew
// deadline 10 s, retry 2 s). Every replica keeps its caches warm; only the leader reconciles and writes. A leader
// that cannot renew within the deadline steps down (and keeps trying to lead again); on shutdown it releases the
// Lease so a follower takes over at once instead of waiting for it to expire.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { microTime } from '../kube/events.js';
import { errorMessage, KubeApiError } from '../kube/errors.js';
import type { KubeClient } from '../kube/client.js';
import type { Logger } from '../telemetry/logger.js';

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

interface Lease {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

export interface LeaderCallbacks {
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
}

export class LeaderElector {
  leading = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private lastRenew = 0;
  private readonly path: string;

  constructor(
    private readonly client: KubeClient,
    private readonly cfg: LeaderElectionConfig,
    private readonly callbacks: LeaderCallbacks,
    private readonly log: Logger,
  ) {
    this.path = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(cfg.namespace)}/leases`;
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
    const spec = (previous?: Lease['spec']) => ({
      holderIdentity: this.cfg.identity,
      leaseDurationSeconds: Math.round(this.cfg.leaseDurationMs / 1000),
      acquireTime:
        previous?.holderIdentity === this.cfg.identity && previous.acquireTime ? previous.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions:
        (previous?.leaseTransitions ?? 0) +
        (previous?.holderIdentity && previous.holderIdentity !== this.cfg.identity ? 1 : 0),
    });
    let lease: Lease | undefined;
    try {
      lease = await this.client.request<Lease>(
        'GET',
        `${this.path}/${encodeURIComponent(this.cfg.name)}`,
        `get lease ${this.cfg.name}`,
      );
    } catch (err) {
      if (!(err instanceof KubeApiError && err.notFound)) throw err;
    }
    if (!lease) {
      try {
        await this.client.request('POST', this.path, `create lease ${this.cfg.name}`, {
          body: {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name: this.cfg.name, namespace: this.cfg.namespace },
            spec: spec(),
          },
        });
        return true;
      } catch (err) {
        if (err instanceof KubeApiError && err.code === 409) return false; // someone else created it first
        throw err;
      }
    }
    const s = lease.spec ?? {};
    const renewed = Date.parse(s.renewTime ?? '') || 0;
    const expired = renewed + (s.leaseDurationSeconds ?? 15) * 1000 < now.getTime();
    const ours = s.holderIdentity === this.cfg.identity;
    if (s.holderIdentity && !ours && !expired) return false;
    try {
      await this.client.request(
        'PUT',
        `${this.path}/${encodeURIComponent(this.cfg.name)}`,
        `update lease ${this.cfg.name}`,
        {
          body: { ...lease, spec: spec(s) },
        },
      );
      return true;
    } catch (err) {
      if (err instanceof KubeApiError && err.code === 409) return false; // raced with another replica
      throw err;
    }
  }

  /** Stops electing; a leader gives the Lease up so a follower takes over at once. */
  async release(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.leading) return;
    this.leading = false;
    try {
      const lease = await this.client.request<Lease>(
        'GET',
        `${this.path}/${encodeURIComponent(this.cfg.name)}`,
        `get lease ${this.cfg.name}`,
      );
      if (lease.spec?.holderIdentity !== this.cfg.identity) return;
      await this.client.request(
        'PUT',
        `${this.path}/${encodeURIComponent(this.cfg.name)}`,
        `release lease ${this.cfg.name}`,
        {
          body: {
            ...lease,
            spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(new Date(0)) },
          },
        },
      );
      this.log.info('lease released', { lease: `${this.cfg.namespace}/${this.cfg.name}` });
    } catch (err) {
      this.log.warn('could not release the lease', { error: errorMessage(err) });
    }
  }
}
