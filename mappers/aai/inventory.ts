// What AAI should hold for one instance (pure): k8s-resources (listed objects and pods), optionally vservers
// with l-interfaces, the cousin edges to the vf-module and generic-vnf, and the vf-module's operational-status.
import type { KubeObject, State } from '../status/types.js';
import { instanceIdOf, type ResourceBundleInstance } from '../instance/types.js';
import { vfModulePath } from './paths.js';
import type { InstanceEvaluation } from '../status/instance.js';
import { k8sResourceRecord, ownerRelationships, type DesiredRecord } from './k8s-resource.js';
import { vfModuleStatusPatch } from './operational-status.js';
import type { AaiSettings, AaiTarget, K8sResource, Relationship, VfModuleStatusPatch, Vserver } from './types.js';
import { vserverRecord } from './vserver.js';

export interface DesiredInventory {
  k8sResources: DesiredRecord<K8sResource>[];
  vservers: DesiredRecord<Vserver>[];
  /** Edges each record must have (object path → relationships). */
  relationships: Relationship[];
  statusPatch?: DesiredRecord<VfModuleStatusPatch>;
  /** The vf-module the records link to and whose status is patched, and the instance id it must carry. */
  vfModule?: { path: string; instanceId: string };
}

export interface InventoryInputs {
  /** Listed objects found in the cluster. */
  objects: readonly KubeObject[];
  /** The instance's pods, with their state. */
  pods: ReadonlyArray<{ pod: KubeObject; state: State }>;
  phase: State;
}

/** The inputs of an instance's inventory, from its evaluation. */
export const inventoryInputsOf = (ev: InstanceEvaluation): InventoryInputs => ({
  objects: [...ev.found.values()],
  pods: ev.podObjects,
  phase: ev.state,
});

export function desiredInventory(
  rbi: ResourceBundleInstance,
  inputs: InventoryInputs,
  target: AaiTarget,
  settings: AaiSettings,
): DesiredInventory {
  const withK8s = target.mapping === 'k8s-resource' || target.mapping === 'all';
  const withVservers = target.mapping === 'vserver' || target.mapping === 'all';
  const seen = new Set<string>();
  const k8sResources: DesiredRecord<K8sResource>[] = [];
  if (withK8s) {
    for (const obj of [...inputs.objects, ...inputs.pods.map((p) => p.pod)]) {
      const rec = k8sResourceRecord(rbi, obj, target, settings);
      if (seen.has(rec.path)) continue; // a listed pod is also an instance pod
      seen.add(rec.path);
      k8sResources.push(rec);
    }
  }
  const vservers = withVservers
    ? inputs.pods.map(({ pod, state }) => vserverRecord(rbi, pod, state, target, settings))
    : [];
  const statusPatch = vfModuleStatusPatch(target, inputs.phase);
  return {
    k8sResources,
    vservers,
    relationships: ownerRelationships(target, settings.apiVersion),
    ...(statusPatch ? { statusPatch } : {}),
    ...(target.genericVnfId && target.vfModuleId
      ? { vfModule: { path: vfModulePath(target.genericVnfId, target.vfModuleId), instanceId: instanceIdOf(rbi) } }
      : {}),
  };
}

export interface PlannedCall {
  method: 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute path: /aai/<version>/... */
  path: string;
  body?: unknown;
}

/**
 * The calls one sync makes against an AAI that holds nothing of this instance yet: each record created by PUT with
 * its edges in the body (one atomic operation per object), then the vf-module's operational-status by PATCH.
 */
export function planCreate(inv: DesiredInventory, apiVersion: string): PlannedCall[] {
  const abs = (p: string) => `/aai/${apiVersion}${p}`;
  const withEdges = <T extends object>(body: T): T =>
    inv.relationships.length > 0 && !('relationship-list' in body)
      ? { ...body, 'relationship-list': { relationship: inv.relationships } }
      : body;
  const calls: PlannedCall[] = [
    ...inv.k8sResources.map((r) => ({ method: 'PUT' as const, path: abs(r.path), body: withEdges(r.body) })),
    ...inv.vservers.map((r) => ({ method: 'PUT' as const, path: abs(r.path), body: withEdges(r.body) })),
  ];
  if (inv.statusPatch) calls.push({ method: 'PATCH', path: abs(inv.statusPatch.path), body: inv.statusPatch.body });
  return calls;
}
