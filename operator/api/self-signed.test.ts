// The query API over TLS with an in-memory self-signed certificate: a client trusting that certificate connects to
// localhost and 127.0.0.1 (its SANs); an untrusting client is refused by TLS verification.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { get } from 'node:https';
import type { KubeClient } from '../kube/client.js';
import { silentLogger } from '../telemetry/logger.js';
import { idOwner } from '../../mappers/instance/ownership.js';
import { instanceIdOf } from '../../mappers/instance/types.js';
import { ApiAuthorizer } from './auth.js';
import { selfSignedCertificate } from './self-signed.js';
import { QueryApi, startApiServer, type ApiServer } from './server.js';

let server: ApiServer;
let cert: string;

beforeAll(async () => {
  const tls = await selfSignedCertificate(['rbi-operator.ops.svc', 'localhost']);
  cert = tls.cert;
  const api = new QueryApi(
    {
      instances: () => [],
      idOwner: (id: string) => idOwner([].filter((i) => instanceIdOf(i) === id)),
      evaluate: () => undefined,
      resourceOf: async () => undefined,
      list: async () => [],
      get: async () => undefined,
      grantsKind: () => true,
    },
    new ApiAuthorizer('none', {} as KubeClient),
    silentLogger(),
  );
  server = (await startApiServer({ bind: '127.0.0.1:0', tls }, api))!;
});

afterAll(async () => {
  await server.close();
});

/** GET over TLS trusting `ca` (or the system's roots): status and body. */
const getTls = (url: string, ca?: string | Buffer) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    get(url, { ...(ca ? { ca } : {}), agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });

describe('query API over TLS (self-signed)', () => {
  const port = () => server.address.split(':').pop();

  test.each(['localhost', '127.0.0.1'])('a client trusting the certificate reaches https://%s', async (host) => {
    const r = await getTls(`https://${host}:${port()}/v1/instance`, cert);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual([]);
  });

  test('a client that does not trust it is refused', async () => {
    await expect(getTls(`https://localhost:${port()}/v1/instance`)).rejects.toThrow();
  });
});
