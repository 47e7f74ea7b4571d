// Component tests of fault injection (in-process and over /__sim/faults), the /__sim endpoints and persistence.
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useSeededSimulator } from '../test/support/aai-simulator.js';
import { startAaiSimulator, type AaiSimulator } from './server.js';
import { errorCode, exceptionOf, fixture, seedInventory, TestAaiClient } from './test-client.js';

let sim: AaiSimulator;
let aai: TestAaiClient;

useSeededSimulator((s, c) => {
  sim = s;
  aai = c;
});

describe('faults', () => {
  test('down: connections are dropped unanswered; /__sim still answers; up again afterwards', async () => {
    expect((await aai.sim('POST', 'faults', { down: true })).body).toEqual({ down: true });
    await expect(aai.get(fixture.tenant)).rejects.toThrow();
    expect((await aai.sim('GET', 'stats')).body.dropped).toBe(1);
    await aai.sim('POST', 'faults', { down: false });
    expect((await aai.get(fixture.tenant)).status).toBe(200);
  });

  test('errorRate 1: every AAI call gets a 503 requestError', async () => {
    sim.faults.set({ errorRate: 1 });
    try {
      const r = await aai.get(fixture.tenant);
      expect(r.status).toBe(503);
      expect(exceptionOf(r).variables[2]).toMatch(/injected by the simulator/);
      expect(errorCode(r)).toBe('ERR.5.4.4000');
      expect((await aai.put(fixture.k8sResource('a'), fixture.k8sResourceBody('a'))).status).toBe(503);
      expect(sim.store.count('k8s-resource')).toBe(0);
    } finally {
      sim.faults.clear();
    }
  });

  test('latencyMs delays answers', async () => {
    sim.faults.set({ latencyMs: 150 });
    try {
      const started = performance.now();
      expect((await aai.get(fixture.tenant)).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      sim.faults.clear();
    }
  });

  test('failNext fails the next matching requests with AAI-shaped errors, then stops', async () => {
    await aai.sim('POST', 'faults', {
      failNext: [
        { method: 'PUT', pathPrefix: '/cloud-infrastructure', status: 412 },
        { pathPrefix: '/aai/v24/network', status: 500, times: 2 },
      ],
    });
    expect((await aai.get(fixture.tenant)).status).toBe(200);
    const first = await aai.put(fixture.k8sResource('a'), fixture.k8sResourceBody('a'));
    expect(first.status).toBe(412);
    expect(errorCode(first)).toBe('ERR.5.4.6131');
    expect((await aai.put(fixture.k8sResource('a'), fixture.k8sResourceBody('a'))).status).toBe(201);
    expect((await aai.get(fixture.vnf)).status).toBe(500);
    expect((await aai.sim('GET', 'faults')).body.failNext).toEqual([
      { pathPrefix: '/aai/v24/network', status: 500, times: 1 },
    ]);
    expect((await aai.get(fixture.vnf)).status).toBe(500);
    expect((await aai.get(fixture.vnf)).status).toBe(200);
  });

  test('bad fault settings → 400 naming the field', async () => {
    const r = await aai.sim('POST', 'faults', { errorRate: 2 });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/errorRate/);
    expect(() => sim.faults.set({ failNext: [{ status: 42 }] })).toThrow(/status/);
  });
});

describe('/__sim endpoints', () => {
  test('stats count answered AAI requests by method and status, writes apart', async () => {
    await aai.sim('POST', 'reset');
    await aai.put(fixture.region, { 'cloud-owner': 'CloudOwner', 'cloud-region-id': 'RegionOne' });
    await aai.get(fixture.region);
    await aai.get(fixture.tenant);
    await aai.bulk([{ action: 'put', uri: fixture.vnf, body: { 'vnf-id': 'vnf-1', 'vnf-type': 't' } }]);
    const stats = (await aai.sim('GET', 'stats')).body;
    expect(stats).toEqual({
      requests: { PUT: 1, GET: 2, POST: 1 },
      writes: { PUT: 1, POST: 1 },
      requestsByStatus: { '200': 1, '201': 2, '404': 1 },
      writesByStatus: { '201': 2 },
      byMethodAndStatus: { 'PUT 201': 1, 'GET 200': 1, 'GET 404': 1, 'POST 201': 1 },
      total: 4,
      dropped: 0,
    });
    expect(sim.stats().total).toBe(4);
  });

  test('dump lists every object and edge; reset clears data and stats', async () => {
    await aai.put(fixture.k8sResource('a'), {
      ...fixture.k8sResourceBody('a'),
      'relationship-list': {
        relationship: [{ 'related-to': 'vf-module', 'related-link': `/aai/v24${fixture.vfModule}` }],
      },
    });
    const dump = (await aai.sim('GET', 'dump')).body;
    expect(dump.objects.map((o: { type: string }) => o.type)).toEqual([
      'cloud-region',
      'tenant',
      'generic-vnf',
      'vf-module',
      'k8s-resource',
    ]);
    expect(dump.objects[4]).toMatchObject({ uri: fixture.k8sResource('a'), properties: { id: 'a', kind: 'Pod' } });
    expect(dump.edges).toHaveLength(1);
    expect((await aai.sim('POST', 'reset')).status).toBe(204);
    expect((await aai.sim('GET', 'dump')).body.objects).toEqual([]);
    expect((await aai.sim('GET', 'stats')).body.total).toBe(0);
    expect((await aai.sim('GET', 'nope')).status).toBe(404);
  });
});

describe('persistence', () => {
  test('a restarted simulator has the same objects, edges and resource-versions; later writes go on increasing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aai-sim-'));
    const file = join(dir, 'aai.json');
    try {
      const first = await startAaiSimulator({ persistFile: file });
      const c1 = new TestAaiClient(first.url);
      await seedInventory(c1);
      await c1.put(fixture.k8sResource('a'), {
        ...fixture.k8sResourceBody('a'),
        'relationship-list': {
          relationship: [{ 'related-to': 'vf-module', 'related-link': `/aai/v24${fixture.vfModule}` }],
        },
      });
      const before = (await c1.get(fixture.k8sResource('a'))).body;
      await first.close();
      expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('rbi-aai-sim/1');

      const second = await startAaiSimulator({ persistFile: file });
      const c2 = new TestAaiClient(second.url);
      expect((await c2.get(fixture.k8sResource('a'))).body).toEqual(before);
      expect((await c2.get(fixture.vfModule)).body['relationship-list'].relationship).toHaveLength(1);
      await c2.patch(fixture.vfModule, { 'operational-status': 'in-service-path' });
      expect(Number(await c2.resourceVersion(fixture.vfModule))).toBeGreaterThan(Number(before['resource-version']));
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a file that is not a snapshot stops the start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aai-sim-'));
    const file = join(dir, 'aai.json');
    try {
      writeFileSync(file, '{"format": "something else"}');
      await expect(startAaiSimulator({ persistFile: file })).rejects.toThrow(/snapshot format/);
      writeFileSync(file, 'not json');
      await expect(startAaiSimulator({ persistFile: file })).rejects.toThrow(/not a JSON snapshot/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
