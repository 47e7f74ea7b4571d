// Status subscriptions (k8splugin's /status/subscription API, ResourceBundleSubscription objects): on unless
// --notify=false; --notify-allowed-urls limits where callbacks may go (URL prefixes, comma-separated), so a tenant who
// may create subscriptions cannot aim the operator's requests at other in-cluster services.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { FlagGroup } from './flag-group.js';

export type NotifyFlags = { allowedUrls: string[] } | undefined;

export const notifyFlags: FlagGroup<NotifyFlags> = {
  declare: (cmd: Command) =>
    cmd
      .option('--notify <bool>', 'watch status subscriptions and send their callbacks (true|false)', 'true')
      .option(
        '--notify-allowed-urls <prefixes>',
        'comma-separated URL prefixes a subscription callback must start with (empty: any http or https URL)',
        '',
      ),
  parse: (flags) => {
    const on = String(flags.notify ?? 'true');
    if (on !== 'true' && on !== 'false')
      throw new UsageError(`--notify: expected true or false, got ${JSON.stringify(on)}`);
    if (on === 'false') return undefined;
    const allowedUrls = String(flags.notifyAllowedUrls ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    for (const p of allowedUrls)
      if (!/^https?:\/\/[^/\s]+\//.test(p))
        throw new UsageError(
          `--notify-allowed-urls: each prefix is an http(s) URL up to and including a "/" after the host, got ${JSON.stringify(p)}`,
        );
    return { allowedUrls };
  },
};
