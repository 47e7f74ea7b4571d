// The notify controller over a fake API server (subscription status writes) and a fake receiver: the first look
// records the starting point, each change is POSTed once, changes inside the interval wait for its end, failures
// are retried with backoff and recorded, and a cache that lags behind our own write does not repeat a notification.
import { describe, expect, test } from '@jest/globals';
import type { ResourceBundleInstance } from '../../mappers/instance/types.js';
import type { NotifyPayload, ResourceBundleSubscription } from '../../mappers/subscription/types.js';
import { subscriptionObject } from '../../mappers/subscription/request.js';
import type { KubeClient } from '../kube/client.js';
import { EventRecorder } from '../kube/events.js';
import { silentLogger } from '../telemetry/logger.js';
import { NotifyController } from './notify-controller.js';

const instance = (deploy: 'Ready' | 'Failed'): ResourceBundleInstance => ({
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleInstance',
  metadata: { name: 'app', namespace: 'team', uid: 'u1' },
  spec: { instanceId: 'app-1', rbName: 'rb', rbVersion: 'v1', profileName: 'p', cloudRegion: 'r', resources: [] },
  status: {
    phase: deploy,
    resources: [
      {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        name: 'web',
        status: deploy,
        reason: deploy,
        message: '',
        flags: [],
      },
    ],
  },
});

function harness(opts: { interval?: number; answer?: () => number } = {}) {
  let now = Date.parse('2026-12-03T10:00:00Z');
  let rbi = instance('Ready');
  const base = subscriptionObject(rbi, {
    name: 'so',
    'min-notify-interval': opts.interval ?? 0,
    metadata: { so: 'x' },
    'callback-url': 'http://so/cb',
  });
  let stored: ResourceBundleSubscription = {
    ...base,
    metadata: { ...base.metadata, resourceVersion: '1', generation: 1 },
  };
  /** What the cache shows: lags behind `stored` while `lag` is set. */
  let cached = stored;
  let lag = false;
  let rv = 1;
  const sent: NotifyPayload[] = [];
  const client = {
    async request(_m: string, path: string, _what: string, o: { body?: { status?: unknown } }) {
      if (path.includes('/events')) return {};
      stored = { ...stored, status: o.body!.status as ResourceBundleSubscription['status'] };
      stored.metadata = { ...stored.metadata, resourceVersion: String(++rv) };
      if (!lag) cached = stored;
      return stored;
    },
  } as unknown as KubeClient;
  const ctl = new NotifyController(
    { allowedUrls: [], backoffBaseMs: 10, backoffMaxMs: 20 },
    {
      client,
      send: async (_url, body) => {
        sent.push(body as NotifyPayload);
        return opts.answer?.() ?? 202;
      },
      subscription: () => cached,
      subscriptions: () => [cached],
      instance: () => rbi,
      active: () => true,
      events: new EventRecorder(client, silentLogger()),
      log: silentLogger(),
      clock: () => new Date(now),
    },
  );
  const settle = () => new Promise((r) => setTimeout(r, 60));
  return {
    ctl,
    sent,
    status: () => stored.status,
    set: (d: 'Ready' | 'Failed') => {
      rbi = instance(d);
      ctl.instanceChanged('team', 'app');
    },
    advance: (ms: number) => (now += ms),
    lag: (on: boolean) => {
      lag = on;
      if (!on) cached = stored;
    },
    settle,
  };
}

describe('status notifications', () => {
  test('the first look is the starting point; each change is sent once; nothing while nothing changes', async () => {
    const h = harness();
    h.ctl.start();
    await h.settle();
    expect(h.sent).toHaveLength(0);
    expect(h.status()?.notified).toEqual({ 'apps/v1/Deployment/web': expect.stringMatching(/^Ready\|Ready\|/) });
    h.set('Failed');
    await h.settle();
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0]).toMatchObject({
      'instance-id': 'app-1',
      'subscription-name': 'so',
      metadata: { so: 'x' },
      'resource-changes': { created: [], deleted: [], modified: [{ name: 'web', summary: { status: 'Failed' } }] },
    });
    expect(h.status()).toMatchObject({ lastNotifyStatus: 202, failures: 0 });
    h.ctl.resync();
    h.ctl.instanceChanged('team', 'app');
    await h.settle();
    expect(h.sent).toHaveLength(1);
    await h.ctl.stop(100);
  });

  test('a cache behind our own status write does not repeat the notification', async () => {
    const h = harness();
    h.ctl.start();
    await h.settle();
    h.lag(true);
    h.set('Failed');
    await h.settle();
    h.ctl.instanceChanged('team', 'app');
    await h.settle();
    expect(h.sent).toHaveLength(1);
    h.lag(false);
    await h.ctl.stop(100);
  });

  test('changes within min-notify-interval wait for its end and go out together', async () => {
    const h = harness({ interval: 60 });
    h.ctl.start();
    await h.settle();
    h.set('Failed');
    await h.settle();
    expect(h.sent).toHaveLength(1); // the first change: no notification before it, nothing to wait for
    h.advance(10_000);
    h.set('Ready');
    await h.settle();
    expect(h.sent).toHaveLength(1); // 10 s after the last: held (the queue looks again at the interval's end)
    h.advance(50_000);
    h.ctl.instanceChanged('team', 'app');
    await h.settle();
    expect(h.sent).toHaveLength(2);
    expect(h.sent[1]!['resource-changes'].modified[0]).toMatchObject({ summary: { status: 'Ready' } });
    await h.ctl.stop(100);
  });

  test('a failing receiver: retried with backoff, failures and the answer recorded, then delivered', async () => {
    let code = 503;
    const h = harness({ answer: () => code });
    h.ctl.start();
    await h.settle();
    h.set('Failed');
    await h.settle();
    expect(h.sent.length).toBeGreaterThanOrEqual(2); // retried (10–20 ms backoff here)
    expect(h.status()).toMatchObject({ lastNotifyStatus: 503, message: 'callback answered HTTP 503' });
    expect(h.status()!.failures).toBeGreaterThanOrEqual(2);
    code = 200;
    await h.settle();
    const n = h.sent.length;
    expect(h.status()).toMatchObject({ lastNotifyStatus: 200, failures: 0 });
    await h.settle();
    expect(h.sent).toHaveLength(n); // delivered: no more
    await h.ctl.stop(100);
  });
});
