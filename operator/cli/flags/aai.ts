// Flags of the AAI sync: where AAI is and how to reach it (URL, credentials, TLS), the operator's default target,
// the record settings and the sync pacing. Files (password) are read here, so a bad one stops the start.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { defaultTargetRules, targetRulesFrom, type TargetRule } from '../../../mappers/aai/target-policy.js';
import type { AaiSettings } from '../../../mappers/aai/types.js';
import { MISSING_STACK_ID_MODES, type MissingStackId } from '../../../mappers/aai/vf-module-ownership.js';
import type { AaiClientOptions } from '../../aai/client.js';
import {
  AAI_DEFAULTS,
  DEFAULT_AAI_VERSION,
  DEFAULT_DATA_OWNER,
  DEFAULT_SELFLINK_BASE,
} from '../../../mappers/aai/settings.js';
import { UsageError } from '../errors.js';
import { durationFlag, optional, positiveIntFlag, seconds, type FlagGroup } from './flag-group.js';

export interface AaiFlags {
  settings: AaiSettings;
  minIntervalMs: number;
  backoffMaxMs: number;
  /** 0: no drift repair. */
  resyncIntervalMs: number;
  resyncQps: number;
  cleanupWorkers: number;
  defaultCloudOwner?: string;
  defaultTenantId?: string;
  /** Which namespaces may write which targets (--aai-target-policy, else the operator's own target). */
  targetRules: TargetRule[];
  vfModuleWithoutStackId: MissingStackId;
  /** How to reach AAI; undefined when no AAI URL is given (no sync, no finalizer). */
  connection?: Omit<AaiClientOptions, 'log' | 'onResponse'>;
}

const BULK_MODES = ['single-transaction', 'per-object'] as const;

function positiveDuration(flag: string, value: unknown): number {
  const ms = durationFlag(flag, value);
  if (ms <= 0) throw new UsageError(`--${flag}: must be more than 0`);
  return ms;
}

function positiveNumber(flag: string, value: unknown): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n))
    throw new UsageError(`--${flag}: expected a number above 0, got ${JSON.stringify(value)}`);
  return n;
}

function targetRules(flags: Record<string, unknown>): TargetRule[] {
  const file = optional(flags.aaiTargetPolicy);
  if (!file)
    return defaultTargetRules({
      cloudOwner: optional(flags.aaiCloudOwner),
      cloudRegion: optional(flags.aaiCloudRegion),
      tenantId: optional(flags.aaiTenantId),
    });
  try {
    return targetRulesFrom(parseYaml(readFileSync(file, 'utf8')));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new UsageError(`--aai-target-policy ${file}: ${why}`);
  }
}

function missingStackIdFlag(value: unknown): MissingStackId {
  const mode = String(value) as MissingStackId;
  if (!MISSING_STACK_ID_MODES.includes(mode))
    throw new UsageError(
      `--aai-vf-module-without-stack-id: expected ${MISSING_STACK_ID_MODES.join(' or ')}, got ${JSON.stringify(value)}`,
    );
  return mode;
}

function readPassword(file: string | undefined): string | undefined {
  if (!file) return process.env.AAI_PASSWORD;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new UsageError(`--aai-password-file: cannot read ${file}: ${why}`);
  }
}

export const aaiFlags: FlagGroup<AaiFlags> = {
  declare: (cmd: Command) =>
    cmd
      .option('--aai-url <url>', 'AAI base URL, e.g. https://aai.onap:8443 (env AAI_URL); unset: no AAI sync')
      .option('--aai-version <vNN>', 'AAI API version', DEFAULT_AAI_VERSION)
      .option('--aai-username <user>', 'AAI basic-auth user (env AAI_USERNAME)')
      .option('--aai-password-file <path>', 'file holding the AAI password (env AAI_PASSWORD otherwise); never logged')
      .option('--aai-cert-file <path>', 'client certificate (PEM) for AAI')
      .option('--aai-key-file <path>', 'client key (PEM) for AAI')
      .option('--aai-ca-file <path>', 'CA bundle to verify AAI')
      .option('--aai-insecure-skip-tls-verify', 'do not verify the AAI certificate (test setups only)')
      .option('--aai-cloud-owner <owner>', 'cloud owner for instances whose spec.aai has none')
      .option('--aai-tenant-id <id>', 'tenant id for instances whose spec.aai has none')
      .option('--aai-cloud-region <region>', "the operator's cloud region (limits the default target policy)")
      .option(
        '--aai-target-policy <file>',
        "YAML list of {namespaces, cloudOwners, cloudRegions, tenants} rules: who may write which AAI target (default: only the operator's own target)",
      )
      .option(
        '--aai-vf-module-without-stack-id <mode>',
        'a vf-module without heat-stack-id (the instance id SO records): refuse to link or patch it, or allow',
        'refuse',
      )
      .option('--aai-data-owner <name>', 'data-owner of the records written', DEFAULT_DATA_OWNER)
      .option('--aai-bulk <mode>', 'single-transaction (atomic batches of 30) or per-object', BULK_MODES[0])
      .option('--aai-min-interval <duration>', 'minimum time between two syncs of one instance (bursts coalesce)', '1s')
      .option(
        '--aai-backoff-max <duration>',
        'longest wait between two attempts of a failing sync or cleanup (AAI back: all retry at once)',
        seconds(AAI_DEFAULTS.backoffMaxMs),
      )
      .option(
        '--aai-resync-interval <duration>',
        "drift repair: read back every tenant's records this often (jittered ±10%) and repair what differs; 0 disables",
        '10m',
      )
      .option(
        '--aai-resync-qps <n>',
        'AAI requests per second the read-back and its repairs may make, over all instances',
        String(AAI_DEFAULTS.resyncQps),
      )
      .option(
        '--aai-cleanup-workers <n>',
        'concurrent finalizer cleanups (their own queue, never on the status workers)',
        String(AAI_DEFAULTS.cleanupWorkers),
      )
      .option('--aai-timeout <duration>', 'timeout of one AAI request', '30s')
      .option('--aai-dry-run', 'log the AAI writes instead of sending them')
      .option(
        '--selflink-base <url>',
        "base URL of this operator's query API, used in AAI selflinks",
        DEFAULT_SELFLINK_BASE,
      ),
  parse: (flags) => {
    const apiVersion = String(flags.aaiVersion);
    if (!/^v\d+$/.test(apiVersion))
      throw new UsageError(`--aai-version: expected vNN (e.g. v24), got ${JSON.stringify(apiVersion)}`);
    const bulk = String(flags.aaiBulk) as (typeof BULK_MODES)[number];
    if (!BULK_MODES.includes(bulk))
      throw new UsageError(`--aai-bulk: expected ${BULK_MODES.join(' or ')}, got ${JSON.stringify(bulk)}`);
    const base: AaiFlags = {
      settings: { apiVersion, dataOwner: String(flags.aaiDataOwner), selflinkBase: String(flags.selflinkBase) },
      minIntervalMs: durationFlag('aai-min-interval', flags.aaiMinInterval),
      backoffMaxMs: positiveDuration('aai-backoff-max', flags.aaiBackoffMax),
      resyncIntervalMs: durationFlag('aai-resync-interval', flags.aaiResyncInterval),
      resyncQps: positiveNumber('aai-resync-qps', flags.aaiResyncQps),
      cleanupWorkers: positiveIntFlag('aai-cleanup-workers', flags.aaiCleanupWorkers),
      targetRules: targetRules(flags),
      vfModuleWithoutStackId: missingStackIdFlag(flags.aaiVfModuleWithoutStackId),
      ...(optional(flags.aaiCloudOwner) ? { defaultCloudOwner: optional(flags.aaiCloudOwner) } : {}),
      ...(optional(flags.aaiTenantId) ? { defaultTenantId: optional(flags.aaiTenantId) } : {}),
    };
    const timeoutMs = durationFlag('aai-timeout', flags.aaiTimeout);
    const url = optional(flags.aaiUrl) ?? process.env.AAI_URL;
    if (!url) return base;
    if (!URL.canParse(url)) throw new UsageError(`--aai-url: not a URL: ${JSON.stringify(url)}`);
    // Credentials in the URL would end up in logs and metrics labels: they go in their own flags.
    const parsed = new URL(url);
    if (parsed.username || parsed.password)
      throw new UsageError('--aai-url: no credentials in the URL: use --aai-username and --aai-password-file');
    const username = optional(flags.aaiUsername) ?? process.env.AAI_USERNAME;
    const certFile = optional(flags.aaiCertFile);
    const keyFile = optional(flags.aaiKeyFile);
    const caFile = optional(flags.aaiCaFile);
    return {
      ...base,
      connection: {
        baseUrl: url,
        apiVersion,
        ...(username ? { username, password: readPassword(optional(flags.aaiPasswordFile)) ?? '' } : {}),
        ...(certFile ? { certFile } : {}),
        ...(keyFile ? { keyFile } : {}),
        ...(caFile ? { caFile } : {}),
        insecureSkipTlsVerify: !!flags.aaiInsecureSkipTlsVerify,
        timeoutMs,
        bulk,
        dryRun: !!flags.aaiDryRun,
      },
    };
  },
};
