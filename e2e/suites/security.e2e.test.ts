// Tenancy on the real control plane: a tenant who may only manage ResourceBundleInstances in its own namespace tries
// to read another namespace through the operator, to take another instance's id, to smuggle a path into AAI keys;
// and the legitimate counterparts (a granted cross-namespace instance, a caller allowed to read everything) work.
// Each attack prints how long the operator took to refuse it (or to honour a grant or its revocation).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';
import { INSTANCE_ID_LABEL, type InstanceStatus } from '../../mappers/instance/types.js';
import { applyRbi, rbiManifest, ref, waitFor } from '../harness/instances.js';
import { createNamespace, deleteNamespace, eventually, kubectl, kubectlOk, uniqueName } from '../harness/kube.js';
import { OperatorProcess } from '../harness/operator-process.js';
import { AaiSimProcess, SIM_TENANT } from '../harness/aai-sim-process.js';

const root = packageRoot();
const SECRET_VALUE = 'victim-s3cret';
const CONFIG_VALUE = 'victim-config-value';
let op: OperatorProcess;
let sim: AaiSimProcess;
let attacker: string;
let victim: string;
let malloryToken: string;
let auditorToken: string;
const clusterRole = uniqueName('e2e-rbi-auditor');
const VICTIM_VF_MODULE = '/network/generic-vnfs/generic-vnf/vnf-victim/vf-modules/vf-module/vfm-victim';

const stalled = (reason: string) => (s: InstanceStatus) =>
  s.conditions?.some((c) => c.type === 'Stalled' && c.status === 'True' && c.reason === reason) ?? false;

/** Applies an instance in attacker with mallory's token (its own rights only); spec fields override the defaults. */
const tryAsMallory = (name: string, spec: Record<string, unknown>) =>
  kubectl(['apply', '-f', '-', `--token=${malloryToken}`], rbiManifest(name, attacker, [], spec));
const asMallory = (name: string, spec: Record<string, unknown>) => {
  const r = tryAsMallory(name, spec);
  if (r.status !== 0) throw new Error(`mallory could not apply ${name}: ${r.stderr}`);
};

async function api(path: string, token: string): Promise<{ status: number; text: string }> {
  const r = await fetch(`${op.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, text: await r.text() };
}

async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const start = Date.now();
  const out = await fn();
  console.log(`security: ${what}: ${Date.now() - start} ms`);
  return out;
}

const grant = (name: string, to?: Array<{ group?: string; kind: string }>) =>
  JSON.stringify({
    apiVersion: 'k8splugin.io/v1alpha1',
    kind: 'ResourceBundleGrant',
    metadata: { name, namespace: victim },
    spec: { from: [{ namespace: attacker }], ...(to ? { to } : {}) },
  });

beforeAll(async () => {
  kubectlOk(['apply', '--server-side', '-k', join(root, 'crds')]);
  attacker = createNamespace('e2e-attacker');
  victim = createNamespace('e2e-victim');
  kubectlOk(['create', 'secret', 'generic', 'creds', '-n', victim, `--from-literal=password=${SECRET_VALUE}`]);
  kubectlOk(['create', 'configmap', 'cfg', '-n', victim, `--from-literal=value=${CONFIG_VALUE}`]);
  // mallory may manage instances in attacker, nothing else (kubectl auth can-i get secrets -n victim: no).
  kubectlOk(['create', 'serviceaccount', 'mallory', '-n', attacker]);
  kubectlOk([
    'create',
    'role',
    'rbi-admin',
    '-n',
    attacker,
    '--verb=get,list,watch,create,update,patch,delete',
    '--resource=resourcebundleinstances.k8splugin.io',
  ]);
  kubectlOk([
    'create',
    'rolebinding',
    'mallory',
    '-n',
    attacker,
    '--role=rbi-admin',
    `--serviceaccount=${attacker}:mallory`,
  ]);
  malloryToken = kubectlOk(['create', 'token', 'mallory', '-n', attacker, '--duration=1h']).trim();
  // auditor may read everything (the legitimate "read all" caller).
  kubectlOk(['create', 'serviceaccount', 'auditor', '-n', victim]);
  kubectlOk(['create', 'clusterrole', clusterRole, '--verb=get,list', '--resource=*.*']);
  kubectlOk([
    'create',
    'clusterrolebinding',
    clusterRole,
    `--clusterrole=${clusterRole}`,
    `--serviceaccount=${victim}:auditor`,
  ]);
  auditorToken = kubectlOk(['create', 'token', 'auditor', '-n', victim, '--duration=1h']).trim();
  expect(
    kubectl([
      'auth',
      'can-i',
      'get',
      'secrets',
      '-n',
      victim,
      `--as=system:serviceaccount:${attacker}:mallory`,
    ]).stdout.trim(),
  ).toBe('no');
  sim = await AaiSimProcess.start();
  await sim.seedTenant();
  // A region of another owner exists in AAI too: the target an attacker would like to write into.
  await sim.put('/cloud-infrastructure/cloud-regions/cloud-region/OtherOwner/k8sregionone', {
    'cloud-owner': 'OtherOwner',
    'cloud-region-id': 'k8sregionone',
  });
  await sim.put('/cloud-infrastructure/cloud-regions/cloud-region/OtherOwner/k8sregionone/tenants/tenant/other', {
    'tenant-id': 'other',
    'tenant-name': 'other',
  });
  // Another instance's vf-module (SO recorded that instance's id as its heat-stack-id).
  await sim.put('/network/generic-vnfs/generic-vnf/vnf-victim', {
    'vnf-id': 'vnf-victim',
    'vnf-type': 'cnf',
    'in-maint': false,
    'is-closed-loop-disabled': false,
  });
  await sim.put(VICTIM_VF_MODULE, {
    'vf-module-id': 'vfm-victim',
    'is-base-vf-module': true,
    'automated-assignment': false,
    'heat-stack-id': 'victim-instance',
  });
  op = await OperatorProcess.start(
    ['--namespaces', `${attacker},${victim}`, ...sim.operatorArgs()],
    'operator-security',
  );
});

afterAll(async () => {
  await op?.stop();
  await sim?.stop();
  kubectl(['delete', 'clusterrolebinding,clusterrole', clusterRole, '--ignore-not-found']);
  if (attacker) deleteNamespace(attacker);
  if (victim) deleteNamespace(victim);
});

describe('security', () => {
  const resources = [ref('Secret', 'creds'), ref('ConfigMap', 'cfg')];

  test('attack: an instance in attacker listing objects of victim → Stalled CrossNamespaceNotGranted, nothing read', async () => {
    asMallory('steal', {
      namespace: victim,
      instanceId: 'steal-1',
      resources,
    });
    const obj = await timed('cross-namespace refused', () =>
      waitFor(attacker, 'steal', { phase: 'Pending', check: stalled('CrossNamespaceNotGranted') }),
    );
    expect(obj.status?.ready).toBe(false);
    expect(obj.status?.resources?.map((r) => r.reason)).toEqual(['StatusUnknown', 'StatusUnknown']);
    const text = JSON.stringify(obj.status);
    expect(text).not.toContain(CONFIG_VALUE);
    expect(text).not.toContain(SECRET_VALUE);
    // mallory may get the instance, but nothing of victim comes through the API.
    const r = await api('/v1/instance/steal-1/status', malloryToken);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ ready: false, resourceCount: 0, resourcesStatus: [] });
    // Nor through its live query: nothing of an ungranted target is read for it.
    const q = await api('/v1/instance/steal-1/query?ApiVersion=v1&Kind=Secret', malloryToken);
    expect(JSON.parse(q.text)).toMatchObject({ ready: false, resourceCount: 0, resourcesStatus: [] });
  });

  test('legitimate: a grant in victim for the listed kinds → Ready; a grant missing a kind → still refused', async () => {
    kubectlOk(['apply', '-f', '-'], grant('partial', [{ kind: 'ConfigMap' }]));
    await waitFor(attacker, 'steal', {
      check: (s) =>
        stalled('CrossNamespaceNotGranted')(s) &&
        (s.conditions?.find((c) => c.type === 'Stalled')?.message ?? '').includes('do not grant Secret'),
    });
    kubectlOk(['apply', '-f', '-'], grant('full', [{ kind: 'ConfigMap' }, { kind: 'Secret' }]));
    await timed('grant honoured', () => waitFor(attacker, 'steal', { phase: 'Ready', readyRatio: '2/2' }));
    // Even granted, mallory sees only what it may read itself: neither victim's ConfigMap nor its Secret.
    const own = await api('/v1/instance/steal-1/status', malloryToken);
    expect(JSON.parse(own.text)).toMatchObject({ resourceCount: 0 });
    // The auditor may read everything: both objects, as metadata only.
    const all = await api('/v1/instance/steal-1/status', auditorToken);
    expect(JSON.parse(all.text)).toMatchObject({ resourceCount: 2 });
    expect(all.text).not.toContain(CONFIG_VALUE);
    expect(all.text).not.toContain(SECRET_VALUE);
    expect(all.text).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
  });

  test('revoking the grant takes effect at once, and the AAI records of victim objects go', async () => {
    const victimRecords = async () =>
      (
        (await sim.get<{ 'k8s-resource'?: Array<{ namespace: string }> }>(`${SIM_TENANT}/k8s-resources`))?.[
          'k8s-resource'
        ] ?? []
      ).filter((r) => r.namespace === victim);
    await eventually('the granted instance synced to AAI', async () => (await victimRecords()).length === 2);
    kubectlOk(['delete', 'resourcebundlegrant', 'full', 'partial', '-n', victim]);
    await timed('revocation', () =>
      waitFor(attacker, 'steal', { phase: 'Pending', check: stalled('CrossNamespaceNotGranted') }, 10_000),
    );
    await timed('AAI records of the revoked instance removed', () =>
      eventually('no AAI record of victim objects', async () => (await victimRecords()).length === 0, 20_000),
    );
  });

  test('attack: taking the id of an older instance → Stalled DuplicateInstanceId, not served for that id', async () => {
    applyRbi('owner', victim, [ref('ConfigMap', 'cfg')], { instanceId: 'shared-id' });
    await waitFor(victim, 'owner', { phase: 'Ready' });
    // creationTimestamp has one-second resolution (ties go by uid): make the copycat clearly younger.
    await new Promise((r) => setTimeout(r, 1100));
    asMallory('copycat', {
      instanceId: 'shared-id',
      resources: [],
    });
    await timed('duplicate id refused', () => waitFor(attacker, 'copycat', { check: stalled('DuplicateInstanceId') }));
    // The owner keeps its id: still Ready, and the API serves the owner for it.
    await waitFor(victim, 'owner', { phase: 'Ready' });
    const r = await api('/v1/instance/shared-id', auditorToken);
    expect(JSON.parse(r.text)).toMatchObject({ namespace: victim, request: { 'rb-name': 'e2e' } });
    // mallory cannot get the owner: for it the id does not exist (404 as for an unknown id, not 403).
    expect((await api('/v1/instance/shared-id', malloryToken)).status).toBe(404);
  });

  test('attack: writing into an AAI target outside the operator policy → AAITargetNotAllowed, nothing written', async () => {
    kubectlOk(
      ['apply', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'own', namespace: attacker } }),
    );
    asMallory('foreign-target', {
      resources: [ref('ConfigMap', 'own')],
      aai: { cloudOwner: 'OtherOwner', tenantId: 'other' },
    });
    const obj = await timed('foreign AAI target refused', () =>
      waitFor(attacker, 'foreign-target', {
        phase: 'Ready',
        check: (s) => s.conditions?.some((c) => c.type === 'AAISynced' && c.reason === 'AAITargetNotAllowed') ?? false,
      }),
    );
    expect(obj.status?.conditions?.find((c) => c.type === 'AAISynced')?.status).toBe('False');
    const events = kubectlOk(['get', 'events.v1.events.k8s.io', '-n', attacker, '-o', 'jsonpath={.items[*].reason}']);
    expect(events).toContain('AAITargetNotAllowed');
    const other = await sim.get<{ 'k8s-resource'?: unknown[] }>(
      '/cloud-infrastructure/cloud-regions/cloud-region/OtherOwner/k8sregionone/tenants/tenant/other/k8s-resources',
    );
    expect(other?.['k8s-resource'] ?? []).toEqual([]);
  });

  test("attack: linking to and patching another instance's vf-module → refused (heat-stack-id), untouched", async () => {
    applyRbi('hijack', attacker, [ref('ConfigMap', 'own')], {
      instanceId: 'hijack-1',
      aai: { genericVnfId: 'vnf-victim', vfModuleId: 'vfm-victim' },
    });
    const obj = await timed('foreign vf-module refused', () =>
      waitFor(attacker, 'hijack', {
        check: (s) =>
          s.conditions?.some(
            (c) =>
              c.type === 'AAISynced' &&
              c.status === 'False' &&
              c.message.includes('belongs to instance victim-instance'),
          ) ?? false,
      }),
    );
    expect(obj.status?.phase).toBe('Ready');
    const vfm = await sim.get<Record<string, unknown>>(VICTIM_VF_MODULE, 'all');
    expect(vfm?.['operational-status']).toBeUndefined();
    expect(vfm?.['relationship-list']).toBeUndefined();
  });

  test("legitimate: an instance using the operator's own AAI target is synced", async () => {
    applyRbi('own-target', attacker, [ref('ConfigMap', 'own')], { instanceId: 'own-target-1' });
    await timed('own AAI target synced', () =>
      waitFor(attacker, 'own-target', {
        phase: 'Ready',
        check: (s) => s.conditions?.some((c) => c.type === 'AAISynced' && c.status === 'True') ?? false,
      }),
    );
    const records = await sim.get<{ 'k8s-resource': Array<{ name: string }> }>(`${SIM_TENANT}/k8s-resources`);
    expect(records?.['k8s-resource'].map((r) => r.name)).toContain('own');
  });

  test('attack: AAI keys with path segments are refused at admission', () => {
    for (const cloudRegion of ['..', 'a/b']) {
      const r = tryAsMallory('traversal', { cloudRegion, resources: [] });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/spec\.cloudRegion/);
    }
    const aai = tryAsMallory('traversal', {
      resources: [],
      aai: { cloudOwner: '.', tenantId: 't/../x' },
    });
    expect(aai.stderr).toMatch(/spec\.aai\.cloudOwner: Invalid value: "\.": must not be \. or \.\./);
    expect(aai.stderr).toMatch(/spec\.aai\.tenantId/);
  });
});

describe('Secret values are never held', () => {
  const COUNT = 100;
  const VALUE_BYTES = 256 * 1024;
  let vault: string;
  let keeper: OperatorProcess | undefined;
  const heapDir = join(root, '.e2e', 'heap');

  afterAll(async () => {
    await keeper?.stop();
    rmSync(heapDir, { recursive: true, force: true });
    if (vault) deleteNamespace(vault);
  });

  /** Creates listed Secrets in one request per kubectl call, each value `bytes` long and starting with `prefix`. */
  const createSecrets = (names: string[], bytes: number, prefix: string) => {
    const file = join(root, '.e2e', 'vault-secrets.json');
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: names.map((name) => ({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name, namespace: vault, labels: { [INSTANCE_ID_LABEL]: 'vault' } },
          stringData: {
            value:
              prefix +
              randomBytes(Math.ceil((bytes * 3) / 4))
                .toString('base64')
                .slice(0, bytes),
          },
        })),
      }),
    );
    kubectlOk(['create', '-f', file]);
    rmSync(file);
  };

  test(`${COUNT} listed Secrets of ${VALUE_BYTES / 1024} KiB: memory as with tiny ones, no value in the heap`, async () => {
    vault = createNamespace('e2e-vault');
    // 21 characters: its base64 is an exact prefix of the base64 of every value that starts with it.
    const marker = `RBISECRETMARKER${randomBytes(3).toString('hex')}`;
    const small = Array.from({ length: COUNT }, (_, i) => `small-${i}`);
    const big = Array.from({ length: COUNT }, (_, i) => `big-${i}`);
    applyRbi(
      'vault',
      vault,
      [...small, ...big].map((n) => ref('Secret', n)),
    );
    mkdirSync(heapDir, { recursive: true });
    keeper = await OperatorProcess.start(['--namespaces', vault, '--api-bind-address', '0'], 'operator-vault', {
      nodeArgs: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${heapDir}`],
    });
    await waitFor(vault, 'vault', { reason: 'NotFound' }, 60_000);
    // The control: as many Secrets with 1-byte values go through the same informers, reconciles and writes.
    const start = await keeper.memory();
    createSecrets(small, 1, '');
    await waitFor(vault, 'vault', { readyRatio: `${COUNT}/${2 * COUNT}` }, 120_000);
    const control = await keeper.memory();
    createSecrets(big, VALUE_BYTES, marker);
    await waitFor(vault, 'vault', { phase: 'Ready', readyRatio: `${2 * COUNT}/${2 * COUNT}` }, 120_000);
    const loaded = await keeper.memory();
    const mib = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
    console.log(
      `security: ${COUNT} Secrets of 1 B, then ${COUNT} of ${VALUE_BYTES / 1024} KiB (${mib(COUNT * VALUE_BYTES)} MiB ` +
        `of values): RSS ${mib(start.rss)} → ${mib(control.rss)} → ${mib(loaded.rss)} MiB, heap ` +
        `${mib(start.heapUsed)} → ${mib(control.heapUsed)} → ${mib(loaded.heapUsed)} MiB`,
    );
    const growth = (a: { rss: number }, b: { rss: number }) => b.rss - a.rss;
    expect(loaded.heapUsed - control.heapUsed).toBeLessThan(4 * 2 ** 20);
    // Within noise of the control (the values alone are 25 MiB, more as JSON strings).
    expect(growth(control, loaded) - growth(start, control)).toBeLessThan(12 * 2 ** 20);

    // A heap snapshot of the operator holds neither a value nor its base64 (but does hold the Secrets' names).
    process.kill(keeper.pid, 'SIGUSR2');
    const snapshot = await eventually(
      'a heap snapshot',
      async () => {
        const f = readdirSync(heapDir).find((n) => n.endsWith('.heapsnapshot'));
        // The process answers again once the (synchronous) snapshot is written.
        return f && (await fetch(`http://127.0.0.1:${keeper!.probePort}/healthz`)).ok ? join(heapDir, f) : false;
      },
      60_000,
      500,
    );
    const heap = readFileSync(snapshot, 'latin1');
    console.log(`security: heap snapshot of ${mib(heap.length)} MiB searched for the Secret values`);
    expect(heap.includes('big-42')).toBe(true);
    expect(heap.includes(marker)).toBe(false);
    expect(heap.includes(Buffer.from(marker).toString('base64'))).toBe(false);
  }, 300_000);
});
