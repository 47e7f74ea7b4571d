// `rbi operator [flags]`: runs the controller until SIGTERM/SIGINT, then drains and exits 0. Each concern declares
// and parses its own flags (flags/); all of them are parsed and checked before the controller code is even loaded.
import type { Command } from 'commander';
import { aaiFlags, type AaiFlags } from './flags/aai.js';
import { apiFlags, type ApiFlags } from './flags/api.js';
import { controllerFlags, type ControllerFlags } from './flags/controller.js';
import { leaderElectionFlags, type LeaderElectionFlags } from './flags/leader-election.js';
import { ruleFlags } from './flags/rules.js';
import { notifyFlags, type NotifyFlags } from './flags/notify.js';
import { shardingFlags, type ShardingFlags } from './flags/sharding.js';
import { telemetryFlags, type TelemetryFlags } from './flags/telemetry.js';
import type { RuleOptions, Windows } from '../../mappers/status/types.js';

/** Everything `rbi operator` runs with, validated. */
export interface OperatorConfig {
  controller: ControllerFlags;
  rules: { windows: Windows; options: RuleOptions };
  aai: AaiFlags;
  api: ApiFlags;
  leaderElection: LeaderElectionFlags;
  sharding: ShardingFlags;
  notify: NotifyFlags;
  telemetry: TelemetryFlags;
}

const GROUPS = [
  controllerFlags,
  telemetryFlags,
  ruleFlags,
  aaiFlags,
  apiFlags,
  leaderElectionFlags,
  shardingFlags,
  notifyFlags,
] as const;

export function parseOperatorFlags(flags: Record<string, unknown>): OperatorConfig {
  return {
    controller: controllerFlags.parse(flags),
    telemetry: telemetryFlags.parse(flags),
    rules: ruleFlags.parse(flags),
    aai: aaiFlags.parse(flags),
    api: apiFlags.parse(flags),
    leaderElection: leaderElectionFlags.parse(flags),
    sharding: shardingFlags.parse(flags),
    notify: notifyFlags.parse(flags),
  };
}

/** Declares every group's flags on `cmd`. */
export function declareOperatorFlags(cmd: Command): Command {
  for (const group of GROUPS) group.declare(cmd);
  return cmd;
}

export function addOperatorCommand(program: Command): void {
  const cmd = declareOperatorFlags(
    program
      .command('operator')
      .description('run the controller: watch instances and their objects, write their status'),
  );
  cmd.action(async (flags: Record<string, unknown>) => {
    const config = parseOperatorFlags(flags);
    const { runOperator } = await import('./run-operator.js');
    await runOperator(config);
  });
}
