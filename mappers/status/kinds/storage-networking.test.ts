import { describe, expect, test } from '@jest/globals';
import { cond, judge, obj } from '../../../test/support/status-builders.js';
import type { KubeObject, ResourceStatus } from '../types.js';

const pvc = (status: Record<string, unknown> | undefined, spec: Record<string, unknown> = {}): KubeObject =>
  obj('v1', 'PersistentVolumeClaim', 'data', {
    spec: { accessModes: ['ReadWriteOnce'], ...spec },
    ...(status ? { status } : {}),
  });
const wffc = obj('storage.k8s.io/v1', 'StorageClass', 'local', {
  metadata: { namespace: undefined },
  volumeBindingMode: 'WaitForFirstConsumer',
});

const svc = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject =>
  obj('v1', 'Service', 'edgex', {
    spec: { ports: [{ port: 80, protocol: 'TCP' }], ...spec },
    ...(status ? { status } : {}),
  });
const lb = (ingress: unknown[] | undefined, extra: Record<string, unknown> = {}) =>
  svc(
    { type: 'LoadBalancer', clusterIP: '10.96.0.10', ...extra },
    { loadBalancer: ingress === undefined ? {} : { ingress } },
  );

const ing = (status: unknown[] | undefined, spec: Record<string, unknown> = {}): KubeObject =>
  obj('networking.k8s.io/v1', 'Ingress', 'web', {
    spec: { rules: [{ host: 'a.example' }], ...spec },
    status: { loadBalancer: status ? { ingress: status } : {} },
  });

const rows: Array<{ id: string; o: KubeObject; related?: KubeObject[]; want: Partial<ResourceStatus> }> = [
  { id: 'PVC-01 Bound', o: pvc({ phase: 'Bound' }, { volumeName: 'pv-1' }), want: { state: 'Ready', flags: [] } },
  { id: 'PVC-02 Pending', o: pvc({ phase: 'Pending' }), want: { state: 'Pending' } },
  {
    id: 'PVC-02 Pending with WaitForFirstConsumer and no pod',
    o: pvc({ phase: 'Pending' }, { storageClassName: 'local' }),
    related: [wffc],
    want: { state: 'Pending', reason: 'WaitForFirstConsumer' },
  },
  { id: 'PVC-03 Lost', o: pvc({ phase: 'Lost' }), want: { state: 'Failed', reason: 'ClaimLost' } },
  { id: 'PVC-04 no phase', o: pvc(undefined), want: { state: 'Pending' } },
  {
    id: 'PVC-05 Bound and resizing',
    o: pvc({ phase: 'Bound', conditions: [cond('FileSystemResizePending', 'True')] }),
    want: { state: 'Ready', flags: ['FileSystemResizePending'] },
  },
  { id: 'SVC-01 ClusterIP', o: svc({ type: 'ClusterIP', clusterIP: '10.96.0.10' }), want: { state: 'Ready' } },
  { id: 'SVC-01 NodePort', o: svc({ type: 'NodePort', clusterIP: '10.96.0.10' }), want: { state: 'Ready' } },
  { id: 'SVC-01 headless', o: svc({ clusterIP: 'None' }), want: { state: 'Ready' } },
  {
    id: 'SVC-02 ExternalName',
    o: svc({ type: 'ExternalName', externalName: 'db.example.com' }),
    want: { state: 'Ready' },
  },
  { id: 'SVC-03 LoadBalancer with ingress IP', o: lb([{ ip: '192.0.2.10' }]), want: { state: 'Ready', flags: [] } },
  {
    id: 'SVC-03 LoadBalancer with ingress hostname',
    o: lb([{ hostname: 'lb.example.com' }]),
    want: { state: 'Ready', flags: [] },
  },
  {
    id: 'SVC-04 LoadBalancer without ingress',
    o: lb(undefined),
    want: { state: 'Pending', reason: 'NoLoadBalancerIngress' },
  },
  {
    id: 'SVC-04 LoadBalancer with empty ingress list',
    o: lb([]),
    want: { state: 'Pending', reason: 'NoLoadBalancerIngress' },
  },
  {
    id: 'SVC-05 LoadBalancer with ingress: [{}]',
    o: lb([{}]),
    want: { state: 'Ready', flags: ['IngressWithoutAddress'] },
  },
  { id: 'SVC-06 LoadBalancer without clusterIP', o: svc({ type: 'LoadBalancer' }), want: { state: 'Pending' } },
  {
    id: 'SVC-07 LoadBalancer without ingress, externalIPs set',
    o: lb(undefined, { externalIPs: ['198.51.100.7'] }),
    want: { state: 'Ready', flags: ['ExternalIPsOnly'] },
  },
  {
    id: 'SVC-08 LoadBalancer ingress with a port error',
    o: lb([{ ip: '192.0.2.10', ports: [{ port: 80, protocol: 'TCP', error: 'QuotaExceeded' }] }]),
    want: { state: 'Ready', flags: ['LoadBalancerPortError'], message: 'port errors: 80/TCP: QuotaExceeded' },
  },
  { id: 'ING-01 Ingress with address', o: ing([{ ip: '192.0.2.20' }]), want: { state: 'Ready' } },
  { id: 'ING-02 Ingress without address', o: ing(undefined), want: { state: 'Pending', reason: 'NoAddress' } },
];

describe('PVC, Service and Ingress rules (§4.6, §4.7)', () => {
  test.each(rows)('$id', ({ o, related, want }) => {
    expect(judge(o, related)).toMatchObject(want);
  });

  test('PVC-02 WaitForFirstConsumer no longer applies once a pod mounts the claim', () => {
    const user = obj('v1', 'Pod', 'user', {
      spec: { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] },
    });
    expect(judge(pvc({ phase: 'Pending' }, { storageClassName: 'local' }), [wffc, user])).toMatchObject({
      state: 'Pending',
      reason: 'NotBound',
    });
  });

  test('ING-02 per-class opt-out for controllers that never publish status', () => {
    expect(
      judge(ing(undefined, { ingressClassName: 'internal' }), [], {
        options: { ingressClassesWithoutStatus: ['internal'] },
      }),
    ).toMatchObject({
      state: 'Ready',
      flags: ['NoStatusPublished'],
    });
  });
});
