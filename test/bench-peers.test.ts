// The pure parts of the benchmark's peers and figures: k8splugin's ready checks (Helm's ReadyChecker), which peer
// line counts as "ready with the new pod", and the per-second / per-change arithmetic of the report.
import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../mappers/status/types.js';
import { aaiCallsBetween } from '../bench/aai-figures.js';
import { ratesPerSecond } from '../bench/api-metrics.js';
import { deploymentReady, maxUnavailable, serviceReady } from '../bench/peers/helm-ready.js';
import { showsNewPodReady } from '../bench/peers/peer-lines.js';

const dep = (replicas: number, strategy?: unknown, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd', uid: 'u1', annotations: { 'deployment.kubernetes.io/revision': '2' } },
  spec: { replicas, ...(strategy ? { strategy } : {}), ...extra },
});
const rs = (revision: string, readyReplicas: number, owner = 'u1'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: `d-${revision}`,
    annotations: { 'deployment.kubernetes.io/revision': revision },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: owner, controller: true }],
  },
  status: { readyReplicas },
});

describe("k8splugin's ready checks (Helm ReadyChecker)", () => {
  test.each([
    ['1 replica, default 25%/25%: 0 may be unavailable', dep(1), 0],
    ['4 replicas, default: 1', dep(4), 1],
    ['10 replicas, maxUnavailable 2', dep(10, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } }), 2],
    ['Recreate: 0', dep(4, { type: 'Recreate' }), 0],
    ['surge 0 and unavailable 0 resolve to 1', dep(3, { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }), 1],
  ])('maxUnavailable: %s', (_, d, want) => expect(maxUnavailable(d)).toBe(want));

  test('a Deployment is ready when its current ReplicaSet has replicas − maxUnavailable ready', () => {
    expect(deploymentReady(dep(1), [rs('1', 1), rs('2', 1)])).toBe(true);
    expect(deploymentReady(dep(1), [rs('1', 1), rs('2', 0)])).toBe(false); // the old one does not count
    expect(deploymentReady(dep(1), [rs('2', 1, 'someone-else')])).toBe(false); // not controlled by it
    expect(deploymentReady(dep(4), [rs('2', 3)])).toBe(true);
    expect(deploymentReady(dep(1, undefined, { paused: true }), [])).toBe(true); // PausedAsReady
  });

  test('a Service needs a clusterIP; a LoadBalancer also an ingress or external IP; ExternalName is ready', () => {
    const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec,
      status,
    });
    expect(serviceReady(svc({ clusterIP: '10.0.0.1' }))).toBe(true);
    expect(serviceReady(svc({}))).toBe(false);
    expect(serviceReady(svc({ type: 'ExternalName' }))).toBe(true);
    expect(serviceReady(svc({ type: 'LoadBalancer', clusterIP: '10.0.0.1' }))).toBe(false);
    expect(
      serviceReady(svc({ type: 'LoadBalancer', clusterIP: '10.0.0.1' }, { loadBalancer: { ingress: [{ ip: 'x' }] } })),
    ).toBe(true);
  });
});

describe('peer lines', () => {
  const isNew = (p: string) => p !== 'old';
  test.each([
    ['ready with the new pod Ready', { ts: 1, instance: 'i', ready: true, pods: [{ name: 'new', ready: true }] }, true],
    ['the new pod not Ready yet', { ts: 1, instance: 'i', ready: true, pods: [{ name: 'new', ready: false }] }, false],
    ['only the old pod', { ts: 1, instance: 'i', ready: true, pods: [{ name: 'old', ready: true }] }, false],
    ['not ready', { ts: 1, instance: 'i', ready: false, pods: [{ name: 'new', ready: true }] }, false],
    ['another instance', { ts: 1, instance: 'j', ready: true, pods: [{ name: 'new', ready: true }] }, false],
    ['a marker', { ts: 1, synced: true }, false],
  ])('%s', (_, line, want) => expect(showsNewPodReady(line, 'i', isNew)).toBe(want));
});

describe('report arithmetic', () => {
  test('requests per second, less the background of a window of the same length, never negative', () => {
    expect(
      ratesPerSecond({ 'LIST pods': 50, 'PUT leases': 10, 'GET x': 3 }, 10, { 'PUT leases': 12, 'GET x': 1 }),
    ).toEqual({ 'LIST pods': 5, 'GET x': 0.2 });
  });

  test('AAI calls between two snapshots, per change, writes apart', () => {
    expect(aaiCallsBetween({ GET: 10, PUT: 4 }, { GET: 30, PUT: 8, DELETE: 4 }, 4)).toEqual({
      byMethod: { GET: 5, PUT: 1, DELETE: 1 },
      total: 7,
      writes: 2,
    });
  });
});
