// Shapes of status subscriptions: the ResourceBundleSubscription custom resource (crds/resourcebundlesubscriptions.yaml)
// and k8splugin's wire types for them (onap/multicloud-k8s src/k8splugin/internal/app/subscription.go:
// SubscriptionRequest, StatusSubscription, notifyRequestPayload).
import type { GVK } from '../k8splugin/shapes.js';
import type { KubeObject, ObjectMeta, State } from '../status/types.js';

export const SUBSCRIPTION_KIND = 'ResourceBundleSubscription';
export const SUBSCRIPTION_PLURAL = 'resourcebundlesubscriptions';

export interface SubscriptionSpec {
  /** metadata.name of the ResourceBundleInstance, in the subscription's namespace. */
  instance: string;
  /** The k8splugin subscription name (unique per instance). */
  name: string;
  callbackUrl: string;
  /** Seconds; 0 = notify each change at once. */
  minNotifyInterval?: number;
  notifyMetadata?: Record<string, unknown>;
}

export interface SubscriptionStatus {
  observedGeneration?: number;
  lastUpdateTime?: string;
  lastNotifyTime?: string;
  lastNotifyStatus?: number;
  failures?: number;
  message?: string;
  /** The status last delivered (or the starting point): entry key → digest of its verdict. */
  notified?: Record<string, string>;
}

export interface ResourceBundleSubscription {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { name: string; namespace: string };
  spec: SubscriptionSpec;
  status?: SubscriptionStatus;
}

/** k8splugin's SubscriptionRequest (the body of POST and PUT). */
export interface SubscriptionRequest {
  name: string;
  'min-notify-interval': number;
  metadata: Record<string, unknown>;
  'callback-url': string;
}

/** k8splugin's StatusSubscription (what GET, POST and PUT answer). */
export interface StatusSubscription {
  name: string;
  'min-notify-interval': number;
  'last-update-time': string;
  'callback-url': string;
  'last-notify-time': string;
  'last-notify-status': number;
  metadata: Record<string, unknown>;
}

/** One entry of a notification: k8splugin's ResourceStatus, plus our verdict. */
export interface ChangedResource {
  name: string;
  GVK: GVK;
  /** Identity only (apiVersion, kind, name, namespace): the receiver reads the objects with its own rights. */
  status: KubeObject;
  /** Ours: the verdict now (absent for a deleted entry). */
  summary?: { status: State; reason: string; message: string };
}

/** k8splugin's notifyRequestPayload. */
export interface NotifyPayload {
  'instance-id': string;
  'subscription-name': string;
  metadata: Record<string, unknown>;
  'resource-changes': { created: ChangedResource[]; deleted: ChangedResource[]; modified: ChangedResource[] };
}
