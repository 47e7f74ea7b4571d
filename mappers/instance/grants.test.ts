import { describe, expect, test } from '@jest/globals';
import { rbi } from '../../test/support/instance-builders.js';
import { crossNamespaceRefusal, grantCoversKind, type ResourceBundleGrant } from './grants.js';

const grant = (from: string[], to?: Array<{ group?: string; kind: string }>): ResourceBundleGrant => ({
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleGrant',
  metadata: { name: 'g', namespace: 'victim' },
  spec: { from: from.map((namespace) => ({ namespace })), ...(to ? { to } : {}) },
});
const resources = [
  { group: '', version: 'v1', kind: 'ConfigMap', name: 'c' },
  { group: 'apps', version: 'v1', kind: 'Deployment', name: 'd' },
];
const attacker = rbi('x', resources, { namespace: 'attacker', targetNamespace: 'victim' });

describe('cross-namespace grants', () => {
  test('its own namespace needs no grant', () => {
    expect(crossNamespaceRefusal(rbi('x', resources, { namespace: 'victim' }), [])).toBeUndefined();
    expect(crossNamespaceRefusal(rbi('x', resources, { namespace: 'a', targetNamespace: 'a' }), [])).toBeUndefined();
  });

  test.each<[string, ResourceBundleGrant[], string | undefined]>([
    [
      'no grant',
      [],
      'spec.namespace victim: no ResourceBundleGrant in victim lets instances of attacker read it; nothing of victim is read',
    ],
    [
      'a grant for another namespace',
      [grant(['friend'])],
      'spec.namespace victim: no ResourceBundleGrant in victim lets instances of attacker read it; nothing of victim is read',
    ],
    ['a grant for every kind', [grant(['friend', 'attacker'])], undefined],
    [
      'a grant for the listed kinds',
      [grant(['attacker'], [{ kind: 'ConfigMap' }, { group: 'apps', kind: 'Deployment' }])],
      undefined,
    ],
    [
      'kinds spread over two grants',
      [grant(['attacker'], [{ kind: 'ConfigMap' }]), grant(['attacker'], [{ group: 'apps', kind: 'Deployment' }])],
      undefined,
    ],
    [
      'a grant missing a kind',
      [grant(['attacker'], [{ kind: 'ConfigMap' }])],
      'spec.namespace victim: the ResourceBundleGrants in victim do not grant Deployment.apps to instances of attacker; nothing of victim is read',
    ],
  ])('%s', (_name, grants, message) => {
    const refusal = crossNamespaceRefusal(attacker, grants);
    expect(refusal?.message).toBe(message);
    if (message) expect(refusal?.reason).toBe('CrossNamespaceNotGranted');
  });
});

describe('which kinds a granted instance may read in its target (the query API)', () => {
  const listed = grant(['attacker'], [{ kind: 'ConfigMap' }, { group: 'apps', kind: 'Deployment' }]);
  test.each<[string, ResourceBundleGrant[], string, string, boolean]>([
    ['no grant', [], '', 'ConfigMap', false],
    ['every kind', [grant(['attacker'])], '', 'Secret', true],
    ['a granted kind', [listed], 'apps', 'Deployment', true],
    ['a kind the grant does not name', [listed], '', 'Secret', false],
    ['pods come with workloads', [listed], '', 'Pod', true],
    ['replicasets come with workloads', [listed], 'apps', 'ReplicaSet', true],
    [
      'a grant that does not cover the listed kinds covers nothing',
      [grant(['attacker'], [{ kind: 'ConfigMap' }])],
      '',
      'ConfigMap',
      false,
    ],
  ])('%s: %s/%s → %s', (_, grants, group, kind, want) => {
    expect(grantCoversKind(attacker, grants, group, kind)).toBe(want);
  });

  test('its own namespace: every kind', () => {
    expect(grantCoversKind(rbi('x', resources, { namespace: 'victim' }), [], '', 'Secret')).toBe(true);
  });
});
