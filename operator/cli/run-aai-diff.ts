// The body of `rbi aai-diff`, loaded only when that command runs: the operator's informers and evaluation give what
// each instance wants in AAI (exactly as the operator computes it); one paged read per tenant gives what AAI holds;
// mappers/aai/drift.ts compares them. --repair runs a full sync of every drifted instance and deletes records of
// ours no instance claims (a deleted instance's, one whose AAI sync is disabled).
import { inventoryPaths, type AaiSyncState } from '../../mappers/aai/diff.js';
import {
  tenantDrift,
  type DriftFinding,
  type InstanceExpectation,
  type TenantTarget,
} from '../../mappers/aai/drift.js';
import type { DesiredInventory } from '../../mappers/aai/inventory.js';
import { instanceIdOf } from '../../mappers/instance/types.js';
import { AaiClient } from '../aai/client.js';
import { readTenant } from '../aai/drift-sweep.js';
import { deleteRecords, syncInventory } from '../aai/sync.js';
import { Controller } from '../control/controller.js';
import { KubeClient, loadKubeConfig } from '../kube/client.js';
import { instanceKey } from '../watch/instance-index.js';
import { DEFAULT_INFORMER_TIMINGS } from '../watch/informer-timings.js';
import { DEFAULT_MAX_PODS } from '../../mappers/status/instance.js';
import { createLogger } from '../telemetry/logger.js';
import type { AaiDiffConfig } from './aai-diff-command.js';
import { UsageError } from './errors.js';

interface Expected extends InstanceExpectation {
  target: TenantTarget;
  state: AaiSyncState;
}

const tenantKey = (t: TenantTarget) => `${t.cloudOwner}/${t.cloudRegion}/${t.tenantId}`;

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms / 1000}s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function runAaiDiff(config: AaiDiffConfig, out: (line: string) => void): Promise<number> {
  const log = createLogger('warn');
  let kc;
  try {
    kc = loadKubeConfig(config.kubeconfig);
  } catch (err) {
    throw new UsageError(`cannot load kubeconfig: ${(err as Error).message}`);
  }
  const { connection, ...base } = config.aai;
  const client = new AaiClient({ ...connection!, log });
  const controller = new Controller(
    new KubeClient(kc),
    {
      namespaces: config.namespaces,
      workers: 1,
      maxPods: DEFAULT_MAX_PODS,
      informerTimings: DEFAULT_INFORMER_TIMINGS,
      windows: config.rules.windows,
      options: config.rules.options,
      aai: { ...base, client, resyncIntervalMs: 0 },
    },
    log,
  );
  controller.manager.start();
  try {
    await until(() => controller.manager.ready(), config.timeoutMs, 'the cluster could not be read');
    const expected: Expected[] = [];
    for (const rbi of controller.manager.instances()) {
      if (rbi.metadata.deletionTimestamp) continue;
      const mode = controller.aai.mode(rbi);
      if (!mode.enabled) continue;
      const ev = controller.evaluateAll(rbi);
      if (!ev) continue;
      const state = (rbi.status?.aai as AaiSyncState | undefined) ?? {};
      expected.push({
        key: instanceKey(rbi),
        instanceId: instanceIdOf(rbi),
        inventory: controller.aai.inventory(rbi, ev, mode.target),
        intent: state.records ?? [],
        target: mode.target,
        state,
      });
    }
    const tenants = new Map<string, { target: TenantTarget; instances: Expected[] }>();
    for (const e of expected) {
      const k = tenantKey(e.target);
      tenants.set(k, { target: e.target, instances: [...(tenants.get(k)?.instances ?? []), e] });
    }
    const findings: DriftFinding[] = [];
    for (const { target, instances } of tenants.values()) {
      const { held } = await readTenant(client, target, base.settings.dataOwner, {
        k8sResources: true,
        vservers: true,
      });
      const found = tenantDrift(held, instances);
      for (const f of found) out(JSON.stringify(f));
      findings.push(...found);
    }
    if (config.repair && findings.length > 0) await repair(client, findings, expected, base.vfModuleWithoutStackId);
    return findings.length > 0 ? 1 : 0;
  } finally {
    await controller.manager.stop();
    client.close();
  }
}

/** A full sync of each drifted instance (its extra records in the delete list), then deletes of unclaimed ones. */
async function repair(
  client: AaiClient,
  findings: DriftFinding[],
  expected: Expected[],
  vfModuleWithoutStackId: AaiDiffConfig['aai']['vfModuleWithoutStackId'],
): Promise<void> {
  const byKey = new Map(expected.map((e) => [e.key, e]));
  const drifted = new Map<string, string[]>();
  const unclaimed: string[] = [];
  for (const f of findings) {
    if (!f.instance) unclaimed.push(f.path);
    else drifted.set(f.instance, [...(drifted.get(f.instance) ?? []), ...(f.drift === 'extra' ? [f.path] : [])]);
  }
  for (const [key, extra] of drifted) {
    const e = byKey.get(key)!;
    const inv: DesiredInventory = e.inventory;
    const records = [...new Set([...inventoryPaths(inv), ...e.intent, ...extra])];
    await syncInventory(client, inv, { ...e.state, records }, new Date(), { force: true, vfModuleWithoutStackId });
  }
  if (unclaimed.length > 0) await deleteRecords(client, unclaimed);
  process.stderr.write(`repaired ${drifted.size} instance(s), deleted ${unclaimed.length} unclaimed record(s)\n`);
}
