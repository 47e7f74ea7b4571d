// `rbi operator [flags]`: runs the controller until SIGTERM/SIGINT, then drains and exits 0.
import { Option, type Command } from 'commander';
import type { RuleOptions, Windows } from '../../mappers/status/types.js';
import { DEFAULT_OPTIONS, DEFAULT_WINDOWS } from '../../mappers/status/windows.js';
import { DEFAULT_MAX_PODS } from '../../mappers/status/instance.js';
import { Controller } from '../controller.js';
import { parseDuration } from '../duration.js';
import { KubeClient, loadKubeConfig } from '../kube-client.js';
import { createLogger, type LogLevel } from '../logger.js';
import { DEFAULT_INFORMER_TIMINGS } from '../resource-informer.js';
import { startProbeServer } from '../probe-server.js';
import { UsageError } from './errors.js';

interface OperatorFlags {
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

const ms = (d: number) => `${d / 1000}s`;

function duration(flag: string, value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new UsageError(`--${flag}: ${(err as Error).message}`);
  }
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag}: expected a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

export function addOperatorCommand(program: Command): void {
  program
    .command('operator')
    .description('run the controller: watch instances and their objects, write their status')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, then in-cluster)')
    .option('--namespaces <list>', 'comma-separated namespaces to watch (default: all, cluster-wide)')
    .option('--workers <n>', 'concurrent reconciles', '4')
    .addOption(new Option('--log-level <level>', 'log level').choices(['error', 'warn', 'info', 'debug']).default('info'))
    .option('--health-probe-bind-address <addr>', 'host:port for /healthz and /readyz ("0" disables)', ':8081')
    .option('--max-pods <n>', 'pods listed per instance in status.pods', String(DEFAULT_MAX_PODS))
    .option('--relist-interval <duration>', 'full relist of every informer (safety net)', ms(DEFAULT_INFORMER_TIMINGS.relistIntervalMs))
    .option('--terminating-window <duration>', 'T_term: Terminating becomes StuckTerminating', ms(DEFAULT_WINDOWS.terminating))
    .option('--unschedulable-window <duration>', 'T_sched: Unschedulable pods become Failed', ms(DEFAULT_WINDOWS.unschedulable))
    .option('--missing-grace <duration>', 'T_missing: NotFound becomes Missing', ms(DEFAULT_WINDOWS.missing))
    .option('--ready-condition-window <duration>', 'T_ready: custom resource Ready=False stays Pending', ms(DEFAULT_WINDOWS.readyCondition))
    .option('--hpa-metrics-window <duration>', 'T_metrics: HPA metric failures stay Pending', ms(DEFAULT_WINDOWS.hpaMetrics))
    .option('--crd-window <duration>', 'T_crd: a CRD not established stays Pending', ms(DEFAULT_WINDOWS.crdEstablish))
    .option('--apiservice-window <duration>', 'T_api: an unavailable APIService stays Pending', ms(DEFAULT_WINDOWS.apiService))
    .option('--custom-resource-window <duration>', 'T_cr: strict mode wait for custom resource status', ms(DEFAULT_WINDOWS.customResource))
    .option('--suspended-job-ready', 'count suspended Jobs as Ready (JOB-06 option)')
    .option('--strict-custom-resources', 'custom resources without status signals are Pending for T_cr (CR-01 strict mode)')
    .option('--count-hooks', 'count install hooks (helm.sh/hook, argocd.argoproj.io/hook) in the instance status')
    .option('--ingress-classes-without-status <list>', 'comma-separated ingress classes whose controller never publishes status')
    .action(async (flags: OperatorFlags) => {
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
        ingressClassesWithoutStatus: (flags.ingressClassesWithoutStatus ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      };
      const namespaces = (flags.namespaces ?? '').split(',').map((s) => s.trim()).filter(Boolean);
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
      const controller = new Controller(new KubeClient(kc), {
        namespaces,
        workers,
        windows,
        options,
        maxPods,
        informerTimings: { ...DEFAULT_INFORMER_TIMINGS, relistIntervalMs },
      }, log);
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
    });
}
