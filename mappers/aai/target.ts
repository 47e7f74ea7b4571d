// Where in AAI an instance's records go: the one place that resolves an instance's AAI target from its spec.aai,
// what a caller forces (the CLI's flags) and what the operator falls back to (its --aai-* defaults).
import type { AaiMapping, ResourceBundleInstance } from '../instance/types.js';
import type { AaiTarget } from './types.js';

/** Target fields a caller may force or fall back to. */
export interface TargetChoice {
  cloudOwner?: string;
  tenantId?: string;
  mapping?: AaiMapping;
}

export type TargetResolution = { ok: true; target: AaiTarget } | { ok: false; missing: 'cloudOwner' | 'tenantId' };

const DEFAULT_MAPPING: AaiMapping = 'k8s-resource';

/** Each field: `force`, else spec.aai, else `fallback`; the cloud region is the instance's. */
export function resolveTarget(
  rbi: ResourceBundleInstance,
  choice: { force?: TargetChoice; fallback?: TargetChoice } = {},
): TargetResolution {
  const aai = rbi.spec.aai ?? {};
  const pick = <K extends keyof TargetChoice>(k: K) => choice.force?.[k] ?? aai[k] ?? choice.fallback?.[k];
  const cloudOwner = pick('cloudOwner');
  const tenantId = pick('tenantId');
  if (!cloudOwner) return { ok: false, missing: 'cloudOwner' };
  if (!tenantId) return { ok: false, missing: 'tenantId' };
  return {
    ok: true,
    target: {
      cloudOwner,
      cloudRegion: rbi.spec.cloudRegion,
      tenantId,
      ...(aai.genericVnfId ? { genericVnfId: aai.genericVnfId } : {}),
      ...(aai.vfModuleId ? { vfModuleId: aai.vfModuleId } : {}),
      mapping: pick('mapping') ?? DEFAULT_MAPPING,
    },
  };
}
