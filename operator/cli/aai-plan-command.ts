// `rbi aai-plan --instance <path> -f <path> [--mapping k8s-resource|vserver|all] [--aai-version vNN]
//  [--cloud-owner X] [--tenant-id Y]`: JSON lines {method, path, body} of what one sync of the instance writes into
// an AAI that holds nothing of it yet.
import { desiredInventory, inventoryInputsOf, planCreate } from '../../mappers/aai/inventory.js';
import { DEFAULT_AAI_VERSION, DEFAULT_DATA_OWNER, DEFAULT_SELFLINK_BASE } from '../../mappers/aai/settings.js';
import { resolveTarget } from '../../mappers/aai/target.js';
import type { AaiSettings } from '../../mappers/aai/types.js';
import type { AaiMapping } from '../../mappers/instance/types.js';
import { evaluateInstance } from '../../mappers/status/instance.js';
import { snapshotFromObjects } from '../../mappers/status/snapshot.js';
import { DEFAULT_OPTIONS, DEFAULT_WINDOWS } from '../../mappers/status/windows.js';
import { UsageError } from './errors.js';
import { parseObjects, readInput } from './read-objects.js';
import { loadBuiltinOverrides, readInstanceFile, sourceName } from './status-command.js';

const MAPPINGS = ['k8s-resource', 'vserver', 'all'] as const;

export interface AaiPlanArgs {
  instance: string;
  filename: string;
  mapping?: string;
  aaiVersion?: string;
  cloudOwner?: string;
  tenantId?: string;
  dataOwner?: string;
  selflinkBase?: string;
  now?: Date;
}

export function runAaiPlan(args: AaiPlanArgs, write: (line: string) => void): void {
  const version = args.aaiVersion ?? DEFAULT_AAI_VERSION;
  if (!/^v\d+$/.test(version))
    throw new UsageError(`--aai-version: expected vNN (e.g. v24), got ${JSON.stringify(version)}`);
  if (args.mapping !== undefined && !(MAPPINGS as readonly string[]).includes(args.mapping)) {
    throw new UsageError(`--mapping: expected one of ${MAPPINGS.join(', ')}, got ${JSON.stringify(args.mapping)}`);
  }
  const rbi = readInstanceFile(args.instance);
  const resolved = resolveTarget(rbi, {
    force: { cloudOwner: args.cloudOwner, tenantId: args.tenantId, mapping: args.mapping as AaiMapping | undefined },
  });
  if (!resolved.ok && resolved.missing === 'cloudOwner')
    throw new UsageError('no cloud owner: give --cloud-owner or set spec.aai.cloudOwner');
  if (!resolved.ok) throw new UsageError('no tenant: give --tenant-id or set spec.aai.tenantId');
  const { target } = resolved;
  const settings: AaiSettings = {
    apiVersion: version,
    dataOwner: args.dataOwner ?? DEFAULT_DATA_OWNER,
    selflinkBase: args.selflinkBase ?? DEFAULT_SELFLINK_BASE,
  };
  const objects = parseObjects(readInput(args.filename), sourceName(args.filename));
  const ev = evaluateInstance(rbi, snapshotFromObjects(objects), {
    now: args.now ?? new Date(),
    windows: { ...DEFAULT_WINDOWS },
    options: { ...DEFAULT_OPTIONS, overrides: loadBuiltinOverrides() },
  });
  const inventory = desiredInventory(rbi, inventoryInputsOf(ev), target, settings);
  for (const call of planCreate(inventory, version)) write(JSON.stringify(call));
}
