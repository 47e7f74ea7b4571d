import { describe, expect, test } from '@jest/globals';
import type { ResourceBundleInstance } from '../instance/types.js';
import { callbackRefusal } from './callback-policy.js';
import { isEmptyDelta, notifiedEntries, notifyPayload, statusDelta } from './notification.js';
import {
  parseSubscriptionRequest,
  statusSubscriptionOf,
  subscriptionObject,
  subscriptionObjectName,
} from './request.js';

const rbi = (
  resources: Array<[string, string, 'Ready' | 'Pending' | 'Failed', string?]>,
  pods: Array<[string, 'Ready' | 'Pending' | 'Failed']> = [],
): ResourceBundleInstance => ({
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleInstance',
  metadata: { name: 'app', namespace: 'team', uid: 'u-1' },
  spec: { instanceId: 'app-1', rbName: 'rb', rbVersion: 'v1', profileName: 'p', cloudRegion: 'r', resources: [] },
  status: {
    phase: 'Ready',
    resources: resources.map(([kind, name, status, message]) => ({
      group: kind === 'Deployment' ? 'apps' : '',
      version: 'v1',
      kind,
      name,
      status,
      reason: status === 'Ready' ? 'Available' : 'PodsFailing',
      message: message ?? '',
      flags: [],
    })),
    pods: pods.map(([name, status]) => ({
      name,
      owner: 'ReplicaSet/web-1',
      status,
      reason: status,
      ready: '1/1',
      restarts: 0,
      node: 'n',
      podIPs: [],
      interfaces: [],
    })),
  },
});

describe('what a subscription notifies', () => {
  test('no digest before the operator first wrote the status', () => {
    expect(notifiedEntries({ ...rbi([]), status: {} })).toBeUndefined();
  });

  test('entries appear, go and change verdict; a message change is a change; nothing else is', () => {
    const before = notifiedEntries(
      rbi(
        [
          ['Deployment', 'web', 'Ready'],
          ['Service', 'web', 'Ready'],
        ],
        [['web-a', 'Ready']],
      ),
    )!;
    expect(Object.keys(before)).toEqual(['apps/v1/Deployment/web', '/v1/Service/web', '/v1/Pod/web-a']);
    expect(isEmptyDelta(statusDelta(before, before))).toBe(true);
    const after = notifiedEntries(
      rbi(
        [
          ['Deployment', 'web', 'Failed', 'crash'],
          ['Service', 'web', 'Ready'],
        ],
        [['web-b', 'Failed']],
      ),
    )!;
    expect(statusDelta(before, after)).toEqual({
      created: ['/v1/Pod/web-b'],
      deleted: ['/v1/Pod/web-a'],
      modified: ['apps/v1/Deployment/web'],
    });
    const msg = notifiedEntries(
      rbi(
        [
          ['Deployment', 'web', 'Failed', 'other'],
          ['Service', 'web', 'Ready'],
        ],
        [['web-b', 'Failed']],
      ),
    )!;
    expect(statusDelta(after, msg).modified).toEqual(['apps/v1/Deployment/web']);
  });

  test("the payload is k8splugin's notifyRequestPayload: identity only, our verdict beside it", () => {
    const now = rbi([['Deployment', 'web', 'Failed', 'crash']], [['web-b', 'Failed']]);
    const sub = subscriptionObject(now, {
      name: 's1',
      'min-notify-interval': 0,
      metadata: { so: 1 },
      'callback-url': 'http://so/cb',
    });
    const p = notifyPayload(now, sub, {
      created: ['/v1/Pod/web-b'],
      deleted: ['/v1/Pod/web-a'],
      modified: ['apps/v1/Deployment/web'],
    });
    expect(p).toEqual({
      'instance-id': 'app-1',
      'subscription-name': 's1',
      metadata: { so: 1 },
      'resource-changes': {
        created: [
          {
            name: 'web-b',
            GVK: { Group: '', Version: 'v1', Kind: 'Pod' },
            status: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-b', namespace: 'team' } },
            summary: { status: 'Failed', reason: 'Failed', message: '' },
          },
        ],
        deleted: [
          {
            name: 'web-a',
            GVK: { Group: '', Version: 'v1', Kind: 'Pod' },
            status: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-a', namespace: 'team' } },
          },
        ],
        modified: [
          {
            name: 'web',
            GVK: { Group: 'apps', Version: 'v1', Kind: 'Deployment' },
            status: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'team' } },
            summary: { status: 'Failed', reason: 'PodsFailing', message: 'crash' },
          },
        ],
      },
    });
  });
});

describe('subscription requests (k8splugin statussubhandler.go)', () => {
  test.each([
    ['', 'create', 400, 'Body empty'],
    ['{', 'create', 422, undefined],
    ['{"callback-url":"http://x"}', 'create', 400, 'Missing name in POST request'],
    [
      '{"name":"a","min-notify-interval":-1,"callback-url":"http://x"}',
      'create',
      400,
      'Min Notify Interval has invalid value',
    ],
    ['{"name":"a"}', 'create', 400, 'CallbackUrl has invalid value'],
    ['{"name":"a","min-notify-interval":1.5,"callback-url":"http://x"}', 'create', 422, undefined],
  ] as const)('%s (%s) → %i', (body, mode, code, message) => {
    const r = parseSubscriptionRequest(body, mode);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      if (message) expect(r.message).toBe(message);
    }
  });

  test('a valid body; PUT may leave out the name', () => {
    expect(parseSubscriptionRequest('{"name":"a","callback-url":"http://x"}', 'create')).toEqual({
      ok: true,
      request: { name: 'a', 'min-notify-interval': 0, metadata: {}, 'callback-url': 'http://x' },
    });
    expect(parseSubscriptionRequest('{"callback-url":"http://x","min-notify-interval":30}', 'update').ok).toBe(true);
  });

  test('the object: a DNS name from any subscription name, owned by the instance; answered as StatusSubscription', () => {
    expect(subscriptionObjectName('app', 'SO sub #1')).toMatch(/^app-[0-9a-f]{10}$/);
    expect(subscriptionObjectName('app', 'a')).not.toBe(subscriptionObjectName('app', 'b'));
    const obj = subscriptionObject(rbi([]), {
      name: 'SO sub #1',
      'min-notify-interval': 30,
      metadata: {},
      'callback-url': 'http://so/cb',
    });
    expect(obj.metadata.ownerReferences).toEqual([
      { apiVersion: 'k8splugin.io/v1alpha1', kind: 'ResourceBundleInstance', name: 'app', uid: 'u-1' },
    ]);
    expect(statusSubscriptionOf(obj)).toEqual({
      name: 'SO sub #1',
      'min-notify-interval': 30,
      'last-update-time': '0001-01-01T00:00:00Z',
      'callback-url': 'http://so/cb',
      'last-notify-time': '0001-01-01T00:00:00Z',
      'last-notify-status': 0,
      metadata: {},
    });
  });
});

describe('callback policy', () => {
  test('http(s) only, no credentials, under an allowed prefix when some are set', () => {
    expect(callbackRefusal('http://so:8090/cb', [])).toBeUndefined();
    expect(callbackRefusal('file:///etc/passwd', [])).toMatch(/http or https/);
    expect(callbackRefusal('http://u:p@so/cb', [])).toMatch(/credentials/);
    expect(callbackRefusal('not a url', [])).toMatch(/not a URL/);
    expect(callbackRefusal('http://so.onap:8090/api/cnf/v1/cb', ['http://so.onap:8090/'])).toBeUndefined();
    expect(callbackRefusal('http://kube-dns.kube-system:53/', ['http://so.onap:8090/'])).toMatch(/allowed prefix/);
  });
});
