// Flags of logging and the probe server (/healthz, /readyz, /metrics).
import { Option, type Command } from 'commander';
import { parseBindAddress } from '../../telemetry/probe-server.js';
import type { LogLevel } from '../../telemetry/logger.js';
import { UsageError } from '../errors.js';
import type { FlagGroup } from './flag-group.js';

export interface TelemetryFlags {
  logLevel: LogLevel;
  /** host:port, or "0" (disabled). */
  probeBindAddress: string;
}

/** A host:port flag ("0" disables); checked here so a typo is a usage error before anything listens. */
export function bindAddressFlag(flag: string, value: unknown): string {
  const text = String(value);
  try {
    parseBindAddress(text);
  } catch (err) {
    throw new UsageError(`--${flag}: ${(err as Error).message}`);
  }
  return text;
}

export const telemetryFlags: FlagGroup<TelemetryFlags> = {
  declare: (cmd: Command) =>
    cmd
      .addOption(
        new Option('--log-level <level>', 'log level').choices(['error', 'warn', 'info', 'debug']).default('info'),
      )
      .option(
        '--health-probe-bind-address <addr>',
        'host:port for /healthz, /readyz and /metrics ("0" disables)',
        ':8081',
      ),
  parse: (flags) => ({
    logLevel: flags.logLevel as LogLevel,
    probeBindAddress: bindAddressFlag('health-probe-bind-address', flags.healthProbeBindAddress),
  }),
};
