// Which namespaces may write which AAI targets (pure): the cluster admin's decision, from the operator's
// configuration. A rule names namespaces, cloud owners, cloud regions and tenants ("*" for any); an instance's target
// is allowed when one rule matches its namespace and all three of the target's keys. Without a policy file the one
// rule is the operator's own target (--aai-cloud-owner, --aai-cloud-region, --aai-tenant-id; an unset region: any).
import type { AaiTarget } from './types.js';

export interface TargetRule {
  namespaces: string[];
  cloudOwners: string[];
  cloudRegions: string[];
  tenants: string[];
}

const AAI_TARGET_NOT_ALLOWED = 'AAITargetNotAllowed';

const ANY = '*';
const FIELDS = ['namespaces', 'cloudOwners', 'cloudRegions', 'tenants'] as const;

/** The default policy: only the operator's configured target. */
export function defaultTargetRules(own: {
  cloudOwner?: string;
  cloudRegion?: string;
  tenantId?: string;
}): TargetRule[] {
  if (!own.cloudOwner || !own.tenantId) return [];
  return [
    {
      namespaces: [ANY],
      cloudOwners: [own.cloudOwner],
      cloudRegions: [own.cloudRegion ?? ANY],
      tenants: [own.tenantId],
    },
  ];
}

/** Validates a parsed policy document (a YAML list of rules); throws one readable Error. */
export function targetRulesFrom(doc: unknown): TargetRule[] {
  if (!Array.isArray(doc)) throw new Error('expected a list of rules {namespaces, cloudOwners, cloudRegions, tenants}');
  return doc.map((rule, i) => {
    if (!rule || typeof rule !== 'object') throw new Error(`rule ${i + 1}: expected an object`);
    const r = rule as Record<string, unknown>;
    for (const k of Object.keys(r))
      if (!(FIELDS as readonly string[]).includes(k)) throw new Error(`rule ${i + 1}: unknown field ${k}`);
    const out = {} as TargetRule;
    for (const f of FIELDS) {
      const v = r[f];
      if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || x === ''))
        throw new Error(`rule ${i + 1}: ${f}: expected a non-empty list of names ("*" for any)`);
      out[f] = v as string[];
    }
    return out;
  });
}

const matches = (list: readonly string[], value: string) => list.includes(ANY) || list.includes(value);

/** Why instances of `namespace` may not write `target`, or undefined when a rule allows it. */
export function targetRefusal(
  rules: readonly TargetRule[],
  namespace: string,
  target: Pick<AaiTarget, 'cloudOwner' | 'cloudRegion' | 'tenantId'>,
): { reason: string; message: string } | undefined {
  const allowed = rules.some(
    (r) =>
      matches(r.namespaces, namespace) &&
      matches(r.cloudOwners, target.cloudOwner) &&
      matches(r.cloudRegions, target.cloudRegion) &&
      matches(r.tenants, target.tenantId),
  );
  if (allowed) return undefined;
  return {
    reason: AAI_TARGET_NOT_ALLOWED,
    message: `instances of namespace ${namespace} may not write AAI cloud-owner ${target.cloudOwner}, cloud-region ${target.cloudRegion}, tenant ${target.tenantId} (the operator's AAI target policy); nothing written`,
  };
}
