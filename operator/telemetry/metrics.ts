// Prometheus metrics (prom-client), on the probe server's /metrics: reconciles, the work queue, AAI requests,
// instances by phase, Failed instances and since when, AAI sync, the AAI read-backs and cleanups, informer restarts,
// status writes, leadership and shards, plus Node's default process metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CleanupStats } from '../aai/aai-cleanup.js';
import type { ReadBackStats } from '../aai/drift-sweep.js';
import type { FailedInstance } from './instance-gauges.js';

/** What the Event recorder has done so far (read at scrape time). */
export interface EventStats {
  queued: number;
  sent: number;
  dropped: number;
  failed: number;
}

export interface InformerStats {
  states: Record<string, number>;
  openRequests: number;
  timers: number;
}

export class Metrics {
  readonly registry = new Registry();
  readonly reconciles = new Counter({
    name: 'rbi_reconcile_total',
    help: 'Reconciles by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly reconcileSeconds = new Histogram({
    name: 'rbi_reconcile_duration_seconds',
    help: 'Time of one reconcile',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly queueWaitSeconds = new Histogram({
    name: 'rbi_workqueue_wait_seconds',
    help: 'Time a key waited in the work queue before a worker took it',
    labelNames: ['queue'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [this.registry],
  });
  readonly reconcileStepSeconds = new Histogram({
    name: 'rbi_reconcile_step_seconds',
    help: 'Time of each step of a reconcile: readiness, evaluate, status (build), write (status patch), events',
    labelNames: ['step'] as const,
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly statusWrites = new Counter({
    name: 'rbi_status_writes_total',
    help: 'Status writes (server-side apply on /status)',
    registers: [this.registry],
  });
  readonly statusWritesHeld = new Counter({
    name: 'rbi_status_writes_held_total',
    help: 'Status writes held while a workload controller was about to update its own status (one write then covers both)',
    registers: [this.registry],
  });
  readonly notifications = new Counter({
    name: 'rbi_notifications_total',
    help: 'Status subscription callbacks by result: delivered (2xx), failed (another answer or none; retried), refused (callback URL policy)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly aaiRequests = new Counter({
    name: 'rbi_aai_requests_total',
    help: 'AAI requests by method and HTTP code (0: no response)',
    labelNames: ['method', 'code'] as const,
    registers: [this.registry],
  });
  readonly aaiSeconds = new Histogram({
    name: 'rbi_aai_request_duration_seconds',
    help: 'Time of one AAI request',
    labelNames: ['method'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly informerRestarts = new Counter({
    name: 'rbi_informer_restarts_total',
    help: 'Lists and watches replaced, by kind and why (error, expired resourceVersion, deadWatch, relist)',
    labelNames: ['kind', 'reason'] as const,
    registers: [this.registry],
  });
  readonly informerLists = new Counter({
    name: 'rbi_informer_lists_total',
    help: 'Complete lists by kind and method (list: paginated LIST, watchList: streaming list)',
    labelNames: ['kind', 'method'] as const,
    registers: [this.registry],
  });
  readonly unhandledRejections = new Counter({
    name: 'rbi_unhandled_rejections_total',
    help: 'Promise rejections nobody handled (logged; the process keeps running)',
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: 'rbi_leader',
    help: '1 when this replica is the leader (sharding: while it holds a shard)',
    registers: [this.registry],
  });
  readonly shardsOwned = new Gauge({
    name: 'rbi_shards_owned',
    help: 'Shards this replica holds (sharding)',
    registers: [this.registry],
  });
  readonly shardReplicas = new Gauge({
    name: 'rbi_shard_replicas',
    help: 'Live replicas sharing the shards, as this replica sees their member Leases (sharding)',
    registers: [this.registry],
  });
  readonly shardTransitions = new Counter({
    name: 'rbi_shard_transitions_total',
    help: 'Shard transitions of this replica: acquired, released (to rebalance), lost (taken or released elsewhere), suspended (renewal late: writes paused, caches kept), resumed',
    labelNames: ['transition'] as const,
    registers: [this.registry],
  });

  constructor(sources: {
    queueDepth: () => Record<string, number>;
    phases: () => Record<string, number>;
    failed?: () => readonly FailedInstance[];
    aaiNotSynced?: () => Record<string, number>;
    informers?: () => InformerStats;
    events?: () => EventStats;
    aaiReadBack?: () => ReadBackStats | undefined;
    aaiCleanups?: () => CleanupStats;
  }) {
    collectDefaultMetrics({ register: this.registry });
    const informers = () => sources.informers?.() ?? { states: {}, openRequests: 0, timers: 0 };
    new Gauge({
      name: 'rbi_informers',
      help: 'Informers by state (starting, synced, failed, notServed)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [state, n] of Object.entries(informers().states)) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'rbi_informer_open_requests',
      help: 'List or watch requests open now (at most one per informer)',
      registers: [this.registry],
      collect() {
        this.set(informers().openRequests);
      },
    });
    new Gauge({
      name: 'rbi_informer_timers',
      help: 'Informer timers armed now (at most one per informer)',
      registers: [this.registry],
      collect() {
        this.set(informers().timers);
      },
    });
    new Gauge({
      name: 'rbi_workqueue_depth',
      help: 'Keys waiting in the work queue',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      collect() {
        for (const [queue, n] of Object.entries(sources.queueDepth())) this.set({ queue }, n);
      },
    });
    new Gauge({
      name: 'rbi_instances',
      help: 'ResourceBundleInstances by phase',
      labelNames: ['phase'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [phase, n] of Object.entries(sources.phases())) this.set({ phase }, n);
      },
    });
    new Gauge({
      // Not namespace/name: Prometheus' target labels (namespace, instance) would clash with them.
      name: 'rbi_instance_failed_since_seconds',
      help: 'Unix time when each Failed instance became Failed (one series per Failed instance)',
      labelNames: ['instance_namespace', 'instance_name'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const f of sources.failed?.() ?? [])
          this.set({ instance_namespace: f.namespace, instance_name: f.name }, f.since);
      },
    });
    new Gauge({
      name: 'rbi_instances_aai_not_synced',
      help: 'Instances whose AAISynced condition is False, by reason (SyncFailed, Disabled, NotConfigured, …)',
      labelNames: ['reason'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(sources.aaiNotSynced?.() ?? {})) this.set({ reason }, n);
      },
    });
    const events = () => sources.events?.() ?? { queued: 0, sent: 0, dropped: 0, failed: 0 };
    new Gauge({
      name: 'rbi_events_queued',
      help: 'Kubernetes Events waiting to be sent (or being sent)',
      registers: [this.registry],
      collect() {
        this.set(events().queued);
      },
    });
    new Counter({
      name: 'rbi_events_total',
      help: 'Kubernetes Events by outcome: sent, dropped (the queue was full), failed (the API server refused)',
      labelNames: ['result'] as const,
      registers: [this.registry],
      collect() {
        const e = events();
        this.reset();
        for (const result of ['sent', 'dropped', 'failed'] as const) this.inc({ result }, e[result]);
      },
    });
    this.aaiMaintenance(sources.aaiReadBack, sources.aaiCleanups);
  }

  /** The read-backs that repair drift and the finalizer cleanups: both run apart from the syncs. */
  private aaiMaintenance(readBack?: () => ReadBackStats | undefined, cleanups?: () => CleanupStats): void {
    const registers = [this.registry];
    const stats = () => readBack?.();
    /** A counter whose value is read from its source at each scrape. */
    const pulled = (name: string, help: string, value: () => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(value());
        },
      });
    pulled(
      'rbi_aai_readback_reads_total',
      'AAI read calls (collection pages) of the periodic read-back that repairs drift',
      () => stats()?.reads ?? 0,
    );
    pulled(
      'rbi_aai_readback_failures_total',
      'Tenant read-backs that failed (the next interval retries)',
      () => stats()?.failures ?? 0,
    );
    new Gauge({
      name: 'rbi_aai_readback_last_completed_timestamp_seconds',
      help: 'Unix time when the last read-back of every tenant ended with none failed (0: not yet, or read-backs off)',
      registers,
      collect() {
        this.set((stats()?.lastCompletedAt ?? 0) / 1000);
      },
    });
    new Counter({
      name: 'rbi_aai_readback_drift_records_total',
      help: 'Records the read-back found drifted, by drift: missing, different, extra (each repaired by a sync)',
      labelNames: ['drift'] as const,
      registers,
      collect() {
        const s = stats();
        this.reset();
        for (const drift of ['missing', 'different', 'extra'] as const) this.inc({ drift }, s?.drift[drift] ?? 0);
      },
    });
    pulled(
      'rbi_aai_readback_repairs_total',
      'Instances given a repairing sync because the read-back found drift',
      () => stats()?.repairs ?? 0,
    );
    const clean = () => cleanups?.() ?? { done: 0, failedAttempts: 0, failing: 0 };
    pulled(
      'rbi_aai_cleanups_total',
      'Finalizer cleanups of AAI records done (every record of the deleted instance gone)',
      () => clean().done,
    );
    pulled(
      'rbi_aai_cleanup_failures_total',
      'Finalizer cleanup attempts that failed (each retried with backoff)',
      () => clean().failedAttempts,
    );
    new Gauge({
      name: 'rbi_aai_cleanups_failing',
      help: 'Finalizer cleanups waiting out a backoff now (their instances keep the finalizer)',
      registers,
      collect() {
        this.set(clean().failing);
      },
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
