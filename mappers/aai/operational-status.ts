// The instance's state on its vf-module: operational-status by merge-patch (SO owns every other vf-module field,
// and a PATCH needs no resource-version, so it cannot race SO's writes).
import { vfModulePath } from './paths.js';
import type { AaiTarget, OperationalStatus, VfModuleStatusPatch } from './types.js';
import type { State } from '../status/types.js';
import type { DesiredRecord } from './k8s-resource.js';

export const operationalStatusOf = (phase: State): OperationalStatus =>
  phase === 'Ready' ? 'in-service-path' : 'out-of-service-path';

export function vfModuleStatusPatch(target: AaiTarget, phase: State): DesiredRecord<VfModuleStatusPatch> | undefined {
  if (!target.genericVnfId || !target.vfModuleId) return undefined;
  return {
    path: vfModulePath(target.genericVnfId, target.vfModuleId),
    body: { 'operational-status': operationalStatusOf(phase) },
  };
}
