// Evaluating one instance costs O(its own objects), whatever its namespace holds: the objects the rules read from
// the snapshot are counted (deterministic, unlike time) for 10 and 10,000 unrelated pods in the namespace. The
// timing counterpart is bench/evaluation.ts (make bench-eval).
import { describe, expect, test } from '@jest/globals';
import { crowdedNamespace } from '../../test/support/crowded-namespace.js';
import { base } from '../../test/support/status-builders.js';
import { evaluateInstance } from './instance.js';
import { snapshotFromObjects, type ClusterSnapshot } from './snapshot.js';

/** The snapshot, counting every object its methods hand out. */
function counting(snap: ClusterSnapshot): { snap: ClusterSnapshot; read: () => number } {
  let n = 0;
  const many =
    <A extends unknown[]>(fn: (...a: A) => readonly unknown[]) =>
    (...a: A) => {
      const out = fn(...a);
      n += out.length;
      return out as never;
    };
  const one =
    <A extends unknown[]>(fn: (...a: A) => unknown) =>
    (...a: A) => {
      const out = fn(...a);
      if (out) n++;
      return out as never;
    };
  return {
    snap: {
      get: one(snap.get),
      byUid: one(snap.byUid),
      crdFor: one(snap.crdFor),
      ownedBy: many(snap.ownedBy),
      list: many(snap.list),
      withLabel: many(snap.withLabel),
      podsUsingClaim: many(snap.podsUsingClaim),
    },
    read: () => n,
  };
}

describe('the cost of one evaluation', () => {
  const cost = (others: number) => {
    const { instance, objects } = crowdedNamespace(others);
    const { snap, read } = counting(snapshotFromObjects(objects));
    const ev = evaluateInstance(instance, snap, base());
    return { read: read(), ev };
  };

  test('is flat from 10 to 10,000 unrelated pods in the namespace', () => {
    const small = cost(10);
    const large = cost(10_000);
    expect([small.ev.state, small.ev.reason, small.ev.message]).toEqual([
      'Ready',
      expect.any(String),
      expect.any(String),
    ]);
    expect(large.ev.state).toBe('Ready');
    expect(large.ev.pods.map((p) => p.name).sort()).toEqual(['db-0', 'web-1-0', 'web-1-1']);
    expect(large.read).toBe(small.read);
    expect(small.read).toBeLessThan(60);
  });
});
