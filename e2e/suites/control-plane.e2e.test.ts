// The real control plane accepts our CRD and behaves like a cluster: printer columns, explain, validation,
// Deployments whose pods become Running and Ready with IPs, LoadBalancer Services without a load balancer.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';
import { kstatus } from '../../test/kstatus/kstatus.js';
import { createNamespace, deleteNamespace, eventually, kubectl, kubectlJson, kubectlOk } from '../harness/kube.js';

const root = packageRoot();
const sample = readFileSync(join(root, 'manifests/samples/k8splugin.io_v1alpha1_resourcebundleinstance.yaml'), 'utf8');

interface PodList {
  items: Array<{
    metadata: { name: string };
    spec: { nodeName?: string };
    status: { phase?: string; podIP?: string; conditions?: Array<{ type: string; status: string }> };
  }>;
}

describe('local control plane', () => {
  let ns: string;

  beforeAll(() => {
    kubectlOk(['apply', '--server-side', '-k', join(root, 'crds')]);
    kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', 'crd/resourcebundleinstances.k8splugin.io']);
    ns = createNamespace('e2e-cp');
  });

  afterAll(() => {
    deleteNamespace(ns);
    kubectl(['delete', 'namespace', 'testns2', '--wait=false', '--ignore-not-found']);
  });

  test('nodes are Ready (kwok)', () => {
    const nodes = kubectlJson<{ items: Array<{ status: { conditions: Array<{ type: string; status: string }> } }> }>([
      'get',
      'nodes',
    ]);
    expect(nodes.items.length).toBeGreaterThanOrEqual(1);
    for (const n of nodes.items) expect(n.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  test('the CRD is accepted and kubectl explain rbi.spec works', async () => {
    // The OpenAPI document is published a moment after the CRD is Established.
    const out = await eventually('kubectl explain rbi.spec', () => kubectlOk(['explain', 'rbi.spec']), 30000, 500);
    expect(out).toContain('rbName');
    expect(out).toContain('cloudRegion');
    expect(kubectlOk(['explain', 'rbi.spec.resources'])).toContain('kind');
    // Every field documented, as kubectl explain shows it (test/crd-descriptions.test.ts checks the files).
    for (const path of [
      'rbi.spec',
      'rbi.spec.aai',
      'rbi.spec.resources',
      'rbi.status',
      'rbi.status.resources',
      'rbi.status.pods.interfaces',
      'rbi.status.conditions',
      'rbgrant.spec.from',
      'rbsub.spec',
      'rbsub.status',
    ]) {
      const text = await eventually(`kubectl explain ${path}`, () => kubectlOk(['explain', path]), 30000, 500);
      expect(`${path}: ${text}`).not.toContain('<no description>');
    }
  });

  test('the sample instance is created and kubectl get rbi shows the printer columns', () => {
    kubectl(['create', 'namespace', 'testns2']);
    kubectlOk(['apply', '-f', '-'], sample);
    const out = kubectlOk(['get', 'rbi', '-n', 'testns2']);
    expect(out.split('\n')[0]).toMatch(/^NAME\s+RB\s+VERSION\s+PROFILE\s+READY\s+STATUS\s+AAI\s+AGE$/);
    expect(out).toMatch(/edgex-brave-brattain\s+edgex\s+v1\s+profile2\s/);
    expect(kubectlOk(['get', 'rbi', '-n', 'testns2', '-o', 'wide']).split('\n')[0]).toMatch(
      /REGION\s+TARGET-NS\s+REASON$/,
    );
    // short name and categories
    expect(kubectlOk(['get', 'onap', '-n', 'testns2'])).toContain('edgex-brave-brattain');
  });

  test('a new instance, before any operator wrote to it, reads status.observedGeneration 0 (kstatus: InProgress)', () => {
    const rbi = kubectlJson<{ metadata: { generation: number }; status?: { observedGeneration?: number } }>([
      'get',
      'rbi',
      '-n',
      'testns2',
      'edgex-brave-brattain',
    ]);
    expect(rbi.metadata.generation).toBe(1);
    expect(rbi.status).toEqual({ observedGeneration: 0 });
    expect(kstatus([rbi])).toMatchObject([{ status: 'InProgress' }]); // kstatus itself (cli-utils status.Compute)
  });

  test('an invalid instance is rejected by the API server with a readable message', () => {
    const bad = `apiVersion: k8splugin.io/v1alpha1
kind: ResourceBundleInstance
metadata: {name: bad, namespace: ${ns}}
spec:
  rbName: edgex
  rbVersion: v1
  profileName: p
  resources:
    - {version: v1, kind: Service, name: a}
`;
    const r = kubectl(['apply', '-f', '-'], bad);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('spec.cloudRegion: Required value');
  });

  test('instanceId is immutable (CEL transition rule)', () => {
    const obj = (id: string) => `apiVersion: k8splugin.io/v1alpha1
kind: ResourceBundleInstance
metadata: {name: immutable, namespace: ${ns}}
spec: {instanceId: ${id}, rbName: a, rbVersion: b, profileName: c, cloudRegion: d, resources: []}
`;
    kubectlOk(['apply', '-f', '-'], obj('first'));
    const r = kubectl(['apply', '-f', '-'], obj('second'));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('instanceId is immutable');
  });

  test('a Deployment with 3 replicas gets pods Running and Ready with IPs', async () => {
    kubectlOk(['create', 'deployment', 'web', '-n', ns, '--image=nginx:1.27', '--replicas=3']);
    const pods = await eventually('3 pods Running and Ready with IPs', () => {
      const list = kubectlJson<PodList>(['get', 'pods', '-n', ns, '-l', 'app=web']);
      const ok = list.items.filter(
        (p) =>
          p.status.phase === 'Running' &&
          p.status.podIP &&
          p.spec.nodeName &&
          p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      return ok.length === 3 && list.items;
    });
    expect(new Set(pods.map((p) => p.status.podIP)).size).toBe(3);
    await eventually(
      'Deployment available',
      () => kubectl(['rollout', 'status', `deployment/web`, '-n', ns, '--timeout=5s']).status === 0,
    );
  });

  test('a LoadBalancer Service stays without ingress (no load-balancer controller)', async () => {
    kubectlOk(['create', 'service', 'loadbalancer', 'lb', '-n', ns, '--tcp=80:8080']);
    await new Promise((r) => setTimeout(r, 3000));
    const svc = kubectlJson<{ spec: { clusterIP: string }; status: { loadBalancer: { ingress?: unknown[] } } }>([
      'get',
      'service',
      'lb',
      '-n',
      ns,
    ]);
    expect(svc.spec.clusterIP).toMatch(/^10\.96\./);
    expect(svc.status.loadBalancer.ingress ?? []).toEqual([]);
  });
});
