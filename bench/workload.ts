// The benchmark's workload: N instances × M objects in namespace `bench` (a Deployment with its pods, a Service,
// ConfigMaps of 0.5 KiB, all labelled with the instance id), how to create them, and how to tell they are there.
import { INSTANCE_ID_LABEL } from '../mappers/instance/types.js';
import type { KubeObject } from '../mappers/status/types.js';
import type { KubeClient } from '../operator/kube/client.js';

export const NS = 'bench';

export interface WorkloadShape {
  instances: number;
  objects: number;
  pods: number;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** The id (label value) and names of instance i. */
export const instanceId = (i: number) => `bench-${i}`;
export const instanceName = (i: number) => `inst-${i}`;
export const deploymentName = (i: number) => `d-${i}`;

/** The AAI parents an instance's records hang under when the bench runs with --aai (harmless without). */
export const BENCH_VNF = 'bench-vnf';
export const vfModuleOf = (i: number) => `bench-vfm-${i}`;

/** The objects of instance i: a Deployment, a Service, and ConfigMaps up to `objects`. */
export function objectsOf(i: number, o: WorkloadShape): KubeObject[] {
  const labels = { app: deploymentName(i), [INSTANCE_ID_LABEL]: instanceId(i) };
  const meta = (name: string) => ({ name, namespace: NS, labels });
  const out: KubeObject[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(deploymentName(i)),
      spec: {
        replicas: o.pods,
        selector: { matchLabels: { app: deploymentName(i) } },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'app', image: 'registry.example/bench:1' }] },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(`s-${i}`),
      spec: { selector: { app: deploymentName(i) }, ports: [{ port: 80, targetPort: 8080 }] },
    },
  ];
  for (let j = 0; j < o.objects - 2; j++)
    out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`c-${i}-${j}`), data: { v: 'x'.repeat(512) } });
  return out;
}

/** An object's reference as an instance lists it. */
export const refOf = (o: KubeObject) => ({
  group: o.apiVersion!.includes('/') ? o.apiVersion!.split('/')[0]! : '',
  version: o.apiVersion!.split('/').pop()!,
  kind: o.kind!,
  name: o.metadata!.name!,
});

export const instanceOf = (i: number, objs: KubeObject[]): KubeObject => ({
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleInstance',
  metadata: { name: instanceName(i), namespace: NS },
  spec: {
    rbName: 'bench',
    rbVersion: 'v1',
    profileName: 'default',
    cloudRegion: 'k8sregionone',
    instanceId: instanceId(i),
    aai: { genericVnfId: BENCH_VNF, vfModuleId: vfModuleOf(i) },
    resources: objs.map(refOf),
  },
});

const RBI_PATH = '/apis/k8splugin.io/v1alpha1';

/** The collection an object of the workload is created in (its own namespace, else the bench's). */
const collection = (o: KubeObject) => {
  const ns = o.metadata?.namespace ?? NS;
  return o.kind === 'ResourceBundleInstance'
    ? `${RBI_PATH}/namespaces/${ns}/resourcebundleinstances`
    : o.kind === 'Deployment'
      ? `/apis/apps/v1/namespaces/${ns}/deployments`
      : `/api/v1/namespaces/${ns}/${o.kind === 'Service' ? 'services' : 'configmaps'}`;
};

export async function create(client: KubeClient, objs: KubeObject[]): Promise<void> {
  await pool(objs, 32, async (o) => {
    try {
      await client.request('POST', collection(o), `create ${o.kind} ${o.metadata?.name}`, { body: o });
    } catch (err) {
      if (!String((err as Error).message).includes('409')) throw err; // already there (a rerun)
    }
  });
}

/** How many instances the namespace holds (`all`: every namespace), as a kept run left them. */
export async function instanceCount(client: KubeClient, scope: 'all' | string = NS): Promise<number> {
  const path = `${RBI_PATH}/${scope === 'all' ? '' : `namespaces/${scope}/`}resourcebundleinstances`;
  const page = await client.request<{ items: unknown[]; metadata: { remainingItemCount?: number } }>(
    'GET',
    path,
    'count instances',
    { query: { limit: 1 } },
  );
  return page.items.length + (page.metadata.remainingItemCount ?? 0);
}

/** A kept run: clear the instances' statuses so the cold start starts from nothing. */
export async function clearStatuses(client: KubeClient, instances: Array<{ namespace: string; name: string }>) {
  await pool(instances, 32, ({ namespace, name }) =>
    client.request(
      'PATCH',
      `${RBI_PATH}/namespaces/${namespace}/resourcebundleinstances/${name}/status`,
      `clear status of ${namespace}/${name}`,
      { body: { status: null }, contentType: 'application/merge-patch+json' },
    ),
  );
}

/** Sum of readyReplicas over the workload's Deployments (in the namespace, or `all` by the instance label). */
export async function readyPods(client: KubeClient, scope: 'all' | string = NS): Promise<number> {
  let total = 0;
  let cont: string | undefined;
  do {
    const page = await client.request<{ items: KubeObject[]; metadata: { continue?: string } }>(
      'GET',
      scope === 'all' ? '/apis/apps/v1/deployments' : `/apis/apps/v1/namespaces/${scope}/deployments`,
      'list deployments',
      { query: { limit: 500, continue: cont, ...(scope === 'all' ? { labelSelector: INSTANCE_ID_LABEL } : {}) } },
    );
    for (const d of page.items) total += Number((d.status as { readyReplicas?: number })?.readyReplicas ?? 0);
    cont = page.metadata.continue || undefined;
  } while (cont);
  return total;
}

export const podReady = (p: KubeObject) =>
  ((p.status as { conditions?: Array<{ type: string; status: string }> })?.conditions ?? []).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );
