// §4.3 StatefulSet (rows STS-01..10). The controller sets no conditions, so only counters and revisions count.
// Missing or stale observedGeneration (STS-09) is handled by the common prefix with strict generation. Every
// Pending branch rolls up the pods (RU-03, RU-04, RU-07): an OrderedReady StatefulSet whose pod-0 crash-loops never
// creates the later pods, and a rollout of an image that cannot be pulled never completes.
import { int, looseInt, optInt, optStr, str } from '../fields.js';
import { rollUpPods } from '../pod-rollup.js';
import { Flag, Reason } from '../reasons.js';
import { pending, ready } from '../result.js';
import type { ResourceStatus, StatusRule } from '../types.js';

export const statefulSetStatus: StatusRule = (sts, ctx) => {
  const spec = int(sts, 'spec.replicas', 1);
  const replicas = int(sts, 'status.replicas', 0);
  const readyN = int(sts, 'status.readyReplicas', 0);
  const available = optInt(sts, 'status.availableReplicas');
  const updated = int(sts, 'status.updatedReplicas', 0);
  const currentRevision = optStr(sts, 'status.currentRevision');
  const updateRevision = optStr(sts, 'status.updateRevision');
  const revisionMismatch = !!updateRevision && currentRevision !== updateRevision;

  const shortBy = (reason: string, text: string): ResourceStatus =>
    rollUpPods(pending(reason, text), ctx.ownedPods, ctx);
  if (replicas < spec) return shortBy(Reason.LessReplicas, `${replicas}/${spec} replicas created`); // STS-04, RU-03
  if (replicas > spec) return shortBy(Reason.ScalingDown, `scaling down: ${replicas} → ${spec} replicas`); // STS-05
  if (readyN < spec) return shortBy(Reason.LessReady, `ready ${readyN}/${spec}`); // STS-03, STS-10
  if (available !== undefined && available < spec)
    return shortBy(Reason.LessAvailable, `available ${available}/${spec}`);

  const counts = `ready ${readyN}/${spec}, updated ${updated}`;
  if (str(sts, 'spec.updateStrategy.type') === 'OnDelete') {
    // STS-02: pods are replaced only when deleted by hand; a pending revision is informational.
    return ready(Reason.Available, counts, { flags: revisionMismatch ? [Flag.UpdatePending] : [] });
  }
  const partition = looseInt(sts, 'spec.updateStrategy.rollingUpdate.partition') ?? 0;
  if (partition > 0) {
    // STS-06/07: only ordinals ≥ partition are updated.
    if (updated >= spec - partition)
      return ready(Reason.Available, `${counts}, partition ${partition}`, { flags: [Flag.Partitioned] });
    return shortBy(
      Reason.PartitionRollout,
      `rolling out: ${updated}/${spec - partition} updated above partition ${partition}`,
    );
  }
  if (updated < spec) return shortBy(Reason.RollingOut, `rolling out: ${updated}/${spec} updated`); // RU-04
  if (revisionMismatch)
    return shortBy(
      Reason.RevisionMismatch,
      `current revision ${currentRevision ?? '(none)'} ≠ update revision ${updateRevision}`,
    ); // STS-08
  return ready(Reason.Available, counts);
};
