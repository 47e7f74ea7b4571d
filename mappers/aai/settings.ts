// Defaults of the records' settings, shared by `rbi operator` and `rbi aai-plan`.
export const DEFAULT_AAI_VERSION = 'v24';
export const DEFAULT_DATA_OWNER = 'rbi-operator';
/** The query API's Service in the shipped manifests. */
export const DEFAULT_SELFLINK_BASE = 'http://rbi-operator.rbi-operator-system.svc:8082';
