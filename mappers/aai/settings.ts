// Defaults of the records' settings, shared by `rbi operator` and `rbi aai-plan`.
export const DEFAULT_AAI_VERSION = 'v24';
export const DEFAULT_DATA_OWNER = 'rbi-operator';
/** The query API's Service in the shipped manifests. */
export const DEFAULT_SELFLINK_BASE = 'http://rbi-operator.rbi-operator-system.svc:8082';

/** Defaults of the sync's pacing (flags of `rbi operator`). */
export const AAI_DEFAULTS = {
  /** However long AAI was away, a failing instance tries again within this (plus jitter) of its return. */
  backoffMaxMs: 30_000,
  resyncIntervalMs: 10 * 60_000,
  resyncQps: 10,
  cleanupWorkers: 4,
  intentTimeoutMs: 15_000,
} as const;
