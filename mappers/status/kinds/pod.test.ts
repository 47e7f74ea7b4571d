import { describe, expect, test } from '@jest/globals';
import {
  MIN,
  SEC,
  ago,
  cond,
  judge,
  pod,
  readyPodStatus,
  running,
  waitingCs,
} from '../../../test/support/status-builders.js';
import type { KubeObject, ResourceStatus } from '../types.js';

const unschedulableFor = (ms: number) =>
  pod({
    phase: 'Pending',
    conditions: [
      cond('PodScheduled', 'False', 'Unschedulable', {
        lastTransitionTime: ago(ms),
        message: '0/3 nodes are available',
      }),
    ],
  });

const rows: Array<{ id: string; obj: KubeObject; want: Partial<ResourceStatus> }> = [
  { id: 'POD-01 no status.phase', obj: pod({}), want: { state: 'Pending', reason: 'NotObserved' } },
  { id: 'POD-01 no status at all', obj: pod(undefined), want: { state: 'Pending', reason: 'NotObserved' } },
  {
    id: 'POD-02 pending, scheduled, ContainerCreating',
    obj: pod({
      phase: 'Pending',
      conditions: [cond('PodScheduled', 'True')],
      containerStatuses: [waitingCs('ContainerCreating')],
    }),
    want: { state: 'Pending', reason: 'ContainerCreating' },
  },
  {
    id: 'POD-02 pending, PodInitializing',
    obj: pod({
      phase: 'Pending',
      conditions: [cond('PodScheduled', 'True')],
      containerStatuses: [waitingCs('PodInitializing')],
    }),
    want: { state: 'Pending', reason: 'PodInitializing' },
  },
  {
    id: 'POD-03 unschedulable for 4m59s',
    obj: unschedulableFor(4 * MIN + 59 * SEC),
    want: { state: 'Pending', reason: 'Unschedulable' },
  },
  {
    id: 'POD-03 unschedulable for exactly 5m (window not yet past)',
    obj: unschedulableFor(5 * MIN),
    want: { state: 'Pending', reason: 'Unschedulable' },
  },
  {
    id: 'POD-04 unschedulable for 5m01s',
    obj: unschedulableFor(5 * MIN + SEC),
    want: { state: 'Failed', reason: 'Unschedulable' },
  },
  {
    id: 'POD-05 scheduling gated for an hour',
    obj: pod({
      phase: 'Pending',
      conditions: [cond('PodScheduled', 'False', 'SchedulingGated', { lastTransitionTime: ago(60 * MIN) })],
    }),
    want: { state: 'Pending', reason: 'SchedulingGated' },
  },
  {
    id: 'POD-06 ErrImagePull',
    obj: pod({ phase: 'Pending', containerStatuses: [waitingCs('ErrImagePull')] }),
    want: { state: 'Failed', reason: 'ErrImagePull' },
  },
  {
    id: 'POD-06 ImagePullBackOff with restartPolicy Never',
    obj: pod({ phase: 'Pending', containerStatuses: [waitingCs('ImagePullBackOff')] }, {}, { restartPolicy: 'Never' }),
    want: { state: 'Failed', reason: 'ImagePullBackOff' },
  },
  {
    id: 'POD-07 CreateContainerConfigError',
    obj: pod({ phase: 'Pending', containerStatuses: [waitingCs('CreateContainerConfigError')] }),
    want: { state: 'Failed', reason: 'CreateContainerConfigError' },
  },
  {
    id: 'POD-07 CreateContainerError',
    obj: pod({ phase: 'Pending', containerStatuses: [waitingCs('CreateContainerError')] }),
    want: { state: 'Failed', reason: 'CreateContainerError' },
  },
  {
    id: 'POD-07 RunContainerError',
    obj: pod({ phase: 'Running', containerStatuses: [waitingCs('RunContainerError')] }),
    want: { state: 'Failed', reason: 'RunContainerError' },
  },
  {
    id: 'POD-08 InvalidImageName',
    obj: pod({ phase: 'Pending', containerStatuses: [waitingCs('InvalidImageName')] }),
    want: { state: 'Failed', reason: 'InvalidImageName' },
  },
  {
    id: 'POD-09 CrashLoopBackOff with last termination OOMKilled',
    obj: pod({
      phase: 'Running',
      conditions: [cond('Ready', 'False')],
      containerStatuses: [
        waitingCs('CrashLoopBackOff', 'app', {
          restartCount: 4,
          lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
        }),
      ],
    }),
    want: { state: 'Failed', reason: 'CrashLoopBackOff' },
  },
  {
    id: 'POD-09 CrashLoopBackOff with restartPolicy OnFailure',
    obj: pod(
      { phase: 'Running', containerStatuses: [waitingCs('CrashLoopBackOff')] },
      {},
      { restartPolicy: 'OnFailure' },
    ),
    want: { state: 'Failed', reason: 'CrashLoopBackOff' },
  },
  {
    id: 'POD-10 init container CrashLoopBackOff',
    obj: pod({
      phase: 'Pending',
      initContainerStatuses: [waitingCs('CrashLoopBackOff', 'init')],
      containerStatuses: [waitingCs('PodInitializing')],
    }),
    want: { state: 'Failed', reason: 'Init:CrashLoopBackOff' },
  },
  {
    id: 'POD-10 init container ImagePullBackOff',
    obj: pod({ phase: 'Pending', initContainerStatuses: [waitingCs('ImagePullBackOff', 'init')] }),
    want: { state: 'Failed', reason: 'Init:ImagePullBackOff' },
  },
  {
    id: 'POD-11 running and ready',
    obj: pod(readyPodStatus()),
    want: { state: 'Ready', reason: 'Running', flags: [] },
  },
  {
    id: 'POD-12 running and ready, restartPolicy Never',
    obj: pod(readyPodStatus(), {}, { restartPolicy: 'Never' }),
    want: { state: 'Ready', flags: [] },
  },
  {
    id: 'POD-13 running, not ready, never restarted',
    obj: pod({
      phase: 'Running',
      conditions: [cond('Ready', 'False')],
      containerStatuses: [running('app', { ready: false })],
    }),
    want: { state: 'Pending', reason: 'NotReady' },
  },
  {
    id: 'POD-14 running, not ready, restarted after OOMKilled',
    obj: pod({
      phase: 'Running',
      conditions: [cond('Ready', 'False')],
      containerStatuses: [
        running('app', {
          ready: false,
          restartCount: 1,
          lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
        }),
      ],
    }),
    want: { state: 'Failed', reason: 'ContainerRestarted' },
  },
  {
    id: 'POD-15 running, a container terminated with exit 1',
    obj: pod({
      phase: 'Running',
      conditions: [cond('Ready', 'False')],
      containerStatuses: [
        running('app'),
        { name: 'side', ready: false, restartCount: 0, state: { terminated: { reason: 'Error', exitCode: 1 } } },
      ],
    }),
    want: { state: 'Failed', reason: 'ContainerError' },
  },
  {
    id: 'POD-16 ready again after an OOMKill',
    obj: pod(
      readyPodStatus({
        containerStatuses: [
          running('app', { restartCount: 2, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }),
        ],
      }),
    ),
    want: { state: 'Ready', flags: ['RecentRestart'] },
  },
  {
    id: 'POD-17 Succeeded',
    obj: pod({ phase: 'Succeeded', conditions: [cond('Ready', 'False', 'PodCompleted')] }),
    want: { state: 'Ready', reason: 'Completed' },
  },
  {
    id: 'POD-18 Failed, OOMKilled with restartPolicy Never',
    obj: pod(
      {
        phase: 'Failed',
        containerStatuses: [{ name: 'app', state: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }],
      },
      {},
      { restartPolicy: 'Never' },
    ),
    want: { state: 'Failed', reason: 'OOMKilled' },
  },
  {
    id: 'POD-18 Failed, container Error',
    obj: pod({
      phase: 'Failed',
      containerStatuses: [{ name: 'app', state: { terminated: { reason: 'Error', exitCode: 2 } } }],
    }),
    want: { state: 'Failed', reason: 'Error' },
  },
  {
    id: 'POD-18 Failed, exit code without reason',
    obj: pod({ phase: 'Failed', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 3 } } }] }),
    want: { state: 'Failed', reason: 'ExitCode:3' },
  },
  {
    id: 'POD-19 Evicted standalone pod',
    obj: pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }),
    want: { state: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' },
  },
  { id: 'POD-20 phase Unknown', obj: pod({ phase: 'Unknown' }), want: { state: 'Failed', reason: 'PodPhaseUnknown' } },
  {
    id: 'POD-21 deletionTimestamp set',
    obj: pod(readyPodStatus(), { deletionTimestamp: ago(10 * SEC), deletionGracePeriodSeconds: 30 }),
    want: { state: 'Pending', reason: 'Terminating' },
  },
];

describe('Pod rules (§4.1)', () => {
  test.each(rows)('$id', ({ obj, want }) => {
    expect(judge(obj)).toMatchObject(want);
  });

  test('POD-04 window is configurable (T_sched = 1m)', () => {
    expect(judge(unschedulableFor(61 * SEC), [], { windows: { unschedulable: MIN } })).toMatchObject({
      state: 'Failed',
      reason: 'Unschedulable',
    });
  });

  test('POD-03 reports when the window ends, so the operator can requeue instead of polling', () => {
    const got = judge(unschedulableFor(4 * MIN));
    expect(got.recheckAt).toBe(Date.parse(ago(4 * MIN)) + 5 * MIN);
  });

  test('POD-09 message carries the last termination reason', () => {
    const got = judge(
      pod({
        phase: 'Running',
        containerStatuses: [
          waitingCs('CrashLoopBackOff', 'app', { lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }),
        ],
      }),
    );
    expect(got.message).toContain('OOMKilled');
  });

  test('POD-14 message carries the exit code', () => {
    const got = judge(
      pod({
        phase: 'Running',
        conditions: [cond('Ready', 'False')],
        containerStatuses: [
          running('app', { ready: false, lastState: { terminated: { reason: 'Error', exitCode: 137 } } }),
        ],
      }),
    );
    expect(got.message).toContain('exit code 137');
  });

  test('an unlisted waiting reason matching Argo CD’s pattern fails (ErrSomethingNew)', () => {
    expect(judge(pod({ phase: 'Pending', containerStatuses: [waitingCs('ErrSomethingNew')] }))).toMatchObject({
      state: 'Failed',
    });
  });

  test('ephemeral container failures count too', () => {
    expect(
      judge(
        pod(readyPodStatus({ phase: 'Pending', ephemeralContainerStatuses: [waitingCs('ImagePullBackOff', 'debug')] })),
      ),
    ).toMatchObject({
      state: 'Failed',
      reason: 'ImagePullBackOff',
    });
  });

  test('an unrecognised phase is StatusUnknown, not a crash', () => {
    expect(judge(pod({ phase: 'Exploded' }))).toMatchObject({ state: 'Pending', reason: 'StatusUnknown' });
  });
});
