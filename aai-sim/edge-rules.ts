// The cousin edge rules the simulator knows (onap-aai.md §3.2, DbEdgeRules v24..v32). Any other pair of types has
// no rule (AAI_6120), and a parent/child pair is containment, which no relationship may create (AAI_6145).
import type { NodeTypeName } from './types.js';

export const USES = 'org.onap.relationships.inventory.Uses';
export const HOSTED_ON = 'tosca.relationships.HostedOn';

/** ONE2MANY: a "to" object has at most one such edge from a "from" object (and MANY2ONE the reverse). */
export type Multiplicity = 'ONE2ONE' | 'ONE2MANY' | 'MANY2ONE' | 'MANY2MANY';

export interface EdgeRule {
  from: NodeTypeName;
  to: NodeTypeName;
  label: string;
  multiplicity: Multiplicity;
}

const COUSIN_RULES: readonly EdgeRule[] = [
  { from: 'vf-module', to: 'k8s-resource', label: USES, multiplicity: 'ONE2MANY' },
  { from: 'generic-vnf', to: 'k8s-resource', label: HOSTED_ON, multiplicity: 'ONE2MANY' },
  { from: 'vf-module', to: 'vserver', label: USES, multiplicity: 'ONE2MANY' },
  { from: 'generic-vnf', to: 'vserver', label: HOSTED_ON, multiplicity: 'ONE2MANY' },
  { from: 'vnfc', to: 'vserver', label: HOSTED_ON, multiplicity: 'ONE2MANY' },
];

/** The rule between two types, whichever way round they are given. */
export function cousinRule(a: NodeTypeName, b: NodeTypeName): EdgeRule | undefined {
  return COUSIN_RULES.find((r) => (r.from === a && r.to === b) || (r.from === b && r.to === a));
}

/** Whether the rule limits the "to" end to one such edge, the "from" end, or both. */
export function limitsTo(rule: EdgeRule): boolean {
  return rule.multiplicity === 'ONE2MANY' || rule.multiplicity === 'ONE2ONE';
}

export function limitsFrom(rule: EdgeRule): boolean {
  return rule.multiplicity === 'MANY2ONE' || rule.multiplicity === 'ONE2ONE';
}
