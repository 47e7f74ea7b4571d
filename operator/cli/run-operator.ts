// The body of `rbi operator`, loaded only when that command runs (it pulls in @kubernetes/client-node).
import type { RuleOptions, Windows } from '../../mappers/status/types.js';
import { DEFAULT_OPTIONS } from '../../mappers/status/windows.js';
import { Controller } from '../control/controller.js';
import { parseDuration } from './duration.js';
import { KubeClient, loadKubeConfig } from '../kube/client.js';
import { createLogger, type LogLevel } from '../telemetry/logger.js';
import { DEFAULT_INFORMER_TIMINGS } from '../watch/informer-timings.js';
import { startProbeServer } from '../telemetry/probe-server.js';
import { UsageError } from './errors.js';
import { readFileSync } from 'node:fs';
import { AaiClient } from '../aai/client.js';
import type { AaiControllerConfig } from '../aai/aai-controller.js';
import type { Logger } from '../telemetry/logger.js';
import { Metrics } from '../telemetry/metrics.js';
import { loadOverrides } from './status-overrides.js';
import { defaultIdentity, LeaderElector } from '../control/leader-election.js';
import { ApiAuthorizer, type AuthMode } from '../api/auth.js';
import { QueryApi, startApiServer } from '../api/server.js';

export interface OperatorFlags {
  kubeconfig?: string;
  namespaces?: string;
  workers: string;
  logLevel: LogLevel;
  healthProbeBindAddress: string;
  maxPods: string;
  relistInterval: string;
  terminatingWindow: string;
  unschedulableWindow: string;
  missingGrace: string;
  readyConditionWindow: string;
  hpaMetricsWindow: string;
  crdWindow: string;
  apiserviceWindow: string;
  customResourceWindow: string;
  suspendedJobReady?: boolean;
  strictCustomResources?: boolean;
  countHooks?: boolean;
  ingressClassesWithoutStatus?: string;
  aaiUrl?: string;
  aaiVersion: string;
  aaiUsername?: string;
  aaiPasswordFile?: string;
  aaiCertFile?: string;
  aaiKeyFile?: string;
  aaiCaFile?: string;
  aaiInsecureSkipTlsVerify?: boolean;
  aaiCloudOwner?: string;
  aaiTenantId?: string;
  aaiDataOwner: string;
  aaiBulk: string;
  aaiMinInterval: string;
  aaiTimeout: string;
  aaiDryRun?: boolean;
  selflinkBase: string;
  apiBindAddress: string;
  apiAuth: AuthMode;
  apiTlsCertFile?: string;
  apiTlsKeyFile?: string;
  leaderElect?: boolean;
  leaderElectionNamespace?: string;
  leaderElectionId: string;
  leaderElectionLeaseDuration: string;
  leaderElectionRenewDeadline: string;
  leaderElectionRetryPeriod: string;
  shutdownTimeout: string;
  statusOverrides?: string;
}

/** The AAI part of the configuration: a client when an AAI URL is given (flag or env), else none. */
function aaiConfig(flags: OperatorFlags, log: Logger, metrics: Metrics): AaiControllerConfig {
  const url = flags.aaiUrl ?? process.env.AAI_URL;
  if (!/^v\d+$/.test(flags.aaiVersion))
    throw new UsageError(`--aai-version: expected vNN (e.g. v24), got ${JSON.stringify(flags.aaiVersion)}`);
  if (flags.aaiBulk !== 'single-transaction' && flags.aaiBulk !== 'per-object') {
    throw new UsageError(`--aai-bulk: expected single-transaction or per-object, got ${JSON.stringify(flags.aaiBulk)}`);
  }
  const settings = { apiVersion: flags.aaiVersion, dataOwner: flags.aaiDataOwner, selflinkBase: flags.selflinkBase };
  const base = {
    settings,
    minIntervalMs: duration('aai-min-interval', flags.aaiMinInterval),
    ...(flags.aaiCloudOwner ? { defaultCloudOwner: flags.aaiCloudOwner } : {}),
    ...(flags.aaiTenantId ? { defaultTenantId: flags.aaiTenantId } : {}),
  };
  if (!url) return base;
  try {
    new URL(url);
  } catch {
    throw new UsageError(`--aai-url: not a URL: ${JSON.stringify(url)}`);
  }
  let password = process.env.AAI_PASSWORD;
  if (flags.aaiPasswordFile) {
    try {
      password = readFileSync(flags.aaiPasswordFile, 'utf8').trim();
    } catch (err) {
      throw new UsageError(
        `--aai-password-file: cannot read ${flags.aaiPasswordFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  }
  const username = flags.aaiUsername ?? process.env.AAI_USERNAME;
  let client: AaiClient;
  try {
    client = new AaiClient({
      baseUrl: url,
      apiVersion: flags.aaiVersion,
      ...(username ? { username, password: password ?? '' } : {}),
      ...(flags.aaiCertFile ? { certFile: flags.aaiCertFile } : {}),
      ...(flags.aaiKeyFile ? { keyFile: flags.aaiKeyFile } : {}),
      ...(flags.aaiCaFile ? { caFile: flags.aaiCaFile } : {}),
      insecureSkipTlsVerify: !!flags.aaiInsecureSkipTlsVerify,
      timeoutMs: duration('aai-timeout', flags.aaiTimeout),
      bulk: flags.aaiBulk,
      dryRun: !!flags.aaiDryRun,
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
    url,
    version: flags.aaiVersion,
    user: username ?? null,
    bulk: flags.aaiBulk,
    dryRun: !!flags.aaiDryRun,
  });
  return { ...base, client };
}

function duration(flag: string, value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new UsageError(`--${flag}: ${(err as Error).message}`);
  }
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${flag}: expected a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

export async function runOperator(flags: OperatorFlags): Promise<void> {
  const windows: Windows = {
    terminating: duration('terminating-window', flags.terminatingWindow),
    unschedulable: duration('unschedulable-window', flags.unschedulableWindow),
    missing: duration('missing-grace', flags.missingGrace),
    readyCondition: duration('ready-condition-window', flags.readyConditionWindow),
    hpaMetrics: duration('hpa-metrics-window', flags.hpaMetricsWindow),
    crdEstablish: duration('crd-window', flags.crdWindow),
    apiService: duration('apiservice-window', flags.apiserviceWindow),
    customResource: duration('custom-resource-window', flags.customResourceWindow),
  };
  let overrides;
  try {
    overrides = loadOverrides(flags.statusOverrides);
  } catch (err) {
    throw new UsageError(`--status-overrides: ${(err as Error).message}`);
  }
  const options: RuleOptions = {
    ...DEFAULT_OPTIONS,
    overrides,
    suspendedJobReady: !!flags.suspendedJobReady,
    strictCustomResources: !!flags.strictCustomResources,
    countHooks: !!flags.countHooks,
    ingressClassesWithoutStatus: (flags.ingressClassesWithoutStatus ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
  const namespaces = (flags.namespaces ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const workers = positiveInt('workers', flags.workers);
  const maxPods = positiveInt('max-pods', flags.maxPods);
  const relistIntervalMs = duration('relist-interval', flags.relistInterval);
  let kc;
  try {
    kc = loadKubeConfig(flags.kubeconfig);
  } catch (err) {
    throw new UsageError(`cannot load kubeconfig: ${(err as Error).message}`);
  }
  const log = createLogger(flags.logLevel);
  // Sources are read at scrape time, after the controller exists.
  const ref: { controller?: Controller } = {};
  const metrics = new Metrics({
    queueDepth: () => ({ status: ref.controller?.queue.length ?? 0, aai: ref.controller?.aai.queue.length ?? 0 }),
    phases: () => ref.controller?.phaseCounts() ?? {},
  });
  const controller = new Controller(
    new KubeClient(kc),
    {
      namespaces,
      workers,
      windows,
      options,
      maxPods,
      informerTimings: { ...DEFAULT_INFORMER_TIMINGS, relistIntervalMs },
      aai: aaiConfig(flags, log, metrics),
      metrics,
    },
    log,
  );
  ref.controller = controller;
  const probes = await startProbeServer(flags.healthProbeBindAddress, {
    healthy: () => true,
    ready: () => controller.manager.allSynced,
    details: () => controller.manager.informerStates(),
    metrics: async () => ({ contentType: metrics.contentType, text: await metrics.text() }),
  }).catch((err: Error) => {
    throw new UsageError(`--health-probe-bind-address ${flags.healthProbeBindAddress}: ${err.message}`);
  });
  if (probes) log.info('probe server listening', { address: probes.address });
  if (!!flags.apiTlsCertFile !== !!flags.apiTlsKeyFile)
    throw new UsageError('--api-tls-cert-file and --api-tls-key-file go together');
  const api = new QueryApi(
    { instances: () => controller.manager.instances(), evaluate: (rbi) => controller.evaluateAll(rbi) },
    new ApiAuthorizer(flags.apiAuth, controller.client),
    log,
  );
  const apiServer = await startApiServer(
    {
      bind: flags.apiBindAddress,
      ...(flags.apiTlsCertFile ? { certFile: flags.apiTlsCertFile, keyFile: flags.apiTlsKeyFile } : {}),
    },
    api,
  ).catch((err: Error) => {
    throw new UsageError(`--api-bind-address ${flags.apiBindAddress}: ${err.message}`);
  });
  if (apiServer)
    log.info('query API listening', { address: apiServer.address, auth: flags.apiAuth, tls: !!flags.apiTlsCertFile });
  let elector: LeaderElector | undefined;
  if (flags.leaderElect) {
    controller.setLeading(false);
    elector = new LeaderElector(
      controller.client,
      {
        namespace: flags.leaderElectionNamespace ?? process.env.POD_NAMESPACE ?? 'default',
        name: flags.leaderElectionId,
        identity: defaultIdentity(),
        leaseDurationMs: duration('leader-election-lease-duration', flags.leaderElectionLeaseDuration),
        renewDeadlineMs: duration('leader-election-renew-deadline', flags.leaderElectionRenewDeadline),
        retryPeriodMs: duration('leader-election-retry-period', flags.leaderElectionRetryPeriod),
      },
      { onStartedLeading: () => controller.setLeading(true), onStoppedLeading: () => controller.setLeading(false) },
      log,
    );
  } else metrics.leader.set(1);
  const shutdownMs = duration('shutdown-timeout', flags.shutdownTimeout);
  controller.start();
  elector?.start();
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      log.info('shutting down', { signal });
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  // Drain first (only the leader writes), then hand the Lease over.
  const drained = await controller.stop(shutdownMs);
  await elector?.release();
  log.info('stopped', { drained });
  await probes?.close();
  await apiServer?.close();
}
