// `rbi aai-diff [--kubeconfig X] [--namespaces a,b] [AAI flags of rbi operator] [--repair]`: compares what AAI holds
// under each tenant the cluster's instances write with what those instances say it should hold (the operator's own
// evaluation, from informers), prints one JSON line per missing, extra or different record, and with --repair
// fixes them (a full sync per drifted instance, deletes for unclaimed records of ours). Exit code 1 when it found a
// difference (repaired or not), 0 when AAI is exact, 2 for bad flags.
import type { Command } from 'commander';
import { aaiFlags, type AaiFlags } from './flags/aai.js';
import { listFlag, optional, durationFlag } from './flags/flag-group.js';
import { ruleFlags } from './flags/rules.js';
import type { RuleOptions, Windows } from '../../mappers/status/types.js';
import { UsageError } from './errors.js';

export interface AaiDiffConfig {
  kubeconfig?: string;
  namespaces: string[];
  rules: { windows: Windows; options: RuleOptions };
  aai: AaiFlags;
  repair: boolean;
  /** How long the caches may take to list. */
  timeoutMs: number;
}

export function parseAaiDiffFlags(flags: Record<string, unknown>): AaiDiffConfig {
  const aai = aaiFlags.parse(flags);
  if (!aai.connection) throw new UsageError('no AAI to compare with: give --aai-url (or AAI_URL)');
  return {
    ...(optional(flags.kubeconfig) ? { kubeconfig: optional(flags.kubeconfig) } : {}),
    namespaces: listFlag(flags.namespaces),
    rules: ruleFlags.parse(flags),
    aai,
    repair: !!flags.repair,
    timeoutMs: durationFlag('timeout', flags.timeout),
  };
}

export function addAaiDiffCommand(program: Command, exit: (code: number) => void): void {
  const cmd = program
    .command('aai-diff')
    .description(
      "compare AAI with what the cluster's instances say it should hold: missing / extra / different records as JSON lines (exit 1 when any); --repair fixes them",
    )
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, then in-cluster)')
    .option('--namespaces <list>', 'comma-separated namespaces of the instances (default: all)')
    .option('--repair', 'rewrite missing and different records, delete extra ones')
    .option('--timeout <duration>', 'how long reading the cluster may take', '60s');
  aaiFlags.declare(cmd);
  ruleFlags.declare(cmd);
  cmd.action(async (flags: Record<string, unknown>) => {
    const config = parseAaiDiffFlags(flags);
    const { runAaiDiff } = await import('./run-aai-diff.js');
    exit(await runAaiDiff(config, (line) => process.stdout.write(`${line}\n`)));
  });
}
