import { describe, expect, test } from '@jest/globals';
import { duplicateResourceProblem, duplicateResources } from './duplicate-resources.js';
import type { ResourceBundleInstance } from './types.js';

const rbi = (resources: ResourceBundleInstance['spec']['resources']): ResourceBundleInstance => ({
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleInstance',
  metadata: { name: 'a', namespace: 'ns' },
  spec: { rbName: 'rb', rbVersion: 'v1', profileName: 'p', cloudRegion: 'r', resources },
});

describe('duplicate spec.resources entries', () => {
  test('none: no problem', () => {
    const ok = rbi([
      { group: '', version: 'v1', kind: 'Service', name: 'a' },
      { group: 'apps', version: 'v1', kind: 'Deployment', name: 'a' },
      { group: '', version: 'v1', kind: 'ConfigMap', name: 'a' },
    ]);
    expect(duplicateResources(ok)).toEqual([]);
    expect(duplicateResourceProblem(ok)).toBeUndefined();
  });

  test('the same group, kind and name twice (version aside, "" = no group): DuplicateResource naming both', () => {
    const bad = rbi([
      { group: '', version: 'v1', kind: 'Service', name: 'a' },
      { group: 'apps', version: 'v1', kind: 'Deployment', name: 'web' },
      { group: '', version: 'v2', kind: 'Service', name: 'a' },
      { group: 'apps', version: 'v1beta1', kind: 'Deployment', name: 'web' },
    ]);
    expect(duplicateResourceProblem(bad)).toEqual({
      reason: 'DuplicateResource',
      message:
        'spec.resources[2]: Duplicate value: same group, kind and name as spec.resources[0]; ' +
        'spec.resources[3]: Duplicate value: same group, kind and name as spec.resources[1]',
    });
  });
});
