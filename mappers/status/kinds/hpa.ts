// HorizontalPodAutoscaler (rows HPA-01..05). autoscaling/v1 objects carry their conditions in an annotation.
import { conditions, creationMs, type Condition } from '../fields.js';
import { Flag, Reason } from '../reasons.js';
import { failed, pending, ready } from '../result.js';
import type { KubeObject, StatusRule } from '../types.js';
import { windowState } from '../windows.js';

const V1_CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';
const METRIC_FAILURES = new Set([
  'FailedGetResourceMetric',
  'FailedGetObjectMetric',
  'FailedGetPodsMetric',
  'FailedGetExternalMetric',
  'FailedGetContainerResourceMetric',
  'FailedComputeMetricsReplicas',
  'InvalidSelector',
]);
const SCALE_FAILURES = new Set(['FailedGetScale', 'FailedUpdateScale']);

function hpaConditions(hpa: KubeObject): Condition[] {
  const own = conditions(hpa);
  if (own.length > 0) return own;
  const raw = hpa.metadata?.annotations?.[V1_CONDITIONS];
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? conditions({ status: { conditions: parsed } }) : [];
  } catch {
    return [];
  }
}

export const hpaStatus: StatusRule = (hpa, ctx) => {
  const all = hpaConditions(hpa);
  if (all.length === 0) return pending(Reason.NoConditions, 'the autoscaler has not reported yet'); // HPA-05
  const find = (type: string) => all.find((c) => c.type === type);
  const able = find('AbleToScale');
  if (able?.status === 'False' && SCALE_FAILURES.has(able.reason ?? '')) {
    return failed(Reason.ScaleTargetError, `${able.reason}: ${able.message ?? ''}`.trim()); // HPA-03
  }
  const active = find('ScalingActive');
  if (active?.status === 'False' && METRIC_FAILURES.has(active.reason ?? '')) {
    // HPA-02: metrics often need a few minutes after creation.
    const created = creationMs(hpa) ?? ctx.now.getTime();
    const w = windowState(created, ctx.windows.hpaMetrics, ctx.now);
    const text = `${active.reason}: ${active.message ?? ''}`.trim();
    return w.expired ? failed(active.reason!, text) : pending(active.reason!, text, { recheckAt: w.endsAt });
  }
  if (active?.status === 'False' && active.reason === 'ScalingDisabled') {
    return ready(Reason.ScalingActive, active.message ?? 'scaling is disabled', { flags: [Flag.ScalingDisabled] }); // HPA-04
  }
  return ready(Reason.ScalingActive, active?.message ?? 'able to scale'); // HPA-01
};
