import { describe, expect, test } from '@jest/globals';
import { ago, cond, judge, MIN, obj, pod, waitingCs } from '../../../test/support/status-builders.js';
import type { KubeObject, ResourceStatus } from '../types.js';

const job = (
  status: Record<string, unknown> | undefined,
  spec: Record<string, unknown> = {},
  name = 'migrate',
): KubeObject =>
  obj('batch/v1', 'Job', name, {
    metadata: {
      uid: `${name}-uid`,
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'cj-uid', controller: true }],
    },
    spec: {
      backoffLimit: 6,
      completions: 1,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': `${name}-uid` } },
      ...spec,
    },
    ...(status ? { status } : {}),
  });

const jobPod = (status: Record<string, unknown>) =>
  pod(
    status,
    { name: 'migrate-x', ownerReferences: [{ kind: 'Job', name: 'migrate', uid: 'migrate-uid', controller: true }] },
    { restartPolicy: 'Never' },
  );

const cronJob = (status: Record<string, unknown> | undefined, spec: Record<string, unknown> = {}): KubeObject =>
  obj('batch/v1', 'CronJob', 'nightly', {
    metadata: { uid: 'cj-uid' },
    spec: { schedule: '0 1 * * *', ...spec },
    ...(status ? { status } : {}),
  });

const rows: Array<{ id: string; o: KubeObject; related?: KubeObject[]; want: Partial<ResourceStatus> }> = [
  { id: 'JOB-01 no status', o: job(undefined), want: { state: 'Pending', reason: 'NotStarted' } },
  { id: 'JOB-02 running', o: job({ startTime: ago(MIN), active: 1 }), want: { state: 'Pending', reason: 'Running' } },
  {
    id: 'JOB-03 Complete=True',
    o: job({ startTime: ago(MIN), succeeded: 1, conditions: [cond('Complete', 'True')] }),
    want: { state: 'Ready', reason: 'Completed' },
  },
  {
    id: 'JOB-04 Failed=True BackoffLimitExceeded',
    o: job({ startTime: ago(MIN), failed: 7, conditions: [cond('Failed', 'True', 'BackoffLimitExceeded')] }),
    want: { state: 'Failed', reason: 'BackoffLimitExceeded' },
  },
  {
    id: 'JOB-05 Failed=True DeadlineExceeded',
    o: job({ startTime: ago(MIN), conditions: [cond('Failed', 'True', 'DeadlineExceeded')] }),
    want: { state: 'Failed', reason: 'DeadlineExceeded' },
  },
  {
    id: 'JOB-05 Failed=True PodFailurePolicy',
    o: job({ startTime: ago(MIN), conditions: [cond('Failed', 'True', 'PodFailurePolicy')] }),
    want: { state: 'Failed', reason: 'PodFailurePolicy' },
  },
  {
    id: 'JOB-06 suspended',
    o: job({ conditions: [cond('Suspended', 'True', 'JobSuspended')] }, { suspend: true }),
    want: { state: 'Pending', reason: 'Suspended', flags: ['Suspended'] },
  },
  {
    id: 'JOB-07 resumed and running',
    o: job(
      { startTime: ago(MIN), active: 1, conditions: [cond('Suspended', 'False', 'JobResumed')] },
      { suspend: false },
    ),
    want: { state: 'Pending', reason: 'Running' },
  },
  {
    id: 'JOB-08 suspend=true, Suspended=False (transition)',
    o: job({ conditions: [cond('Suspended', 'False', 'JobResumed')] }, { suspend: true }),
    want: { state: 'Pending' },
  },
  {
    id: 'JOB-09 Failed condition with status False is ignored',
    o: job({ startTime: ago(MIN), active: 1, conditions: [cond('Failed', 'False')] }),
    want: { state: 'Pending', reason: 'Running' },
  },
  {
    id: 'JOB-10 FailureTarget=True',
    o: job({ startTime: ago(MIN), conditions: [cond('FailureTarget', 'True', 'BackoffLimitExceeded')] }),
    want: { state: 'Failed' },
  },
  {
    id: 'JOB-10 SuccessCriteriaMet=True',
    o: job({ startTime: ago(MIN), conditions: [cond('SuccessCriteriaMet', 'True', 'CompletionsReached')] }),
    want: { state: 'Ready' },
  },
  {
    id: 'JOB-11 pods stuck in ImagePullBackOff',
    o: job({ startTime: ago(MIN), active: 1 }),
    related: [jobPod({ phase: 'Pending', containerStatuses: [waitingCs('ImagePullBackOff')] })],
    want: { state: 'Failed', reason: 'PodsFailing' },
  },
  {
    id: 'JOB-11 a failed pod the Job will retry does not fail the Job',
    o: job({ startTime: ago(MIN), active: 1, failed: 1 }),
    related: [
      jobPod({
        phase: 'Failed',
        containerStatuses: [{ name: 'app', state: { terminated: { reason: 'Error', exitCode: 1 } } }],
      }),
    ],
    want: { state: 'Pending', reason: 'Running' },
  },
  {
    id: 'CJ-01 scheduled, healthy',
    o: cronJob({ lastScheduleTime: ago(MIN), lastSuccessfulTime: ago(MIN) }),
    want: { state: 'Ready' },
  },
  { id: 'CJ-02 suspended', o: cronJob(undefined, { suspend: true }), want: { state: 'Ready', flags: ['Suspended'] } },
  {
    id: 'CJ-03 last run failed (no jobs in input)',
    o: cronJob({ lastScheduleTime: ago(MIN), lastSuccessfulTime: ago(25 * 60 * MIN) }),
    want: { state: 'Failed', reason: 'LastRunFailed' },
  },
  {
    id: 'CJ-03 latest owned Job failed',
    o: cronJob({ lastScheduleTime: ago(MIN) }),
    related: [
      job({ startTime: ago(2 * MIN), conditions: [cond('Failed', 'True', 'BackoffLimitExceeded')] }, {}, 'nightly-2'),
      job({ startTime: ago(26 * 60 * MIN), conditions: [cond('Complete', 'True')] }, {}, 'nightly-1'),
    ],
    want: { state: 'Failed', reason: 'LastRunFailed' },
  },
  {
    id: 'CJ-04 scheduled but never succeeded, active job',
    o: cronJob({ lastScheduleTime: ago(MIN), active: [{ name: 'nightly-3' }] }),
    want: { state: 'Ready' },
  },
  {
    id: 'CJ-04 latest owned Job running',
    o: cronJob({ lastScheduleTime: ago(MIN) }),
    related: [job({ startTime: ago(MIN), active: 1 }, {}, 'nightly-3')],
    want: { state: 'Ready' },
  },
  { id: 'CJ-05 status absent', o: cronJob(undefined), want: { state: 'Ready' } },
];

describe('Job and CronJob rules (§4.5)', () => {
  test.each(rows)('$id', ({ o, related, want }) => {
    expect(judge(o, related)).toMatchObject(want);
  });

  test('JOB-06 option: a suspended Job can count as Ready', () => {
    expect(judge(job(undefined, { suspend: true }), [], { options: { suspendedJobReady: true } })).toMatchObject({
      state: 'Ready',
      flags: ['Suspended'],
    });
  });

  test('fallback for old clusters: failed > backoffLimit without conditions', () => {
    expect(judge(job({ startTime: ago(MIN), failed: 7 }))).toMatchObject({
      state: 'Failed',
      reason: 'BackoffLimitExceeded',
    });
  });
});
