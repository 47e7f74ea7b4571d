// The k8splugin subscription API's requests and answers, mapped onto ResourceBundleSubscription objects (pure).
// Validation messages are k8splugin's own (api/statussubhandler.go), so SO's logs read the same.
import { createHash } from 'node:crypto';
import { API_VERSION, KIND, type ResourceBundleInstance } from '../instance/types.js';
import {
  SUBSCRIPTION_KIND,
  type ResourceBundleSubscription,
  type StatusSubscription,
  type SubscriptionRequest,
} from './types.js';

export type Parsed = { ok: true; request: SubscriptionRequest } | { ok: false; code: 400 | 422; message: string };

const INT32_MAX = 2 ** 31 - 1;

/** Checks a POST (create) or PUT (update) body as k8splugin does; PUT may leave out the name (the path has it). */
export function parseSubscriptionRequest(body: string, mode: 'create' | 'update'): Parsed {
  if (body.trim() === '') return { ok: false, code: 400, message: 'Body empty' };
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (err) {
    return { ok: false, code: 422, message: (err as Error).message };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return { ok: false, code: 422, message: 'json: cannot unmarshal into Go value of type app.SubscriptionRequest' };
  const r = raw as Record<string, unknown>;
  const str = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : '');
  const interval = r['min-notify-interval'] ?? 0;
  if (typeof interval !== 'number' || !Number.isInteger(interval) || interval > INT32_MAX)
    return { ok: false, code: 422, message: 'json: min-notify-interval must be an int32' };
  const metadata = r.metadata ?? {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    return { ok: false, code: 422, message: 'json: metadata must be an object' };
  const request: SubscriptionRequest = {
    name: str('name'),
    'min-notify-interval': interval,
    metadata: metadata as Record<string, unknown>,
    'callback-url': str('callback-url'),
  };
  if (mode === 'create' && request.name === '')
    return { ok: false, code: 400, message: 'Missing name in POST request' };
  if (interval < 0) return { ok: false, code: 400, message: 'Min Notify Interval has invalid value' };
  if (request['callback-url'] === '') return { ok: false, code: 400, message: 'CallbackUrl has invalid value' };
  return { ok: true, request };
}

/** The object's name: the instance's and a hash of the subscription name (any string there; a DNS name here). */
export function subscriptionObjectName(instanceName: string, subscriptionName: string): string {
  const hash = createHash('sha256').update(subscriptionName).digest('hex').slice(0, 10);
  return `${instanceName.slice(0, 200).replace(/[.-]+$/, '')}-${hash}`;
}

/** The ResourceBundleSubscription for a request, owned by the instance (deleted with it, as k8splugin's Cleanup). */
export function subscriptionObject(rbi: ResourceBundleInstance, req: SubscriptionRequest): ResourceBundleSubscription {
  return {
    apiVersion: API_VERSION,
    kind: SUBSCRIPTION_KIND,
    metadata: {
      name: subscriptionObjectName(rbi.metadata.name ?? '', req.name),
      namespace: rbi.metadata.namespace ?? '',
      ownerReferences: [
        { apiVersion: API_VERSION, kind: KIND, name: rbi.metadata.name ?? '', uid: rbi.metadata.uid ?? '' },
      ],
    },
    spec: {
      instance: rbi.metadata.name ?? '',
      name: req.name,
      callbackUrl: req['callback-url'],
      minNotifyInterval: req['min-notify-interval'],
      notifyMetadata: req.metadata,
    },
  };
}

/** Go's zero time.Time, as k8splugin sends a time never set. */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

const stamp = (t: string | Date | undefined) => (t instanceof Date ? t.toISOString() : t);

export function statusSubscriptionOf(sub: ResourceBundleSubscription): StatusSubscription {
  return {
    name: sub.spec.name,
    'min-notify-interval': sub.spec.minNotifyInterval ?? 0,
    'last-update-time': sub.status?.lastUpdateTime ?? stamp(sub.metadata.creationTimestamp) ?? GO_ZERO_TIME,
    'callback-url': sub.spec.callbackUrl,
    'last-notify-time': sub.status?.lastNotifyTime ?? GO_ZERO_TIME,
    'last-notify-status': sub.status?.lastNotifyStatus ?? 0,
    metadata: sub.spec.notifyMetadata ?? {},
  };
}
