// Helpers for e2e suites about ResourceBundleInstances: manifests, status reads, waits, events.
import { eventually, kubectl, kubectlJson, kubectlOk } from './kube.js';
import type { InstanceStatus, ResourceRef } from '../../mappers/instance/types.js';

export interface RbiObject {
  metadata: { name: string; namespace: string; generation?: number; uid?: string };
  status?: InstanceStatus;
}

export const ref = (kind: string, name: string, group = '', version = 'v1'): ResourceRef => ({
  group,
  version,
  kind,
  name,
});
export const deployRef = (name: string) => ref('Deployment', name, 'apps');

export function rbiManifest(
  name: string,
  namespace: string,
  resources: ResourceRef[],
  spec: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    apiVersion: 'k8splugin.io/v1alpha1',
    kind: 'ResourceBundleInstance',
    metadata: { name, namespace },
    spec: { rbName: 'e2e', rbVersion: 'v1', profileName: 'default', cloudRegion: 'k8sregionone', resources, ...spec },
  });
}

export const applyRbi = (name: string, namespace: string, resources: ResourceRef[], spec?: Record<string, unknown>) =>
  kubectlOk(['apply', '-f', '-'], rbiManifest(name, namespace, resources, spec));

const getRbi = (namespace: string, name: string) => kubectlJson<RbiObject>(['get', 'rbi', name, '-n', namespace]);

export async function waitFor(
  namespace: string,
  name: string,
  want: { phase?: string; reason?: string; readyRatio?: string; check?: (s: InstanceStatus) => boolean },
  timeoutMs = 30000,
): Promise<RbiObject> {
  return eventually(
    `${namespace}/${name} ${JSON.stringify({ ...want, check: want.check ? 'fn' : undefined })}`,
    () => {
      const obj = getRbi(namespace, name);
      const s = obj.status ?? {};
      const ready = s.conditions?.find((c) => c.type === 'Ready');
      if (want.phase && s.phase !== want.phase) return false;
      if (want.reason && ready?.reason !== want.reason) return false;
      if (want.readyRatio && s.readyRatio !== want.readyRatio) return false;
      if (want.check && !want.check(s)) return false;
      return obj;
    },
    timeoutMs,
    200,
  );
}

export interface EventItem {
  reason: string;
  type: string;
  note?: string;
  message?: string;
  regarding?: { name?: string };
  involvedObject?: { name?: string };
  metadata: { name: string };
}

/** Events about instances in a namespace (events.k8s.io/v1). */
export function instanceEvents(namespace: string, name?: string): EventItem[] {
  const list = kubectlJson<{ items: Array<EventItem & { regarding?: { kind?: string; name?: string } }> }>([
    'get',
    'events.v1.events.k8s.io',
    '-n',
    namespace,
  ]);
  return list.items.filter(
    (e) => e.regarding?.kind === 'ResourceBundleInstance' && (!name || e.regarding?.name === name),
  );
}

export function deployment(
  name: string,
  namespace: string,
  replicas: number,
  labels: Record<string, string> = {},
): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, ...labels } },
        spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] },
      },
    },
  });
}

/**
 * Waits until kube-controller-manager acts on a new Deployment in `namespace` (a probe, deleted again): after a suite
 * has restarted the API server, its controllers took up to a minute to act again (a Deployment's status not
 * updated), which must not count in the next suite's timeouts.
 */
export async function controllersSettled(namespace: string, timeoutMs = 120_000): Promise<void> {
  kubectlOk(['apply', '-f', '-'], deployment('settle-probe', namespace, 1));
  await eventually(
    'kube-controller-manager acting on a new Deployment',
    () => {
      const d = kubectlJson<{
        metadata: { generation?: number };
        status?: { availableReplicas?: number; observedGeneration?: number };
      }>(['get', 'deployment', 'settle-probe', '-n', namespace]);
      return d.status?.availableReplicas === 1 && d.status.observedGeneration === d.metadata.generation;
    },
    timeoutMs,
    500,
  );
  kubectlOk(['delete', 'deployment', 'settle-probe', '-n', namespace, '--timeout=60s']);
}

export const scale = (namespace: string, name: string, replicas: number) =>
  kubectlOk(['scale', `deployment/${name}`, '-n', namespace, `--replicas=${replicas}`]);

export { kubectl, kubectlOk };
