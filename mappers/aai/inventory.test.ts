import { describe, expect, test } from '@jest/globals';
import { obj, pod, readyPodStatus } from '../../test/support/status-builders.js';
import type { ResourceBundleInstance } from '../instance/types.js';
import { desiredInventory, planCreate } from './inventory.js';
import { k8sResourceId, labelStrings, selflink } from './k8s-resource.js';
import { operationalStatusOf } from './operational-status.js';
import type { AaiSettings, AaiTarget } from './types.js';
import { validateAai } from './validate.js';
import { lInterfaces, PROV_STATUS } from './vserver.js';

const settings: AaiSettings = { apiVersion: 'v24', dataOwner: 'rbi-operator', selflinkBase: 'http://rbi:8082/' };
const target: AaiTarget = {
  cloudOwner: 'K8sCloudOwner',
  cloudRegion: 'kud',
  tenantId: 'tenant-1',
  genericVnfId: 'vnf-1',
  vfModuleId: 'vfm-1',
  mapping: 'all',
};

const rbi: ResourceBundleInstance = {
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleInstance',
  metadata: { name: 'vfw', namespace: 'default' },
  spec: {
    instanceId: 'brave_brattain',
    rbName: 'vfw',
    rbVersion: 'v1',
    profileName: 'p',
    cloudRegion: 'kud',
    resources: [{ group: 'apps', version: 'v1', kind: 'Deployment', name: 'vfw-1-vfw' }],
  },
};

const deployment = obj('apps/v1', 'Deployment', 'vfw-1-vfw', {
  metadata: {
    namespace: 'default',
    resourceVersion: '42',
    labels: { release: 'r1', chart: 'vfw', 'k8splugin.io/rb-instance-id': 'brave_brattain' },
  },
});
const multus =
  '[{"name":"k8s-pod-network","interface":"eth0","ips":["10.42.0.17","fd00::17"],"default":true},{"name":"ran/f1-net","interface":"net1","ips":["192.168.50.4"],"mac":"5e:2a:9c:01:02:03"}]';
const vfwPod = pod(readyPodStatus(), {
  name: 'vfw-1-vfw-abc',
  namespace: 'default',
  uid: 'pod-uid-1',
  resourceVersion: '7',
  annotations: { 'k8s.v1.cni.cncf.io/network-status': multus },
});

describe('AAI mapping', () => {
  test('k8s-resource id is ONAP’s formula (vector computed independently with Python hashlib)', () => {
    const id = k8sResourceId(
      'brave_brattain',
      { name: 'vfw-1-vfw', namespace: 'default', kind: 'Deployment', group: 'apps', version: 'v1' },
      target,
    );
    expect(id).toBe('787b2bda717046cf362fdd83bd16236e83fa35497a95ecaa40d8654a3d655cc4');
  });

  test('labels are sorted k=v strings', () => {
    expect(labelStrings({ release: 'r1', chart: 'vfw', 'k8splugin.io/rb-instance-id': 'x' })).toEqual([
      'chart=vfw',
      'k8splugin.io/rb-instance-id=x',
      'release=r1',
    ]);
  });

  test('selflink points at our query API with group and version', () => {
    expect(
      selflink(settings, 'brave_brattain', {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        name: 'vfw-1-vfw',
        namespace: 'default',
      }),
    ).toBe(
      'http://rbi:8082/v1/instance/brave_brattain/query?ApiVersion=apps%2Fv1&Kind=Deployment&Name=vfw-1-vfw&Namespace=default',
    );
  });

  test('one k8s-resource per listed object and per pod, one vserver per pod, all valid against our schemas', () => {
    const inv = desiredInventory(
      rbi,
      { objects: [deployment], pods: [{ pod: vfwPod, state: 'Ready' }], phase: 'Ready' },
      target,
      settings,
    );
    expect(inv.k8sResources.map((r) => [r.body.kind, r.body.name])).toEqual([
      ['Deployment', 'vfw-1-vfw'],
      ['Pod', 'vfw-1-vfw-abc'],
    ]);
    expect(inv.k8sResources[0]!.body).toMatchObject({
      group: 'apps',
      version: 'v1',
      namespace: 'default',
      'data-owner': 'rbi-operator',
      'data-source': 'kubernetes',
      'data-source-version': '42',
      labels: ['chart=vfw', 'k8splugin.io/rb-instance-id=brave_brattain', 'release=r1'],
    });
    expect(inv.k8sResources[0]!.path).toBe(
      '/cloud-infrastructure/cloud-regions/cloud-region/K8sCloudOwner/kud/tenants/tenant/tenant-1/k8s-resources/k8s-resource/787b2bda717046cf362fdd83bd16236e83fa35497a95ecaa40d8654a3d655cc4',
    );
    expect(inv.vservers).toHaveLength(1);
    expect(inv.vservers[0]!.body).toMatchObject({
      'vserver-id': 'pod-uid-1',
      'vserver-name': 'vfw-1-vfw-abc',
      'prov-status': 'ACTIVE',
    });
    for (const r of inv.k8sResources) expect(validateAai('k8s-resource', r.body)).toEqual([]);
    for (const r of inv.vservers) expect(validateAai('vserver', r.body)).toEqual([]);
    expect(inv.statusPatch).toEqual({
      path: '/network/generic-vnfs/generic-vnf/vnf-1/vf-modules/vf-module/vfm-1',
      body: { 'operational-status': 'in-service-path' },
    });
  });

  test('relationships: vf-module Uses, generic-vnf HostedOn, by related-link', () => {
    const inv = desiredInventory(rbi, { objects: [deployment], pods: [], phase: 'Ready' }, target, settings);
    expect(inv.relationships).toEqual([
      {
        'related-to': 'vf-module',
        'relationship-label': 'org.onap.relationships.inventory.Uses',
        'related-link': '/aai/v24/network/generic-vnfs/generic-vnf/vnf-1/vf-modules/vf-module/vfm-1',
      },
      {
        'related-to': 'generic-vnf',
        'relationship-label': 'tosca.relationships.HostedOn',
        'related-link': '/aai/v24/network/generic-vnfs/generic-vnf/vnf-1',
      },
    ]);
  });

  test('without genericVnfId/vfModuleId: no edges and no status patch', () => {
    const bare: AaiTarget = { cloudOwner: 'o', cloudRegion: 'r', tenantId: 't', mapping: 'k8s-resource' };
    const inv = desiredInventory(
      rbi,
      { objects: [deployment], pods: [{ pod: vfwPod, state: 'Ready' }], phase: 'Failed' },
      bare,
      settings,
    );
    expect(inv.relationships).toEqual([]);
    expect(inv.statusPatch).toBeUndefined();
    expect(inv.vservers).toEqual([]);
  });

  test('l-interfaces per multus interface, with /32 and /128 addresses and the MAC', () => {
    expect(lInterfaces(vfwPod)).toEqual([
      expect.objectContaining({
        'interface-name': 'eth0',
        'network-name': 'k8s-pod-network',
        'l3-interface-ipv4-address-list': [
          { 'l3-interface-ipv4-address': '10.42.0.17', 'l3-interface-ipv4-prefix-length': 32 },
        ],
        'l3-interface-ipv6-address-list': [
          { 'l3-interface-ipv6-address': 'fd00::17', 'l3-interface-ipv6-prefix-length': 128 },
        ],
      }),
      expect.objectContaining({ 'interface-name': 'net1', 'network-name': 'ran/f1-net', macaddr: '5e:2a:9c:01:02:03' }),
    ]);
  });

  test('status vocabularies', () => {
    expect(PROV_STATUS).toEqual({ Ready: 'ACTIVE', Pending: 'BUILD', Failed: 'ERROR' });
    expect(['Ready', 'Pending', 'Failed'].map((s) => operationalStatusOf(s as 'Ready'))).toEqual([
      'in-service-path',
      'out-of-service-path',
      'out-of-service-path',
    ]);
  });

  test('planCreate: PUT each record with its edges, then PATCH the vf-module', () => {
    const inv = desiredInventory(
      rbi,
      { objects: [deployment], pods: [], phase: 'Pending' },
      { ...target, mapping: 'k8s-resource' },
      settings,
    );
    const calls = planCreate(inv, 'v24');
    expect(calls.map((c) => [c.method, c.path.split('/').slice(0, 4).join('/')])).toEqual([
      ['PUT', '/aai/v24/cloud-infrastructure'],
      ['PATCH', '/aai/v24/network'],
    ]);
    expect(
      (calls[0]!.body as { 'relationship-list': { relationship: unknown[] } })['relationship-list'].relationship,
    ).toHaveLength(2);
    expect(calls[1]!.body).toEqual({ 'operational-status': 'out-of-service-path' });
  });

  test('validation catches misspelt and missing fields', () => {
    expect(
      validateAai('k8s-resource', {
        id: 'x',
        name: 'n',
        group: '',
        version: 'v1',
        kind: 'K',
        namespace: '',
        selflink: 's',
        'data-owners': 'x',
      }),
    ).toEqual([
      'k8s-resource: must NOT have additional properties (data-owners)',
      'id: must match pattern "^[0-9a-f]{64}$"',
    ]);
  });
});
