import { describe, expect, test } from '@jest/globals';
import { ago, cond, judge, MIN, obj, SEC } from '../../../test/support/status-builders.js';
import type { KubeObject, ResourceStatus } from '../types.js';

const hpa = (
  conditions: unknown[] | undefined,
  created = ago(60 * MIN),
  apiVersion = 'autoscaling/v2',
  annotations?: Record<string, string>,
): KubeObject =>
  obj(apiVersion, 'HorizontalPodAutoscaler', 'web', {
    metadata: { creationTimestamp: created, ...(annotations ? { annotations } : {}) },
    spec: { minReplicas: 1, maxReplicas: 5 },
    status: conditions ? { conditions } : {},
  });
const metricsFail = [
  cond('AbleToScale', 'True', 'SucceededGetScale'),
  cond('ScalingActive', 'False', 'FailedGetResourceMetric', { message: 'no metrics' }),
];

const pdb = (conditions?: unknown[]): KubeObject =>
  obj('policy/v1', 'PodDisruptionBudget', 'web', {
    spec: { minAvailable: 1 },
    ...(conditions ? { status: { conditions } } : {}),
  });

const crd = (conditions: unknown[] | undefined, created = ago(60 * MIN)): KubeObject =>
  obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', {
    metadata: { namespace: undefined, creationTimestamp: created },
    spec: { group: 'example.com', names: { kind: 'Widget' } },
    ...(conditions ? { status: { conditions } } : {}),
  });

const apiService = (available: unknown): KubeObject =>
  obj('apiregistration.k8s.io/v1', 'APIService', 'v1beta1.metrics.k8s.io', {
    metadata: { namespace: undefined },
    status: { conditions: [available] },
  });

const rows: Array<{ id: string; o: KubeObject; want: Partial<ResourceStatus> }> = [
  {
    id: 'HPA-01 AbleToScale and ScalingActive True',
    o: hpa([cond('AbleToScale', 'True', 'ReadyForNewScale'), cond('ScalingActive', 'True', 'ValidMetricFound')]),
    want: { state: 'Ready', flags: [] },
  },
  {
    id: 'HPA-02 metrics failing 4m59s after creation',
    o: hpa(metricsFail, ago(4 * MIN + 59 * SEC)),
    want: { state: 'Pending', reason: 'FailedGetResourceMetric' },
  },
  {
    id: 'HPA-02 metrics failing 5m01s after creation',
    o: hpa(metricsFail, ago(5 * MIN + SEC)),
    want: { state: 'Failed', reason: 'FailedGetResourceMetric' },
  },
  {
    id: 'HPA-03 AbleToScale False FailedGetScale',
    o: hpa([cond('AbleToScale', 'False', 'FailedGetScale')]),
    want: { state: 'Failed', reason: 'ScaleTargetError' },
  },
  {
    id: 'HPA-04 ScalingDisabled',
    o: hpa([cond('AbleToScale', 'True'), cond('ScalingActive', 'False', 'ScalingDisabled')]),
    want: { state: 'Ready', flags: ['ScalingDisabled'] },
  },
  { id: 'HPA-05 no conditions', o: hpa(undefined), want: { state: 'Pending' } },
  {
    id: 'HPA-05 autoscaling/v1 without the conditions annotation',
    o: hpa(undefined, ago(MIN), 'autoscaling/v1'),
    want: { state: 'Pending' },
  },
  {
    id: 'HPA-03 autoscaling/v1 conditions from the annotation',
    o: hpa(undefined, ago(MIN), 'autoscaling/v1', {
      'autoscaling.alpha.kubernetes.io/conditions': JSON.stringify([cond('AbleToScale', 'False', 'FailedUpdateScale')]),
    }),
    want: { state: 'Failed', reason: 'ScaleTargetError' },
  },
  {
    id: 'PDB-01 DisruptionAllowed=True',
    o: pdb([cond('DisruptionAllowed', 'True', 'SufficientPods')]),
    want: { state: 'Ready', flags: [] },
  },
  {
    id: 'PDB-02 DisruptionAllowed=False InsufficientPods',
    o: pdb([cond('DisruptionAllowed', 'False', 'InsufficientPods')]),
    want: { state: 'Ready', flags: ['NoDisruptionsAllowed'] },
  },
  {
    id: 'PDB-03 DisruptionAllowed=False SyncFailed',
    o: pdb([cond('DisruptionAllowed', 'False', 'SyncFailed')]),
    want: { state: 'Failed', reason: 'SyncFailed' },
  },
  { id: 'PDB-04 no status', o: pdb(), want: { state: 'Pending' } },
  {
    id: 'CRD-01 Established=True',
    o: crd([cond('NamesAccepted', 'True'), cond('Established', 'True')]),
    want: { state: 'Ready' },
  },
  { id: 'CRD-02 no conditions', o: crd(undefined), want: { state: 'Pending' } },
  {
    id: 'CRD-02 Established=False Installing',
    o: crd([cond('Established', 'False', 'Installing')]),
    want: { state: 'Pending' },
  },
  {
    id: 'CRD-03 NamesAccepted=False',
    o: crd([cond('NamesAccepted', 'False', 'KindConflict')]),
    want: { state: 'Failed', reason: 'NamesNotAccepted' },
  },
  {
    id: 'CRD-04 Established=False, other reason',
    o: crd([cond('NamesAccepted', 'True'), cond('Established', 'False', 'NotAccepted')]),
    want: { state: 'Failed' },
  },
  {
    id: 'CRD-05 NonStructuralSchema=True',
    o: crd([cond('NonStructuralSchema', 'True'), cond('Established', 'True')]),
    want: { state: 'Failed' },
  },
  {
    id: 'CRD-06 names accepted, not established, 59s old',
    o: crd([cond('NamesAccepted', 'True')], ago(59 * SEC)),
    want: { state: 'Pending' },
  },
  {
    id: 'CRD-06 names accepted, not established, 61s old',
    o: crd([cond('NamesAccepted', 'True')], ago(61 * SEC)),
    want: { state: 'Failed' },
  },
  { id: 'API-01 Available=True', o: apiService(cond('Available', 'True', 'Passed')), want: { state: 'Ready' } },
  {
    id: 'API-02 Available=False for 1m59s',
    o: apiService(cond('Available', 'False', 'MissingEndpoints', { lastTransitionTime: ago(MIN + 59 * SEC) })),
    want: { state: 'Pending', reason: 'MissingEndpoints' },
  },
  {
    id: 'API-02 Available=False for 2m01s',
    o: apiService(cond('Available', 'False', 'FailedDiscoveryCheck', { lastTransitionTime: ago(2 * MIN + SEC) })),
    want: { state: 'Failed', reason: 'FailedDiscoveryCheck' },
  },
  { id: 'CFG-01 ConfigMap', o: obj('v1', 'ConfigMap', 'cfg', { data: { a: 'b' } }), want: { state: 'Ready' } },
  { id: 'CFG-01 Secret', o: obj('v1', 'Secret', 's', { data: {} }), want: { state: 'Ready' } },
  { id: 'CFG-02 ServiceAccount', o: obj('v1', 'ServiceAccount', 'sa'), want: { state: 'Ready' } },
  { id: 'CFG-02 RoleBinding', o: obj('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rb'), want: { state: 'Ready' } },
  { id: 'CFG-02 NetworkPolicy', o: obj('networking.k8s.io/v1', 'NetworkPolicy', 'np'), want: { state: 'Ready' } },
  {
    id: 'NS-01 Namespace terminating',
    o: obj('v1', 'Namespace', 'ns', { metadata: { deletionTimestamp: ago(MIN) }, status: { phase: 'Terminating' } }),
    want: { state: 'Pending', reason: 'Terminating' },
  },
  {
    id: 'NS-01 Namespace deletion failure past T_term',
    o: obj('v1', 'Namespace', 'ns', {
      metadata: { deletionTimestamp: ago(11 * MIN) },
      status: {
        phase: 'Terminating',
        conditions: [cond('NamespaceDeletionContentFailure', 'True', 'ContentDeletionFailed')],
      },
    }),
    want: { state: 'Failed', reason: 'StuckTerminating' },
  },
  {
    id: 'NS-01 Namespace deletion failure within T_term',
    o: obj('v1', 'Namespace', 'ns', {
      metadata: { deletionTimestamp: ago(9 * MIN) },
      status: {
        phase: 'Terminating',
        conditions: [cond('NamespaceDeletionContentFailure', 'True', 'ContentDeletionFailed')],
      },
    }),
    want: { state: 'Pending', reason: 'Terminating' },
  },
  {
    id: 'NS-01 slow namespace without failure conditions stays Pending',
    o: obj('v1', 'Namespace', 'ns', {
      metadata: { deletionTimestamp: ago(60 * MIN) },
      status: { phase: 'Terminating' },
    }),
    want: { state: 'Pending' },
  },
  {
    id: 'an active Namespace is Ready',
    o: obj('v1', 'Namespace', 'ns', { status: { phase: 'Active' } }),
    want: { state: 'Ready' },
  },
];

describe('HPA, PDB, CRD, APIService, static kinds, Namespace (§4.8)', () => {
  test.each(rows)('$id', ({ o, want }) => {
    expect(judge(o)).toMatchObject(want);
  });
});
