// Flags of leader election on a Lease (defaults: controller-runtime's, in DEFAULT_LEADER_ELECTION).
import type { Command } from 'commander';
import { DEFAULT_LEADER_ELECTION, type LeaderElectionConfig } from '../../control/leader-election.js';
import { durationFlag, optional, seconds, type FlagGroup } from './flag-group.js';

/** The Lease settings without the identity (made at start), or undefined when leader election is off. */
export type LeaderElectionFlags = Omit<LeaderElectionConfig, 'identity'> | undefined;

export const leaderElectionFlags: FlagGroup<LeaderElectionFlags> = {
  declare: (cmd: Command) =>
    cmd
      .option('--leader-elect', 'elect a leader on a Lease (run several replicas; only the leader writes)')
      .option('--leader-election-namespace <ns>', 'namespace of the Lease (default: $POD_NAMESPACE, else default)')
      .option('--leader-election-id <name>', 'name of the Lease', 'rbi-operator-leader')
      .option(
        '--leader-election-lease-duration <duration>',
        'how long a Lease is valid without renewal',
        seconds(DEFAULT_LEADER_ELECTION.leaseDurationMs),
      )
      .option(
        '--leader-election-renew-deadline <duration>',
        'a leader that cannot renew this long steps down',
        seconds(DEFAULT_LEADER_ELECTION.renewDeadlineMs),
      )
      .option(
        '--leader-election-retry-period <duration>',
        'how often to try to acquire or renew',
        seconds(DEFAULT_LEADER_ELECTION.retryPeriodMs),
      ),
  parse: (flags) => {
    const settings = leaseSettings(flags);
    return flags.leaderElect ? settings : undefined;
  },
};

/**
 * The Lease namespace, name and timings (also those of the shard Leases). A renew deadline at or above the lease
 * duration would let a holder keep writing after another replica may have taken its Lease.
 */
export function leaseSettings(flags: Record<string, unknown>): NonNullable<LeaderElectionFlags> {
  const timings = {
    leaseDurationMs: durationFlag('leader-election-lease-duration', flags.leaderElectionLeaseDuration),
    renewDeadlineMs: durationFlag('leader-election-renew-deadline', flags.leaderElectionRenewDeadline),
    retryPeriodMs: durationFlag('leader-election-retry-period', flags.leaderElectionRetryPeriod),
  };
  return {
    namespace: optional(flags.leaderElectionNamespace) ?? process.env.POD_NAMESPACE ?? 'default',
    name: String(flags.leaderElectionId),
    ...timings,
  };
}
