import { describe, expect, test } from '@jest/globals';
import { obj, pod, readyPodStatus } from '../../test/support/status-builders.js';
import type { ResourceBundleInstance } from '../instance/types.js';
import { planRecord } from './diff.js';
import { heldRecord, tenantDrift, type InstanceExpectation } from './drift.js';
import { desiredInventory } from './inventory.js';
import type { AaiSettings, AaiTarget } from './types.js';

const settings: AaiSettings = { apiVersion: 'v24', dataOwner: 'rbi-operator', selflinkBase: 'http://rbi:8082' };
const target = (vfModuleId = 'vfm-1'): AaiTarget => ({
  cloudOwner: 'O',
  cloudRegion: 'R',
  tenantId: 't',
  genericVnfId: 'vnf-1',
  vfModuleId,
  mapping: 'k8s-resource',
});
const rbi: ResourceBundleInstance = {
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleInstance',
  metadata: { name: 'i', namespace: 'ns' },
  spec: {
    instanceId: 'i1',
    rbName: 'r',
    rbVersion: 'v1',
    profileName: 'p',
    cloudRegion: 'R',
    resources: [{ group: '', version: 'v1', kind: 'ConfigMap', name: 'cm' }],
  },
};
const cm = obj('v1', 'ConfigMap', 'cm', { metadata: { namespace: 'ns', resourceVersion: '1' } });
const podA = pod(readyPodStatus(), { name: 'a', namespace: 'ns', uid: 'u-a', resourceVersion: '2' });
const inv = (vfm = 'vfm-1') =>
  desiredInventory(
    rbi,
    { objects: [cm], pods: [{ pod: podA, state: 'Ready' }], phase: 'Ready' },
    target(vfm),
    settings,
  );
const expectation = (vfm = 'vfm-1', intent: string[] = []): InstanceExpectation => ({
  key: 'ns/i',
  instanceId: 'i1',
  inventory: inv(vfm),
  intent,
});
/** What AAI holds after a sync of `inv`: the bodies with their edges. */
const heldAsSynced = (vfm = 'vfm-1') =>
  inv(vfm).k8sResources.map((r) =>
    heldRecord('k8s-resource', target(), {
      ...r.body,
      'resource-version': '1',
      'relationship-list': { relationship: inv(vfm).relationships },
    }),
  );

describe('drift between AAI and the instances', () => {
  test('in step: no finding', () => {
    expect(tenantDrift(heldAsSynced(), [expectation()])).toEqual([]);
  });

  test('a record deleted behind our back is missing; an altered one is different, saying what', () => {
    const [cmRec, podRec] = heldAsSynced();
    const altered = { ...podRec!, body: { ...podRec!.body, labels: ['x=y'] } };
    const findings = tenantDrift([altered], [expectation()]);
    expect(findings.map((f) => [f.drift, f.kind, f.name, f.instance, f.detail])).toEqual([
      ['missing', 'ConfigMap', 'cm', 'ns/i', undefined],
      ['different', 'Pod', 'a', 'ns/i', ['fields differ']],
    ]);
    expect(cmRec).toBeDefined();
  });

  test('edges to the old vf-module are a difference (not wanted, and the new one missing)', () => {
    const findings = tenantDrift(heldAsSynced('vfm-1'), [expectation('vfm-2')]);
    expect(findings).toHaveLength(2);
    expect(findings[0]!.detail).toEqual([
      'edge to /aai/v24/network/generic-vnfs/generic-vnf/vnf-1/vf-modules/vf-module/vfm-1 not wanted',
      'edge to /aai/v24/network/generic-vnfs/generic-vnf/vnf-1/vf-modules/vf-module/vfm-2 missing',
    ]);
  });

  test('extra records: claimed by the selflink or the delete list, else unclaimed', () => {
    const mine = heldRecord('k8s-resource', target(), {
      id: 'x1',
      name: 'old',
      kind: 'Pod',
      selflink: 'http://rbi:8082/v1/instance/i1/query?Kind=Pod',
    });
    const listed = heldRecord('k8s-resource', target(), { id: 'x2', name: 'gone', kind: 'Pod', selflink: 'elsewhere' });
    const theirs = heldRecord('k8s-resource', target(), {
      id: 'x3',
      name: 'other',
      kind: 'Pod',
      selflink: 'http://rbi:8082/v1/instance/someone%20else/query?Kind=Pod',
    });
    const findings = tenantDrift([...heldAsSynced(), mine, listed, theirs], [expectation('vfm-1', [listed.path])]);
    expect(findings.map((f) => [f.drift, f.name, f.instance ?? null, f.instanceId ?? null])).toEqual([
      ['extra', 'old', 'ns/i', 'i1'],
      ['extra', 'gone', 'ns/i', 'i1'],
      ['extra', 'other', null, 'someone else'],
    ]);
  });

  test('planRecord moves an edge: the old one is deleted before the new one is added', () => {
    const [rec] = inv('vfm-2').k8sResources;
    const ops = planRecord('k8s-resource', rec!, heldAsSynced('vfm-1')[0]!.body, inv('vfm-2').relationships);
    expect(ops.map((o) => `${o.action} ${(o.body as { 'related-link'?: string })['related-link'] ?? ''}`)).toEqual([
      'delete /aai/v24/network/generic-vnfs/generic-vnf/vnf-1/vf-modules/vf-module/vfm-1',
      'put /aai/v24/network/generic-vnfs/generic-vnf/vnf-1/vf-modules/vf-module/vfm-2',
    ]);
  });
});
