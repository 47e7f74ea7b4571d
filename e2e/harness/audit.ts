// Counts writes recorded in the local control plane's audit log (writes to k8splugin.io resources only).
import { existsSync, readFileSync } from 'node:fs';
import { readState } from '../cluster/control-plane.js';
import { readRunInfo } from './run-info.js';

interface AuditEvent {
  stage?: string;
  verb?: string;
  user?: { username?: string };
  objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string };
  requestReceivedTimestamp?: string;
}

/** The audit log path when the harness runs the control plane, else undefined (an external cluster). */
export function auditLogPath(): string | undefined {
  const info = readRunInfo();
  if (!info.clusterDir) return undefined;
  return readState(info.clusterDir)?.auditLog;
}

/** Status writes (patch/update of the status subresource) to instances in `namespace` since `since` (ms). */
export function statusWrites(namespace: string, since: number, path = auditLogPath()): AuditEvent[] {
  if (!path || !existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEvent)
    .filter(
      (e) =>
        e.stage === 'ResponseComplete' &&
        (e.verb === 'patch' || e.verb === 'update') &&
        e.objectRef?.resource === 'resourcebundleinstances' &&
        e.objectRef.subresource === 'status' &&
        e.objectRef.namespace === namespace &&
        Date.parse(e.requestReceivedTimestamp ?? '') >= since,
    );
}
