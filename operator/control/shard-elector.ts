// Shard ownership on Leases (--shards N): one Lease per shard (<id>-shard-<i>) and one member Lease per replica
// (<id>-member-…, its presence), all labelled with the group, in the leader-election namespace and with its timings.
// Each round (every retry period) a replica renews its member Lease, reads every Lease of the group in one LIST,
// counts the live replicas, and runs mappers/sharding's plan: renew what it holds up to ceil(N / replicas), give up
// the rest (for a replica that joined), try for free or expired shards up to that share. Expiry is judged as
// client-go does, by when this replica last saw a Lease change (not by the holder's clock). A shard whose Lease
// could not be renewed for the renew deadline is suspended by a separate watchdog, so writes for it stop before its
// Lease (lease duration > renew deadline) can be taken by another replica. A suspended shard keeps its caches: the
// next round renews it if its Lease still names this replica (the write is conditional on the version read, so
// nobody can have taken it meanwhile) and writes resume without a new list; if another replica holds it, or it
// was released, it is lost. Under load (an event loop busy for seconds) a late renewal therefore costs a pause, not a
// re-list of the shard, which would add the load that made it late. On shutdown every Lease is released.
import { memberLeaseName, planShards, shardLeaseName, type ShardLeaseView } from '../../mappers/sharding/shards.js';
import { errorMessage } from '../kube/errors.js';
import type { KubeClient } from '../kube/client.js';
import type { Logger } from '../telemetry/logger.js';
import type { LeaderElectionConfig } from './leader-election.js';
import { heldSpec, LeaseApi, releasedSpec, type Lease } from './leases.js';

export interface ShardElectionConfig extends LeaderElectionConfig {
  shards: number;
}

/** Which Leases belong to one operator (its leader-election id) and what each is. */
export const SHARD_GROUP_LABEL = 'k8splugin.io/shard-group';
export const SHARD_ROLE_LABEL = 'k8splugin.io/shard-role';
const SHARD_LABEL = 'k8splugin.io/shard';

export interface ShardChange {
  gained: number[];
  lost: number[];
  /**
   * acquired (won), released (given up to rebalance), lost (taken by another replica, or released meanwhile),
   * suspended (not renewed within the renew deadline: writes stop, caches stay), resumed (renewed again after that).
   */
  transition: 'acquired' | 'released' | 'lost' | 'suspended' | 'resumed';
  why: string;
  /** Suspended shards: not written for, but still cached (they may resume). */
  retained: ReadonlySet<number>;
}

export interface ShardCallbacks {
  /**
   * The shards this replica may write for changed. Called after a Lease is won or renewed again, and before one is
   * given up or suspended (the replica stops writing for it first).
   */
  onShardsChanged: (owned: ReadonlySet<number>, change: ShardChange) => void;
  /** Live replicas seen in a round (metrics). */
  onRound?: (liveReplicas: number) => void;
}

export class ShardElector {
  private readonly owned = new Set<number>();
  /** Held shards whose renewal was late: no writes, caches kept, renewed again if the Lease still names us. */
  private readonly suspended = new Set<number>();
  private readonly lastRenew = new Map<number, number>();
  /** Per Lease name: its holder record as last seen, and when this replica saw it change. */
  private readonly observed = new Map<string, { record: string; at: number }>();
  private readonly leases: LeaseApi;
  private readonly memberName: string;
  private timer?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;
  private stopped = false;
  private round?: Promise<void>;
  liveReplicas = 1;

  constructor(
    client: KubeClient,
    private readonly cfg: ShardElectionConfig,
    private readonly callbacks: ShardCallbacks,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    // A round's requests must end before the renew deadline can pass unnoticed.
    this.leases = new LeaseApi(client, cfg.namespace, cfg.renewDeadlineMs);
    this.memberName = memberLeaseName(cfg.name, cfg.identity);
  }

  /** The shards held now. */
  get shards(): ReadonlySet<number> {
    return this.owned;
  }

  /**
   * Whether this replica may write for `shard` now: held and renewed within the renew deadline by the wall clock.
   * The watchdog suspends late shards, but a process whose event loop was blocked for longer than the deadline may
   * run a pending write before the watchdog's timer: this check, made at each write, refuses it.
   */
  mayWrite(shard: number): boolean {
    return this.owned.has(shard) && this.now() - (this.lastRenew.get(shard) ?? 0) <= this.cfg.renewDeadlineMs;
  }

  /**
   * Announces this replica, waits one retry period (replicas started together then see each other before any takes
   * shards), and runs the first round; resolves after it, whatever it achieved (the rounds go on).
   */
  async start(): Promise<void> {
    this.watchdog = setInterval(() => this.checkDeadlines(), Math.max(100, Math.floor(this.cfg.retryPeriodMs / 2)));
    this.watchdog.unref();
    await this.runRound(false);
    await new Promise((r) => setTimeout(r, this.cfg.retryPeriodMs).unref());
    if (this.stopped) return;
    await this.runRound(true);
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.runRound(true).then(() => this.schedule());
    }, this.cfg.retryPeriodMs);
  }

  /** One round now (the timer runs them every retry period; tests drive them). */
  electOnce(): Promise<void> {
    return this.runRound(true);
  }

  private runRound(take: boolean): Promise<void> {
    this.round = this.tick(take)
      .catch((err: unknown) => {
        this.log.debug('shard round failed', { error: errorMessage(err) });
      })
      .finally(() => this.checkDeadlines());
    return this.round;
  }

  private labels(role: 'shard' | 'member', shard?: number): Record<string, string> {
    return {
      [SHARD_GROUP_LABEL]: this.cfg.name,
      [SHARD_ROLE_LABEL]: role,
      ...(shard !== undefined ? { [SHARD_LABEL]: String(shard) } : {}),
    };
  }

  /** Whether a Lease has gone unrenewed for its duration, as this replica has watched it. */
  private expired(lease: Lease, now: number): boolean {
    const s = lease.spec ?? {};
    if (!s.holderIdentity) return true;
    const record = `${s.holderIdentity}|${s.renewTime ?? ''}|${s.leaseDurationSeconds ?? ''}`;
    const seen = this.observed.get(lease.metadata.name);
    if (!seen || seen.record !== record) {
      this.observed.set(lease.metadata.name, { record, at: now });
      return false;
    }
    return now - seen.at > (s.leaseDurationSeconds ?? this.cfg.leaseDurationMs / 1000) * 1000;
  }

  private async tick(take: boolean): Promise<void> {
    if (this.stopped) return;
    const now = this.now();
    const at = new Date(now);
    const { identity, leaseDurationMs, shards, name } = this.cfg;
    const all = await this.leases.list(`${SHARD_GROUP_LABEL}=${name}`);
    if (this.stopped) return;
    const role = (l: Lease) => l.metadata.labels?.[SHARD_ROLE_LABEL];

    // Presence first: a replica that dies stops being counted when its shards' Leases expire.
    const mine = all.find((l) => l.metadata.name === this.memberName);
    await this.attempt('renew member lease', () =>
      mine
        ? this.leases.update(mine, heldSpec(mine.spec, identity, leaseDurationMs, at), 'renew')
        : this.leases.create(
            this.memberName,
            heldSpec(undefined, identity, leaseDurationMs, at),
            this.labels('member'),
          ),
    );
    const members = all.filter((l) => role(l) === 'member' && l.metadata.name !== this.memberName);
    this.liveReplicas = 1 + members.filter((m) => !this.expired(m, now)).length;
    await this.collectDeadMembers(members, now);
    this.callbacks.onRound?.(this.liveReplicas);

    const byShard = new Map<number, Lease>();
    for (const l of all) {
      const shard = Number(l.metadata.labels?.[SHARD_LABEL]);
      if (role(l) === 'shard' && l.metadata.name === shardLeaseName(name, shard)) byShard.set(shard, l);
    }
    // Held shards whose Lease names someone else: gone (e.g. after a pause longer than the lease).
    const taken = [...this.owned].filter((s) => byShard.get(s)?.spec?.holderIdentity !== identity);
    if (taken.length > 0) this.lose(taken, 'the lease is held by another replica');
    await this.resumeSuspended(byShard);
    if (!take) return;

    const views: ShardLeaseView[] = [...byShard].map(([shard, l]) => ({
      shard,
      holder: l.spec?.holderIdentity ?? '',
      expired: this.expired(l, now),
    }));
    const plan = planShards({ shards, identity, liveReplicas: this.liveReplicas, held: this.owned, leases: views });
    if (plan.release.length > 0) {
      // Writes stop first, then the Leases go (the next holder lists and reconciles from scratch).
      this.lose(
        plan.release,
        `rebalancing: at most ${plan.renew.length} shard(s) each for ${this.liveReplicas} replicas`,
        'released',
      );
      for (const s of plan.release) {
        const lease = byShard.get(s);
        if (lease)
          await this.attempt(`release shard ${s}`, () =>
            this.leases.update(lease, releasedSpec(lease.spec), 'release'),
          );
      }
    }
    // Renewals in parallel: one slow request must not make the others late.
    await Promise.all(
      plan.renew.map(async (s) => {
        const lease = byShard.get(s)!;
        if (!this.owned.has(s)) return; // suspended by the watchdog meanwhile
        const sentAt = await this.renew(s, lease);
        if (sentAt !== undefined && this.owned.has(s)) this.lastRenew.set(s, sentAt);
      }),
    );
    const gained: number[] = [];
    for (const s of plan.acquire) {
      if (this.stopped) return;
      const lease = byShard.get(s);
      const won = await this.attempt(`acquire shard ${s}`, () =>
        lease
          ? this.leases.update(lease, heldSpec(lease.spec, identity, leaseDurationMs, at), 'acquire')
          : this.leases.create(
              shardLeaseName(name, s),
              heldSpec(undefined, identity, leaseDurationMs, at),
              this.labels('shard', s),
            ),
      );
      if (!won) continue;
      this.lastRenew.set(s, now);
      this.owned.add(s);
      gained.push(s);
      const from = lease?.spec?.holderIdentity;
      this.log.info('shard acquired', {
        shard: s,
        lease: shardLeaseName(name, s),
        identity,
        ...(from ? { from } : {}),
      });
    }
    if (gained.length > 0) this.changed({ gained, lost: [], transition: 'acquired', why: 'acquired' });
  }

  /**
   * Suspended shards: lost if their Lease no longer names this replica; otherwise renewed (conditional on the
   * version just listed) and, on success, written for again.
   */
  private async resumeSuspended(byShard: Map<number, Lease>): Promise<void> {
    const { identity } = this.cfg;
    const gone = [...this.suspended].filter((s) => byShard.get(s)?.spec?.holderIdentity !== identity);
    if (gone.length > 0) this.lose(gone, 'the lease is held by another replica, or was released, while suspended');
    const resumed: number[] = [];
    await Promise.all(
      [...this.suspended].map(async (s) => {
        const sentAt = await this.renew(s, byShard.get(s)!);
        if (sentAt === undefined || !this.suspended.delete(s)) return;
        this.owned.add(s);
        this.lastRenew.set(s, sentAt);
        resumed.push(s);
      }),
    );
    if (resumed.length === 0) return;
    this.log.info('shards resumed', { shards: resumed });
    this.changed({ gained: resumed, lost: [], transition: 'resumed', why: 'renewed again after a late renewal' });
  }

  /**
   * Renews a shard's Lease as listed; resolves with when the renewal was sent (what its freshness counts from), or
   * undefined if another replica wrote it meanwhile, or the write failed. Stamped at the send, not at the round's
   * start: under load the round's list and member renewal can take seconds, and counting from before them made a
   * renewal that succeeded look late (the shard was suspended again at once, and the keys queued at its resumption
   * were dropped as not writable).
   */
  private async renew(shard: number, lease: Lease): Promise<number | undefined> {
    const { identity, leaseDurationMs } = this.cfg;
    const sentAt = this.now();
    const ok = await this.attempt(`renew shard ${shard}`, () =>
      this.leases.update(lease, heldSpec(lease.spec, identity, leaseDurationMs, new Date(sentAt)), 'renew'),
    );
    return ok ? sentAt : undefined;
  }

  private changed(change: Omit<ShardChange, 'retained'>): void {
    this.callbacks.onShardsChanged(this.owned, { ...change, retained: this.suspended });
  }

  /** One Lease write; a failure is logged and counts as not done (the watchdog handles a renewal that keeps failing). */
  private async attempt(what: string, write: () => Promise<boolean>): Promise<boolean> {
    try {
      return await write();
    } catch (err) {
      this.log.debug(`${what} failed`, { error: errorMessage(err) });
      return false;
    }
  }

  /** Member Leases of replicas gone for two lease durations are deleted (identities are new at every start). */
  private async collectDeadMembers(members: Lease[], now: number): Promise<void> {
    for (const m of members) {
      const seen = this.observed.get(m.metadata.name);
      if (!seen || now - seen.at < 2 * this.cfg.leaseDurationMs) continue;
      await this.attempt(`delete member lease ${m.metadata.name}`, () => this.leases.delete(m).then(() => true));
      this.observed.delete(m.metadata.name);
    }
  }

  /** Drops held shards that could not be renewed within the renew deadline (runs apart from the rounds). */
  private checkDeadlines(): void {
    const now = this.now();
    const late = [...this.owned].filter((s) => now - (this.lastRenew.get(s) ?? 0) > this.cfg.renewDeadlineMs);
    if (late.length === 0) return;
    for (const s of late) {
      this.owned.delete(s);
      this.lastRenew.delete(s);
      this.suspended.add(s);
    }
    const why = `could not renew within ${this.cfg.renewDeadlineMs} ms`;
    this.log.warn('shards suspended', { shards: late, reason: why });
    this.changed({ gained: [], lost: late, transition: 'suspended', why });
  }

  private lose(shards: number[], why: string, transition: 'released' | 'lost' = 'lost'): void {
    const lost = shards.filter((s) => [this.owned.delete(s), this.suspended.delete(s)].some(Boolean));
    for (const s of lost) this.lastRenew.delete(s);
    if (lost.length === 0) return;
    this.log.log(transition === 'lost' ? 'warn' : 'info', transition === 'lost' ? 'shards lost' : 'shards released', {
      shards: lost,
      reason: why,
    });
    this.changed({ gained: [], lost, transition, why });
  }

  /** Stops electing; gives up every held Lease (writes have stopped: the controller drained) and the member one. */
  async release(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.watchdog) clearInterval(this.watchdog);
    await this.round;
    const held = [...this.owned, ...this.suspended];
    this.owned.clear();
    this.suspended.clear();
    await Promise.all(
      held.map(async (s) => {
        const name = shardLeaseName(this.cfg.name, s);
        try {
          const lease = await this.leases.get(name);
          if (lease?.spec?.holderIdentity === this.cfg.identity)
            await this.leases.update(lease, releasedSpec(lease.spec), 'release');
        } catch (err) {
          this.log.warn('could not release a shard lease', { lease: name, error: errorMessage(err) });
        }
      }),
    );
    try {
      const member = await this.leases.get(this.memberName);
      if (member) await this.leases.delete(member);
    } catch (err) {
      this.log.debug('could not delete the member lease', { error: errorMessage(err) });
    }
    if (held.length > 0) this.log.info('shard leases released', { shards: held });
  }
}
