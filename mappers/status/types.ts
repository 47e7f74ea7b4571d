// Shapes shared by every status rule. See ../shared/design/status-rules.md §4 for the decision lists.
import type { Flag } from './reasons.js';

export type State = 'Ready' | 'Pending' | 'Failed';

/** The minimum every Kubernetes object we read has; fields are read through tolerant getters (fields.ts). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string | Date;
  deletionTimestamp?: string | Date;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [key: string]: unknown;
}

/** The result of one rule: the state, the exact reason string, a human message and flags. */
export interface ResourceStatus {
  state: State;
  reason: string;
  message: string;
  flags: Flag[];
  /**
   * Epoch ms at which a time window in the rule ends and the result may change with no other event
   * (e.g. Pending Unschedulable turning Failed). The operator requeues at this time instead of polling.
   */
  recheckAt?: number;
}

/** Time windows of §4 in milliseconds (configurable; defaults in windows.ts). */
export interface Windows {
  /** T_term: after deletionTimestamp + grace period, Terminating becomes StuckTerminating. */
  terminating: number;
  /** T_sched: from the PodScheduled condition's lastTransitionTime, Unschedulable becomes Failed. */
  unschedulable: number;
  /** T_missing: from instance creation or last update, NotFound becomes Missing. */
  missing: number;
  /** T_ready: a custom resource's primary condition False stays Pending this long. */
  readyCondition: number;
  /** T_metrics: from HPA creation, failing metrics stay Pending this long. */
  hpaMetrics: number;
  /** T_crd: from CRD creation, a CRD with names accepted but not Established stays Pending. */
  crdEstablish: number;
  /** T_api: from the Available condition's transition (else creation), an unavailable APIService stays Pending. */
  apiService: number;
  /** T_cr: strict mode only: a custom resource without status signals stays Pending after creation. */
  customResource: number;
}

/** A per-kind override rule (§6), compiled from CEL (overrides.ts). */
export interface CompiledOverride {
  name: string;
  matches(group: string, kind: string): boolean;
  evaluate(obj: KubeObject): ResourceStatus;
}

/** Behaviour switches where the spec offers an option. */
export interface RuleOptions {
  /** JOB-06: a suspended Job is Pending `Suspended` (default) or Ready with flag `Suspended`. */
  suspendedJobReady: boolean;
  /** ING-02: ingress classes whose controller never publishes status; their Ingresses are Ready without an address. */
  ingressClassesWithoutStatus: string[];
  /** CR-01: strict mode for custom resources without status signals. */
  strictCustomResources: boolean;
  /** §5: count install hooks (helm.sh/hook, argocd.argoproj.io/hook) in the instance status. */
  countHooks: boolean;
  /** §4.0 step 2 / §6: per-kind override rules (compiled), applied right after the deletion check. */
  overrides?: readonly CompiledOverride[];
}

/** Minimal StorageClass facts the PVC rule needs (PVC-02). */
export interface StorageClassInfo {
  volumeBindingMode?: string;
}

/** Facts about the CRD that serves a custom resource (CR-01 strict mode). */
export interface CrdInfo {
  hasStatusSubresource: boolean;
}

/** Everything a rule may need; gathered beforehand (context.ts) so rules never fetch. */
export interface EvalContext {
  /** Pinned clock: rules never read the system time. */
  now: Date;
  windows: Windows;
  options: RuleOptions;
  /** Pods whose failure can fail the owner (Deployment: pods of the newest ReplicaSet; STS/DS/RS/Job: owned pods). */
  ownedPods?: KubeObject[];
  /** Jobs owned by a CronJob. */
  ownedJobs?: KubeObject[];
  /** PVC: the claim's StorageClass, when known. */
  storageClass?: StorageClassInfo;
  /** PVC: number of pods that mount the claim, when known. */
  claimUsers?: number;
  crdInfo?: CrdInfo;
}

export type StatusRule = (obj: KubeObject, ctx: EvalContext) => ResourceStatus;

/** A rule that may decline to decide (returns undefined), as kstatus's pipeline stages do. */
export type PartialRule = (obj: KubeObject, ctx: EvalContext) => ResourceStatus | undefined;
