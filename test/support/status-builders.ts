// Minimal object builders and a pinned clock for status-rule tests.
import { contextFor, type BaseContext } from '../../mappers/status/context.js';
import { evaluate } from '../../mappers/status/registry.js';
import { snapshotFromObjects } from '../../mappers/status/snapshot.js';
import type { KubeObject, ResourceStatus, RuleOptions, Windows } from '../../mappers/status/types.js';
import { DEFAULT_OPTIONS, DEFAULT_WINDOWS } from '../../mappers/status/windows.js';

export const NOW = new Date('2026-01-01T12:00:00Z');
export const SEC = 1000;
export const MIN = 60 * SEC;

/** RFC 3339 time `ms` before NOW. */
export const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString();

export function base(
  over: { windows?: Partial<Windows>; options?: Partial<RuleOptions>; now?: Date } = {},
): BaseContext {
  return {
    now: over.now ?? NOW,
    windows: { ...DEFAULT_WINDOWS, ...over.windows },
    options: { ...DEFAULT_OPTIONS, ...over.options },
  };
}

/** Evaluates `obj` the way the operator does: context gathered from a snapshot of `obj` plus `related`. */
export function judge(obj: KubeObject, related: KubeObject[] = [], over?: Parameters<typeof base>[0]): ResourceStatus {
  const snap = snapshotFromObjects([obj, ...related]);
  return evaluate(obj, contextFor(obj, snap, base(over)));
}

export const cond = (type: string, status: string, reason?: string, extra: Record<string, unknown> = {}) => ({
  type,
  status,
  ...(reason ? { reason } : {}),
  ...extra,
});

type Meta = NonNullable<KubeObject['metadata']>;

export function obj(
  apiVersion: string,
  kind: string,
  name: string,
  rest: { metadata?: Meta; spec?: unknown; status?: unknown; [k: string]: unknown } = {},
): KubeObject {
  const { metadata, ...others } = rest;
  return {
    apiVersion,
    kind,
    metadata: { name, namespace: 'ns1', creationTimestamp: ago(60 * MIN), ...metadata },
    ...others,
  };
}

export function pod(
  status: Record<string, unknown> | undefined,
  metadata: Meta = {},
  spec: Record<string, unknown> = {},
): KubeObject {
  return obj('v1', 'Pod', metadata.name ?? 'p1', {
    metadata,
    spec: { containers: [{ name: 'app', image: 'img' }], restartPolicy: 'Always', ...spec },
    ...(status ? { status } : {}),
  });
}

export const running = (name = 'app', extra: Record<string, unknown> = {}) => ({
  name,
  ready: true,
  restartCount: 0,
  state: { running: { startedAt: ago(10 * MIN) } },
  ...extra,
});

export const waitingCs = (reason: string, name = 'app', extra: Record<string, unknown> = {}) => ({
  name,
  ready: false,
  restartCount: 0,
  state: { waiting: { reason, message: `${reason} message` } },
  ...extra,
});

export const readyPodStatus = (extra: Record<string, unknown> = {}) => ({
  phase: 'Running',
  conditions: [cond('PodScheduled', 'True'), cond('Ready', 'True')],
  containerStatuses: [running()],
  podIP: '10.0.0.5',
  podIPs: [{ ip: '10.0.0.5' }],
  ...extra,
});
