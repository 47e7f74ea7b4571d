// Flags of the controller itself: which cluster, which namespaces, how many workers, the informers' relist, the
// pod cap in status, the status-write hold, and how long a shutdown may drain.
import type { Command } from 'commander';
import { DEFAULT_MAX_PODS } from '../../../mappers/status/instance.js';
import { DEFAULT_INFORMER_TIMINGS, type InformerTimings } from '../../watch/informer-timings.js';
import { WRITE_HOLD_MAX_MS } from '../../control/write-hold.js';
import { UsageError } from '../errors.js';
import { durationFlag, listFlag, optional, positiveIntFlag, seconds, type FlagGroup } from './flag-group.js';

export interface ControllerFlags {
  kubeconfig?: string;
  namespaces: string[];
  workers: number;
  maxPods: number;
  /** Longest hold of a status write while a workload's status lags its pods (0: never held). */
  statusHoldMaxMs: number;
  informerTimings: InformerTimings;
  shutdownMs: number;
}

const positive = (flag: string, ms: number): number => {
  if (ms <= 0) throw new UsageError(`--${flag}: must be more than 0`);
  return ms;
};

export const controllerFlags: FlagGroup<ControllerFlags> = {
  declare: (cmd: Command) =>
    cmd
      .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, then in-cluster)')
      .option('--namespaces <list>', 'comma-separated namespaces to watch (default: all, cluster-wide)')
      .option('--workers <n>', 'concurrent reconciles', '4')
      .option('--max-pods <n>', 'pods listed per instance in status.pods', String(DEFAULT_MAX_PODS))
      .option(
        '--status-hold-max <duration>',
        "longest hold of a status write while a workload's own status lags its pods (one write then covers both; 0: never hold)",
        `${WRITE_HOLD_MAX_MS}ms`,
      )
      .option(
        '--relist-interval <duration>',
        'full relist of every informer, an optional safety net (0: never)',
        seconds(DEFAULT_INFORMER_TIMINGS.relistIntervalMs),
      )
      .option(
        '--watch-read-timeout <duration>',
        'a watch silent this long (no event, no bookmark) is dead and replaced',
        seconds(DEFAULT_INFORMER_TIMINGS.readTimeoutMs),
      )
      .option(
        '--informer-backoff-max <duration>',
        "longest wait between an informer's attempts after failures (jittered)",
        seconds(DEFAULT_INFORMER_TIMINGS.backoffMaxMs),
      )
      .option(
        '--informer-unready-after <duration>',
        '/readyz fails while an informer has been unable to list or watch this long',
        seconds(DEFAULT_INFORMER_TIMINGS.unreadyAfterMs),
      )
      .option(
        '--shutdown-timeout <duration>',
        'on SIGTERM, how long in-flight reconciles and AAI writes may take',
        '30s',
      ),
  parse: (flags) => ({
    ...(optional(flags.kubeconfig) ? { kubeconfig: optional(flags.kubeconfig) } : {}),
    namespaces: listFlag(flags.namespaces),
    workers: positiveIntFlag('workers', flags.workers),
    maxPods: positiveIntFlag('max-pods', flags.maxPods),
    statusHoldMaxMs: durationFlag('status-hold-max', flags.statusHoldMax),
    informerTimings: {
      ...DEFAULT_INFORMER_TIMINGS,
      relistIntervalMs: durationFlag('relist-interval', flags.relistInterval),
      readTimeoutMs: positive('watch-read-timeout', durationFlag('watch-read-timeout', flags.watchReadTimeout)),
      unreadyAfterMs: durationFlag('informer-unready-after', flags.informerUnreadyAfter),
      backoffMaxMs: positive('informer-backoff-max', durationFlag('informer-backoff-max', flags.informerBackoffMax)),
    },
    shutdownMs: durationFlag('shutdown-timeout', flags.shutdownTimeout),
  }),
};
