// A stand-in for the cluster side of the AAI controller in component tests (the AAI side is the real simulator):
// instances with their evaluations, and a "reconcile" that does what the status path does for AAI (observe, fold
// statusFor into status.aai, finalize through the cleanup queue), so intent reaches "the cache" only through it.
import type { InstanceEvaluation } from '../../mappers/status/instance.js';
import type { KubeObject, State } from '../../mappers/status/types.js';
import type { InstanceAaiSpec, ResourceBundleInstance } from '../../mappers/instance/types.js';
import { AaiController, type AaiControllerConfig } from '../../operator/aai/aai-controller.js';
import { AaiClient } from '../../operator/aai/client.js';
import type { EventRecorder } from '../../operator/kube/events.js';
import { silentLogger } from '../../operator/telemetry/logger.js';
import { obj, pod, readyPodStatus } from './status-builders.js';

const OWNER = 'CloudOwner';
const REGION = 'RegionOne';
export const tenantPath = (t: string) =>
  `/cloud-infrastructure/cloud-regions/cloud-region/${OWNER}/${REGION}/tenants/tenant/${t}`;
export const vfModulePath = (id: string) => `/network/generic-vnfs/generic-vnf/vnf-1/vf-modules/vf-module/${id}`;

/** A fresh AAI client on the simulator (quick retries: the tests run outages of seconds). */
export const simClient = (url: string, over: Partial<ConstructorParameters<typeof AaiClient>[0]> = {}) =>
  new AaiClient({
    baseUrl: url,
    apiVersion: 'v24',
    username: 'AAI',
    password: 'AAI',
    retries: 1,
    backoffMaxMs: 20,
    timeoutMs: 5000,
    ...over,
  });

/** Region, tenants t1 and t2, generic-vnf vnf-1 with vf-modules vfm-1 and vfm-2 of instance ids in `stacks`. */
export async function seedAai(client: AaiClient, stacks: Record<string, string>): Promise<void> {
  await client.put(`/cloud-infrastructure/cloud-regions/cloud-region/${OWNER}/${REGION}`, {
    'cloud-owner': OWNER,
    'cloud-region-id': REGION,
    'orchestration-disabled': false,
    'in-maint': false,
  });
  for (const t of ['t1', 't2']) await client.put(tenantPath(t), { 'tenant-id': t, 'tenant-name': t });
  await client.put('/network/generic-vnfs/generic-vnf/vnf-1', {
    'vnf-id': 'vnf-1',
    'vnf-type': 'cnf',
    'in-maint': false,
    'is-closed-loop-disabled': false,
  });
  for (const [id, stack] of Object.entries(stacks))
    await client.put(vfModulePath(id), {
      'vf-module-id': id,
      'is-base-vf-module': false,
      'automated-assignment': false,
      'heat-stack-id': stack,
    });
}

export interface InstanceShape {
  pods: string[];
  aai?: InstanceAaiSpec;
  phase?: State;
}

interface Held {
  rbi: ResourceBundleInstance;
  ev: InstanceEvaluation;
}

let uids = 0;

export class FakeCluster {
  readonly instances = new Map<string, Held>();
  readonly ctl: AaiController;
  statusWrites = 0;
  events: Array<{ key: string; reason: string }> = [];
  /** While false, "status writes" fail (the API server is away): intent cannot become durable. */
  apiServerUp = true;

  constructor(client: AaiClient, config: Partial<AaiControllerConfig> = {}, leading: () => boolean = () => true) {
    const events = {
      record: async (rbi: ResourceBundleInstance, _type: string, reason: string) =>
        void this.events.push({ key: `${rbi.metadata.namespace}/${rbi.metadata.name}`, reason }),
    } as unknown as EventRecorder;
    this.ctl = new AaiController(
      {
        client,
        settings: { apiVersion: 'v24', dataOwner: 'rbi-operator', selflinkBase: 'http://rbi:8082' },
        defaultCloudOwner: OWNER,
        defaultTenantId: 't1',
        vfModuleWithoutStackId: 'refuse',
        minIntervalMs: 0,
        backoffMaxMs: 300,
        resyncIntervalMs: 0,
        intentTimeoutMs: 2000,
        ...config,
      },
      {
        active: leading,
        load: (key) => this.instances.get(key),
        current: (key) => this.instances.get(key)?.rbi,
        instances: () => [...this.instances.values()].map((h) => h.rbi),
        requestStatus: (key) => void setTimeout(() => this.reconcile(key), 1),
        events,
        log: silentLogger(),
        clock: () => new Date(),
      },
    );
  }

  /** Started clusters, so a test file can stop them all (FakeCluster.stopAll). */
  private static started: FakeCluster[] = [];

  static async stopAll(): Promise<void> {
    await Promise.all(FakeCluster.started.splice(0).map((c) => c.ctl.stop(0)));
  }

  /** Starts the controller's workers (2 sync, the cleanup workers, the read-back timer). */
  start(): this {
    this.ctl.start();
    FakeCluster.started.push(this);
    return this;
  }

  /** Creates or changes an instance (a ConfigMap listed, plus `pods`) and reconciles it. */
  apply(name: string, shape: InstanceShape, instanceId = name): void {
    const key = `ns/${name}`;
    const before = this.instances.get(key)?.rbi;
    const rbi: ResourceBundleInstance = {
      apiVersion: 'k8splugin.io/v1alpha1',
      kind: 'ResourceBundleInstance',
      metadata: {
        name,
        namespace: 'ns',
        uid: before?.metadata.uid ?? `uid-${++uids}`,
        finalizers: ['k8splugin.io/aai-cleanup'],
      },
      spec: {
        instanceId,
        rbName: 'rb',
        rbVersion: 'v1',
        profileName: 'p',
        cloudRegion: REGION,
        resources: [{ group: '', version: 'v1', kind: 'ConfigMap', name: `${name}-cm` }],
        ...(shape.aai ? { aai: shape.aai } : {}),
      },
      ...(before?.status ? { status: before.status } : {}),
    };
    const cm = obj('v1', 'ConfigMap', `${name}-cm`, { metadata: { namespace: 'ns', resourceVersion: '1' } });
    const pods = shape.pods.map((p) => ({
      pod: pod(readyPodStatus({ podIPs: [{ ip: '10.0.0.1' }] }), {
        name: p,
        namespace: 'ns',
        uid: `pod-${p}`,
        resourceVersion: '5',
      }),
      state: 'Ready' as const,
    }));
    const ev = {
      found: new Map<string, KubeObject>([['cm', cm]]),
      podObjects: pods,
      state: shape.phase ?? 'Ready',
    } as unknown as InstanceEvaluation;
    this.instances.set(key, { rbi, ev });
    this.reconcile(key);
  }

  /** Marks the instance deleted (its finalizer holds it until the cleanup is done). */
  delete(name: string): void {
    const h = this.instances.get(`ns/${name}`);
    if (!h) return;
    h.rbi = { ...h.rbi, metadata: { ...h.rbi.metadata, deletionTimestamp: new Date().toISOString() } };
    this.reconcile(`ns/${name}`);
  }

  /** What the status path does for AAI: finalize, or observe and write status.aai as statusFor says. */
  reconcile(key: string): void {
    const h = this.instances.get(key);
    if (!h) return;
    if (h.rbi.metadata.deletionTimestamp) {
      const c = this.ctl.cleanup(key, h.rbi);
      if (!c.done) return;
      this.instances.delete(key);
      this.ctl.forget(key);
      return;
    }
    this.ctl.observe(key, h.rbi, h.ev);
    if (!this.apiServerUp) return;
    const { aai, condition } = this.ctl.statusFor(key, h.rbi);
    const next = { ...(h.rbi.status ?? {}), ...(aai ? { aai: structuredClone(aai) } : {}), conditions: [condition] };
    if (JSON.stringify(next) === JSON.stringify(h.rbi.status ?? {})) return;
    this.statusWrites++;
    h.rbi = { ...h.rbi, status: next as ResourceBundleInstance['status'] };
    // The write's watch event brings the instance back to the status path, as on a real API server.
    setTimeout(() => this.reconcile(key), 1);
  }

  condition(name: string): { status: string; reason: string; message?: string } | undefined {
    return this.instances.get(`ns/${name}`)?.rbi.status?.conditions?.[0] as never;
  }

  /** The persisted status.aai (what a restarted operator reads). */
  persisted(name: string): { records?: string[]; lastError?: string } | undefined {
    return this.instances.get(`ns/${name}`)?.rbi.status?.aai as never;
  }
}
