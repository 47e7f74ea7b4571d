import { describe, expect, test } from '@jest/globals';
import {
  fairShare,
  fnv1a32,
  memberLeaseName,
  planShards,
  shardLeaseName,
  shardOfNamespace,
  type ShardLeaseView,
} from './shards.js';

describe('shard of a namespace', () => {
  // Pinned forever: a change moves every instance to another replica at an upgrade.
  test.each<[string, number, number, number]>([
    ['', 0x811c9dc5, 1, 1],
    ['a', 0xe40c292c, 0, 1],
    ['foobar', 0xbf9cf968, 0, 1],
    ['default', 0x933b5bde, 2, 0],
    ['onap', 0x92843529, 1, 0],
    ['testns2', 0x21e343dc, 0, 1],
    ['kube-system', 0xa275975e, 2, 2],
    ['bench-0', 0x6b666724, 0, 0],
    ['bench-1', 0x6c6668b7, 3, 2],
    ['bench-2', 0x6d666a4a, 2, 1],
    ['bench-3', 0x6e666bdd, 1, 0],
    ['namespace-ümlaut', 0x35055ba1, 1, 1],
  ])('%j: FNV-1a 32 %d, shard %d of 4, %d of 3', (ns, hash, of4, of3) => {
    expect(fnv1a32(ns)).toBe(hash);
    expect(shardOfNamespace(ns, 4)).toBe(of4);
    expect(shardOfNamespace(ns, 3)).toBe(of3);
  });

  test('sharding off: everything is shard 0', () => {
    expect(shardOfNamespace('bench-1', 1)).toBe(0);
    expect(shardOfNamespace('bench-1', 0)).toBe(0);
  });

  test('spreads namespaces about evenly', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[shardOfNamespace(`ns-${i}`, 4)]!++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(100);
  });
});

describe('lease names', () => {
  test('shard and member Leases are valid object names', () => {
    expect(shardLeaseName('rbi-operator-leader', 3)).toBe('rbi-operator-leader-shard-3');
    const member = memberLeaseName('rbi-operator-leader', 'Pod_Name-7f9c_ab12cd34');
    expect(member).toMatch(/^rbi-operator-leader-member-pod-name-7f9c-ab12cd34-[0-9a-f]{8}$/);
    expect(memberLeaseName('x', 'a_1')).not.toBe(memberLeaseName('x', 'a-1'));
  });
});

describe('shard election', () => {
  const free = (n: number): ShardLeaseView[] =>
    Array.from({ length: n }, (_, shard) => ({ shard, holder: '', expired: false }));
  const heldBy = (holders: string[], expired: number[] = []): ShardLeaseView[] =>
    holders.map((holder, shard) => ({ shard, holder, expired: expired.includes(shard) }));

  test.each<[number, number, number]>([
    [4, 1, 4],
    [4, 2, 2],
    [4, 3, 2],
    [4, 4, 1],
    [4, 6, 1],
    [4, 0, 4],
  ])('fair share of %d shards among %d replicas: %d', (shards, replicas, fair) => {
    expect(fairShare(shards, replicas)).toBe(fair);
  });

  test('alone: try for every free shard', () => {
    const plan = planShards({ shards: 4, identity: 'a', liveReplicas: 1, held: new Set(), leases: free(4) });
    expect(plan.acquire.sort()).toEqual([0, 1, 2, 3]);
    expect(plan.renew).toEqual([]);
    expect(plan.release).toEqual([]);
  });

  test('no Lease yet counts as free', () => {
    const plan = planShards({ shards: 2, identity: 'a', liveReplicas: 1, held: new Set(), leases: [] });
    expect(plan.acquire.sort()).toEqual([0, 1]);
  });

  test('four replicas, four free shards: each tries for one, in different orders', () => {
    const first = ['a', 'b', 'c', 'd'].map(
      (identity) => planShards({ shards: 4, identity, liveReplicas: 4, held: new Set(), leases: free(4) }).acquire,
    );
    for (const a of first) expect(a).toHaveLength(1);
    expect(new Set(first.map((a) => a[0])).size).toBeGreaterThan(1);
  });

  test('a new replica appears: the one holding all gives up the shards it prefers least', () => {
    const plan = planShards({
      shards: 4,
      identity: 'a',
      liveReplicas: 2,
      held: new Set([0, 1, 2, 3]),
      leases: heldBy(['a', 'a', 'a', 'a']),
    });
    expect(plan.renew).toHaveLength(2);
    expect(plan.release).toHaveLength(2);
    expect([...plan.renew, ...plan.release].sort()).toEqual([0, 1, 2, 3]);
    expect(plan.acquire).toEqual([]);
  });

  test('a replica died: its expired shard is taken up to the fair share; held ones are never taken', () => {
    const leases = heldBy(['a', 'b', 'c', 'd'], [3]);
    const plan = planShards({ shards: 4, identity: 'a', liveReplicas: 3, held: new Set([0]), leases });
    expect(plan).toEqual({ renew: [0], acquire: [3], release: [] });
    const full = planShards({ shards: 4, identity: 'a', liveReplicas: 4, held: new Set([0]), leases });
    expect(full.acquire).toEqual([]); // at its fair share already
    const none = planShards({
      shards: 4,
      identity: 'a',
      liveReplicas: 3,
      held: new Set([0]),
      leases: heldBy(['a', 'b', 'c', 'd']),
    });
    expect(none.acquire).toEqual([]); // nothing free
  });

  test('more replicas than shards: the extra ones stand by', () => {
    const plan = planShards({ shards: 2, identity: 'c', liveReplicas: 3, held: new Set(), leases: heldBy(['a', 'b']) });
    expect(plan).toEqual({ renew: [], acquire: [], release: [] });
  });

  test('shards out of range (the count was lowered) are released', () => {
    const plan = planShards({
      shards: 2,
      identity: 'a',
      liveReplicas: 1,
      held: new Set([0, 3]),
      leases: heldBy(['a', '']),
    });
    expect(plan).toEqual({ renew: [0], acquire: [1], release: [3] });
  });
});
