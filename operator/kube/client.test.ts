import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KubeClient } from './client.js';
import { connectionFromDocument } from './kubeconfig.js';

const listen = async (server: Server) => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

let api: Server;
let proxy: Server;
let apiUrl = '';
let proxyUrl = '';
const seen: Array<{ via: string; url: string; auth?: string; groups?: string }> = [];

beforeAll(async () => {
  api = createServer((req, res) => {
    seen.push({
      via: 'api',
      url: req.url ?? '',
      auth: req.headers.authorization,
      groups: req.headersDistinct['impersonate-group']?.join('|'),
    });
    if (req.url === '/unauthorized') return res.writeHead(401).end('{"kind":"Status","reason":"Unauthorized"}');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"gitVersion":"v1.36.3"}');
  });
  // A forward proxy for plain http: the request line carries the absolute URL.
  proxy = createServer((req, res) => {
    seen.push({ via: 'proxy', url: req.url ?? '' });
    const up = request(req.url!, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  apiUrl = await listen(api);
  proxyUrl = await listen(proxy);
});
afterAll(() => {
  api.close();
  proxy.close();
});

const client = (cluster: Record<string, unknown>, user: Record<string, unknown> = { token: 't' }) =>
  new KubeClient(
    connectionFromDocument({
      clusters: [{ name: 'c', cluster: { server: apiUrl, ...cluster } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );

describe('KubeClient', () => {
  it('sends the credential and one Impersonate-Group header per group', async () => {
    seen.length = 0;
    const v = await client({}, { token: 't', 'as-groups': ['a', 'b'] }).request<{ gitVersion: string }>(
      'GET',
      '/version',
      'version',
    );
    expect(v.gitVersion).toBe('v1.36.3');
    expect(seen).toEqual([{ via: 'api', url: '/version', auth: 'Bearer t', groups: 'a|b' }]);
  });

  it("goes through the cluster's proxy-url", async () => {
    seen.length = 0;
    await client({ 'proxy-url': proxyUrl }).request('GET', '/version', 'version');
    expect(seen.map((s) => s.via)).toEqual(['proxy', 'api']);
    expect(seen[0]!.url).toBe(`${apiUrl}/version`);
  });

  it('a non-2xx answer is a KubeApiError with the Status reason', async () => {
    await expect(client({}).request('GET', '/unauthorized', 'probe')).rejects.toMatchObject({
      code: 401,
      reason: 'Unauthorized',
    });
  });
});
