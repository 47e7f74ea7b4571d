// Instance → AAI k8s-resource records (ONAP Istanbul+): one per listed object and one per pod, under the cloud
// region's tenant, with ONAP's id formula so our records line up with the ones SO's cnf-adapter writes.
import { createHash } from 'node:crypto';
import { groupOfApiVersion, versionOfApiVersion } from '../status/fields.js';
import type { KubeObject } from '../status/types.js';
import { instanceIdOf, type ResourceBundleInstance } from '../instance/types.js';
import { genericVnfPath, k8sResourcePath, versioned, vfModulePath } from './paths.js';
import type { AaiSettings, AaiTarget, K8sResource, Relationship } from './types.js';

export const DATA_SOURCE = 'kubernetes';

export interface K8sObjectRef {
  group: string;
  version: string;
  kind: string;
  name: string;
  namespace: string;
}

/**
 * ONAP's id: SHA-256 hex of instanceId + name + namespace + kind + group + version + cloudOwner + cloudRegion +
 * tenantId, concatenated without separators (SO cnf-adapter AaiIdGeneratorService).
 */
export function k8sResourceId(
  instanceId: string,
  ref: K8sObjectRef,
  target: Pick<AaiTarget, 'cloudOwner' | 'cloudRegion' | 'tenantId'>,
): string {
  const parts = [
    instanceId,
    ref.name,
    ref.namespace,
    ref.kind,
    ref.group,
    ref.version,
    target.cloudOwner,
    target.cloudRegion,
    target.tenantId,
  ];
  return createHash('sha256').update(parts.join(''), 'utf8').digest('hex');
}

/** Labels as sorted "k=v" strings. */
export function labelStrings(labels: Record<string, string> | undefined): string[] {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .sort();
}

/** This operator's query API URL for one object (issue 6), with group and version (ONAP's selflink drops the group). */
export function selflink(settings: Pick<AaiSettings, 'selflinkBase'>, instanceId: string, ref: K8sObjectRef): string {
  const apiVersion = ref.group ? `${ref.group}/${ref.version}` : ref.version;
  const q = new URLSearchParams({ ApiVersion: apiVersion, Kind: ref.kind, Name: ref.name, Namespace: ref.namespace });
  return `${settings.selflinkBase.replace(/\/$/, '')}/v1/instance/${encodeURIComponent(instanceId)}/query?${q.toString()}`;
}

/** Cousin edges from the vf-module (Uses) and the generic-vnf (HostedOn), when the instance names them. */
export function ownerRelationships(target: AaiTarget, apiVersion: string): Relationship[] {
  const out: Relationship[] = [];
  if (target.genericVnfId && target.vfModuleId) {
    out.push({
      'related-to': 'vf-module',
      'relationship-label': 'org.onap.relationships.inventory.Uses',
      'related-link': versioned(apiVersion, vfModulePath(target.genericVnfId, target.vfModuleId)),
    });
  }
  if (target.genericVnfId) {
    out.push({
      'related-to': 'generic-vnf',
      'relationship-label': 'tosca.relationships.HostedOn',
      'related-link': versioned(apiVersion, genericVnfPath(target.genericVnfId)),
    });
  }
  return out;
}

/** The identity of a live object; cluster-scoped objects have namespace "" (as ONAP writes it). */
export function refOf(obj: KubeObject): K8sObjectRef {
  const apiVersion = obj.apiVersion ?? 'v1';
  return {
    group: groupOfApiVersion(apiVersion),
    version: versionOfApiVersion(apiVersion),
    kind: obj.kind ?? '',
    name: obj.metadata?.name ?? '',
    namespace: obj.metadata?.namespace ?? '',
  };
}

export interface DesiredRecord<T> {
  /** Path relative to /aai/<version>. */
  path: string;
  body: T;
}

/** One k8s-resource for an object (listed object or pod) of the instance. */
export function k8sResourceRecord(
  rbi: ResourceBundleInstance,
  obj: KubeObject,
  target: AaiTarget,
  settings: AaiSettings,
): DesiredRecord<K8sResource> {
  const instanceId = instanceIdOf(rbi);
  const ref = refOf(obj);
  const id = k8sResourceId(instanceId, ref, target);
  const body: K8sResource = {
    id,
    name: ref.name,
    group: ref.group,
    version: ref.version,
    kind: ref.kind,
    namespace: ref.namespace,
    labels: labelStrings(obj.metadata?.labels),
    selflink: selflink(settings, instanceId, ref),
    'data-owner': settings.dataOwner,
    'data-source': DATA_SOURCE,
    'data-source-version': obj.metadata?.resourceVersion ?? '',
  };
  return { path: k8sResourcePath(target, id), body };
}
