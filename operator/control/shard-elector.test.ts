// Shard election among replicas on an in-memory Lease store with the API server's concurrency rules (409 on a
// stale resourceVersion or an existing name), a pinned clock, and rounds driven one at a time.
import { describe, expect, test } from '@jest/globals';
import { KubeApiError } from '../kube/errors.js';
import type { KubeClient } from '../kube/client.js';
import { silentLogger } from '../telemetry/logger.js';
import type { Lease } from './leases.js';
import { ShardElector, SHARD_ROLE_LABEL } from './shard-elector.js';

/** Leases in one namespace, as the API server keeps them. */
class LeaseStore {
  readonly leases = new Map<string, Lease>();
  private rv = 0;
  down = false;

  client(): KubeClient {
    const request = async (
      method: string,
      path: string,
      what: string,
      opts: { query?: Record<string, unknown>; body?: unknown } = {},
    ) => {
      if (this.down) throw new KubeApiError(method, what, 0, 'connection failed', 'ECONNREFUSED');
      const name = decodeURIComponent(path.split('/leases')[1]?.replace(/^\//, '') ?? '');
      const fail = (code: number) => {
        throw new KubeApiError(method, what, code, String(code), '');
      };
      if (method === 'GET' && !name) {
        const [k, v] = String(opts.query?.labelSelector ?? '').split('=');
        return {
          items: [...this.leases.values()].filter((l) => l.metadata.labels?.[k!] === v).map((l) => structuredClone(l)),
        };
      }
      const held = this.leases.get(name);
      if (method === 'GET') return held ? structuredClone(held) : fail(404);
      if (method === 'POST') {
        const body = structuredClone(opts.body) as Lease;
        if (this.leases.has(body.metadata.name)) fail(409);
        body.metadata.resourceVersion = String(++this.rv);
        this.leases.set(body.metadata.name, body);
        return body;
      }
      if (!held) return fail(404);
      if (method === 'PUT') {
        const body = structuredClone(opts.body) as Lease;
        if (body.metadata.resourceVersion !== held.metadata.resourceVersion) fail(409);
        body.metadata.resourceVersion = String(++this.rv);
        this.leases.set(name, body);
        return body;
      }
      if (method === 'DELETE') {
        const pre = (opts.body as { preconditions?: { resourceVersion?: string } }).preconditions?.resourceVersion;
        if (pre && pre !== held.metadata.resourceVersion) fail(409);
        this.leases.delete(name);
        return {};
      }
      return fail(405);
    };
    return { request } as unknown as KubeClient;
  }

  holder(shard: number): string {
    return this.leases.get(`rbi-shard-${shard}`)?.spec?.holderIdentity ?? '';
  }
}

const TIMINGS = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

function replicas(store: LeaseStore, names: string[], clock: { now: number }) {
  return names.map((identity) => {
    const changes: Array<{ gained: number[]; lost: number[]; transition: string }> = [];
    const elector = new ShardElector(
      store.client(),
      { namespace: 'ops', name: 'rbi', identity, shards: 4, ...TIMINGS },
      { onShardsChanged: (_owned, c) => changes.push({ gained: c.gained, lost: c.lost, transition: c.transition }) },
      silentLogger(),
      () => clock.now,
    );
    return { identity, elector, changes, held: () => [...elector.shards].sort() };
  });
}

/** One round of each replica, then the clock moves on by a retry period. */
async function rounds(rs: Array<{ elector: ShardElector }>, n: number, clock: { now: number }) {
  for (let i = 0; i < n; i++) {
    for (const r of rs) await r.elector.electOnce();
    clock.now += TIMINGS.retryPeriodMs;
  }
}

describe('shard election', () => {
  test('four replicas on four shards take one each; a dead one’s shard moves after the lease duration, not before', async () => {
    const store = new LeaseStore();
    const clock = { now: 1_000_000 };
    const rs = replicas(store, ['a', 'b', 'c', 'd'], clock);
    await rounds(rs, 3, clock);
    for (const r of rs) expect(r.held()).toHaveLength(1);
    expect(new Set(rs.map((r) => r.held()[0])).size).toBe(4);
    expect([...store.leases.values()].filter((l) => l.metadata.labels?.[SHARD_ROLE_LABEL] === 'member')).toHaveLength(
      4,
    );

    const [dead, ...alive] = rs;
    const orphan = dead!.held()[0]!;
    const killed = clock.now;
    let movedAt: number | undefined;
    while (clock.now - killed < 30_000 && movedAt === undefined) {
      await rounds(alive, 1, clock);
      if (store.holder(orphan) !== 'a') movedAt = clock.now;
    }
    expect(movedAt! - killed).toBeGreaterThan(TIMINGS.leaseDurationMs - TIMINGS.retryPeriodMs);
    expect(movedAt! - killed).toBeLessThanOrEqual(TIMINGS.leaseDurationMs + 2 * TIMINGS.retryPeriodMs);
    expect(alive.map((r) => r.held().length).sort()).toEqual([1, 1, 2]);
    // Its member Lease is collected after two lease durations.
    await rounds(alive, 12, clock);
    expect([...store.leases.values()].filter((l) => l.metadata.labels?.[SHARD_ROLE_LABEL] === 'member')).toHaveLength(
      3,
    );
  });

  test('a replica alone takes every shard; one that joins gets half, released before it is taken', async () => {
    const store = new LeaseStore();
    const clock = { now: 1_000_000 };
    const [a, b] = replicas(store, ['a', 'b'], clock);
    await rounds([a!], 2, clock);
    expect(a!.held()).toEqual([0, 1, 2, 3]);
    await rounds([b!, a!], 3, clock);
    expect(a!.held()).toHaveLength(2);
    expect(b!.held()).toHaveLength(2);
    expect(a!.changes.find((c) => c.transition === 'released')?.lost).toHaveLength(2);
    for (const s of [0, 1, 2, 3]) expect([a!.identity, b!.identity]).toContain(store.holder(s));
  });

  test('a holder that cannot renew within the deadline stops before its Lease may be taken', async () => {
    const store = new LeaseStore();
    const clock = { now: 1_000_000 };
    const [a, b] = replicas(store, ['a', 'b'], clock);
    await rounds([a!, b!], 2, clock);
    const lostAt: number[] = [];
    const mine = a!.held();
    store.down = true;
    const since = clock.now - TIMINGS.retryPeriodMs; // its last renewal
    for (let i = 0; i < 8 && a!.held().length > 0; i++) await rounds([a!], 1, clock).then(() => lostAt.push(clock.now));
    expect(a!.held()).toEqual([]);
    expect(a!.changes.at(-1)).toMatchObject({ lost: mine, transition: 'suspended' });
    expect(lostAt.at(-1)! - since).toBeLessThan(TIMINGS.leaseDurationMs);
  });

  test('mayWrite follows the wall clock: false once the renew deadline has passed, before any watchdog ran', async () => {
    const store = new LeaseStore();
    const clock = { now: 1_000_000 };
    const [a] = replicas(store, ['a'], clock);
    await rounds([a!], 2, clock);
    const [s] = a!.held();
    expect(a!.elector.mayWrite(s!)).toBe(true);
    clock.now += TIMINGS.renewDeadlineMs + 1; // an event loop blocked this long: no round, no watchdog
    expect(a!.elector.shards.has(s!)).toBe(true);
    expect(a!.elector.mayWrite(s!)).toBe(false);
    expect(a!.elector.mayWrite(99)).toBe(false);
  });

  test('a suspended shard resumes, without a new list, if its Lease still names the replica', async () => {
    const store = new LeaseStore();
    const clock = { now: 1_000_000 };
    const [a, b] = replicas(store, ['a', 'b'], clock);
    await rounds([a!, b!], 2, clock);
    const mine = a!.held();
    store.down = true;
    while (a!.held().length > 0) await rounds([a!], 1, clock);
    store.down = false;
    await rounds([a!, b!], 1, clock); // b has not seen the Lease unchanged for its duration yet
    expect(a!.held()).toEqual(mine);
    expect(a!.changes.at(-1)).toMatchObject({ gained: mine, transition: 'resumed' });
    expect(a!.changes.some((c) => c.transition === 'lost')).toBe(false);
  });

  test('a suspended shard another replica took meanwhile is lost', async () => {
    const store = new LeaseStore();
    const clock = { now: 1_000_000 };
    const [a, b] = replicas(store, ['a', 'b'], clock);
    await rounds([a!, b!], 2, clock);
    const mine = a!.held();
    store.down = true;
    while (a!.held().length > 0) await rounds([a!], 1, clock);
    store.down = false;
    for (let i = 0; i < 15 && !mine.every((s) => store.holder(s) === 'b'); i++) await rounds([b!], 1, clock);
    expect(mine.every((s) => store.holder(s) === 'b')).toBe(true);
    await rounds([a!], 1, clock);
    expect(a!.changes.at(-1)).toMatchObject({ lost: mine, transition: 'lost' });
    expect(a!.held()).toEqual([]);
  });

  test('release gives the Leases up: another replica takes them at its next round', async () => {
    const store = new LeaseStore();
    const clock = { now: 1_000_000 };
    const [a, b] = replicas(store, ['a', 'b'], clock);
    await rounds([a!, b!], 2, clock);
    await a!.elector.release();
    expect(a!.held()).toEqual([]);
    await rounds([b!], 1, clock);
    expect(b!.held()).toEqual([0, 1, 2, 3]);
    expect([...store.leases.keys()].filter((k) => k.includes('member'))).toHaveLength(1);
  });
});
