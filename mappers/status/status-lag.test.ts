import { describe, expect, test } from '@jest/globals';
import { ago, cond, obj, pod, readyPodStatus } from '../../test/support/status-builders.js';
import { statusLagsPods } from './status-lag.js';
import type { KubeObject } from './types.js';

const deployment = (status: Record<string, unknown>, generation = 1) =>
  obj('apps/v1', 'Deployment', 'd', {
    metadata: { generation },
    spec: { replicas: 1 },
    status: { observedGeneration: 1, ...status },
  });
const ready = (name = 'p') => pod(readyPodStatus(), { name });
const notReady = (name = 'p') => pod({ phase: 'Running', conditions: [cond('Ready', 'False')] }, { name });
const terminating = (p: KubeObject): KubeObject => ({ ...p, metadata: { ...p.metadata, deletionTimestamp: ago(0) } });

describe('statusLagsPods: a workload status that has not counted its pods yet', () => {
  test.each<[string, KubeObject, KubeObject[], boolean]>([
    ['Deployment counts match', deployment({ replicas: 1, readyReplicas: 1 }), [ready()], false],
    ['a pod turned Ready, readyReplicas still 0', deployment({ replicas: 1, readyReplicas: 0 }), [ready()], true],
    ['a pod went, replicas still 1', deployment({ replicas: 1, readyReplicas: 1 }), [], true],
    [
      'terminating pods are not counted',
      deployment({ replicas: 1, readyReplicas: 1 }),
      [terminating(ready('old')), ready()],
      false,
    ],
    ['a new pod not Ready yet, counted', deployment({ replicas: 1, readyReplicas: 0 }), [notReady()], false],
    [
      'finished pods are not counted',
      deployment({ replicas: 0, readyReplicas: 0 }),
      [pod({ phase: 'Succeeded' })],
      false,
    ],
    ['spec not observed yet', deployment({ replicas: 1, readyReplicas: 1 }, 2), [ready()], true],
    ['no status yet, no pods', obj('apps/v1', 'Deployment', 'd', { spec: { replicas: 1 } }), [], false],
    [
      'StatefulSet: Ready pods only',
      obj('apps/v1', 'StatefulSet', 's', { status: { replicas: 3, readyReplicas: 1 } }),
      [ready()],
      false,
    ],
    [
      'DaemonSet: numberReady behind',
      obj('apps/v1', 'DaemonSet', 'ds', { status: { numberReady: 0 } }),
      [ready()],
      true,
    ],
    ['kinds without counts never lag', obj('batch/v1', 'Job', 'j', { status: { active: 0 } }), [ready()], false],
    ['a Service has no pods of its own', obj('v1', 'Service', 's', {}), [ready()], false],
  ])('%s → %s', (_name, workload, pods, lags) => {
    expect(statusLagsPods(workload, pods)).toBe(lags);
  });
});
