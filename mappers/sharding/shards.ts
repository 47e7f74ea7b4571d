// Sharding across replicas (pure): which shard an instance belongs to, and which shard Leases a replica should
// hold. The shard of an instance is a stable hash of its target namespace (where its listed objects live), so one
// replica watches and caches a whole namespace; FNV-1a 32 over the UTF-8 bytes, fixed forever (a change would move
// every instance at an upgrade: the unit test pins a table of values).

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

/** FNV-1a, 32 bits, of the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET;
  for (const byte of utf8.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

/** The shard (0 … shards-1) of a namespace; 0 when sharding is off (shards ≤ 1). */
export function shardOfNamespace(namespace: string, shards: number): number {
  return shards > 1 ? fnv1a32(namespace) % shards : 0;
}

/** The most shards one replica holds when `liveReplicas` share `shards` (at least one each, while any is left). */
export function fairShare(shards: number, liveReplicas: number): number {
  return Math.ceil(shards / Math.max(1, liveReplicas));
}

/** What a replica sees of one shard's Lease. */
export interface ShardLeaseView {
  shard: number;
  /** Holder identity, '' when free. */
  holder: string;
  /** Not renewed within its duration (as observed by this replica). */
  expired: boolean;
}

export interface ShardPlanInput {
  shards: number;
  identity: string;
  /** Replicas alive now, this one included (their member Leases). */
  liveReplicas: number;
  /** The shards this replica holds now (renewed within its renew deadline). */
  held: ReadonlySet<number>;
  /** The Leases as last read; a shard without an entry has no Lease yet (free). */
  leases: readonly ShardLeaseView[];
}

export interface ShardPlan {
  /** Held shards to renew. */
  renew: number[];
  /** Free or expired shards to try for, best first. */
  acquire: number[];
  /** Held shards above the fair share, to give up (after writes for them have stopped). */
  release: number[];
}

/**
 * A replica's preference for a shard (rendezvous hashing): replicas that race for free shards try them in different
 * orders, and each keeps the shards it prefers when it gives some up.
 */
const preference = (identity: string, shard: number) => fnv1a32(`${identity}/${shard}`);

const byPreference = (identity: string) => (a: number, b: number) =>
  preference(identity, b) - preference(identity, a) || a - b;

/**
 * One round of shard election: keep at most the fair share of what is held, and try for free or expired shards up
 * to it. Every replica running this converges on a spread where nobody holds more than ceil(shards / replicas).
 */
export function planShards(input: ShardPlanInput): ShardPlan {
  const fair = fairShare(input.shards, input.liveReplicas);
  const leases = new Map(input.leases.map((l) => [l.shard, l]));
  const order = byPreference(input.identity);
  const inRange = (s: number) => s >= 0 && s < input.shards;
  const held = [...input.held].filter(inRange).sort(order);
  const renew = held.slice(0, fair);
  const release = [...held.slice(fair), ...[...input.held].filter((s) => !inRange(s))];
  const free: number[] = [];
  for (let shard = 0; shard < input.shards; shard++) {
    if (input.held.has(shard)) continue;
    const lease = leases.get(shard);
    if (!lease || lease.holder === '' || lease.expired) free.push(shard);
  }
  const acquire = free.sort(order).slice(0, Math.max(0, fair - renew.length));
  return { renew, acquire, release };
}

/** The name of shard `shard`'s Lease. */
export const shardLeaseName = (base: string, shard: number) => `${base}-shard-${shard}`;

/** The name of a replica's member Lease (its presence: how many replicas share the shards). */
export const memberLeaseName = (base: string, identity: string) => {
  const readable = identity
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 40);
  return `${base}-member-${readable}-${fnv1a32(identity).toString(16).padStart(8, '0')}`.replace(/-+/g, '-');
};
