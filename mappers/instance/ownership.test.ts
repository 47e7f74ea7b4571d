import { describe, expect, test } from '@jest/globals';
import { rbi } from '../../test/support/instance-builders.js';
import { duplicateIdProblem, idOwner } from './ownership.js';
import type { ResourceBundleInstance } from './types.js';

const inst = (ns: string, name: string, created?: string, uid?: string): ResourceBundleInstance => {
  const r = rbi(name, []);
  r.metadata.namespace = ns;
  r.spec.instanceId = 'shared-id';
  if (created) r.metadata.creationTimestamp = created;
  else delete r.metadata.creationTimestamp;
  if (uid) r.metadata.uid = uid;
  return r;
};

describe('instance id ownership', () => {
  const old = inst('a', 'first', '2026-01-01T10:00:00Z', 'u-2');
  const young = inst('b', 'second', '2026-01-01T11:00:00Z', 'u-1');
  const sameTimeLowUid = inst('c', 'third', '2026-01-01T10:00:00Z', 'u-0');

  test.each<[string, ResourceBundleInstance[], ResourceBundleInstance | undefined]>([
    ['none', [], undefined],
    ['the oldest by creation', [young, old], old],
    ['ties: the lower uid', [old, sameTimeLowUid, young], sameTimeLowUid],
    ['no creation time loses to any', [inst('d', 'x'), young], young],
  ])('%s', (_name, candidates, expected) => {
    expect(idOwner(candidates)).toBe(expected);
    expect(idOwner([...candidates].reverse())).toBe(expected);
  });

  test('the owner has no problem; a younger one is DuplicateInstanceId naming the owner', () => {
    expect(duplicateIdProblem(old, old, 'shared-id')).toBeUndefined();
    expect(duplicateIdProblem(young, old, 'shared-id')).toEqual({
      reason: 'DuplicateInstanceId',
      message:
        'instance id "shared-id" belongs to the older instance a/first: this one is not synced to AAI nor served by the query API',
    });
  });
});
