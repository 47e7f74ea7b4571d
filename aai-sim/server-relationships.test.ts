// Component tests of relationships: PUT/DELETE …/relationship-list/relationship, both ends, edge rules,
// multiplicity, and the relationship-list of a PUT body.
import { beforeEach, describe, expect, test } from '@jest/globals';
import { HOSTED_ON, USES } from './edge-rules.js';
import { useSeededSimulator } from '../test/support/aai-simulator.js';
import type { AaiSimulator } from './server.js';
import { errorCode, exceptionOf, fixture, TestAaiClient } from './test-client.js';

let sim: AaiSimulator;
let aai: TestAaiClient;

const rel = (path: string) => `${path}/relationship-list/relationship`;
const link = (path: string) => `/aai/v24${path}`;
const relatedTo = (reply: { body: { 'relationship-list'?: { relationship: Array<{ 'related-to': string }> } } }) =>
  (reply.body['relationship-list']?.relationship ?? []).map((r) => r['related-to']).sort();

useSeededSimulator((s, c) => {
  sim = s;
  aai = c;
});
beforeEach(async () => {
  await aai.put(fixture.k8sResource('k1'), fixture.k8sResourceBody('k1'));
  await aai.put(fixture.k8sResource('k2'), fixture.k8sResourceBody('k2'));
});

describe('PUT and DELETE of one relationship', () => {
  test('the edge shows on both ends, with the label, related-link and relationship-data', async () => {
    const r = await aai.put(rel(fixture.k8sResource('k1')), {
      'related-to': 'vf-module',
      'related-link': link(fixture.vfModule),
    });
    expect(r.status).toBe(200);
    const k1 = (await aai.get(fixture.k8sResource('k1'))).body;
    expect(k1['relationship-list'].relationship).toEqual([
      {
        'related-to': 'vf-module',
        'relationship-label': USES,
        'related-link': link(fixture.vfModule),
        'relationship-data': [
          { 'relationship-key': 'generic-vnf.vnf-id', 'relationship-value': 'vnf-1' },
          { 'relationship-key': 'vf-module.vf-module-id', 'relationship-value': 'vfm-1' },
        ],
      },
    ]);
    const vfm = (await aai.get(fixture.vfModule)).body;
    expect(vfm['relationship-list'].relationship).toEqual([
      {
        'related-to': 'k8s-resource',
        'relationship-label': USES,
        'related-link': link(fixture.k8sResource('k1')),
        'relationship-data': [
          { 'relationship-key': 'cloud-region.cloud-owner', 'relationship-value': 'CloudOwner' },
          { 'relationship-key': 'cloud-region.cloud-region-id', 'relationship-value': 'RegionOne' },
          { 'relationship-key': 'tenant.tenant-id', 'relationship-value': 't1' },
          { 'relationship-key': 'k8s-resource.id', 'relationship-value': 'k1' },
        ],
        'related-to-property': [{ 'property-key': 'k8s-resource.name', 'property-value': 'pod-k1' }],
      },
    ]);
    const list = await aai.get(`${fixture.vfModule}/relationship-list`);
    expect(list.body.relationship).toHaveLength(1);
  });

  test('the request may come from either end; related-links use the request’s version', async () => {
    const r = await aai.call('PUT', `/aai/v27${rel(fixture.vnf)}`, {
      body: {
        'related-to': 'k8s-resource',
        'related-link': `https://aai.onap:8443/aai/v24${fixture.k8sResource('k1')}`,
      },
    });
    expect(r.status).toBe(200);
    const k1 = (await aai.call('GET', `/aai/v27${fixture.k8sResource('k1')}`)).body;
    expect(k1['relationship-list'].relationship[0]).toMatchObject({
      'related-to': 'generic-vnf',
      'relationship-label': HOSTED_ON,
      'related-link': `/aai/v27${fixture.vnf}`,
      'related-to-property': [{ 'property-key': 'generic-vnf.vnf-name', 'property-value': 'my-vnf' }],
    });
  });

  test('the target may be named by relationship-data instead of related-link', async () => {
    const r = await aai.put(rel(fixture.vfModule), {
      'related-to': 'k8s-resource',
      'relationship-data': [
        { 'relationship-key': 'cloud-region.cloud-owner', 'relationship-value': 'CloudOwner' },
        { 'relationship-key': 'cloud-region.cloud-region-id', 'relationship-value': 'RegionOne' },
        { 'relationship-key': 'tenant.tenant-id', 'relationship-value': 't1' },
        { 'relationship-key': 'k8s-resource.id', 'relationship-value': 'k2' },
      ],
    });
    expect(r.status).toBe(200);
    expect(sim.store.edges()).toEqual([{ from: fixture.vfModule, to: fixture.k8sResource('k2'), label: USES }]);
  });

  test('PUT again is a no-op 200; both ends get a new resource-version on every edge write', async () => {
    const before = [await aai.resourceVersion(fixture.k8sResource('k1')), await aai.resourceVersion(fixture.vfModule)];
    const body = { 'related-to': 'vf-module', 'related-link': link(fixture.vfModule) };
    expect((await aai.put(rel(fixture.k8sResource('k1')), body)).status).toBe(200);
    expect((await aai.put(rel(fixture.k8sResource('k1')), body)).status).toBe(200);
    expect(sim.store.edges()).toHaveLength(1);
    const after = [await aai.resourceVersion(fixture.k8sResource('k1')), await aai.resourceVersion(fixture.vfModule)];
    expect(Number(after[0])).toBeGreaterThan(Number(before[0]));
    expect(Number(after[1])).toBeGreaterThan(Number(before[1]));
  });

  test('DELETE with the same body → 204 and gone from both ends; again → 404 ERR.5.4.6127', async () => {
    const body = { 'related-to': 'vf-module', 'related-link': link(fixture.vfModule) };
    await aai.put(rel(fixture.k8sResource('k1')), body);
    expect(
      (
        await aai.call('DELETE', rel(fixture.vfModule), {
          body: { 'related-to': 'k8s-resource', 'related-link': link(fixture.k8sResource('k1')) },
        })
      ).status,
    ).toBe(204);
    expect(relatedTo(await aai.get(fixture.k8sResource('k1')))).toEqual([]);
    expect(relatedTo(await aai.get(fixture.vfModule))).toEqual([]);
    const again = await aai.call('DELETE', rel(fixture.k8sResource('k1')), { body });
    expect(again.status).toBe(404);
    expect(errorCode(again)).toBe('ERR.5.4.6127');
    const list = await aai.get(`${fixture.vfModule}/relationship-list`);
    expect(list.status).toBe(404);
    expect(errorCode(list)).toBe('ERR.5.4.6149');
  });

  test('a missing target → 404 SVC3003 ERR.5.4.6129', async () => {
    const missing = fixture.k8sResource('nope');
    const r = await aai.put(rel(fixture.vfModule), { 'related-to': 'k8s-resource', 'related-link': link(missing) });
    expect(r.status).toBe(404);
    const e = exceptionOf(r);
    expect(e.messageId).toBe('SVC3003');
    expect(e.text).toBe(
      'Failed to make edge to missing target node of type %3 with keys %4 performing %1 on %2 (msg=%5) (ec=%6)',
    );
    expect(e.variables).toEqual([
      'PUT_EDGE',
      `${rel(fixture.vfModule).slice(1)}`,
      'k8s-resource',
      missing,
      `Error making edge to target node:Node of type k8s-resource. Could not find object at: ${missing}`,
      'ERR.5.4.6129',
    ]);
  });

  test('a missing object at the URL → 404 ERR.5.4.6114', async () => {
    const r = await aai.put(rel(fixture.k8sResource('nope')), {
      'related-to': 'vf-module',
      'related-link': link(fixture.vfModule),
    });
    expect(r.status).toBe(404);
    expect(errorCode(r)).toBe('ERR.5.4.6114');
  });

  test('GET on …/relationship-list/relationship is not allowed', async () => {
    expect((await aai.get(rel(fixture.vfModule))).status).toBe(400);
  });
});

describe('edge rules', () => {
  test('a k8s-resource belongs to one vf-module (ONE2MANY) → 400 ERR.5.4.6140', async () => {
    await aai.put('/network/generic-vnfs/generic-vnf/vnf-1/vf-modules/vf-module/vfm-2', { 'vf-module-id': 'vfm-2' });
    await aai.put(rel(fixture.vfModule), {
      'related-to': 'k8s-resource',
      'related-link': link(fixture.k8sResource('k1')),
    });
    // One vf-module may use many k8s-resources …
    expect(
      (
        await aai.put(rel(fixture.vfModule), {
          'related-to': 'k8s-resource',
          'related-link': link(fixture.k8sResource('k2')),
        })
      ).status,
    ).toBe(200);
    // … but a k8s-resource has one vf-module.
    const r = await aai.put(rel(fixture.k8sResource('k1')), {
      'related-to': 'vf-module',
      'related-link': link('/network/generic-vnfs/generic-vnf/vnf-1/vf-modules/vf-module/vfm-2'),
    });
    expect(r.status).toBe(400);
    expect(exceptionOf(r).variables.slice(2)).toEqual([
      `Edge multiplicity violated:multiplicity rule violated: only one edge can exist with label: ${USES} between vf-module and k8s-resource`,
      'ERR.5.4.6140',
    ]);
  });

  test('a pair without a rule → 400 ERR.5.4.6120', async () => {
    const r = await aai.put(rel(fixture.k8sResource('k1')), {
      'related-to': 'k8s-resource',
      'related-link': link(fixture.k8sResource('k2')),
    });
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe('ERR.5.4.6120');
    expect(exceptionOf(r).variables[2]).toBe(
      'Bad Parameter Passed:No EdgeRule found for passed nodeTypes: k8s-resource, k8s-resource.',
    );
  });

  test('a parent/child pair is containment, not a relationship → 400 ERR.5.4.6145', async () => {
    const r = await aai.put(rel(fixture.k8sResource('k1')), {
      'related-to': 'tenant',
      'related-link': link(fixture.tenant),
    });
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe('ERR.5.4.6145');
  });

  test('a label that does not match the rule → 400', async () => {
    const r = await aai.put(rel(fixture.k8sResource('k1')), {
      'related-to': 'vf-module',
      'related-link': link(fixture.vfModule),
      'relationship-label': HOSTED_ON,
    });
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe('ERR.5.4.6107');
    const ok = await aai.put(rel(fixture.k8sResource('k1')), {
      'related-to': 'vf-module',
      'related-link': link(fixture.vfModule),
      'relationship-label': USES,
    });
    expect(ok.status).toBe(200);
  });

  test.each([
    ['vf-module', 'vserver'],
    ['generic-vnf', 'vserver'],
    ['vnfc', 'vserver'],
    ['generic-vnf', 'k8s-resource'],
  ])('%s – %s is allowed', async (a, b) => {
    await aai.put(fixture.vserver('vs'), { 'vserver-id': 'vs', 'vserver-name': 'vm', 'vserver-selflink': 'x' });
    await aai.put('/network/vnfcs/vnfc/c1', { 'vnfc-name': 'c1', 'nfc-naming-code': 'n', 'nfc-function': 'f' });
    const paths: Record<string, string> = {
      'vf-module': fixture.vfModule,
      'generic-vnf': fixture.vnf,
      vnfc: '/network/vnfcs/vnfc/c1',
      vserver: fixture.vserver('vs'),
      'k8s-resource': fixture.k8sResource('k1'),
    };
    expect((await aai.put(rel(paths[b]!), { 'related-to': a, 'related-link': link(paths[a]!) })).status).toBe(200);
  });
});

describe('relationship-list in a PUT body', () => {
  const withRelationships = (id: string, links: Array<[string, string]>, rv?: string) =>
    fixture.k8sResourceBody(id, {
      ...(rv ? { 'resource-version': rv } : {}),
      'relationship-list': {
        relationship: links.map(([to, path]) => ({ 'related-to': to, 'related-link': link(path) })),
      },
    });

  test('creates the edges with the object, replaces them on PUT, leaves them when absent', async () => {
    const path = fixture.k8sResource('k3');
    expect(
      (
        await aai.put(
          path,
          withRelationships('k3', [
            ['vf-module', fixture.vfModule],
            ['generic-vnf', fixture.vnf],
          ]),
        )
      ).status,
    ).toBe(201);
    expect(relatedTo(await aai.get(path))).toEqual(['generic-vnf', 'vf-module']);
    expect(relatedTo(await aai.get(fixture.vnf))).toEqual(['k8s-resource']);

    let rv = await aai.resourceVersion(path);
    await aai.put(path, fixture.k8sResourceBody('k3', { name: 'renamed', 'resource-version': rv }));
    expect(relatedTo(await aai.get(path))).toEqual(['generic-vnf', 'vf-module']);

    rv = await aai.resourceVersion(path);
    await aai.put(path, withRelationships('k3', [['generic-vnf', fixture.vnf]], rv));
    expect(relatedTo(await aai.get(path))).toEqual(['generic-vnf']);
    expect(relatedTo(await aai.get(fixture.vfModule))).toEqual([]);
  });

  test('an edge rule violation in the body fails the whole PUT (nothing is created)', async () => {
    const path = fixture.k8sResource('k4');
    const r = await aai.put(path, withRelationships('k4', [['tenant', fixture.tenant]]));
    expect(r.status).toBe(400);
    expect((await aai.get(path)).status).toBe(404);
    const missing = await aai.put(
      path,
      withRelationships('k4', [['vf-module', `${fixture.vnf}/vf-modules/vf-module/none`]]),
    );
    expect(missing.status).toBe(404);
    expect(errorCode(missing)).toBe('ERR.5.4.6129');
    expect((await aai.get(path)).status).toBe(404);
  });

  test('deleting an object removes its edges from the other end and bumps that end’s resource-version', async () => {
    const path = fixture.k8sResource('k5');
    await aai.put(path, withRelationships('k5', [['vf-module', fixture.vfModule]]));
    const vfmRv = await aai.resourceVersion(fixture.vfModule);
    expect((await aai.delete(path, await aai.resourceVersion(path))).status).toBe(204);
    expect(relatedTo(await aai.get(fixture.vfModule))).toEqual([]);
    expect(Number(await aai.resourceVersion(fixture.vfModule))).toBeGreaterThan(Number(vfmRv));
    expect(sim.store.edges()).toEqual([]);
  });
});
