// Component tests: the AAI client and the sync against our AAI simulator (a real HTTP server on loopback).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { desiredInventory, type DesiredInventory } from '../../mappers/aai/inventory.js';
import type { AaiSettings, AaiTarget } from '../../mappers/aai/types.js';
import type { ResourceBundleInstance } from '../../mappers/instance/types.js';
import { obj, pod, readyPodStatus } from '../../test/support/status-builders.js';
import { startAaiSimulator, type AaiSimulator } from '../../aai-sim/server.js';
import { AaiClient, AaiError } from './client.js';
import type { AaiSyncState } from '../../mappers/aai/diff.js';
import { syncInventory, VfModuleNotOwned } from './sync.js';

const TENANT = '/cloud-infrastructure/cloud-regions/cloud-region/Owner/region/tenants/tenant/t1';
const settings: AaiSettings = { apiVersion: 'v24', dataOwner: 'rbi-operator', selflinkBase: 'http://rbi:8082' };
const target: AaiTarget = {
  cloudOwner: 'Owner',
  cloudRegion: 'region',
  tenantId: 't1',
  genericVnfId: 'vnf-1',
  vfModuleId: 'vfm-1',
  mapping: 'all',
};
const NOW = new Date('2026-01-01T00:00:00Z');

const rbi: ResourceBundleInstance = {
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleInstance',
  metadata: { name: 'i', namespace: 'ns' },
  spec: {
    instanceId: 'i1',
    rbName: 'r',
    rbVersion: 'v1',
    profileName: 'p',
    cloudRegion: 'region',
    resources: [{ group: '', version: 'v1', kind: 'ConfigMap', name: 'cm' }],
  },
};
const cm = obj('v1', 'ConfigMap', 'cm', { metadata: { namespace: 'ns', resourceVersion: '1' } });
const podA = (phase: 'Ready' | 'Failed' = 'Ready', ip = '10.0.0.5') =>
  ({
    pod: pod(readyPodStatus({ podIPs: [{ ip }] }), { name: 'a', namespace: 'ns', uid: 'uid-a', resourceVersion: '5' }),
    state: phase,
  }) as const;

function inventory(pods = [podA()], phase: 'Ready' | 'Failed' = 'Ready', t: AaiTarget = target): DesiredInventory {
  return desiredInventory(rbi, { objects: [cm], pods, phase }, t, settings);
}

let sim: AaiSimulator;
let client: AaiClient;

async function seed(): Promise<void> {
  const seedClient = new AaiClient({
    baseUrl: sim.url,
    apiVersion: 'v24',
    username: 'AAI',
    password: 'AAI',
    retries: 0,
  });
  await seedClient.put('/cloud-infrastructure/cloud-regions/cloud-region/Owner/region', {
    'cloud-owner': 'Owner',
    'cloud-region-id': 'region',
    'orchestration-disabled': false,
    'in-maint': false,
  });
  await seedClient.put(TENANT, { 'tenant-id': 't1', 'tenant-name': 't1' });
  await seedClient.put('/network/generic-vnfs/generic-vnf/vnf-1', {
    'vnf-id': 'vnf-1',
    'vnf-type': 'cnf',
    'in-maint': false,
    'is-closed-loop-disabled': false,
  });
  await seedClient.put('/network/generic-vnfs/generic-vnf/vnf-1/vf-modules/vf-module/vfm-1', {
    'vf-module-id': 'vfm-1',
    'is-base-vf-module': true,
    'automated-assignment': false,
    'heat-stack-id': 'i1', // SO records the k8splugin instance id here
  });
  // Another instance's vf-module, and one SO has not stamped yet.
  for (const [id, stack] of [
    ['vfm-other', 'someone-else'],
    ['vfm-unstamped', undefined],
  ] as const)
    await seedClient.put(`/network/generic-vnfs/generic-vnf/vnf-1/vf-modules/vf-module/${id}`, {
      'vf-module-id': id,
      'is-base-vf-module': false,
      'automated-assignment': false,
      ...(stack ? { 'heat-stack-id': stack } : {}),
    });
}

beforeAll(async () => {
  sim = await startAaiSimulator({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
  await seed();
  client = new AaiClient({ baseUrl: sim.url, apiVersion: 'v24', username: 'AAI', password: 'AAI', backoffMaxMs: 50 });
});

const count = (type: string) => sim.store.count(type);
const stats = async () =>
  (await (await fetch(`${sim.url}/__sim/stats`)).json()) as {
    requests: Record<string, number>;
    writes: Record<string, number>;
  };

describe('AAI sync against the simulator', () => {
  test('into an empty AAI: records, edges and operational-status are created in one bulk transaction', async () => {
    await fetch(`${sim.url}/__sim/stats`, { method: 'DELETE' }).catch(() => undefined);
    const seeded = (await stats()).writes;
    const r = await syncInventory(client, inventory(), {}, NOW);
    expect(r.state.objects).toBe(3); // ConfigMap + pod k8s-resources, pod vserver
    expect(count('k8s-resource')).toBe(2);
    expect(count('vserver')).toBe(1);
    const vfm = await client.get<{
      'operational-status': string;
      'relationship-list': { relationship: Array<{ 'related-to': string }> };
    }>('/network/generic-vnfs/generic-vnf/vnf-1/vf-modules/vf-module/vfm-1');
    expect(vfm?.['operational-status']).toBe('in-service-path');
    expect(vfm?.['relationship-list'].relationship.map((x) => x['related-to']).sort()).toEqual([
      'k8s-resource',
      'k8s-resource',
      'vserver',
    ]);
    const w = (await stats()).writes;
    expect({
      POST: (w.POST ?? 0) - (seeded.POST ?? 0),
      PATCH: (w.PATCH ?? 0) - (seeded.PATCH ?? 0),
      PUT: (w.PUT ?? 0) - (seeded.PUT ?? 0),
    }).toEqual({ POST: 1, PATCH: 1, PUT: 0 });
  });

  test('the same inventory again writes nothing (reads only)', async () => {
    const first = await syncInventory(client, inventory(), {}, NOW);
    const again = await syncInventory(client, inventory(), first.state, NOW);
    expect(again.writes).toBe(0);
    expect(again.reads).toBe(0);
  });

  test('only the operational-status changed: one PATCH; no record is read again, only the vf-module (ownership)', async () => {
    const first = await syncInventory(client, inventory([podA('Ready')], 'Ready'), {}, NOW);
    const r = await syncInventory(client, inventory([podA('Ready')], 'Failed'), first.state, NOW);
    expect(r).toMatchObject({ writes: 1, reads: 1 });
    expect(
      (
        await client.get<{ 'operational-status': string }>(
          '/network/generic-vnfs/generic-vnf/vnf-1/vf-modules/vf-module/vfm-1',
        )
      )?.['operational-status'],
    ).toBe('out-of-service-path');
  });

  test('a changed pod (new IP, Failed) updates its vserver and l-interface in place (child resource-versions carried)', async () => {
    const first = await syncInventory(client, inventory(), {}, NOW);
    const r = await syncInventory(client, inventory([podA('Failed', '10.0.0.9')], 'Failed'), first.state, NOW);
    expect(r.writes).toBe(3); // vserver PUT + delete of the stale address (one bulk), then the PATCH
    const vs = await client.get<{
      'prov-status': string;
      'l-interfaces': {
        'l-interface': Array<{ 'l3-interface-ipv4-address-list': Array<{ 'l3-interface-ipv4-address': string }> }>;
      };
    }>(`${TENANT}/vservers/vserver/uid-a`, 'all');
    expect(vs?.['prov-status']).toBe('ERROR');
    expect(
      vs?.['l-interfaces']['l-interface'][0]!['l3-interface-ipv4-address-list'].map(
        (a) => a['l3-interface-ipv4-address'],
      ),
    ).toEqual(['10.0.0.9']);
  });

  test('a replaced pod: the old records are deleted, the new ones created', async () => {
    const first = await syncInventory(client, inventory(), {}, NOW);
    const b = {
      pod: pod(readyPodStatus(), { name: 'b', namespace: 'ns', uid: 'uid-b', resourceVersion: '9' }),
      state: 'Ready' as const,
    };
    await syncInventory(client, inventory([b]), first.state, NOW);
    expect(sim.store.list('vserver').map((v) => (v as { 'vserver-id': string })['vserver-id'])).toEqual(['uid-b']);
    expect(
      sim.store
        .list('k8s-resource')
        .map((v) => (v as { name: string }).name)
        .sort(),
    ).toEqual(['b', 'cm']);
  });

  test('412 (someone wrote in between) → read again and retry', async () => {
    const first = await syncInventory(client, inventory(), {}, NOW);
    await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failNext: [{ method: 'POST', status: 412 }] }),
    });
    const r = await syncInventory(client, inventory([podA('Failed')], 'Failed'), first.state, NOW);
    expect(r.writes).toBeGreaterThan(0);
    expect((await client.get<{ 'prov-status': string }>(`${TENANT}/vservers/vserver/uid-a`))?.['prov-status']).toBe(
      'ERROR',
    );
  });

  test('5xx responses are retried with backoff', async () => {
    await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failNext: [{ status: 503, times: 2 }] }),
    });
    const r = await syncInventory(client, inventory(), {}, NOW);
    expect(r.state.objects).toBe(3);
    expect(count('k8s-resource')).toBe(2);
  });

  test('a vf-module of another instance (heat-stack-id) is refused: nothing linked, nothing written', async () => {
    const other: AaiTarget = { ...target, vfModuleId: 'vfm-other' };
    await expect(syncInventory(client, inventory([podA()], 'Ready', other), {}, NOW)).rejects.toThrow(
      /vf-module .*vfm-other belongs to instance someone-else \(its heat-stack-id\), not to i1/,
    );
    expect(count('k8s-resource')).toBe(0);
  });

  test('a vf-module without heat-stack-id: refused by default, linked with allow', async () => {
    const unstamped: AaiTarget = { ...target, vfModuleId: 'vfm-unstamped' };
    await expect(syncInventory(client, inventory([podA()], 'Ready', unstamped), {}, NOW)).rejects.toThrow(
      VfModuleNotOwned,
    );
    expect(count('k8s-resource')).toBe(0);
    const r = await syncInventory(client, inventory([podA()], 'Ready', unstamped), {}, NOW, {
      vfModuleWithoutStackId: 'allow',
    });
    expect(r.writes).toBeGreaterThan(0);
  });

  test('an atomic batch that fails (edge to a missing vf-module) writes nothing at all', async () => {
    const bad: AaiTarget = { ...target, vfModuleId: 'missing' };
    await expect(syncInventory(client, inventory([podA()], 'Ready', bad), {}, NOW)).rejects.toThrow(AaiError);
    expect(count('k8s-resource')).toBe(0);
    expect(count('vserver')).toBe(0);
  });

  test('AAI down: the error is an AaiError without a response, retryable', async () => {
    await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ down: true }),
    });
    const quick = new AaiClient({
      baseUrl: sim.url,
      apiVersion: 'v24',
      username: 'AAI',
      password: 'AAI',
      retries: 1,
      backoffMaxMs: 10,
    });
    const err = await syncInventory(quick, inventory(), {}, NOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AaiError);
    expect((err as AaiError).retryable).toBe(true);
    await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });
  });

  test('per-object mode (AAI without the bulk API) gives the same result', async () => {
    const perObject = new AaiClient({
      baseUrl: sim.url,
      apiVersion: 'v24',
      username: 'AAI',
      password: 'AAI',
      bulk: 'per-object',
    });
    const state: AaiSyncState = (await syncInventory(perObject, inventory(), {}, NOW)).state;
    expect(count('k8s-resource')).toBe(2);
    await syncInventory(perObject, inventory([]), state, NOW);
    expect(count('vserver')).toBe(0);
    expect(count('k8s-resource')).toBe(1);
  });

  test('wrong credentials: 401 as an AaiError naming the call', async () => {
    const wrong = new AaiClient({ baseUrl: sim.url, apiVersion: 'v24', username: 'AAI', password: 'nope', retries: 0 });
    await expect(wrong.get(TENANT)).rejects.toThrow(/^GET \/cloud-infrastructure\/.*: HTTP 401/);
  });
});
