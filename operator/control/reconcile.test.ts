import { describe, expect, test } from '@jest/globals';
import { findCondition } from '../../mappers/instance/conditions.js';
import type { Condition, InstanceStatus, ResourceBundleInstance } from '../../mappers/instance/types.js';
import type { InstanceEvaluation } from '../../mappers/status/instance.js';
import type { State } from '../../mappers/status/types.js';
import { rbi } from '../../test/support/instance-builders.js';
import { NOW } from '../../test/support/status-builders.js';
import { AAI_FINALIZER, SKIP_CLEANUP_ANNOTATION, type AaiMode } from '../aai/aai-controller.js';
import type { EventType } from '../kube/events.js';
import { silentLogger } from '../telemetry/logger.js';
import type { Readiness } from '../watch/informer-manager.js';
import { reconcile, type ReconcileDeps } from './reconcile.js';
import { WriteHold } from './write-hold.js';

const KEY = 'ns1/a';
const log = silentLogger();
const ENABLED: AaiMode = {
  enabled: true,
  target: { cloudOwner: 'co', cloudRegion: 'r', tenantId: 't', mapping: 'k8s-resource' },
};
const DISABLED: AaiMode = { enabled: false, reason: 'NotConfigured', message: 'no AAI URL' };
const AAI_CONDITION = { type: 'AAISynced', status: 'True' as const, reason: 'Synced', message: 'in sync' };

const REASONS: Record<State, string> = { Ready: 'AllReady', Pending: 'Progressing', Failed: 'CrashLoopBackOff' };

/** A hand-built evaluation with just what buildInstanceStatus reads. */
function evaluation(state: State, over: Partial<InstanceEvaluation> = {}): InstanceEvaluation {
  return {
    state,
    reason: REASONS[state],
    message: `it is ${state}`,
    readyCount: state === 'Ready' ? 1 : 0,
    resourceCount: 1,
    resources: [],
    found: new Map(),
    pods: [],
    podCount: 0,
    podObjects: [],
    endpoints: [],
    ...over,
  };
}

const condition = (type: string, status: Condition['status'], reason = 'R'): Condition => ({
  type,
  status,
  lastTransitionTime: '2026-01-01T11:00:00.000Z',
  reason,
  message: '',
});

function instance(
  over: {
    status?: InstanceStatus;
    finalizers?: string[];
    deleting?: boolean;
    annotations?: Record<string, string>;
  } = {},
): ResourceBundleInstance {
  const r = rbi('a', [{ group: 'apps', version: 'v1', kind: 'Deployment', name: 'd' }]);
  r.metadata.generation = 1;
  if (over.finalizers) r.metadata.finalizers = over.finalizers;
  if (over.annotations) r.metadata.annotations = over.annotations;
  if (over.deleting) r.metadata.deletionTimestamp = '2026-01-01T11:59:00Z';
  if (over.status) r.status = over.status;
  return r;
}

interface RecordedEvent {
  type: EventType;
  reason: string;
  note: string;
}

interface FakeOptions {
  instance?: ResourceBundleInstance;
  readiness?: Partial<Readiness>;
  ev?: InstanceEvaluation;
  configured?: boolean;
  mode?: AaiMode;
  /** What patchIfChanged answers. */
  changed?: boolean;
  /** Whether the AAI cleanup queue has finished (default: yes). */
  cleanupDone?: boolean;
  hold?: WriteHold;
  /** The clock (default NOW). */
  now?: Date;
}

/** Fakes for every dep; each records its calls in `calls` (in order) and the written statuses and events. */
function fakes(o: FakeOptions = {}) {
  const calls: string[] = [];
  const writes: InstanceStatus[] = [];
  const events: RecordedEvent[] = [];
  const cleanups: string[] = [];
  const observed: unknown[][] = [];
  const ev = o.ev ?? evaluation('Ready');
  const readiness: Readiness = { ready: true, waitingFor: [], unreadable: new Map(), ...o.readiness };
  const deps: ReconcileDeps = {
    instances: {
      getInstance: (key) => (calls.push(`getInstance ${key}`), o.instance),
      readiness: () => readiness,
    },
    evaluate: () => (calls.push('evaluate'), ev),
    statusWriter: {
      patchIfChanged: async (_rbi, status) => (calls.push('patch'), writes.push(status), o.changed ?? true),
      differs: () => o.changed ?? true,
      forget: (key) => void calls.push(`statusWriter.forget ${key}`),
    },
    events: {
      record: async (_rbi, type, reason, note) => void (calls.push('event'), events.push({ type, reason, note })),
    },
    finalizers: {
      add: async (_rbi, name) => void calls.push(`finalizers.add ${name}`),
      remove: async (_rbi, name) => void calls.push(`finalizers.remove ${name}`),
    },
    aai: {
      configured: o.configured ?? false,
      mode: () => o.mode ?? DISABLED,
      observe: (...args) => void (calls.push('aai.observe'), observed.push(args)),
      statusFor: () => ({ aai: { fingerprint: 'f1' }, condition: AAI_CONDITION }),
      cleanup: (key) => (
        calls.push('aai.cleanup'),
        cleanups.push(key),
        o.cleanupDone === false ? { done: false } : { done: true, removed: 2 }
      ),
      forget: (key) => void calls.push(`aai.forget ${key}`),
    },
    clock: () => o.now ?? NOW,
    ...(o.hold ? { hold: o.hold } : {}),
  };
  return { deps, calls, writes, events, cleanups, observed, ev };
}

const run = async (o: FakeOptions) => {
  const f = fakes(o);
  return { ...f, out: await reconcile(KEY, f.deps, log) };
};

describe('reconcile', () => {
  test('instance gone: forgets the key, writes nothing', async () => {
    const { calls, out } = await run({});
    expect(calls).toEqual([`getInstance ${KEY}`, `statusWriter.forget ${KEY}`]);
    expect(out).toEqual({ wrote: false });
  });

  describe('deletion → finalize', () => {
    const ours = { deleting: true, finalizers: [AAI_FINALIZER] };
    test.each<[string, FakeOptions, string[]]>([
      [
        'AAI configured, records removed: announce, release (nothing evaluated here)',
        { instance: instance(ours), configured: true },
        ['aai.cleanup', 'event', `finalizers.remove ${AAI_FINALIZER}`, `aai.forget ${KEY}`],
      ],
      [
        'AAI configured, cleanup still queued: the worker returns at once, the finalizer stays',
        { instance: instance(ours), configured: true, cleanupDone: false },
        ['aai.cleanup'],
      ],
      [
        'skip-cleanup annotation: no cleanup, finalizer released',
        { instance: instance({ ...ours, annotations: { [SKIP_CLEANUP_ANNOTATION]: 'true' } }), configured: true },
        [`finalizers.remove ${AAI_FINALIZER}`, `aai.forget ${KEY}`],
      ],
      [
        'AAI not configured: no cleanup, finalizer released',
        { instance: instance(ours), configured: false },
        [`finalizers.remove ${AAI_FINALIZER}`, `aai.forget ${KEY}`],
      ],
      ['not our finalizer: nothing at all', { instance: instance({ deleting: true, finalizers: ['other'] }) }, []],
    ])('%s', async (_name, o, expected) => {
      const { calls, writes, out } = await run({ mode: ENABLED, ...o });
      expect(calls.slice(1)).toEqual(expected);
      expect(writes).toEqual([]);
      expect(out).toEqual({ wrote: false });
    });

    test('the cleanup is asked by key; the event is Normal AAICleanedUp', async () => {
      const ready = await run({ instance: instance(ours), configured: true });
      expect(ready.cleanups).toEqual([KEY]);
      expect(ready.events).toEqual([{ type: 'Normal', reason: 'AAICleanedUp', note: '2 AAI record(s) removed' }]);
    });
  });

  test('AAI enabled without our finalizer: adds it once, no evaluation, no write', async () => {
    const { calls, out } = await run({ instance: instance(), mode: ENABLED, configured: true });
    expect(calls.slice(1)).toEqual([`finalizers.add ${AAI_FINALIZER}`]);
    expect(out).toEqual({ wrote: false });
  });

  describe('caches still listing', () => {
    const readiness = { ready: false, waitingFor: ['apps/Deployment@ns1', 'v1/Pod@ns1'] };

    test('no Ready condition yet: one write with Ready=Unknown Initializing naming what it waits for', async () => {
      const { calls, writes, events, out } = await run({ instance: instance(), readiness });
      expect(calls.slice(1)).toEqual(['patch']);
      const ready = findCondition(writes[0]!.conditions, 'Ready');
      expect(ready).toMatchObject({ status: 'Unknown', reason: 'Initializing' });
      expect(ready!.message).toBe('waiting for caches: apps/Deployment@ns1, v1/Pod@ns1');
      expect(events).toEqual([]);
      expect(out).toEqual({ wrote: true });
    });

    test('Ready already present: no write at all', async () => {
      const status = { phase: 'Ready' as const, conditions: [condition('Ready', 'True')] };
      const { calls, out } = await run({ instance: instance({ status }), readiness });
      expect(calls.slice(1)).toEqual([]);
      expect(out).toEqual({ wrote: false });
    });
  });

  describe('normal path', () => {
    test('exactly one status write per pass', async () => {
      const { calls, writes, out } = await run({ instance: instance({ status: { phase: 'Pending' } }) });
      expect(calls.filter((c) => c === 'patch')).toHaveLength(1);
      expect(writes[0]).toMatchObject({ phase: 'Ready', ready: true, readyRatio: '1/1' });
      expect(out).toEqual({ phase: 'Ready', wrote: true });
    });

    test('each step is traced once, the write and the events after they finished', async () => {
      const f = fakes({ instance: instance({ status: { phase: 'Pending' } }) });
      const steps: string[] = [];
      f.deps.trace = (step, ms) => {
        expect(ms).toBeGreaterThanOrEqual(0);
        steps.push(step);
      };
      await reconcile(KEY, f.deps, log);
      expect(steps).toEqual(['readiness', 'evaluate', 'status', 'write', 'events']);
    });

    test('patchIfChanged says unchanged: no events', async () => {
      const { events, out } = await run({ instance: instance({ status: { phase: 'Pending' } }), changed: false });
      expect(events).toEqual([]);
      expect(out).toEqual({ phase: 'Ready', wrote: false });
    });

    test.each<[string, State | undefined, State, Array<{ type: EventType; reason: string; note: RegExp }>]>([
      ['same phase (Ready → Ready): no event', 'Ready', 'Ready', []],
      [
        'Pending → Failed: one Warning',
        'Pending',
        'Failed',
        [{ type: 'Warning', reason: 'CrashLoopBackOff', note: /^Pending → Failed: it is Failed$/ }],
      ],
      [
        'Failed → Pending: one Normal',
        'Failed',
        'Pending',
        [{ type: 'Normal', reason: 'Progressing', note: /^Failed → / }],
      ],
      ['first phase Ready: one Normal', undefined, 'Ready', [{ type: 'Normal', reason: 'AllReady', note: /^Ready: / }]],
    ])('phase events: %s', async (_name, before, after, expected) => {
      const status: InstanceStatus = before ? { phase: before } : {};
      const { events, writes } = await run({ instance: instance({ status }), ev: evaluation(after) });
      expect(writes).toHaveLength(1);
      expect(events).toHaveLength(expected.length);
      expected.forEach((e, i) => {
        expect(events[i]).toMatchObject({ type: e.type, reason: e.reason });
        expect(events[i]!.note).toMatch(e.note);
      });
    });

    const stalled = { reason: 'KindNotServed', message: 'example.com/Widget is not served' };
    test.each<[string, Condition[], RecordedEvent[]]>([
      ['newly Stalled: one Warning', [], [{ type: 'Warning', reason: 'KindNotServed', note: stalled.message }]],
      ['already Stalled=True: no extra event', [condition('Stalled', 'True', 'KindNotServed')], []],
    ])('stalled: %s', async (_name, conditions, expected) => {
      const { events, writes } = await run({
        instance: instance({ status: { phase: 'Pending', conditions } }),
        ev: evaluation('Pending'),
        readiness: { stalled },
      });
      expect(findCondition(writes[0]!.conditions, 'Stalled')).toMatchObject({ status: 'True' });
      expect(events).toEqual(expected);
    });

    test('stalled while the evaluation says Ready: the phase written and announced is Pending, for the stall', async () => {
      const { events, writes, out } = await run({
        instance: instance({ status: { phase: 'Ready', conditions: [condition('Ready', 'True')] } }),
        ev: evaluation('Ready'),
        readiness: { stalled },
      });
      expect(writes[0]!.phase).toBe('Pending');
      expect(out.phase).toBe('Pending');
      expect(events).toEqual([
        { type: 'Normal', reason: 'KindNotServed', note: `Ready → Pending: ${stalled.message}` },
        { type: 'Warning', reason: 'KindNotServed', note: stalled.message },
      ]);
    });

    test.each<[string, number | undefined, number | undefined]>([
      ['window ends in 5s → 5s + slack', NOW.getTime() + 5000, 5050],
      ['window ends in 10ms → at least 100ms', NOW.getTime() + 10, 100],
      ['window already over → 100ms', NOW.getTime() - 1000, 100],
      ['no window → no requeue', undefined, undefined],
    ])('requeue: %s', async (_name, recheckAt, expected) => {
      const ev = evaluation('Pending', recheckAt === undefined ? {} : { recheckAt });
      const { out } = await run({ instance: instance(), ev });
      expect(out.requeueAfterMs).toBe(expected);
    });

    describe('write hold while a workload is settling', () => {
      const settling = evaluation('Pending', { settling: true });
      const at = (ms: number) => new Date(NOW.getTime() + ms);

      test('held, requeued for the rest of the hold; written once the hold is over', async () => {
        const hold = new WriteHold(500);
        const first = await run({ instance: instance(), ev: settling, hold });
        expect(first.writes).toEqual([]);
        expect(first.out).toMatchObject({ wrote: false, held: true, requeueAfterMs: 500 });
        const later = await run({ instance: instance(), ev: settling, hold, now: at(300) });
        expect(later.out).toMatchObject({ held: true, requeueAfterMs: 200 });
        const over = await run({ instance: instance(), ev: settling, hold, now: at(500) });
        expect(over.writes).toHaveLength(1);
        expect(over.out.held).toBeUndefined();
        expect(hold.size).toBe(0); // the next streak starts afresh
      });

      test('the workload caught up: written at once, the streak ends', async () => {
        const hold = new WriteHold(500);
        await run({ instance: instance(), ev: settling, hold });
        const caughtUp = await run({ instance: instance(), ev: evaluation('Ready'), hold, now: at(20) });
        expect(caughtUp.writes).toHaveLength(1);
        expect(hold.size).toBe(0);
      });

      test('a window ending sooner keeps its earlier requeue', async () => {
        const ev = evaluation('Pending', { settling: true, recheckAt: NOW.getTime() + 100 });
        const { out } = await run({ instance: instance(), ev, hold: new WriteHold(500) });
        expect(out).toMatchObject({ held: true, requeueAfterMs: 150 });
      });

      test('nothing would change: nothing held, nothing written', async () => {
        const hold = new WriteHold(500);
        const { out } = await run({ instance: instance(), ev: settling, hold, changed: false });
        expect(out).toEqual({ phase: 'Pending', wrote: false });
        expect(hold.size).toBe(0);
      });

      test('instance gone: its streak ends', async () => {
        const hold = new WriteHold(500);
        await run({ instance: instance(), ev: settling, hold });
        await run({ hold });
        expect(hold.size).toBe(0);
      });
    });

    test('AAI: observe gets (key, rbi, evaluation); the AAISynced condition and status.aai are written', async () => {
      const r = instance({ finalizers: [AAI_FINALIZER] });
      const { observed, writes, ev, calls } = await run({ instance: r, mode: ENABLED, configured: true });
      expect(observed).toEqual([[KEY, r, ev]]);
      expect(observed[0]![1]).toBe(r);
      expect(observed[0]![2]).toBe(ev);
      expect(calls.indexOf('aai.observe')).toBeLessThan(calls.indexOf('patch'));
      expect(findCondition(writes[0]!.conditions, 'AAISynced')).toMatchObject({ status: 'True', reason: 'Synced' });
      expect(writes[0]!.aai).toEqual({ fingerprint: 'f1' });
    });
  });
});
