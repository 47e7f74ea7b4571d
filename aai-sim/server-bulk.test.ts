// Component tests of POST /aai/<v>/bulk/single-transaction: atomic success, rollback on the first failure, the
// 30-operation limit and payload validation.
import { describe, expect, test } from '@jest/globals';
import { USES } from './edge-rules.js';
import { useSeededSimulator } from '../test/support/aai-simulator.js';
import type { AaiSimulator } from './server.js';
import { errorCode, exceptionOf, fixture, TestAaiClient } from './test-client.js';

let sim: AaiSimulator;
let aai: TestAaiClient;

useSeededSimulator((s, c) => {
  sim = s;
  aai = c;
});

const put = (id: string) => ({ action: 'put', uri: fixture.k8sResource(id), body: fixture.k8sResourceBody(id) });

describe('bulk/single-transaction', () => {
  test('applies every operation in order and answers 201 with one response each', async () => {
    await aai.put(fixture.k8sResource('old'), fixture.k8sResourceBody('old'));
    const oldRv = await aai.resourceVersion(fixture.k8sResource('old'));
    const r = await aai.bulk([
      put('a'),
      {
        action: 'put',
        uri: `${fixture.k8sResource('a')}/relationship-list/relationship`,
        body: { 'related-to': 'vf-module', 'related-link': `/aai/v24${fixture.vfModule}` },
      },
      { action: 'patch', uri: fixture.vfModule, body: { 'operational-status': 'in-service-path' } },
      { action: 'delete', uri: `${fixture.k8sResource('old')}?resource-version=${oldRv}`, body: {} },
    ]);
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      'operation-responses': [
        { action: 'put', uri: fixture.k8sResource('a'), 'response-status-code': 201, 'response-body': null },
        {
          action: 'put',
          uri: `${fixture.k8sResource('a')}/relationship-list/relationship`,
          'response-status-code': 200,
          'response-body': null,
        },
        { action: 'patch', uri: fixture.vfModule, 'response-status-code': 200, 'response-body': null },
        {
          action: 'delete',
          uri: `${fixture.k8sResource('old')}?resource-version=${oldRv}`,
          'response-status-code': 204,
          'response-body': null,
        },
      ],
    });
    expect(sim.store.list('k8s-resource').map((o) => o.id)).toEqual(['a']);
    expect(sim.store.edges()).toEqual([{ from: fixture.vfModule, to: fixture.k8sResource('a'), label: USES }]);
    expect((await aai.get(fixture.vfModule)).body['operational-status']).toBe('in-service-path');
  });

  test('objects written by one transaction share its resource-version', async () => {
    await aai.bulk([put('a'), put('b')]);
    const [a, b] = sim.store.list('k8s-resource');
    expect(a!['resource-version']).toBe(b!['resource-version']);
  });

  test('the first failure rolls everything back and is answered with its status, index and URI', async () => {
    await aai.put(fixture.k8sResource('x'), fixture.k8sResourceBody('x'));
    const writesBefore = sim.store.writes;
    const r = await aai.bulk([
      put('a'),
      { action: 'patch', uri: fixture.vfModule, body: { 'operational-status': 'in-service-path' } },
      { action: 'put', uri: fixture.k8sResource('x'), body: fixture.k8sResourceBody('x', { 'resource-version': '1' }) },
      put('b'),
    ]);
    expect(r.status).toBe(412);
    const e = exceptionOf(r);
    expect(e.messageId).toBe('SVC3000');
    expect(e.variables).toEqual([
      'POST',
      'v24/bulk/single-transaction',
      `Invalid input performing %1 on %2:Operation 2 with action (PUT) on uri (${fixture.k8sResource('x')}) failed with ` +
        `status code (412), error code (ERR.5.4.6131) and msg (Precondition Failed:resource-version MISMATCH for update of ${fixture.k8sResource('x')})`,
      'ERR.5.2.3000',
    ]);
    expect(sim.store.list('k8s-resource').map((o) => o.id)).toEqual(['x']);
    expect((await aai.get(fixture.vfModule)).body['operational-status']).toBeUndefined();
    expect(sim.store.writes).toEqual(writesBefore);
  });

  test('a failing delete names its method and the 404', async () => {
    const r = await aai.bulk([
      { action: 'delete', uri: `${fixture.k8sResource('none')}?resource-version=1`, body: {} },
    ]);
    expect(r.status).toBe(404);
    expect(exceptionOf(r).variables[2]).toBe(
      `Invalid input performing %1 on %2:Operation 0 with action (DELETE) on uri (${fixture.k8sResource('none')}) failed ` +
        `with status code (404), error code (ERR.5.4.6114) and msg (Node Not Found:No Node of type k8s-resource found at: ${fixture.k8sResource('none')})`,
    );
  });

  test('31 operations → 400 ERR.5.4.6147 and nothing applied', async () => {
    const ops = Array.from({ length: 31 }, (_, i) => put(`k${i}`));
    const r = await aai.bulk(ops);
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe('ERR.5.4.6147');
    expect(exceptionOf(r).variables[2]).toBe('Payload Limit Reached, reduce payload: Allowed limit = 30');
    expect(sim.store.count('k8s-resource')).toBe(0);
    expect((await aai.bulk(ops.slice(0, 30))).status).toBe(201);
    expect(sim.store.count('k8s-resource')).toBe(30);
  });

  test.each([
    ['no operations', { operations: [] }, 'ERR.5.4.6118'],
    ['not an object', [], 'ERR.5.4.6111'],
    ['an operation without a body', { operations: [{ action: 'delete', uri: fixture.vnf }] }, 'ERR.5.4.6111'],
    ['an unknown action', { operations: [{ action: 'get', uri: fixture.vnf, body: {} }] }, 'ERR.5.4.6111'],
  ])('%s → 400 %s', async (_name, payload, code) => {
    const r = await aai.call('POST', '/bulk/single-transaction', { body: payload });
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe(code);
  });

  test('needs the AAI headers like any call', async () => {
    const r = await aai.call('POST', '/bulk/single-transaction', {
      body: { operations: [put('a')] },
      headers: { 'x-fromappid': undefined },
    });
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe('4.0.4009');
  });
});
