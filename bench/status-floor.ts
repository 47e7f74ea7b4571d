// The floor under our latency: what one status write of this CRD costs the API server to deliver to a watcher.
// A copy of the ResourceBundleInstance CRD under a group nobody watches (so no operator reacts), one object with
// instance 0's spec, and `count` server-side applies of instance 0's written status (one field varied each time), each
// timed from the request to a bare watcher's event. Our pod-replacement latency can at best be this plus our own
// event delivery; the ConfigMap baseline is what the API server needs for a small built-in object.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../mappers/status/types.js';
import type { KubeClient } from '../operator/kube/client.js';
import { BareWatch } from './bare-watch.js';
import { sleep } from './workload.js';

const FLOOR_GROUP = 'floor.bench.k8splugin.io';
const PLURAL = 'resourcebundleinstances';

interface Crd extends KubeObject {
  spec: { group: string; names: Record<string, unknown>; versions: unknown[] };
}

/** Samples (ms) of request → watch event for `count` status writes shaped as `like`'s. */
export async function statusWriteFloor(
  client: KubeClient,
  root: string,
  like: KubeObject,
  count: number,
): Promise<number[]> {
  const crd = parse(readFileSync(join(root, 'crds', 'resourcebundleinstances.yaml'), 'utf8')) as Crd;
  crd.metadata = { name: `${PLURAL}.${FLOOR_GROUP}` };
  crd.spec.group = FLOOR_GROUP;
  await client.request(
    'PATCH',
    `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
    'apply floor CRD',
    {
      query: { fieldManager: 'rbi-bench', force: true },
      contentType: 'application/apply-patch+yaml',
      body: crd,
    },
  );
  const ns = like.metadata?.namespace ?? 'default';
  const base = `/apis/${FLOOR_GROUP}/v1alpha1/namespaces/${ns}/${PLURAL}`;
  // Served once Established: retry the create until the API server routes the new group.
  const obj = {
    apiVersion: `${FLOOR_GROUP}/v1alpha1`,
    kind: 'ResourceBundleInstance',
    metadata: { name: 'floor', namespace: ns },
    spec: (like as { spec?: unknown }).spec,
  };
  for (let i = 0; ; i++) {
    try {
      await client.request('PATCH', `${base}/floor`, 'apply floor object', {
        query: { fieldManager: 'rbi-bench', force: true },
        contentType: 'application/apply-patch+yaml',
        body: obj,
      });
      break;
    } catch (err) {
      if (i > 100) throw err;
      await sleep(100);
    }
  }
  const watch = new BareWatch(client, base);
  await watch.synced();
  const status = structuredClone((like as { status?: Record<string, unknown> }).status ?? {});
  const samples: number[] = [];
  for (let k = 0; k < count + 5; k++) {
    status.readyRatio = `floor-${k}`; // one field varied: every write is a change
    const sent = performance.now();
    await client.request('PATCH', `${base}/floor/status`, 'apply floor status', {
      query: { fieldManager: 'rbi-operator', force: true },
      contentType: 'application/apply-patch+yaml',
      body: { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: 'floor', namespace: ns }, status },
    });
    await watch.until(
      () => (watch.get('floor')?.status as { readyRatio?: string })?.readyRatio === `floor-${k}`,
      10_000,
    );
    if (k >= 5) samples.push(watch.lastEventAt - sent); // the first few warm the new group's paths
  }
  await watch.stop();
  await client.request(
    'DELETE',
    `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
    'delete floor CRD',
  );
  return samples;
}
