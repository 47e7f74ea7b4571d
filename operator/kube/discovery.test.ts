import { describe, expect, test } from '@jest/globals';
import { Discovery, MAX_UNSERVED } from './discovery.js';
import { KubeApiError } from './errors.js';
import type { KubeClient } from './client.js';

/** A client whose discovery knows apps/v1 only; counts the requests per path. */
function fakeClient() {
  const requests = new Map<string, number>();
  const client = {
    request: (_verb: string, path: string) => {
      requests.set(path, (requests.get(path) ?? 0) + 1);
      if (path === '/apis/apps/v1')
        return Promise.resolve({ resources: [{ name: 'deployments', kind: 'Deployment', namespaced: true }] });
      return Promise.reject(new KubeApiError('GET', path, 404, 'NotFound', ''));
    },
  } as unknown as KubeClient;
  return { client, requests };
}

describe('Discovery', () => {
  test('a served kind is cached; an unserved group-version is asked again after its short TTL', async () => {
    let now = 0;
    const { client, requests } = fakeClient();
    const d = new Discovery(client, 600_000, 10_000, () => now);
    expect(await d.resolve('apps', 'v1', 'Deployment')).toMatchObject({ plural: 'deployments', namespaced: true });
    expect(await d.resolve('apps', 'v1', 'Deployment')).toBeDefined();
    expect(await d.resolve('example.com', 'v1', 'Widget')).toBeUndefined();
    expect(await d.resolve('example.com', 'v1', 'Widget')).toBeUndefined();
    expect([requests.get('/apis/apps/v1'), requests.get('/apis/example.com/v1')]).toEqual([1, 1]);
    now = 10_000;
    await d.resolve('example.com', 'v1', 'Widget');
    expect(requests.get('/apis/example.com/v1')).toBe(2);
  });

  test('unserved group-versions are bounded: a caller naming thousands does not grow the cache', async () => {
    let now = 0;
    const { client, requests } = fakeClient();
    const d = new Discovery(client, 600_000, 10_000, () => now);
    await d.resolve('apps', 'v1', 'Deployment');
    for (let i = 0; i < MAX_UNSERVED + 500; i++) await d.resolve(`g${i}.example.com`, 'v1', 'Widget');
    const size = (d as unknown as { cache: Map<string, unknown> }).cache.size;
    expect(size).toBe(MAX_UNSERVED + 1); // the served apps/v1 and the newest unserved ones
    // The newest are still remembered, the oldest were dropped; the served group-version stays cached.
    await d.resolve(`g${MAX_UNSERVED + 499}.example.com`, 'v1', 'Widget');
    expect(requests.get(`/apis/g${MAX_UNSERVED + 499}.example.com/v1`)).toBe(1);
    await d.resolve('g0.example.com', 'v1', 'Widget');
    expect(requests.get('/apis/g0.example.com/v1')).toBe(2);
    await d.resolve('apps', 'v1', 'Deployment');
    expect(requests.get('/apis/apps/v1')).toBe(1);
    // Expired ones are swept at the next unserved answer.
    now = 20_000;
    await d.resolve('late.example.com', 'v1', 'Widget');
    expect((d as unknown as { cache: Map<string, unknown> }).cache.size).toBe(2);
  });
});
