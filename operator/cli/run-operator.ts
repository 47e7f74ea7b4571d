// The body of `rbi operator`, loaded only when that command runs (it pulls in @kubernetes/client-node).
import type { RuleOptions, Windows } from '../../mappers/status/types.js';
import { DEFAULT_OPTIONS } from '../../mappers/status/windows.js';
import { Controller } from '../controller.js';
import { parseDuration } from '../duration.js';
import { KubeClient, loadKubeConfig } from '../kube-client.js';
import { createLogger, type LogLevel } from '../logger.js';
import { DEFAULT_INFORMER_TIMINGS } from '../informer-timings.js';
import { startProbeServer } from '../probe-server.js';
import { UsageError } from './errors.js';

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
  const options: RuleOptions = {
    ...DEFAULT_OPTIONS,
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
  const controller = new Controller(
    new KubeClient(kc),
    {
      namespaces,
      workers,
      windows,
      options,
      maxPods,
      informerTimings: { ...DEFAULT_INFORMER_TIMINGS, relistIntervalMs },
    },
    log,
  );
  const probes = await startProbeServer(flags.healthProbeBindAddress, {
    healthy: () => true,
    ready: () => controller.manager.allSynced,
    details: () => controller.manager.informerStates(),
  }).catch((err: Error) => {
    throw new UsageError(`--health-probe-bind-address ${flags.healthProbeBindAddress}: ${err.message}`);
  });
  if (probes) log.info('probe server listening', { address: probes.address });
  controller.start();
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
  await controller.stop();
  await probes?.close();
}
