// The informer state machine against a scripted API server: the streaming list and its fallback, pagination,
// Replace semantics after a relist, resuming from the last resourceVersion, 410, backoff with Retry-After, the read
// deadline, and stop() at any point.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { KubeClient } from '../kube/client.js';
import { Discovery } from '../kube/discovery.js';
import { silentLogger } from '../telemetry/logger.js';
import type { KubeObject } from '../../mappers/status/types.js';
import { configMap, startScriptedApiServer, type ScriptedApiServer } from '../../test/support/scripted-apiserver.js';
import { DEFAULT_INFORMER_TIMINGS, type InformerTimings } from './informer-timings.js';
import { ObjectCache } from './object-cache.js';
import { ResourceInformer, type ArrivalFilter, type RestartReason } from './resource-informer.js';

const FAST: InformerTimings = {
  ...DEFAULT_INFORMER_TIMINGS,
  readTimeoutMs: 300,
  listTimeoutMs: 1000,
  backoffBaseMs: 20,
  backoffMaxMs: 100,
  listPageSize: 2,
};

const end = (rv: string) => ({
  metadata: { resourceVersion: rv, annotations: { 'k8s.io/initial-events-end': 'true' } },
});

const until = async (cond: () => boolean, timeoutMs = 4000) => {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('ResourceInformer', () => {
  let api: ScriptedApiServer;
  let cache: ObjectCache;
  let seen: KubeObject[];
  let restarts: RestartReason[];
  let states: string[];
  let informer: ResourceInformer | undefined;

  beforeEach(async () => {
    api = await startScriptedApiServer();
    cache = new ObjectCache();
    seen = [];
    restarts = [];
    states = [];
  });
  afterEach(async () => {
    await informer?.stop();
    informer = undefined;
    await api.close();
  });

  const start = (timings: InformerTimings = FAST, kind = 'ConfigMap', filter?: ArrivalFilter) => {
    const client = new KubeClient(api.connection());
    informer = new ResourceInformer(
      { group: '', version: 'v1', kind, namespace: 'ns', labelSelector: 'k8splugin.io/rb-instance-id' },
      {
        client,
        discovery: new Discovery(client),
        cache,
        log: silentLogger(),
        onObject: (o) => seen.push(o),
        onState: (i) => states.push(`${i.state}:${i.lastError?.code ?? ''}`),
        onRestart: (_i, reason) => restarts.push(reason),
        ...(filter ? { filter } : {}),
      },
      timings,
    );
    informer.start();
    return informer;
  };
  const names = () => cache.list('', 'ConfigMap', 'ns').map((o) => o.metadata?.name);

  it('syncs from the streaming list, as metadata only, then applies watch events', async () => {
    api.queueWatch((_req, w) => {
      w.event('ADDED', configMap('a', '5', { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1' }));
      w.event('ADDED', configMap('b', '6'));
      w.event('BOOKMARK', end('7'));
      w.event('DELETED', configMap('a', '8'));
      w.event('BOOKMARK', { metadata: { resourceVersion: '9' } });
      w.end();
    });
    const inf = start();
    await until(() => inf.synced && api.watches.length >= 2);
    expect(names()).toEqual(['b']);
    expect(cache.list('', 'ConfigMap')[0]).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
    const [first, second] = api.watches;
    expect(Object.fromEntries(first!.query)).toMatchObject({
      watch: '1',
      sendInitialEvents: 'true',
      resourceVersionMatch: 'NotOlderThan',
      allowWatchBookmarks: 'true',
      labelSelector: 'k8splugin.io/rb-instance-id',
    });
    expect(first!.accept).toContain('as=PartialObjectMetadata;g=meta.k8s.io;v=v1');
    const timeout = Number(first!.query.get('timeoutSeconds'));
    expect(timeout).toBeGreaterThanOrEqual(300);
    expect(timeout).toBeLessThan(600);
    // After a normal end: resume from the last bookmark, no list.
    expect(second!.query.get('resourceVersion')).toBe('9');
    expect(second!.query.get('sendInitialEvents')).toBeNull();
    expect(api.lists).toHaveLength(0);
  });

  it('sharding: keeps only what the filter admits, releases what it stops admitting, relists for what it admits now', async () => {
    let admitted = new Set(['a']);
    const rejected: string[] = [];
    const others = {
      listStarted: () => rejected.push('start'),
      listEnded: () => rejected.push('end'),
      seen: (o: KubeObject) => rejected.push(`+${o.metadata?.name}`),
      gone: (o: KubeObject) => rejected.push(`-${o.metadata?.name}`),
    };
    api.queueWatch(
      (_req, w) => {
        w.event('ADDED', configMap('a', '1'));
        w.event('ADDED', configMap('b', '2'));
        w.event('BOOKMARK', end('3'));
        w.event('ADDED', configMap('c', '4')); // not admitted: ignored
      },
      (_req, w) => {
        for (const [name, rv] of [
          ['a', '1'],
          ['b', '2'],
          ['c', '4'],
        ] as const)
          w.event('ADDED', configMap(name, rv));
        w.event('BOOKMARK', end('5'));
      },
    );
    const inf = start(FAST, 'ConfigMap', { admit: (o) => admitted.has(o.metadata?.name ?? ''), rejected: others });
    await until(() => inf.synced && api.watches.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(names()).toEqual(['a']);
    expect(seen.map((o) => o.metadata?.name)).toEqual(['a']);
    // A shard lost and another gained: a goes at once (announced), b and c come with a fresh list.
    admitted = new Set(['b', 'c']);
    expect(inf.refilter().map((o) => o.metadata?.name)).toEqual(['a']);
    expect(names()).toEqual([]);
    inf.relist();
    await until(() => names().length === 2);
    expect(names().sort()).toEqual(['b', 'c']);
    expect(restarts).toContain('relist');
    expect(api.watches[1]!.query.get('sendInitialEvents')).toBe('true');
    expect(seen.map((o) => o.metadata?.name)).toEqual(['a', 'a', 'b', 'c']);
    // Told of what it does not keep, a list bracketing a whole picture (a moves there when it stops being admitted).
    expect(rejected).toEqual(['start', '+b', 'end', '+c', '+a', 'start', '+a', 'end']);
  });

  it('falls back to a paginated LIST when the server refuses the streaming list, and watches from its version', async () => {
    api.queueWatch((_req, w) => w.refuse(422, { kind: 'Status', code: 422, reason: 'Invalid', message: 'forbidden' }));
    api.queueList(
      () => ({ body: { metadata: { continue: 'c1', resourceVersion: '10' }, items: [configMap('a', '1')] } }),
      () => ({ body: { metadata: { resourceVersion: '10' }, items: [configMap('b', '2')] } }),
    );
    const inf = start();
    await api.waitForWatches(2);
    expect(inf.synced).toBe(true);
    expect(names()).toEqual(['a', 'b']);
    expect(api.lists.map((r) => [r.query.get('limit'), r.query.get('continue')])).toEqual([
      ['2', null],
      ['2', 'c1'],
    ]);
    expect(api.lists[0]!.accept).toContain('as=PartialObjectMetadataList;g=meta.k8s.io;v=v1');
    expect(api.watches[1]!.query.get('resourceVersion')).toBe('10');
  });

  it('lists again from the start when a continue token expires', async () => {
    api.queueWatch((_req, w) => w.refuse(422));
    api.queueList(
      () => ({ body: { metadata: { continue: 'c1' }, items: [configMap('a', '1')] } }),
      () => ({ code: 410, body: { kind: 'Status', code: 410, reason: 'Expired', message: 'continue expired' } }),
      () => ({ body: { metadata: { resourceVersion: '20' }, items: [configMap('c', '3')] } }),
    );
    const inf = start();
    await until(() => inf.synced);
    expect(names()).toEqual(['c']);
  });

  it('after 410 Gone relists, and objects deleted meanwhile are released and announced, after any earlier failure', async () => {
    api.queueWatch(
      (_req, w) => {
        w.event('ADDED', configMap('a', '1'));
        w.event('ADDED', configMap('b', '2'));
        w.event('BOOKMARK', end('3'));
        w.event('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' });
        w.end();
      },
      // The relist fails once (an outage), then succeeds without b.
      (_req, w) => w.refuse(503),
      (_req, w) => {
        w.event('ADDED', configMap('a', '1'));
        w.event('BOOKMARK', end('9'));
      },
    );
    const inf = start();
    await api.waitForWatches(3);
    await until(() => inf.synced && names().length === 1);
    expect(names()).toEqual(['a']);
    expect(restarts).toEqual(expect.arrayContaining(['expired', 'error']));
    // b was announced as gone; a, unchanged, was not announced again.
    const announced = seen.map((o) => o.metadata?.name);
    expect(announced.filter((n) => n === 'b')).toHaveLength(2);
    expect(announced.filter((n) => n === 'a')).toHaveLength(1);
    expect(api.watches[1]!.query.get('sendInitialEvents')).toBe('true');
  });

  it('keeps the cache through a failed watch and resumes from the last resourceVersion (a delete is not lost)', async () => {
    api.queueWatch(
      (_req, w) => {
        w.event('ADDED', configMap('a', '1'));
        w.event('BOOKMARK', end('4'));
        w.end();
      },
      (_req, w) => w.refuse(500),
      (_req, w) => w.refuse(500),
      (_req, w) => w.event('DELETED', configMap('a', '5')),
    );
    const inf = start();
    await api.waitForWatches(4);
    await until(() => names().length === 0);
    expect(api.watches.slice(1).map((r) => r.query.get('resourceVersion'))).toEqual(['4', '4', '4']);
    expect(inf.synced).toBe(true);
    // One request at a time, whatever the failures.
    expect(api.maxOpen()).toBe(1);
  });

  it('honours Retry-After on 429', async () => {
    api.queueWatch(
      (_req, w) => w.refuse(429, { kind: 'Status', code: 429, reason: 'TooManyRequests' }, { 'retry-after': '1' }),
      (_req, w) => w.event('BOOKMARK', end('1')),
    );
    const inf = start();
    await api.waitForWatches(2);
    await until(() => inf.synced);
    expect(api.watches[1]!.at - api.watches[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('caps a Retry-After of a day at retryAfterMaxMs', async () => {
    api.queueWatch(
      (_req, w) => w.refuse(429, { kind: 'Status', code: 429, reason: 'TooManyRequests' }, { 'retry-after': '86400' }),
      (_req, w) => w.event('BOOKMARK', end('1')),
    );
    const inf = start({ ...FAST, retryAfterMaxMs: 300 });
    await until(() => inf.synced);
    const waited = api.watches[1]!.at - api.watches[0]!.at;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(2000);
  });

  it('replaces a watch that goes silent (read deadline) and fails one that never answers', async () => {
    api.queueWatch(
      (_req, w) => w.event('BOOKMARK', end('1')), // then silence on an open connection
      () => undefined, // no answer at all: not even the header
      (_req, w) => w.event('BOOKMARK', { metadata: { resourceVersion: '2' } }),
    );
    const inf = start();
    await api.waitForWatches(3, 3000);
    expect(restarts[0]).toBe('deadWatch');
    expect(restarts).toContain('error');
    await until(() => inf.lastError === undefined);
    expect(api.watches[2]!.query.get('resourceVersion')).toBe('1');
    expect(api.maxOpen()).toBe(1);
  });

  it('counts a failing streak from the last contact and clears it on recovery', async () => {
    api.queueWatch(
      (_req, w) => {
        w.event('BOOKMARK', end('1'));
        w.end();
      },
      (_req, w) => w.refuse(403, { kind: 'Status', code: 403, reason: 'Forbidden', message: 'no' }),
    );
    const inf = start();
    await until(() => inf.state === 'failed');
    expect(inf.failingSince).toBeDefined();
    expect(inf.lastError?.code).toBe(403);
    api.queueWatch((_req, w) => w.open());
    await until(() => inf.synced, 2000);
    expect(inf.failingSince).toBeUndefined();
  });

  it('announces a new kind of failure while failing (a 500, then 403 Forbidden)', async () => {
    api.queueWatch(
      (_req, w) => {
        w.event('BOOKMARK', end('1'));
        w.end();
      },
      (_req, w) => w.refuse(500),
      (_req, w) => w.refuse(403, { kind: 'Status', code: 403, reason: 'Forbidden', message: 'no' }),
    );
    const inf = start();
    await until(() => inf.lastError?.code === 403);
    expect(states).toEqual(expect.arrayContaining(['synced:', 'failed:500', 'failed:403']));
  });

  it('a due relist ends the watch, and the streaming list that follows runs to its end (no tight loop)', async () => {
    const listing = (rv: string) => (_req: unknown, w: { event: (t: 'ADDED' | 'BOOKMARK', o: unknown) => void }) => {
      w.event('ADDED', configMap('a', rv));
      w.event('BOOKMARK', end(rv));
    };
    for (let i = 1; i <= 20; i++) api.queueWatch(listing(String(i)));
    const inf = start({ ...FAST, relistIntervalMs: 150, readTimeoutMs: 5000 });
    await api.waitForWatches(2, 3000);
    await new Promise((r) => setTimeout(r, 600));
    expect(inf.synced).toBe(true);
    // about one relist per 150 ms (the tight loop made over a hundred a second)
    expect(api.watches.length).toBeLessThan(10);
    expect(restarts.filter((r) => r === 'relist').length).toBeGreaterThan(0);
  });

  it('a watch answered and closed at once does not flap the state nor reset the outage', async () => {
    api.queueWatch((_req, w) => {
      w.event('BOOKMARK', end('1'));
      w.end();
    });
    for (let i = 0; i < 6; i++) api.queueWatch((_req, w) => w.end());
    const inf = start({ ...FAST, backoffBaseMs: 5, backoffMaxMs: 10 });
    await api.waitForWatches(6, 3000);
    const failedAt = inf.failingSince;
    expect(failedAt).toBeDefined();
    await api.waitForWatches(7, 3000);
    expect(inf.failingSince).toBe(failedAt);
    // synced once at the start, then failing: no synced/failed alternation
    expect(states.filter((s) => s.startsWith('synced')).length).toBe(1);
  });

  it('falls back to LIST when the server streams but never ends the initial list', async () => {
    api.queueWatch((_req, w) => w.event('ADDED', configMap('a', '1'))); // then silence: no initial-events-end
    api.queueList(() => ({ body: { metadata: { resourceVersion: '5' }, items: [configMap('a', '1')] } }));
    const inf = start();
    await until(() => inf.synced, 3000);
    expect(api.lists).toHaveLength(1);
    expect(names()).toEqual(['a']);
  });

  it('stop() during a list or a watch leaves no request, no timer and no cached object', async () => {
    api.queueWatch((_req, w) => w.refuse(422));
    // The list never answers: stop() must abort it.
    api.queueList(() => new Promise(() => undefined) as never);
    const inf = start();
    await until(() => api.lists.length === 1 || api.open() > 0);
    await inf.stop();
    expect(inf.openRequests).toBe(0);
    expect(inf.timers).toBe(0);
    await until(() => api.open() === 0);

    api.queueWatch((_req, w) => {
      w.event('ADDED', configMap('a', '1'));
      w.event('BOOKMARK', end('2'));
    });
    const again = start();
    await until(() => again.synced);
    expect(names()).toEqual(['a']);
    await again.stop();
    expect(names()).toEqual([]);
    expect([again.openRequests, again.timers, again.state]).toEqual([0, 0, 'stopped']);
    await until(() => api.open() === 0);
    const watches = api.watches.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(api.watches.length).toBe(watches);
  });

  it('fails (and keeps running) when the credential cannot be obtained', async () => {
    api.kubeConfig.users[0] = {
      name: 'u',
      user: { exec: { command: 'false', args: [], apiVersion: 'client.authentication.k8s.io/v1' } },
    };
    const client = new KubeClient(api.connection());
    informer = new ResourceInformer(
      { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'ns', labelSelector: '' },
      {
        client,
        discovery: new Discovery(client),
        cache,
        log: silentLogger(),
        onObject: () => undefined,
        onState: () => undefined,
      },
      FAST,
    );
    informer.start();
    await until(() => informer!.state === 'failed');
    expect(informer.lastError?.message).toMatch(/authentication failed/);
  });
});
