import { describe, expect, test } from '@jest/globals';
import type { InstanceEvaluation } from '../status/instance.js';
import type { KubeObject, State } from '../status/types.js';
import { MAX_CONDITION_MESSAGE } from './conditions.js';
import { buildInstanceStatus, MAX_ITEM_MESSAGE } from './status.js';
import type {
  Condition,
  InstanceStatus,
  PodStatusEntry,
  ResourceBundleInstance,
  ResourceStatusEntry,
} from './types.js';

const T0 = new Date('2026-01-01T12:00:00Z');
const T1 = new Date('2026-01-01T12:10:00Z');

function rbi(status?: InstanceStatus, generation: number | null = 2): ResourceBundleInstance {
  return {
    apiVersion: 'k8splugin.io/v1alpha1',
    kind: 'ResourceBundleInstance',
    metadata: { name: 'edgex-1', namespace: 'ns1', ...(generation !== null ? { generation } : {}) },
    spec: { rbName: 'rb', rbVersion: 'v1', profileName: 'p', cloudRegion: 'r', resources: [] },
    ...(status ? { status } : {}),
  };
}

const resource = (name: string, status: State, message = ''): ResourceStatusEntry => ({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  name,
  status,
  reason: status === 'Ready' ? 'Ready' : 'Progressing',
  message,
  flags: [],
});

const podEntry = (name: string, status: State, message?: string): PodStatusEntry => ({
  name,
  owner: 'ReplicaSet/web-abc',
  status,
  reason: status === 'Ready' ? 'Running' : 'CrashLoopBackOff',
  ...(message !== undefined ? { message } : {}),
  ready: status === 'Ready' ? '1/1' : '0/1',
  restarts: 0,
  node: 'node-1',
  podIPs: ['10.0.0.1'],
  interfaces: [],
});

// Every pod with its state (uncapped); passed through a variable so the literal below stays free of excess checks.
const podObjects = { podObjects: [] as Array<{ pod: KubeObject; state: State }> };

function evaluation(state: State, over: Partial<InstanceEvaluation> = {}): InstanceEvaluation {
  const resources = over.resources ?? [resource('web', state), resource('db', 'Ready')];
  return {
    state,
    reason: state === 'Ready' ? 'Ready' : state === 'Pending' ? 'Progressing' : 'CrashLoopBackOff',
    message: state === 'Ready' ? 'all resources ready' : 'Deployment web not ready',
    readyCount: resources.filter((r) => r.status === 'Ready').length,
    resourceCount: resources.length,
    resources,
    found: new Map(),
    pods: [podEntry('web-1', state)],
    podCount: 1,
    endpoints: [{ kind: 'Service', name: 'web', ip: '10.96.0.1', port: 80, protocol: 'TCP' }],
    ...podObjects,
    ...over,
  };
}

const cond = (s: InstanceStatus, type: string) => s.conditions?.find((c) => c.type === type);
const types = (s: InstanceStatus) => (s.conditions ?? []).map((c) => c.type);

describe('buildInstanceStatus', () => {
  test.each([
    ['Ready', 'True', ['Ready']],
    ['Pending', 'Unknown', ['Ready', 'Reconciling']],
    ['Failed', 'False', ['Ready', 'Stalled']],
  ] as const)('%s → Ready=%s, conditions %j', (state, readyStatus, expectedTypes) => {
    const ev = evaluation(state);
    const s = buildInstanceStatus(rbi(), ev, { now: T0 });
    expect(types(s)).toEqual(expectedTypes);
    expect(cond(s, 'Ready')).toEqual({
      type: 'Ready',
      status: readyStatus,
      observedGeneration: 2,
      lastTransitionTime: T0.toISOString(),
      reason: ev.reason,
      message: ev.message,
    });
    expect(s.phase).toBe(state);
    expect(s.ready).toBe(state === 'Ready');
    expect(s.observedGeneration).toBe(2);
  });

  test('Failed sets Stalled=True with the failure (kstatus: Failed, not InProgress); Ready again removes it', () => {
    const failed = buildInstanceStatus(rbi(), evaluation('Failed'), { now: T0 });
    expect(cond(failed, 'Stalled')).toMatchObject({ status: 'True', reason: 'CrashLoopBackOff' });
    const back = buildInstanceStatus(rbi(failed), evaluation('Ready'), { now: T1 });
    expect(types(back)).toEqual(['Ready']);
  });

  test('Pending sets Reconciling=True with the evaluation reason and message', () => {
    const ev = evaluation('Pending');
    const s = buildInstanceStatus(rbi(), ev, { now: T0 });
    expect(cond(s, 'Reconciling')).toMatchObject({ status: 'True', reason: ev.reason, message: ev.message });
  });

  test.each([
    ['Ready', ['Ready']],
    ['Failed', ['Ready', 'Stalled']],
  ] as const)('%s after Pending removes Reconciling', (state, expected) => {
    const first = buildInstanceStatus(rbi(), evaluation('Pending'), { now: T0 });
    const s = buildInstanceStatus(rbi(first), evaluation(state), { now: T1 });
    expect(types(s)).toEqual(expected);
    expect(cond(s, 'Ready')?.lastTransitionTime).toBe(T1.toISOString());
  });

  test('stalled with every listed resource Ready: the phase is Pending, never Ready (regression)', () => {
    const s = buildInstanceStatus(rbi(), evaluation('Ready'), {
      now: T0,
      stalled: { reason: 'Forbidden', message: 'cannot read pods' },
    });
    expect(s.phase).toBe('Pending');
    expect(s.ready).toBe(false);
  });

  test('stalled input: Stalled=True and Ready=False with the stalled reason, no Reconciling', () => {
    const stalled = { reason: 'KindNotServed', message: 'cannot read Foo.example.com v1: not found' };
    const s = buildInstanceStatus(rbi(), evaluation('Pending'), { now: T0, stalled });
    expect(types(s)).toEqual(['Ready', 'Stalled']);
    expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: stalled.reason, message: stalled.message });
    expect(cond(s, 'Stalled')).toMatchObject({ status: 'True', reason: stalled.reason, message: stalled.message });
  });

  test('stalled input removes a Reconciling condition from the previous status', () => {
    const previous = buildInstanceStatus(rbi(), evaluation('Pending'), { now: T0 });
    expect(types(previous)).toContain('Reconciling');
    const stalled = { reason: 'Forbidden', message: 'cannot read Pod v1: forbidden' };
    const s = buildInstanceStatus(rbi(previous), evaluation('Pending'), { now: T1, stalled });
    expect(types(s)).toEqual(['Ready', 'Stalled']);
    expect(cond(s, 'Ready')).toMatchObject({ status: 'False', lastTransitionTime: T1.toISOString() });
  });

  test('leaving the stalled state removes Stalled', () => {
    const stalled = { reason: 'Forbidden', message: 'forbidden' };
    const previous = buildInstanceStatus(rbi(), evaluation('Pending'), { now: T0, stalled });
    const s = buildInstanceStatus(rbi(previous), evaluation('Ready'), { now: T1 });
    expect(types(s)).toEqual(['Ready']);
    expect(cond(s, 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: T1.toISOString() });
  });

  test.each([
    [[resource('a', 'Ready'), resource('b', 'Pending'), resource('c', 'Ready')], 2, 3, '2/3'],
    [[], 0, 0, '0/0'],
  ])('readyRatio is "readyCount/resourceCount"', (resources, readyCount, resourceCount, ratio) => {
    const s = buildInstanceStatus(rbi(), evaluation('Pending', { resources, readyCount, resourceCount }), {
      now: T0,
    });
    expect(s).toMatchObject({ readyCount, resourceCount, readyRatio: ratio });
  });

  test.each([
    ['pods not capped', 2, 2, undefined],
    ['pods capped', 2, 120, 120],
  ])('%s: podCount %p', (_name, shown, total, expected) => {
    const pods = Array.from({ length: shown }, (_, i) => podEntry(`p${i}`, 'Ready'));
    const s = buildInstanceStatus(rbi(), evaluation('Ready', { pods, podCount: total }), { now: T0 });
    expect(s.pods).toHaveLength(shown);
    if (expected === undefined) expect(s).not.toHaveProperty('podCount');
    else expect(s.podCount).toBe(expected);
  });

  test('status.aai is carried over from the previous status, absent when there was none', () => {
    const aai = { synced: true, vserverIds: ['vs-1'] };
    const withAai = buildInstanceStatus(rbi({ aai }), evaluation('Ready'), { now: T0 });
    expect(withAai.aai).toEqual(aai);
    const without = buildInstanceStatus(rbi({}), evaluation('Ready'), { now: T0 });
    expect(without).not.toHaveProperty('aai');
  });

  test('other previous conditions (AAISynced) are kept', () => {
    const aaiSynced: Condition = {
      type: 'AAISynced',
      status: 'True',
      lastTransitionTime: T0.toISOString(),
      reason: 'Synced',
      message: '',
    };
    const s = buildInstanceStatus(rbi({ conditions: [aaiSynced] }), evaluation('Ready'), { now: T1 });
    expect(types(s)).toEqual(['Ready', 'AAISynced']);
    expect(cond(s, 'AAISynced')).toEqual(aaiSynced);
  });

  test('without metadata.generation, observedGeneration is left out everywhere', () => {
    const s = buildInstanceStatus(rbi(undefined, null), evaluation('Pending'), { now: T0 });
    expect(s).not.toHaveProperty('observedGeneration');
    for (const c of s.conditions ?? []) expect(c).not.toHaveProperty('observedGeneration');
  });

  test('long resource, pod and condition messages are truncated', () => {
    const long = 'm'.repeat(5000);
    const ev = evaluation('Failed', {
      message: long,
      resources: [resource('web', 'Failed', long)],
      pods: [podEntry('web-1', 'Failed', long)],
    });
    const s = buildInstanceStatus(rbi(), ev, { now: T0 });
    expect(s.resources![0]!.message).toHaveLength(MAX_ITEM_MESSAGE);
    expect(s.pods![0]!.message).toHaveLength(MAX_ITEM_MESSAGE);
    expect(cond(s, 'Ready')!.message).toHaveLength(MAX_CONDITION_MESSAGE);
  });

  test('the evaluation is copied, not shared or modified', () => {
    const ev = evaluation('Ready');
    const before = structuredClone({ resources: ev.resources, pods: ev.pods });
    const s = buildInstanceStatus(rbi(), ev, { now: T0 });
    expect(s.resources).not.toBe(ev.resources);
    expect({ resources: ev.resources, pods: ev.pods }).toEqual(before);
    expect(s).not.toHaveProperty('found');
    expect(s).not.toHaveProperty('podObjects');
  });

  const stalled = { reason: 'KindNotServed', message: 'cannot read Foo.example.com v1' };
  test.each([
    ['Ready', undefined],
    ['Pending', undefined],
    ['Failed', undefined],
    ['Pending', stalled],
  ] as const)('%s (stalled: %j): building again from the result is byte-identical', (state, stall) => {
    const ev = evaluation(state, { pods: [podEntry('web-1', state), podEntry('web-2', state, 'msg')], podCount: 9 });
    const inputs = (now: Date) => ({ now, ...(stall ? { stalled: stall } : {}) });
    const first = buildInstanceStatus(rbi({ aai: { synced: true } }), ev, inputs(T0));
    const firstJson = JSON.stringify(first);
    const second = buildInstanceStatus(rbi(JSON.parse(firstJson) as InstanceStatus), ev, inputs(T1));
    expect(JSON.stringify(second)).toBe(firstJson);
  });
});
