// `rbi operator [flags]`: runs the controller until SIGTERM/SIGINT, then drains and exits 0.
// The flags are declared here; the controller code is loaded only when the command runs.
import { Option, type Command } from 'commander';
import { DEFAULT_WINDOWS } from '../../mappers/status/windows.js';
import { DEFAULT_MAX_PODS } from '../../mappers/status/instance.js';
import { DEFAULT_INFORMER_TIMINGS } from '../watch/informer-timings.js';
import type { OperatorFlags } from './run-operator.js';
import { DEFAULT_SELFLINK_BASE } from './aai-plan-command.js';

const ms = (d: number) => `${d / 1000}s`;

export function addOperatorCommand(program: Command): void {
  program
    .command('operator')
    .description('run the controller: watch instances and their objects, write their status')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, then in-cluster)')
    .option('--namespaces <list>', 'comma-separated namespaces to watch (default: all, cluster-wide)')
    .option('--workers <n>', 'concurrent reconciles', '4')
    .addOption(
      new Option('--log-level <level>', 'log level').choices(['error', 'warn', 'info', 'debug']).default('info'),
    )
    .option('--health-probe-bind-address <addr>', 'host:port for /healthz and /readyz ("0" disables)', ':8081')
    .option('--max-pods <n>', 'pods listed per instance in status.pods', String(DEFAULT_MAX_PODS))
    .option(
      '--relist-interval <duration>',
      'full relist of every informer (safety net)',
      ms(DEFAULT_INFORMER_TIMINGS.relistIntervalMs),
    )
    .option(
      '--terminating-window <duration>',
      'T_term: Terminating becomes StuckTerminating',
      ms(DEFAULT_WINDOWS.terminating),
    )
    .option(
      '--unschedulable-window <duration>',
      'T_sched: Unschedulable pods become Failed',
      ms(DEFAULT_WINDOWS.unschedulable),
    )
    .option('--missing-grace <duration>', 'T_missing: NotFound becomes Missing', ms(DEFAULT_WINDOWS.missing))
    .option(
      '--ready-condition-window <duration>',
      'T_ready: custom resource Ready=False stays Pending',
      ms(DEFAULT_WINDOWS.readyCondition),
    )
    .option(
      '--hpa-metrics-window <duration>',
      'T_metrics: HPA metric failures stay Pending',
      ms(DEFAULT_WINDOWS.hpaMetrics),
    )
    .option('--crd-window <duration>', 'T_crd: a CRD not established stays Pending', ms(DEFAULT_WINDOWS.crdEstablish))
    .option(
      '--apiservice-window <duration>',
      'T_api: an unavailable APIService stays Pending',
      ms(DEFAULT_WINDOWS.apiService),
    )
    .option(
      '--custom-resource-window <duration>',
      'T_cr: strict mode wait for custom resource status',
      ms(DEFAULT_WINDOWS.customResource),
    )
    .option('--suspended-job-ready', 'count suspended Jobs as Ready (JOB-06 option)')
    .option(
      '--strict-custom-resources',
      'custom resources without status signals are Pending for T_cr (CR-01 strict mode)',
    )
    .option('--count-hooks', 'count install hooks (helm.sh/hook, argocd.argoproj.io/hook) in the instance status')
    .option(
      '--ingress-classes-without-status <list>',
      'comma-separated ingress classes whose controller never publishes status',
    )
    .option('--aai-url <url>', 'AAI base URL, e.g. https://aai.onap:8443 (env AAI_URL); unset: no AAI sync')
    .option('--aai-version <vNN>', 'AAI API version', 'v24')
    .option('--aai-username <user>', 'AAI basic-auth user (env AAI_USERNAME)')
    .option('--aai-password-file <path>', 'file holding the AAI password (env AAI_PASSWORD otherwise); never logged')
    .option('--aai-cert-file <path>', 'client certificate (PEM) for AAI')
    .option('--aai-key-file <path>', 'client key (PEM) for AAI')
    .option('--aai-ca-file <path>', 'CA bundle to verify AAI')
    .option('--aai-insecure-skip-tls-verify', 'do not verify the AAI certificate (test setups only)')
    .option('--aai-cloud-owner <owner>', 'cloud owner for instances whose spec.aai has none')
    .option('--aai-tenant-id <id>', 'tenant id for instances whose spec.aai has none')
    .option('--aai-data-owner <name>', 'data-owner of the records written', 'rbi-operator')
    .option('--aai-bulk <mode>', 'single-transaction (atomic batches of 30) or per-object', 'single-transaction')
    .option('--aai-min-interval <duration>', 'minimum time between two syncs of one instance (bursts coalesce)', '1s')
    .option('--aai-timeout <duration>', 'timeout of one AAI request', '30s')
    .option('--aai-dry-run', 'log the AAI writes instead of sending them')
    .option(
      '--selflink-base <url>',
      "base URL of this operator's query API, used in AAI selflinks",
      DEFAULT_SELFLINK_BASE,
    )
    .option('--api-bind-address <addr>', 'host:port of the k8splugin-compatible query API ("0" disables)', ':8082')
    .addOption(
      new Option('--api-auth <mode>', 'kubernetes: bearer token (TokenReview + SubjectAccessReview); none: open')
        .choices(['kubernetes', 'none'])
        .default('kubernetes'),
    )
    .option('--api-tls-cert-file <path>', 'serve the query API over TLS with this certificate')
    .option('--api-tls-key-file <path>', 'key of --api-tls-cert-file')
    .option('--leader-elect', 'elect a leader on a Lease (run several replicas; only the leader writes)')
    .option('--leader-election-namespace <ns>', 'namespace of the Lease (default: $POD_NAMESPACE, else default)')
    .option('--leader-election-id <name>', 'name of the Lease', 'rbi-operator-leader')
    .option('--leader-election-lease-duration <duration>', 'how long a Lease is valid without renewal', '15s')
    .option('--leader-election-renew-deadline <duration>', 'a leader that cannot renew this long steps down', '10s')
    .option('--leader-election-retry-period <duration>', 'how often to try to acquire or renew', '2s')
    .option('--shutdown-timeout <duration>', 'on SIGTERM, how long in-flight reconciles and AAI writes may take', '30s')
    .option(
      '--status-overrides <file>',
      'extra status override rules (YAML list of {group, kind, current, inProgress, failed} CEL rules)',
    )
    .action(async (flags: OperatorFlags) => {
      const { runOperator } = await import('./run-operator.js');
      await runOperator(flags);
    });
}
