// Exact reason and flag strings. Names marked "spec" are fixed by ../shared/design/status-rules.md; the others are
// ours, chosen where a row fixes only the state (kept CamelCase and stable: users match on them).

export const Reason = {
  // generic (GEN-*)
  Terminating: 'Terminating', // spec
  StuckTerminating: 'StuckTerminating', // spec
  StaleStatus: 'StaleStatus', // spec
  NotObserved: 'NotObserved', // spec
  NotFound: 'NotFound', // spec
  Missing: 'Missing', // spec
  StatusUnknown: 'StatusUnknown', // spec
  Stalled: 'Stalled',
  Reconciling: 'Reconciling',
  // Pod
  Unschedulable: 'Unschedulable', // spec
  SchedulingGated: 'SchedulingGated', // spec
  CrashLoopBackOff: 'CrashLoopBackOff', // spec
  ContainerRestarted: 'ContainerRestarted', // spec
  ContainerError: 'ContainerError', // spec
  Completed: 'Completed', // spec
  Evicted: 'Evicted', // spec
  PodPhaseUnknown: 'PodPhaseUnknown', // spec
  NotReady: 'NotReady', // spec
  Running: 'Running', // spec (Job); also a ready Pod
  Pending: 'Pending',
  PodFailed: 'PodFailed',
  // workloads
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded', // spec
  FailedCreate: 'FailedCreate', // spec
  RollingOut: 'RollingOut', // spec
  OldReplicasTerminating: 'OldReplicasTerminating', // spec
  Paused: 'Paused', // spec
  PodsFailing: 'PodsFailing', // spec
  ScalingDown: 'ScalingDown', // spec
  LessReplicas: 'LessReplicas',
  LessAvailable: 'LessAvailable',
  LessReady: 'LessReady',
  LessCurrent: 'LessCurrent',
  LessUpdated: 'LessUpdated',
  NotAvailable: 'NotAvailable',
  ReplicaSetNotAvailable: 'ReplicaSetNotAvailable',
  RevisionMismatch: 'RevisionMismatch',
  PartitionRollout: 'PartitionRollout',
  Available: 'Available',
  ScaledToZero: 'ScaledToZero',
  // Job / CronJob
  NotStarted: 'NotStarted', // spec
  Suspended: 'Suspended', // spec
  LastRunFailed: 'LastRunFailed', // spec
  BackoffLimitExceeded: 'BackoffLimitExceeded',
  JobFailed: 'JobFailed',
  Scheduled: 'Scheduled',
  // storage, networking
  Bound: 'Bound',
  ClaimLost: 'ClaimLost', // spec
  WaitForFirstConsumer: 'WaitForFirstConsumer', // spec
  NotBound: 'NotBound',
  NoLoadBalancerIngress: 'NoLoadBalancerIngress', // spec
  NoAddress: 'NoAddress', // spec
  NoClusterIP: 'NoClusterIP',
  HasAddress: 'HasAddress',
  ExternalName: 'ExternalName',
  ClusterIP: 'ClusterIP',
  // HPA, PDB, CRD, APIService, Namespace
  ScaleTargetError: 'ScaleTargetError', // spec
  ScalingActive: 'ScalingActive',
  SyncFailed: 'SyncFailed', // spec
  NamesNotAccepted: 'NamesNotAccepted', // spec
  NonStructuralSchema: 'NonStructuralSchema',
  NotEstablished: 'NotEstablished',
  Established: 'Established',
  Installing: 'Installing',
  Active: 'Active',
  NoConditions: 'NoConditions',
  // custom resources
  StaleCondition: 'StaleCondition', // spec
  NoStatusSignals: 'NoStatusSignals',
  // static kinds
  Exists: 'Exists',
  // instance aggregation (§5)
  NoResources: 'NoResources', // spec
  AllReady: 'AllReady',
} as const;

export const Flag = {
  RecentRestart: 'RecentRestart', // spec
  ScaledToZero: 'ScaledToZero', // spec
  Suspended: 'Suspended', // spec
  UpdatePending: 'UpdatePending', // spec
  Partitioned: 'Partitioned', // spec
  NoEligibleNodes: 'NoEligibleNodes', // spec
  IngressWithoutAddress: 'IngressWithoutAddress', // spec
  ExternalIPsOnly: 'ExternalIPsOnly', // spec
  NoDisruptionsAllowed: 'NoDisruptionsAllowed', // spec
  UnrecognisedPhase: 'UnrecognisedPhase', // spec
  NoStatusSignals: 'NoStatusSignals', // spec
  MissingNetworkAttachment: 'MissingNetworkAttachment', // spec (§7)
  LoadBalancerPortError: 'LoadBalancerPortError', // SVC-08
  Resizing: 'Resizing', // PVC-05
  FileSystemResizePending: 'FileSystemResizePending', // PVC-05
  ScalingDisabled: 'ScalingDisabled', // HPA-04
  NoStatusPublished: 'NoStatusPublished', // ING-02 opt-out
  MalformedNetworkStatus: 'MalformedNetworkStatus', // §7: annotation present but unreadable
  Hook: 'Hook', // §5: install hook, not counted
  Ignored: 'Ignored', // §5: ignore annotation, not counted
  OwnedByMember: 'OwnedByMember', // §5: rolled up into a tracked owner, not counted
} as const;
export type Flag = (typeof Flag)[keyof typeof Flag];
