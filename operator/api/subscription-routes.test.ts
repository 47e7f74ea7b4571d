// The subscription routes over an in-memory store: k8splugin's codes and messages, the path's name on PUT, the
// caller's verb checked on resourcebundlesubscriptions, a callback URL the operator would refuse refused at once.
import { describe, expect, test } from '@jest/globals';
import type { ResourceBundleInstance } from '../../mappers/instance/types.js';
import type { ResourceBundleSubscription } from '../../mappers/subscription/types.js';
import type { ApiAuthorizer } from './auth.js';
import { HttpError } from './http-error.js';
import { SubscriptionRoutes, type SubscriptionStore } from './subscription-routes.js';

const rbi = {
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleInstance',
  metadata: { name: 'app', namespace: 'team', uid: 'u1' },
  spec: { rbName: 'rb', rbVersion: 'v1', profileName: 'p', cloudRegion: 'r', resources: [] },
} as ResourceBundleInstance;

function setup(allowed: (verb: string) => boolean = () => true, allowedUrls: string[] = []) {
  const objs = new Map<string, ResourceBundleSubscription>();
  const asked: string[] = [];
  const store: SubscriptionStore = {
    list: () => [...objs.values()],
    create: async (s) => (objs.set(s.metadata.name, s), s),
    update: async (s) => (objs.set(s.metadata.name, s), s),
    delete: async (_ns, name) => void objs.delete(name),
  };
  const auth = {
    may: async (_c: unknown, q: { verb: string; resource: string; namespace?: string }) => {
      asked.push(`${q.verb} ${q.resource} ${q.namespace}`);
      return allowed(q.verb);
    },
  } as unknown as ApiAuthorizer;
  const routes = new SubscriptionRoutes(store, auth, allowedUrls);
  const call = (method: string, name?: string, body: unknown = '') =>
    routes
      .handle(method, undefined, rbi, name, typeof body === 'string' ? body : JSON.stringify(body))
      .catch((err: unknown) => {
        if (err instanceof HttpError) return { code: err.code, message: err.message };
        throw err;
      });
  return { call, objs, asked };
}

const body = { name: 'so', 'min-notify-interval': 30, metadata: { a: 1 }, 'callback-url': 'http://so/cb' };

describe('subscription routes', () => {
  test('create 201, list, get, update by the path’s name 200, delete 202, then none', async () => {
    const { call, objs } = setup();
    expect(await call('GET')).toEqual({ code: 200, body: [] });
    expect(await call('POST', undefined, body)).toMatchObject({
      code: 201,
      body: { name: 'so', 'min-notify-interval': 30 },
    });
    expect([...objs.values()][0]!.spec).toEqual({
      instance: 'app',
      name: 'so',
      callbackUrl: 'http://so/cb',
      minNotifyInterval: 30,
      notifyMetadata: { a: 1 },
    });
    expect(await call('POST', undefined, body)).toEqual({ code: 500, message: 'Subscription already exists' });
    expect(await call('GET', 'so')).toMatchObject({ code: 200, body: { name: 'so', metadata: { a: 1 } } });
    expect(await call('PUT', 'so', { ...body, name: 'ignored', metadata: { b: 2 } })).toMatchObject({
      code: 200,
      body: { name: 'so', metadata: { b: 2 } },
    });
    expect(await call('GET')).toMatchObject({ code: 200, body: [{ name: 'so' }] });
    expect(await call('DELETE', 'so')).toEqual({ code: 202 });
    expect(await call('GET')).toEqual({ code: 200, body: [] });
  });

  test('k8splugin’s errors: unknown 500 "no documents", body checks 400/422, wrong methods 405', async () => {
    const { call } = setup();
    expect(await call('GET', 'nope')).toEqual({
      code: 500,
      message: 'Error retrieving Subscription data: mongo: no documents in result',
    });
    expect(await call('POST', undefined, '')).toEqual({ code: 400, message: 'Body empty' });
    expect(await call('POST', undefined, '{x')).toMatchObject({ code: 422 });
    expect(await call('POST', 'so', body)).toMatchObject({ code: 405 });
    expect(await call('DELETE')).toMatchObject({ code: 405 });
    expect(await call('PATCH', 'so', body)).toMatchObject({ code: 405 });
  });

  test('the caller’s own verb on resourcebundlesubscriptions in the instance’s namespace', async () => {
    const { call, asked } = setup((verb) => verb === 'list' || verb === 'get');
    expect(await call('GET')).toMatchObject({ code: 200 });
    expect(await call('POST', undefined, body)).toMatchObject({ code: 403 });
    expect(asked).toEqual(['list resourcebundlesubscriptions team', 'create resourcebundlesubscriptions team']);
  });

  test('a callback URL outside --notify-allowed-urls is refused at once', async () => {
    const { call } = setup(() => true, ['http://so.onap:8090/']);
    expect(await call('POST', undefined, body)).toMatchObject({
      code: 400,
      message: expect.stringContaining('allowed prefix'),
    });
    expect(await call('POST', undefined, { ...body, 'callback-url': 'http://so.onap:8090/cb' })).toMatchObject({
      code: 201,
    });
  });
});
