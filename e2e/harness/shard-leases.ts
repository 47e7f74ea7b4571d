// Reading shard ownership from outside the operator: who holds which shard Lease, and which identity a replica has.
import type { OperatorProcess } from './operator-process.js';

export interface LeaseList {
  items: Array<{ metadata: { name: string }; spec?: { holderIdentity?: string } }>;
}

/** Shard → holder identity, from a list of the group's Leases (`<id>-shard-<i>`). */
export function holdersOf(list: LeaseList): Map<number, string> {
  const out = new Map<number, string>();
  for (const l of list.items) {
    const m = /-shard-(\d+)$/.exec(l.metadata.name);
    if (m && l.spec?.holderIdentity) out.set(Number(m[1]), l.spec.holderIdentity);
  }
  return out;
}

/** The identity a replica logged when it acquired a shard (each replica has one identity). */
export const identityOf = (op: OperatorProcess): string | undefined =>
  op
    .log()
    .split('\n')
    .filter((l) => l.includes('"shard acquired"'))
    .map((l) => (JSON.parse(l) as { identity?: string }).identity)
    .at(-1);
