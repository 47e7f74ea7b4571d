// k8splugin's REST shapes (onap/multicloud-k8s src/k8splugin internal/app: InstanceRequest, InstanceResponse,
// InstanceMiniResponse, InstanceDbData, InstanceStatus, QueryStatus, ResourceStatus; ../shared/design/k8splugin-api.md)
// and the mapping from a ResourceBundleInstance (pure). Go sends every field (no omitempty); where k8splugin sends
// null for a map or list it never filled, we send {} or []: every client that copes with k8splugin's null copes with
// an empty one, not the reverse (a Python or Java client iterating the field without a null check).
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
  'override-values': Record<string, string>;
}

/** An entry of GET /v1/instance. */
export interface InstanceMiniResponse {
  id: string;
  request: InstanceRequest;
  'release-name': string;
  namespace: string;
}

export interface InstanceResponse {
  id: string;
  request: InstanceRequest;
  namespace: string;
  'release-name': string;
  resources: K8sPluginResource[];
}

/** GET /v1/instance/{id}?full=true: k8splugin's database record (capitalised timeouts: their json tags). */
export interface InstanceDbData {
  id: string;
  request: InstanceRequest;
  namespace: string;
  status: string;
  'release-name': string;
  resources: K8sPluginResource[];
  hooks: unknown[];
  'hook-progress': string;
  PreInstallTimeout: number;
  PostInstallTimeout: number;
  PreDeleteTimeout: number;
  PostDeleteTimeout: number;
  PreUpgradeTimeout: number;
  PostUpgradeTimeout: number;
}

export interface ResourceStatusEntry {
  name: string;
  GVK: GVK;
  /** The live object as redact() returns it. */
  status: KubeObject;
  /** Ours, on /status only: the Ready|Pending|Failed verdict (extra field; k8splugin clients ignore it). */
  summary?: { status: State; reason: string; message: string };
}

export interface InstanceStatusResponse {
  request: InstanceRequest;
  ready: boolean;
  resourceCount: number;
  resourcesStatus: ResourceStatusEntry[];
}

/** GET /v1/query: no request, no ready. */
export interface QueryStatusResponse {
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
    'override-values': { ...(rbi.spec.overrideValues ?? {}) },
  };
}

const releaseNameOf = (rbi: ResourceBundleInstance) => rbi.spec.releaseName ?? instanceIdOf(rbi);

export function listEntryOf(rbi: ResourceBundleInstance): InstanceMiniResponse {
  return {
    id: instanceIdOf(rbi),
    request: requestOf(rbi),
    'release-name': releaseNameOf(rbi),
    namespace: targetNamespaceOf(rbi),
  };
}

export function instanceResponseOf(rbi: ResourceBundleInstance): InstanceResponse {
  return {
    id: instanceIdOf(rbi),
    request: requestOf(rbi),
    namespace: targetNamespaceOf(rbi),
    'release-name': releaseNameOf(rbi),
    resources: (rbi.spec.resources ?? []).map((r) => ({
      GVK: { Group: r.group ?? '', Version: r.version, Kind: r.kind },
      Name: r.name,
    })),
  };
}

/**
 * k8splugin's hook timeouts (seconds) and the override-values that set them, with its defaults
 * (internal/app/instance.go getOverridesAndHookInfo). A value that is not an integer keeps the default.
 */
const HOOK_TIMEOUTS = [
  ['PreInstallTimeout', 'k8s-rb-instance-pre-install-timeout', 60],
  ['PostInstallTimeout', 'k8s-rb-instance-post-install-timeout', 600],
  ['PreDeleteTimeout', 'k8s-rb-instance-pre-delete-timeout', 60],
  ['PostDeleteTimeout', 'k8s-rb-instance-post-delete-timeout', 600],
  ['PreUpgradeTimeout', 'k8s-rb-instance-pre-upgrade-timeout', 60],
  ['PostUpgradeTimeout', 'k8s-rb-instance-post-upgrade-timeout', 600],
] as const;

type HookTimeouts = Pick<InstanceDbData, (typeof HOOK_TIMEOUTS)[number][0]>;

function hookTimeoutsOf(overrides: Record<string, string>): HookTimeouts {
  const out = {} as HookTimeouts;
  for (const [field, key, fallback] of HOOK_TIMEOUTS) {
    const v = overrides[key];
    out[field] = v !== undefined && /^[-+]?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : fallback;
  }
  return out;
}

/**
 * The full record: an instance the operator serves is past its hooks (k8splugin's "DONE": it creates nothing, so
 * no hooks ran and none are pending).
 */
export function instanceDbDataOf(rbi: ResourceBundleInstance): InstanceDbData {
  const r = instanceResponseOf(rbi);
  return {
    id: r.id,
    request: r.request,
    namespace: r.namespace,
    status: 'DONE',
    'release-name': r['release-name'],
    resources: r.resources,
    hooks: [],
    'hook-progress': '',
    ...hookTimeoutsOf(r.request['override-values']),
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

/**
 * A query answer's entry: the requested GVK (as k8splugin), the lean object, and no verdict: a query lists any object
 * of a kind, most of which the operator does not judge (only /status has one for every entry).
 */
export const queryEntry = (obj: KubeObject, gvk: GVK): ResourceStatusEntry => ({
  name: obj.metadata?.name ?? '',
  GVK: gvk,
  status: redact(obj),
});
