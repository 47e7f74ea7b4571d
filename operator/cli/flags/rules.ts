// Flags of the status rules: the time windows of §4, the behaviour switches and extra override rules.
import type { Command } from 'commander';
import { DEFAULT_OPTIONS, DEFAULT_WINDOWS } from '../../../mappers/status/windows.js';
import type { RuleOptions, Windows } from '../../../mappers/status/types.js';
import { UsageError } from '../errors.js';
import { loadOverrides } from '../status-overrides.js';
import { durationFlag, listFlag, optional, seconds, type FlagGroup } from './flag-group.js';

/** Window flags: flag name, the Windows field, its help. */
const WINDOWS: ReadonlyArray<[string, keyof Windows, string]> = [
  ['terminating-window', 'terminating', 'T_term: Terminating becomes StuckTerminating'],
  ['unschedulable-window', 'unschedulable', 'T_sched: Unschedulable pods become Failed'],
  ['missing-grace', 'missing', 'T_missing: NotFound becomes Missing'],
  ['ready-condition-window', 'readyCondition', 'T_ready: custom resource Ready=False stays Pending'],
  ['hpa-metrics-window', 'hpaMetrics', 'T_metrics: HPA metric failures stay Pending'],
  ['crd-window', 'crdEstablish', 'T_crd: a CRD not established stays Pending'],
  ['apiservice-window', 'apiService', 'T_api: an unavailable APIService stays Pending'],
  ['custom-resource-window', 'customResource', 'T_cr: strict mode wait for custom resource status'],
];

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export const ruleFlags: FlagGroup<{ windows: Windows; options: RuleOptions }> = {
  declare: (cmd: Command) => {
    for (const [flag, field, help] of WINDOWS)
      cmd.option(`--${flag} <duration>`, help, seconds(DEFAULT_WINDOWS[field]));
    return cmd
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
      .option(
        '--status-overrides <file>',
        'extra status override rules (YAML list of {group, kind, current, inProgress, failed} CEL rules)',
      );
  },
  parse: (flags) => {
    const windows = { ...DEFAULT_WINDOWS };
    for (const [flag, field] of WINDOWS) windows[field] = durationFlag(flag, flags[camel(flag)]);
    let overrides;
    try {
      overrides = loadOverrides(optional(flags.statusOverrides));
    } catch (err) {
      throw new UsageError(`--status-overrides: ${(err as Error).message}`);
    }
    const options: RuleOptions = {
      ...DEFAULT_OPTIONS,
      overrides,
      suspendedJobReady: !!flags.suspendedJobReady,
      strictCustomResources: !!flags.strictCustomResources,
      countHooks: !!flags.countHooks,
      ingressClassesWithoutStatus: listFlag(flags.ingressClassesWithoutStatus),
    };
    return { windows, options };
  },
};
