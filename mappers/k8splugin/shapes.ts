// k8splugin's REST shapes (onap/multicloud-k8s src/k8splugin: InstanceRequest, InstanceResponse, InstanceStatus;
// ../shared/design/onap-aai.md §1.2, §1.4) and the mapping from a ResourceBundleInstance (pure).
import { groupOfApiVersion, versionOfApiVersion } from '../status/fields.js';
import { leanObject } from '../status/lean.js';
import type { KubeObject, ResourceStatus, State } from '../status/types.js';
import { instanceIdOf, targetNamespaceOf, type ResourceBundleInstance } from '../instance/types.js';

/** KubernetesResource has no json tags in k8splugin: Go field names. */
export interface GVK {
  Group: string;
  Version: string;
  Kind: string;
}

export interface K8sPluginResource {
  GVK: GVK;
  Name: string;
}

export interface InstanceRequest {
  'rb-name': string;
  'rb-version': string;
  'profile-name': string;
  'release-name': string;
  'cloud-region': string;
  labels: Record<string, string>;
  'override-values'?: Record<string, string>;
}

export interface InstanceListEntry {
  id: string;
  request: InstanceRequest;
  namespace: string;
}

export interface InstanceResponse extends InstanceListEntry {
  'release-name': string;
  resources: K8sPluginResource[];
}

export interface ResourceStatusEntry {
  name: string;
  GVK: GVK;
  /** The live object as redact() returns it. */
  status: KubeObject;
  /** Ours: the Ready|Pending|Failed verdict (extra field; k8splugin clients ignore it). */
  summary: { status: State; reason: string; message: string };
}

export interface InstanceStatusResponse {
  request: InstanceRequest;
  ready: boolean;
  resourceCount: number;
  resourcesStatus: ResourceStatusEntry[];
}

export function requestOf(rbi: ResourceBundleInstance): InstanceRequest {
  return {
    'rb-name': rbi.spec.rbName,
    'rb-version': rbi.spec.rbVersion,
    'profile-name': rbi.spec.profileName,
    'release-name': rbi.spec.releaseName ?? instanceIdOf(rbi),
    'cloud-region': rbi.spec.cloudRegion,
    labels: { ...(rbi.spec.labels ?? {}) },
  };
}

export function listEntryOf(rbi: ResourceBundleInstance): InstanceListEntry {
  return { id: instanceIdOf(rbi), request: requestOf(rbi), namespace: targetNamespaceOf(rbi) };
}

export function instanceResponseOf(rbi: ResourceBundleInstance): InstanceResponse {
  return {
    ...listEntryOf(rbi),
    'release-name': rbi.spec.releaseName ?? instanceIdOf(rbi),
    resources: (rbi.spec.resources ?? []).map((r) => ({
      GVK: { Group: r.group ?? '', Version: r.version, Kind: r.kind },
      Name: r.name,
    })),
  };
}

const gvkOf = (obj: KubeObject): GVK => ({
  Group: groupOfApiVersion(obj.apiVersion ?? ''),
  Version: versionOfApiVersion(obj.apiVersion ?? ''),
  Kind: obj.kind ?? '',
});

/** What the API returns of an object: its lean copy (never a Secret's or ConfigMap's content, no managedFields). */
export const redact = (obj: KubeObject): KubeObject => leanObject(obj);

export function statusEntry(
  obj: KubeObject,
  s: Pick<ResourceStatus, 'state' | 'reason' | 'message'>,
): ResourceStatusEntry {
  return {
    name: obj.metadata?.name ?? '',
    GVK: gvkOf(obj),
    status: redact(obj),
    summary: { status: s.state, reason: s.reason, message: s.message },
  };
}
