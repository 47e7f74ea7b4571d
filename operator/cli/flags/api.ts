// Flags of the k8splugin-compatible query API.
import { Option, type Command } from 'commander';
import { existsSync } from 'node:fs';
import type { AuthMode } from '../../api/auth.js';
import { UsageError } from '../errors.js';
import { optional, type FlagGroup } from './flag-group.js';
import { bindAddressFlag } from './telemetry.js';

export interface ApiFlags {
  /** host:port, or "0" (disabled). */
  bindAddress: string;
  auth: AuthMode;
  /** Certificate files, or an in-memory self-signed certificate for these DNS names; absent: plain HTTP. */
  tls?: { certFile: string; keyFile: string } | { selfSigned: string[] };
}

/** The names a self-signed certificate covers: the selflink host (what AAI readers follow) and localhost. */
function selfSignedNames(selflinkBase: unknown): string[] {
  const host = URL.canParse(String(selflinkBase)) ? new URL(String(selflinkBase)).hostname : '';
  return [...new Set([host, 'localhost'].filter((h) => h && !/^[\d.]+$/.test(h)))];
}

export const apiFlags: FlagGroup<ApiFlags> = {
  declare: (cmd: Command) =>
    cmd
      .option('--api-bind-address <addr>', 'host:port of the k8splugin-compatible query API ("0" disables)', ':8082')
      .addOption(
        new Option('--api-auth <mode>', 'kubernetes: bearer token (TokenReview + SubjectAccessReview); none: open')
          .choices(['kubernetes', 'none'])
          .default('kubernetes'),
      )
      .option('--api-tls-cert-file <path>', 'serve the query API over TLS with this certificate')
      .option('--api-tls-key-file <path>', 'key of --api-tls-cert-file')
      .option(
        '--api-tls-self-signed',
        'serve TLS with an in-memory self-signed certificate when the --api-tls-*-file files are not given or absent',
      ),
  parse: (flags) => {
    const certFile = optional(flags.apiTlsCertFile);
    const keyFile = optional(flags.apiTlsKeyFile);
    if (!!certFile !== !!keyFile) throw new UsageError('--api-tls-cert-file and --api-tls-key-file go together');
    const provisioned = !!certFile && !!keyFile && existsSync(certFile) && existsSync(keyFile);
    let tls: ApiFlags['tls'];
    if (provisioned) tls = { certFile: certFile!, keyFile: keyFile! };
    else if (flags.apiTlsSelfSigned) tls = { selfSigned: selfSignedNames(flags.selflinkBase) };
    else if (certFile) throw new UsageError(`--api-tls-cert-file ${certFile}: no such file (with its key ${keyFile})`);
    return {
      bindAddress: bindAddressFlag('api-bind-address', flags.apiBindAddress),
      auth: flags.apiAuth as AuthMode,
      ...(tls ? { tls } : {}),
    };
  },
};
