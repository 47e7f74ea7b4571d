// TypeScript shapes of the ResourceBundleInstance custom resource (crds/resourcebundleinstances.yaml).
import type { NetworkInterface } from '../status/details/network-status.js';
import type { Endpoint } from '../status/details/endpoints.js';
import type { Flag } from '../status/reasons.js';
import { objectKey } from '../status/snapshot.js';
import type { KubeObject, ObjectMeta, State } from '../status/types.js';

export const GROUP = 'k8splugin.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = 'ResourceBundleInstance';
export const PLURAL = 'resourcebundleinstances';
/** Label carrying the instance id on the objects (and pods) an instance created, as k8splugin sets it. */
export const INSTANCE_ID_LABEL = 'k8splugin.io/rb-instance-id';
/** Annotation on a listed object: "true" leaves it out of the instance's aggregate (like Argo CD's ignore-healthcheck). */
export const IGNORE_ANNOTATION = 'k8splugin.io/ignore-healthcheck';

export interface ResourceRef {
  /** "" for the core group. */
  group: string;
  version: string;
  kind: string;
  name: string;
}

export type AaiMapping = 'k8s-resource' | 'vserver' | 'all';

export interface InstanceAaiSpec {
  cloudOwner?: string;
  tenantId?: string;
  genericVnfId?: string;
  vfModuleId?: string;
  mapping?: AaiMapping;
  enabled?: boolean;
}

export interface InstanceSpec {
  instanceId?: string;
  rbName: string;
  rbVersion: string;
  profileName: string;
  cloudRegion: string;
  releaseName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  /** The k8splugin instance request's override-values (Helm --set pairs), kept and served, never applied. */
  overrideValues?: Record<string, string>;
  resources: ResourceRef[];
  aai?: InstanceAaiSpec;
}

export interface ResourceStatusEntry extends ResourceRef {
  status: State;
  reason: string;
  message: string;
  flags: Flag[];
}

export interface PodStatusEntry {
  name: string;
  owner: string;
  status: State;
  reason: string;
  message?: string;
  ready: string;
  restarts: number;
  node: string;
  podIPs: string[];
  interfaces: NetworkInterface[];
  flags?: Flag[];
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface InstanceStatus {
  observedGeneration?: number;
  phase?: State;
  ready?: boolean;
  readyCount?: number;
  resourceCount?: number;
  /** "ready/total" for the READY printer column. */
  readyRatio?: string;
  resources?: ResourceStatusEntry[];
  pods?: PodStatusEntry[];
  /** Total pods when `pods` was capped. */
  podCount?: number;
  endpoints?: Endpoint[];
  conditions?: Condition[];
  aai?: Record<string, unknown>;
}

export interface ResourceBundleInstance extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: InstanceSpec;
  status?: InstanceStatus;
}

/** spec.instanceId, defaulting to metadata.name. */
export const instanceIdOf = (rbi: ResourceBundleInstance): string => rbi.spec.instanceId || rbi.metadata.name || '';

/** Where the listed objects live: spec.namespace, defaulting to the CR's own namespace. */
export const targetNamespaceOf = (rbi: ResourceBundleInstance): string =>
  rbi.spec.namespace || rbi.metadata.namespace || 'default';

/** The key of a listed resource: its objectKey in the instance's target namespace. */
export const refKey = (rbi: ResourceBundleInstance, r: Pick<ResourceRef, 'group' | 'kind' | 'name'>): string =>
  objectKey({ group: r.group ?? '', kind: r.kind, namespace: targetNamespaceOf(rbi), name: r.name });
