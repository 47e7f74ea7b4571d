// Component tests of the simulator's resource API over real HTTP: headers, auth, PUT/GET/PATCH/DELETE semantics,
// resource-version checks, validation and the exact requestError bodies.
import { describe, expect, test } from '@jest/globals';
import { useSeededSimulator } from '../test/support/aai-simulator.js';
import { startAaiSimulator, type AaiSimulator } from './server.js';
import { basicAuth, errorCode, exceptionOf, fixture, TestAaiClient } from './test-client.js';

let sim: AaiSimulator;
let aai: TestAaiClient;

useSeededSimulator((s, c) => {
  sim = s;
  aai = c;
});

describe('headers and auth', () => {
  test('missing X-FromAppId → 400 SVC3000 4.0.4009', async () => {
    const r = await aai.call('GET', fixture.tenant, { headers: { 'x-fromappid': undefined } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      requestError: {
        serviceException: {
          messageId: 'SVC3000',
          text: 'Invalid input performing %1 on %2 (msg=%3) (ec=%4)',
          variables: ['null', 'null', 'Invalid X-FromAppId in header', '4.0.4009'],
        },
      },
    });
  });

  test('missing X-TransactionId → 400 4.0.4010', async () => {
    const r = await aai.call('GET', fixture.tenant, { headers: { 'x-transactionid': undefined } });
    expect(r.status).toBe(400);
    expect(exceptionOf(r).messageId).toBe('SVC3000');
    expect(errorCode(r)).toBe('4.0.4010');
  });

  test.each(['x-onap-requestid', 'x-requestid', 'x-ecomp-requestid'])('%s stands in for X-TransactionId', async (h) => {
    const r = await aai.call('GET', fixture.tenant, { headers: { 'x-transactionid': undefined, [h]: 'tx' } });
    expect(r.status).toBe(200);
  });

  test('X-ONAP-PartnerName stands in for X-FromAppId', async () => {
    const r = await aai.call('GET', fixture.tenant, {
      headers: { 'x-fromappid': undefined, 'x-onap-partnername': 'SO.cnf-adapter' },
    });
    expect(r.status).toBe(200);
  });

  test.each([
    ['no credentials', undefined],
    ['a wrong password', basicAuth('AAI', 'nope')],
    ['an unknown user', basicAuth('SO', 'AAI')],
  ])('%s → 401 POL3301 with WWW-Authenticate', async (_name, authorization) => {
    const r = await aai.call('GET', fixture.tenant, { headers: { authorization } });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(r.body.requestError.policyException.messageId).toBe('POL3301');
    expect(errorCode(r)).toBe('ERR.5.1.3302');
  });

  test('configured users replace AAI:AAI; an empty list turns auth off', async () => {
    const custom = await startAaiSimulator({ users: [{ user: 'SO', password: 's3cret' }] });
    const open = await startAaiSimulator({ users: [] });
    try {
      const c = new TestAaiClient(custom.url);
      expect((await c.get(fixture.region)).status).toBe(401);
      expect(
        (await c.call('GET', fixture.region, { headers: { authorization: basicAuth('SO', 's3cret') } })).status,
      ).toBe(404);
      const o = new TestAaiClient(open.url);
      expect((await o.call('GET', fixture.region, { headers: { authorization: undefined } })).status).toBe(404);
    } finally {
      await custom.close();
      await open.close();
    }
  });

  test('an Accept AAI cannot answer → 400 4.0.4014', async () => {
    const r = await aai.call('GET', fixture.tenant, { headers: { accept: 'text/html' } });
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe('4.0.4014');
  });

  test.each(['v9', 'v33'])('version %s → 400 SVC3016', async (v) => {
    const r = await aai.call('GET', `/aai/${v}${fixture.tenant}`);
    expect(r.status).toBe(400);
    expect(exceptionOf(r).messageId).toBe('SVC3016');
  });

  test.each(['v10', 'v24', 'v32', 'latest'])('version %s is served', async (v) => {
    expect((await aai.call('GET', `/aai/${v}${fixture.tenant}`)).status).toBe(200);
  });

  test('PUT without a JSON Content-Type → 415', async () => {
    const r = await aai.call('PUT', fixture.k8sResource('a'), {
      body: fixture.k8sResourceBody('a'),
      headers: { 'content-type': 'text/plain' },
    });
    expect(r.status).toBe(415);
    expect(exceptionOf(r).messageId).toBe('SVC3000');
  });

  test('PATCH with application/json → 415; merge-patch+json is required', async () => {
    const r = await aai.call('PATCH', fixture.vfModule, {
      body: { 'operational-status': 'in-service-path' },
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(415);
    expect(exceptionOf(r).variables[2]).toMatch(/application\/merge-patch\+json/);
  });

  test('a body that is not JSON → 400 POL3102', async () => {
    const r = await aai.call('PUT', fixture.k8sResource('a'), { body: '{"id": ' });
    expect(r.status).toBe(400);
    expect(r.body.requestError.policyException.messageId).toBe('POL3102');
  });
});

describe('PUT and resource-version', () => {
  const path = fixture.k8sResource('r1');

  test('create 201 (empty body), replace 200 with the current resource-version; versions increase', async () => {
    const created = await aai.put(path, fixture.k8sResourceBody('r1'));
    expect(created.status).toBe(201);
    expect(created.body).toBeUndefined();
    const rv1 = await aai.resourceVersion(path);
    expect(rv1).toMatch(/^\d{13}$/);
    const replaced = await aai.put(path, fixture.k8sResourceBody('r1', { name: 'renamed', 'resource-version': rv1 }));
    expect(replaced.status).toBe(200);
    const after = await aai.get(path);
    expect(after.body.name).toBe('renamed');
    expect(Number(after.body['resource-version'])).toBeGreaterThan(Number(rv1));
  });

  test('create with a resource-version → 412 ERR.5.4.6135', async () => {
    const r = await aai.put(path, fixture.k8sResourceBody('r1', { 'resource-version': '123' }));
    expect(r.status).toBe(412);
    expect(exceptionOf(r).variables).toEqual([
      'PUT',
      path.slice(1),
      `Resource version specified on create:resource-version passed for create of ${path}`,
      'ERR.5.4.6135',
    ]);
  });

  test('replace without a resource-version → 412 ERR.5.4.6130', async () => {
    await aai.put(path, fixture.k8sResourceBody('r1'));
    const r = await aai.put(path, fixture.k8sResourceBody('r1'));
    expect(r.status).toBe(412);
    expect(errorCode(r)).toBe('ERR.5.4.6130');
    expect(exceptionOf(r).variables[2]).toBe(`Precondition Required:resource-version not passed for update of ${path}`);
  });

  test('replace with a stale resource-version → 412 ERR.5.4.6131', async () => {
    await aai.put(path, fixture.k8sResourceBody('r1'));
    const r = await aai.put(path, fixture.k8sResourceBody('r1', { 'resource-version': '1' }));
    expect(r.status).toBe(412);
    expect(errorCode(r)).toBe('ERR.5.4.6131');
    expect(exceptionOf(r).text).toBe('Invalid input performing %1 on %2 (msg=%3) (ec=%4)');
  });

  test('replace sets exactly the body: properties it leaves out are removed, required defaults filled in', async () => {
    await aai.put(fixture.vserver('vs1'), {
      'vserver-id': 'vs1',
      'vserver-name': 'vm',
      'vserver-selflink': 'x',
      'prov-status': 'ACTIVE',
      'in-maint': true,
    });
    const rv = await aai.resourceVersion(fixture.vserver('vs1'));
    await aai.put(fixture.vserver('vs1'), {
      'vserver-id': 'vs1',
      'vserver-name': 'vm',
      'vserver-selflink': 'x',
      'resource-version': rv,
    });
    const got = (await aai.get(fixture.vserver('vs1'))).body;
    expect(got['prov-status']).toBeUndefined();
    expect(got['in-maint']).toBe(false);
    expect(got['is-closed-loop-disabled']).toBe(false);
  });

  test('child containers: present ones are reconciled (resource-versions checked), absent ones left alone', async () => {
    const vs = fixture.vserver('vs2');
    const base = { 'vserver-id': 'vs2', 'vserver-name': 'vm', 'vserver-selflink': 'x' };
    const eth = (name: string, extra = {}) => ({ 'interface-name': name, ...extra });
    expect((await aai.put(vs, { ...base, 'l-interfaces': { 'l-interface': [eth('eth0'), eth('eth1')] } })).status).toBe(
      201,
    );
    let tree = (await aai.get(vs, { depth: 'all' })).body;
    expect(tree['l-interfaces']['l-interface'].map((l: { 'interface-name': string }) => l['interface-name'])).toEqual([
      'eth0',
      'eth1',
    ]);
    expect(tree['l-interfaces']['l-interface'][0]['is-port-mirrored']).toBe(false);
    const eth0Rv = tree['l-interfaces']['l-interface'][0]['resource-version'];

    // Without l-interfaces in the body the interfaces stay.
    await aai.put(vs, { ...base, 'resource-version': tree['resource-version'] });
    tree = (await aai.get(vs, { depth: 'all' })).body;
    expect(tree['l-interfaces']['l-interface']).toHaveLength(2);

    // An existing child without its resource-version is refused (AAI checks every object it writes).
    const stale = await aai.put(vs, {
      ...base,
      'resource-version': tree['resource-version'],
      'l-interfaces': { 'l-interface': [eth('eth0')] },
    });
    expect(stale.status).toBe(412);
    expect(errorCode(stale)).toBe('ERR.5.4.6130');

    // With it: eth1 is dropped (implied delete), eth2 created.
    const ok = await aai.put(vs, {
      ...base,
      'resource-version': tree['resource-version'],
      'l-interfaces': { 'l-interface': [eth('eth0', { 'resource-version': eth0Rv }), eth('eth2')] },
    });
    expect(ok.status).toBe(200);
    tree = (await aai.get(vs, { depth: 'all' })).body;
    expect(tree['l-interfaces']['l-interface'].map((l: { 'interface-name': string }) => l['interface-name'])).toEqual([
      'eth0',
      'eth2',
    ]);
    expect(sim.store.count('l-interface')).toBe(2);
  });

  test('l3 address lists are children with their own resource-version, addressable by URI', async () => {
    const vs = fixture.vserver('vs3');
    await aai.put(vs, {
      'vserver-id': 'vs3',
      'vserver-name': 'vm',
      'vserver-selflink': 'x',
      'l-interfaces': {
        'l-interface': [
          {
            'interface-name': 'eth0',
            'l3-interface-ipv4-address-list': [
              { 'l3-interface-ipv4-address': '10.0.0.5', 'l3-interface-ipv4-prefix-length': 24 },
            ],
          },
        ],
      },
    });
    const addr = await aai.get(`${vs}/l-interfaces/l-interface/eth0/l3-interface-ipv4-address-list/10.0.0.5`);
    expect(addr.status).toBe(200);
    expect(addr.body).toMatchObject({ 'l3-interface-ipv4-address': '10.0.0.5', 'l3-interface-ipv4-prefix-length': 24 });
    expect(addr.body['resource-version']).toMatch(/^\d+$/);
  });

  test('a child needs its parent: 404 ERR.5.4.6114', async () => {
    const orphan =
      '/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/RegionOne/tenants/tenant/nope/k8s-resources/k8s-resource/x';
    const r = await aai.put(orphan, fixture.k8sResourceBody('x'));
    expect(r.status).toBe(404);
    expect(exceptionOf(r).messageId).toBe('SVC3001');
    expect(exceptionOf(r).variables[2]).toBe(`Node Not Found:No parent Node of type tenant for ${orphan.slice(1)}`);
    expect(errorCode(r)).toBe('ERR.5.4.6114');
  });

  test.each([
    ['an unrecognized property', { foo: 1 }, 400, 'ERR.5.2.3000', /unrecognized property foo for k8s-resource/],
    ['a wrong type', { labels: 'a=b' }, 400, 'ERR.5.2.3000', /labels of k8s-resource must be a list of strings/],
    [
      'a key that disagrees with the URI',
      { id: 'other' },
      400,
      'ERR.5.2.3000',
      /id in the body \(other\) does not match/,
    ],
  ])('%s → 400', async (_name, extra, status, code, detail) => {
    const r = await aai.put(path, fixture.k8sResourceBody('r1', extra));
    expect(r.status).toBe(status);
    expect(errorCode(r)).toBe(code);
    expect(exceptionOf(r).variables[2]).toMatch(detail);
  });

  test('a missing required property → 400 ERR.5.4.6118 naming it', async () => {
    const { selflink: _s, ...body } = fixture.k8sResourceBody('r1');
    const r = await aai.put(path, body);
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe('ERR.5.4.6118');
    expect(exceptionOf(r).variables[2]).toBe('Required Field not passed.:Missing required property: selflink');
  });

  test('the key may be left out of the body: it comes from the URI', async () => {
    const { id: _id, ...body } = fixture.k8sResourceBody('r1');
    expect((await aai.put(path, body)).status).toBe(201);
    expect((await aai.get(path)).body.id).toBe('r1');
  });

  test('keys are URL-decoded: one object whatever the encoding', async () => {
    const p = '/network/generic-vnfs/generic-vnf/a%20b';
    expect((await aai.put(p, { 'vnf-id': 'a b', 'vnf-type': 't' })).status).toBe(201);
    expect((await aai.get('/network/generic-vnfs/generic-vnf/a b')).body['vnf-id']).toBe('a b');
  });
});

describe('GET', () => {
  test('404 has AAI’s exact body', async () => {
    const path = fixture.k8sResource('missing');
    const r = await aai.get(path);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({
      requestError: {
        serviceException: {
          messageId: 'SVC3001',
          text: 'Resource not found for %1 using id %2 (msg=%3) (ec=%4)',
          variables: [
            'GET',
            path.slice(1),
            `Node Not Found:No Node of type k8s-resource found at: ${path.slice(1)}`,
            'ERR.5.4.6114',
          ],
        },
      },
    });
  });

  test('depth: absent = the object alone, all = the tree, n = n levels, nodes-only drops relationships', async () => {
    await aai.put(fixture.vserver('vs'), { 'vserver-id': 'vs', 'vserver-name': 'vm', 'vserver-selflink': 'x' });
    await aai.put(`${fixture.vnf}/relationship-list/relationship`, {
      'related-to': 'vserver',
      'related-link': `/aai/v24${fixture.vserver('vs')}`,
    });
    const shallow = (await aai.get(fixture.vnf)).body;
    expect(shallow['vf-modules']).toBeUndefined();
    expect(shallow['relationship-list'].relationship).toHaveLength(1);
    expect(shallow['resource-version']).toBeDefined();
    const all = (await aai.get(fixture.vnf, { depth: 'all' })).body;
    expect(all['vf-modules']['vf-module'][0]['vf-module-id']).toBe('vfm-1');
    expect((await aai.get(fixture.vnf, { depth: '1' })).body['vf-modules']['vf-module']).toHaveLength(1);
    expect((await aai.get(fixture.vnf, { depth: 'all', 'nodes-only': '' })).body['relationship-list']).toBeUndefined();
    const bad = await aai.get(fixture.vnf, { depth: 'deep' });
    expect(bad.status).toBe(400);
    expect(errorCode(bad)).toBe('4.0.4016');
  });

  test('collections: {"k8s-resource":[…]}, property filters, 404 when empty', async () => {
    const list = `${fixture.tenant}/k8s-resources`;
    const empty = await aai.get(list);
    expect(empty.status).toBe(404);
    expect(exceptionOf(empty).variables[2]).toBe(
      `Node Not Found:No Node of type k8s-resource found at: ${list.slice(1)}`,
    );
    await aai.put(fixture.k8sResource('a'), fixture.k8sResourceBody('a'));
    await aai.put(fixture.k8sResource('b'), fixture.k8sResourceBody('b', { kind: 'Service' }));
    const all = await aai.get(list);
    expect(all.body['k8s-resource'].map((o: { id: string }) => o.id)).toEqual(['a', 'b']);
    expect((await aai.get(`${list}/k8s-resource`)).body['k8s-resource']).toHaveLength(2);
    expect((await aai.get(list, { kind: 'Service' })).body['k8s-resource'].map((o: { id: string }) => o.id)).toEqual([
      'b',
    ]);
    expect((await aai.get(list, { kind: 'Job' })).status).toBe(404);
    const page = await aai.get(list, { resultIndex: '2', resultSize: '1' });
    expect(page.body['k8s-resource'].map((o: { id: string }) => o.id)).toEqual(['b']);
    expect(page.headers.get('total-results')).toBe('2');
    expect((await aai.get('/network/generic-vnfs')).body['generic-vnf']).toHaveLength(1);
  });

  test('an unknown path → 404 SVC3001', async () => {
    const r = await aai.get('/network/pnfs/pnf/p1');
    expect(r.status).toBe(404);
    expect(exceptionOf(r).messageId).toBe('SVC3001');
  });
});

describe('PATCH', () => {
  test('merges simple properties, needs no resource-version, bumps it; null removes', async () => {
    const rv = await aai.resourceVersion(fixture.vfModule);
    const r = await aai.patch(fixture.vfModule, { 'operational-status': 'in-service-path' });
    expect(r.status).toBe(200);
    const got = (await aai.get(fixture.vfModule)).body;
    expect(got).toMatchObject({
      'vf-module-id': 'vfm-1',
      'heat-stack-id': 'rb-1',
      'operational-status': 'in-service-path',
    });
    expect(Number(got['resource-version'])).toBeGreaterThan(Number(rv));
    await aai.patch(fixture.vfModule, { 'heat-stack-id': null, 'is-base-vf-module': null });
    const after = (await aai.get(fixture.vfModule)).body;
    expect(after['heat-stack-id']).toBeUndefined();
    expect(after['is-base-vf-module']).toBe(false);
  });

  test.each([
    ['relationship-list', { 'relationship-list': { relationship: [] } }],
    ['a child container', { 'vf-modules': { 'vf-module': [] } }],
    ['a key', { 'vnf-id': 'other' }],
    ['an unknown property', { colour: 'red' }],
  ])('cannot touch %s → 400', async (_name, body) => {
    const r = await aai.patch(fixture.vnf, body);
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe('ERR.5.2.3000');
  });

  test('a missing object → 404; POST with X-HTTP-Method-Override: PATCH is a PATCH', async () => {
    expect((await aai.patch('/network/generic-vnfs/generic-vnf/none', { 'vnf-name': 'x' })).status).toBe(404);
    const r = await aai.call('POST', fixture.vnf, {
      body: { 'vnf-name': 'patched' },
      headers: { 'x-http-method-override': 'PATCH', 'content-type': 'application/merge-patch+json' },
    });
    expect(r.status).toBe(200);
    expect((await aai.get(fixture.vnf)).body['vnf-name']).toBe('patched');
  });
});

describe('DELETE', () => {
  const path = fixture.k8sResource('d1');

  test('with the resource-version → 204; without → 412 6130; stale → 412 6131; missing → 404', async () => {
    await aai.put(path, fixture.k8sResourceBody('d1'));
    const rv = await aai.resourceVersion(path);
    const without = await aai.delete(path);
    expect(without.status).toBe(412);
    expect(exceptionOf(without).variables[2]).toBe(
      'Precondition Required:resource-version not passed for delete of k8s-resource',
    );
    const stale = await aai.delete(path, '1');
    expect(stale.status).toBe(412);
    expect(exceptionOf(stale).variables[2]).toBe(
      'Precondition Failed:resource-version MISMATCH for delete of k8s-resource',
    );
    expect((await aai.delete(path, rv)).status).toBe(204);
    expect((await aai.get(path)).status).toBe(404);
    expect((await aai.delete(path, rv)).status).toBe(404);
  });

  test('deleting removes the children; a tenant with k8s-resources cannot be deleted (prevent-delete)', async () => {
    await aai.put(path, fixture.k8sResourceBody('d1'));
    const tenantRv = await aai.resourceVersion(fixture.tenant);
    const blocked = await aai.delete(fixture.tenant, tenantRv);
    expect(blocked.status).toBe(400);
    expect(errorCode(blocked)).toBe('ERR.5.4.6110');
    expect(exceptionOf(blocked).variables.join(' ')).toMatch(/\[k8s-resource\]/);

    const vnfRv = await aai.resourceVersion(fixture.vnf);
    expect((await aai.delete(fixture.vnf, vnfRv)).status).toBe(204);
    expect((await aai.get(fixture.vfModule)).status).toBe(404);
    expect(sim.store.count('vf-module')).toBe(0);
  });

  test('the bypass value skips the resource-version check', async () => {
    await aai.put(path, fixture.k8sResourceBody('d1'));
    expect((await aai.delete(path, '38cf3090-6a0c-4e9d-8142-4332a7352846')).status).toBe(204);
  });
});

describe('the store inspection API', () => {
  test('get, count, list and writes', async () => {
    const before = sim.store.writes.PUT;
    await aai.put(fixture.k8sResource('i1'), fixture.k8sResourceBody('i1'));
    expect(sim.store.writes.PUT).toBe(before + 1);
    expect(sim.store.count('k8s-resource')).toBe(1);
    expect(sim.store.list('k8s-resource')[0]).toMatchObject({ id: 'i1', kind: 'Pod' });
    expect(sim.store.get(`/aai/v24${fixture.k8sResource('i1')}`)).toMatchObject({ id: 'i1' });
    expect(sim.store.get(fixture.tenant)?.['k8s-resources']).toEqual({
      'k8s-resource': [expect.objectContaining({ id: 'i1' })],
    });
    expect(sim.store.get(fixture.k8sResource('none'))).toBeUndefined();
  });
});
