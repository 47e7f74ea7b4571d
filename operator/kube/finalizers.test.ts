// The finalizer patches: a failed resourceVersion test (the API server's 422, as v1.36 answers it) becomes the 409
// Conflict it means; any other refusal stays what it was.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ResourceBundleInstance } from '../../mappers/instance/types.js';
import { KubeClient } from './client.js';
import { finalizersOn } from './finalizers.js';
import { connectionFromDocument } from './kubeconfig.js';

// Captured from kube-apiserver v1.36.3 for a JSON patch whose test op failed.
const TEST_FAILED = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'the server rejected our request due to an error in our request',
  reason: 'Invalid',
  details: {},
  code: 422,
};
const FORBIDDEN = { kind: 'Status', status: 'Failure', message: 'cannot patch', reason: 'Forbidden', code: 403 };

let api: Server;
let answer: { code: number; body: object } = { code: 200, body: {} };
let client: KubeClient;

beforeAll(async () => {
  api = createServer((req, res) => {
    req.resume();
    res.writeHead(answer.code, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', () => r()));
  const server = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  client = new KubeClient(
    connectionFromDocument({
      clusters: [{ name: 'c', cluster: { server } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
});
afterAll(() => {
  api.close();
});

const rbi = {
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleInstance',
  metadata: { name: 'web', namespace: 'shop', resourceVersion: '7', finalizers: ['k8splugin.io/aai-cleanup'] },
  spec: {},
} as unknown as ResourceBundleInstance;

describe('finalizer patches', () => {
  it('a failed test (stale resourceVersion) is a 409 conflict, on add and on remove', async () => {
    answer = { code: 422, body: TEST_FAILED };
    for (const op of [
      () => finalizersOn(client).add(rbi, 'k8splugin.io/other'),
      () => finalizersOn(client).remove(rbi, 'k8splugin.io/aai-cleanup'),
    ])
      await expect(op()).rejects.toMatchObject({ code: 409, reason: 'Conflict', conflict: true });
  });

  it('another refusal is passed on as it came', async () => {
    answer = { code: 403, body: FORBIDDEN };
    await expect(finalizersOn(client).add(rbi, 'k8splugin.io/other')).rejects.toMatchObject({
      code: 403,
      conflict: false,
    });
  });
});
