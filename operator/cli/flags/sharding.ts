// The one switch of sharding across replicas: --shards N (N ≥ 2). Instances are split by a hash of their target
// namespace; each replica holds shards on Leases named after --leader-election-id, in its namespace and with its
// timings, and watches, caches and writes only those. It replaces the single leader Lease (--leader-elect is then
// not used): every replica works, each on its shards.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { FlagGroup } from './flag-group.js';
import { leaseSettings, type LeaderElectionFlags } from './leader-election.js';

/** The shard count and the Lease settings, or undefined when sharding is off (0 or 1). */
export type ShardingFlags = { shards: number; lease: NonNullable<LeaderElectionFlags> } | undefined;

/** Beyond this a shard Lease per shard costs more requests than it saves. */
const MAX_SHARDS = 256;

export const shardingFlags: FlagGroup<ShardingFlags> = {
  declare: (cmd: Command) =>
    cmd.option(
      '--shards <n>',
      'split instances across replicas by a hash of their target namespace, one Lease per shard (0 or 1: off)',
      '0',
    ),
  parse: (flags) => {
    const n = Number(flags.shards ?? 0);
    if (!Number.isInteger(n) || n < 0 || n > MAX_SHARDS)
      throw new UsageError(
        `--shards: expected an integer from 0 to ${MAX_SHARDS}, got ${JSON.stringify(flags.shards)}`,
      );
    if (n <= 1) return undefined;
    const lease = leaseSettings(flags);
    // It names the group of Leases in a label value.
    if (!/^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/.test(lease.name))
      throw new UsageError(
        `--leader-election-id: with --shards, at most 63 lowercase letters, digits, '-' or '.', got ${JSON.stringify(lease.name)}`,
      );
    if (lease.renewDeadlineMs >= lease.leaseDurationMs)
      throw new UsageError(
        '--leader-election-renew-deadline must be shorter than --leader-election-lease-duration with --shards',
      );
    return { shards: n, lease };
  },
};
