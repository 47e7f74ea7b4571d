// The body of `rbi operator`, loaded only when that command runs (it pulls in undici, prom-client and the rest): wire the
// parts from a validated configuration, start listening, run until a signal, shut down in order.
import type { AaiClient } from '../aai/client.js';
import type { AaiControllerConfig } from '../aai/aai-controller.js';
import { ApiAuthorizer } from '../api/auth.js';
import { getObject, listObjects } from '../api/live-objects.js';
import { QueryApi, startApiServer, type ApiServer } from '../api/server.js';
import { SubscriptionRoutes } from '../api/subscription-routes.js';
import { subscriptionStore } from '../notify/subscription-store.js';
import { httpCallbackSender } from '../notify/callback-sender.js';
import { Controller } from '../control/controller.js';
import { defaultIdentity, LeaderElector } from '../control/leader-election.js';
import { ShardElector } from '../control/shard-elector.js';
import { KubeClient, loadKubeConfig } from '../kube/client.js';
import { createLogger, type Logger } from '../telemetry/logger.js';
import { keepRunningOnUnhandledRejections } from '../telemetry/fault-policy.js';
import { Metrics } from '../telemetry/metrics.js';
import { aaiNotSynced, failedInstances } from '../telemetry/instance-gauges.js';
import { startProbeServer, type ProbeServer } from '../telemetry/probe-server.js';
import { readFileSync } from 'node:fs';
import { UsageError } from './errors.js';
import type { OperatorConfig } from './operator-command.js';

/** The AAI part: a client when an AAI URL is given, else none (and its HTTP library is not even loaded). */
async function aaiConfig(config: OperatorConfig['aai'], log: Logger, metrics: Metrics): Promise<AaiControllerConfig> {
  const { connection, ...base } = config;
  if (!connection) return base;
  const { AaiClient } = await import('../aai/client.js');
  let client: AaiClient;
  try {
    client = new AaiClient({
      ...connection,
      log,
      onResponse: (method, status, ms) => {
        metrics.aaiRequests.inc({ method, code: String(status) });
        metrics.aaiSeconds.observe({ method }, ms / 1000);
      },
    });
  } catch (err) {
    throw new UsageError(`AAI client: ${(err as Error).message}`);
  }
  log.info('aai sync enabled', {
    url: connection.baseUrl,
    version: connection.apiVersion,
    user: connection.username ?? null,
    bulk: connection.bulk,
    dryRun: connection.dryRun,
  });
  return { ...base, client };
}

/** The controller and what it reports through (metrics read their sources at scrape time). */
async function wire(config: OperatorConfig, log: Logger): Promise<{ controller: Controller; metrics: Metrics }> {
  let kc;
  try {
    kc = loadKubeConfig(config.controller.kubeconfig);
  } catch (err) {
    throw new UsageError(`cannot load kubeconfig: ${(err as Error).message}`);
  }
  const ref: { controller?: Controller } = {};
  const metrics = new Metrics({
    queueDepth: () => ({
      status: ref.controller?.queue.length ?? 0,
      aai: ref.controller?.aai.queue.length ?? 0,
      'aai-cleanup': ref.controller?.aai.cleanups.queue.length ?? 0,
    }),
    phases: () => ref.controller?.phaseCounts() ?? {},
    failed: () => failedInstances(ref.controller?.manager.instances() ?? []),
    aaiNotSynced: () => aaiNotSynced(ref.controller?.manager.instances() ?? []),
    informers: () => ref.controller?.manager.stats() ?? { states: {}, openRequests: 0, timers: 0 },
    aaiReadBack: () => ref.controller?.aai.readBackStats(),
    aaiCleanups: () => ref.controller?.aai.cleanups.stats() ?? { done: 0, failedAttempts: 0, failing: 0 },
    events: () => {
      const e = ref.controller?.events;
      return { queued: e?.queued ?? 0, sent: e?.sent ?? 0, dropped: e?.dropped ?? 0, failed: e?.failed ?? 0 };
    },
  });
  const { namespaces, workers, maxPods, informerTimings, statusHoldMaxMs } = config.controller;
  ref.controller = new Controller(
    new KubeClient(kc),
    {
      namespaces,
      workers,
      maxPods,
      statusHoldMaxMs,
      informerTimings,
      windows: config.rules.windows,
      options: config.rules.options,
      aai: await aaiConfig(config.aai, log, metrics),
      metrics,
      ...(config.sharding ? { shards: config.sharding.shards } : {}),
      ...(config.notify ? { notify: { allowedUrls: config.notify.allowedUrls, send: httpCallbackSender() } } : {}),
    },
    log,
  );
  return { controller: ref.controller, metrics };
}

/** The probe server and the query API; a port that cannot be bound is a usage error. */
async function listen(
  config: OperatorConfig,
  controller: Controller,
  metrics: Metrics,
  log: Logger,
): Promise<{ probes?: ProbeServer; api?: ApiServer }> {
  const bind = config.telemetry.probeBindAddress;
  const probes = await startProbeServer(bind, {
    healthy: () => true,
    ready: () => controller.manager.ready(),
    details: () => controller.manager.informerStates(),
    metrics: async () => ({ contentType: metrics.contentType, text: await metrics.text() }),
  }).catch((err: Error) => {
    throw new UsageError(`--health-probe-bind-address ${bind}: ${err.message}`);
  });
  if (probes) log.info('probe server listening', { address: probes.address });
  const { bindAddress, auth, tls } = config.api;
  const authorizer = new ApiAuthorizer(auth, controller.client);
  const query = new QueryApi(
    {
      instances: () => controller.manager.instances(),
      idOwner: (id) => controller.manager.idOwner(id),
      evaluate: (rbi) => controller.evaluateAll(rbi),
      resourceOf: (group, version, kind) => controller.discovery.resolve(group, version, kind),
      list: (info, q) => listObjects(controller.client, info, q),
      get: (info, namespace, name) => getObject(controller.client, info, namespace, name),
      grantsKind: (rbi, group, kind) => controller.manager.grantsKind(rbi, group, kind),
      ...(config.sharding ? { notFoundHint: () => shardHint(controller, config.sharding!.shards) } : {}),
    },
    authorizer,
    log,
    config.notify
      ? new SubscriptionRoutes(
          subscriptionStore(controller.client, controller.cache),
          authorizer,
          config.notify.allowedUrls,
        )
      : undefined,
  );
  const api = await startApiServer({ bind: bindAddress, ...(tls ? { tls: await serving(tls) } : {}) }, query).catch(
    (err: Error) => {
      throw new UsageError(`--api-bind-address ${bindAddress}: ${err.message}`);
    },
  );
  const tlsMode = !tls ? 'off' : 'selfSigned' in tls ? 'self-signed' : 'files';
  if (api) log.info('query API listening', { address: api.address, auth, tls: tlsMode });
  return { ...(probes ? { probes } : {}), ...(api ? { api } : {}) };
}

/** What a replica says of an id it does not serve: which shards it holds (the same for any id: it reveals nothing). */
const shardHint = (controller: Controller, shards: number) =>
  `this replica serves the instances of shard(s) ${[...controller.shards].sort((a, b) => a - b).join(', ') || 'none'} of ${shards}, by target namespace`;

/** The query API's certificate: the provisioned files, or one made in memory. */
async function serving(
  tls: NonNullable<OperatorConfig['api']['tls']>,
): Promise<{ cert: string | Buffer; key: string | Buffer }> {
  if ('selfSigned' in tls) {
    const { selfSignedCertificate } = await import('../api/self-signed.js');
    return selfSignedCertificate(tls.selfSigned);
  }
  try {
    return { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) };
  } catch (err) {
    throw new UsageError(`--api-tls-cert-file/--api-tls-key-file: ${(err as Error).message}`);
  }
}

/** The shard Leases: the controller follows what they hold; metrics count it. */
function shardElection(
  sharding: NonNullable<OperatorConfig['sharding']>,
  controller: Controller,
  metrics: Metrics,
  log: Logger,
): ShardElector {
  metrics.leader.set(0);
  metrics.shardsOwned.set(0);
  return new ShardElector(
    controller.client,
    { ...sharding.lease, identity: defaultIdentity(), shards: sharding.shards },
    {
      onShardsChanged: (owned, change) => {
        controller.setShards(owned, change.retained);
        metrics.shardsOwned.set(owned.size);
        metrics.leader.set(owned.size > 0 ? 1 : 0);
        metrics.shardTransitions.inc({ transition: change.transition }, change.gained.length + change.lost.length);
      },
      onRound: (live) => metrics.shardReplicas.set(live),
    },
    log,
  );
}

const untilSignal = (log: Logger) =>
  new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      log.info('shutting down', { signal });
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });

export async function runOperator(config: OperatorConfig): Promise<void> {
  const log = createLogger(config.telemetry.logLevel);
  const { controller, metrics } = await wire(config, log);
  keepRunningOnUnhandledRejections(log, process, () => metrics.unhandledRejections.inc());
  const servers = await listen(config, controller, metrics, log);
  let elector: LeaderElector | undefined;
  let shardElector: ShardElector | undefined;
  if (config.sharding) {
    shardElector = shardElection(config.sharding, controller, metrics, log);
    const elector = shardElector;
    controller.setShardFreshness((shard) => elector.mayWrite(shard));
    if (config.leaderElection) log.info('sharding: --leader-elect is not used (each shard has its own Lease)');
  } else if (config.leaderElection) {
    controller.setLeading(false);
    elector = new LeaderElector(
      controller.client,
      { ...config.leaderElection, identity: defaultIdentity() },
      { onStartedLeading: () => controller.setLeading(true), onStoppedLeading: () => controller.setLeading(false) },
      log,
    );
  } else metrics.leader.set(1);
  // Sharding: the first shards are taken before anything is listed, so the first lists hold only them.
  const signalled = untilSignal(log); // a signal while the first shards are taken still shuts down in order
  await shardElector?.start();
  controller.start();
  elector?.start();
  await signalled;
  // Drain first (only the leader, or a shard's holder, writes), then hand the Leases over.
  const drained = await controller.stop(config.controller.shutdownMs);
  await elector?.release();
  await shardElector?.release();
  log.info('stopped', { drained });
  await servers.probes?.close();
  await servers.api?.close();
}
