// Flags of the k8splugin-compatible query API.
import { Option, type Command } from 'commander';
import type { AuthMode } from '../../api/auth.js';
import { UsageError } from '../errors.js';
import { optional, type FlagGroup } from './flag-group.js';
import { bindAddressFlag } from './telemetry.js';

export interface ApiFlags {
  /** host:port, or "0" (disabled). */
  bindAddress: string;
  auth: AuthMode;
  tls?: { certFile: string; keyFile: string };
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
      .option('--api-tls-key-file <path>', 'key of --api-tls-cert-file'),
  parse: (flags) => {
    const certFile = optional(flags.apiTlsCertFile);
    const keyFile = optional(flags.apiTlsKeyFile);
    if (!!certFile !== !!keyFile) throw new UsageError('--api-tls-cert-file and --api-tls-key-file go together');
    return {
      bindAddress: bindAddressFlag('api-bind-address', flags.apiBindAddress),
      auth: flags.apiAuth as AuthMode,
      ...(certFile && keyFile ? { tls: { certFile, keyFile } } : {}),
    };
  },
};
