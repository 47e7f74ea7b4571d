// k8splugin's status subscription routes (api/statussubhandler.go), stored as ResourceBundleSubscription objects in
// the instance's namespace:
//   GET    /v1/instance/{id}/status/subscription          200 [StatusSubscription] ([] when none)
//   POST   /v1/instance/{id}/status/subscription          201 StatusSubscription
//   GET    /v1/instance/{id}/status/subscription/{name}   200 StatusSubscription
//   PUT    /v1/instance/{id}/status/subscription/{name}   200 StatusSubscription (the path's name; k8splugin reads the body's)
//   DELETE /v1/instance/{id}/status/subscription/{name}   202
// The operator writes the objects, so each request is first authorized as its caller: the matching verb on
// resourcebundlesubscriptions in the instance's namespace (a caller who could not create one with kubectl cannot
// through us). An unknown subscription is 500 with k8splugin's "no documents" text: SO's cnf-adapter tells "not
// there" from that.
import { GROUP } from '../../mappers/instance/types.js';
import type { ResourceBundleInstance } from '../../mappers/instance/types.js';
import { callbackRefusal } from '../../mappers/subscription/callback-policy.js';
import {
  parseSubscriptionRequest,
  statusSubscriptionOf,
  subscriptionObject,
} from '../../mappers/subscription/request.js';
import {
  SUBSCRIPTION_PLURAL,
  type ResourceBundleSubscription,
  type StatusSubscription,
} from '../../mappers/subscription/types.js';
import type { ApiAuthorizer, Caller, ResourceQuestion } from './auth.js';
import { HttpError } from './http-error.js';
import { KubeApiError } from '../kube/errors.js';

/** Where subscriptions are kept: read from the operator's cache, written through its client. */
export interface SubscriptionStore {
  list(namespace: string): readonly ResourceBundleSubscription[];
  create(sub: ResourceBundleSubscription): Promise<ResourceBundleSubscription>;
  /** Replaces the spec (the object as read, with its resourceVersion: a concurrent change is a conflict). */
  update(sub: ResourceBundleSubscription): Promise<ResourceBundleSubscription>;
  delete(namespace: string, name: string): Promise<void>;
}

const NOT_FOUND = 'Error retrieving Subscription data: mongo: no documents in result';
const VERBS = { GET: 'get', POST: 'create', PUT: 'update', DELETE: 'delete' } as const;
type Verb = ResourceQuestion['verb'];

/** The API server's refusal of our write, as the caller's error: a conflict, or a value the CRD's schema refuses. */
async function written<T>(what: 'create' | 'update' | 'delete', write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof KubeApiError && err.code === 409)
      throw new HttpError(
        what === 'create' ? 500 : 409,
        what === 'create' ? 'Subscription already exists' : 'the subscription changed meanwhile: read it and retry',
        { cause: err },
      );
    if (err instanceof KubeApiError && (err.code === 422 || err.code === 400))
      throw new HttpError(400, err.message.replace(/^.*?HTTP \d+ /, ''), { cause: err });
    throw err;
  }
}

export class SubscriptionRoutes {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly auth: ApiAuthorizer,
    /** --notify-allowed-urls: a callback the operator would refuse is refused at once (400). */
    private readonly allowedUrls: readonly string[],
  ) {}

  private async authorize(caller: Caller | undefined, verb: Verb, rbi: ResourceBundleInstance): Promise<void> {
    const namespace = rbi.metadata.namespace ?? '';
    if (!(await this.auth.may(caller, { verb, group: GROUP, resource: SUBSCRIPTION_PLURAL, namespace })))
      throw new HttpError(403, `${verb} ${SUBSCRIPTION_PLURAL}.${GROUP} in ${namespace} is not allowed`);
  }

  private of(rbi: ResourceBundleInstance): ResourceBundleSubscription[] {
    return this.store
      .list(rbi.metadata.namespace ?? '')
      .filter((s) => s.spec?.instance === rbi.metadata.name)
      .sort((a, b) => a.spec.name.localeCompare(b.spec.name));
  }

  private named(rbi: ResourceBundleInstance, name: string): ResourceBundleSubscription {
    const sub = this.of(rbi).find((s) => s.spec.name === name);
    if (!sub) throw new HttpError(500, NOT_FOUND);
    return sub;
  }

  private checkCallback(url: string): void {
    const refused = callbackRefusal(url, this.allowedUrls);
    if (refused) throw new HttpError(400, refused);
  }

  /** `name` is the path's subscription name (absent on the collection); `body` the request's. */
  async handle(
    method: string,
    caller: Caller | undefined,
    rbi: ResourceBundleInstance,
    name: string | undefined,
    body: string,
  ): Promise<{ code: number; body?: StatusSubscription | StatusSubscription[] }> {
    const verb = (VERBS as Record<string, Verb | undefined>)[method];
    if (
      !verb ||
      (name === undefined && method !== 'GET' && method !== 'POST') ||
      (name !== undefined && method === 'POST')
    )
      throw new HttpError(405, `method ${method} not allowed`);
    if (name === undefined && method === 'GET') {
      await this.authorize(caller, 'list', rbi);
      return { code: 200, body: this.of(rbi).map(statusSubscriptionOf) };
    }
    await this.authorize(caller, verb!, rbi);
    if (method === 'POST') {
      const parsed = parseSubscriptionRequest(body, 'create');
      if (!parsed.ok) throw new HttpError(parsed.code, parsed.message);
      this.checkCallback(parsed.request['callback-url']);
      if (this.of(rbi).some((s) => s.spec.name === parsed.request.name))
        throw new HttpError(500, 'Subscription already exists');
      return {
        code: 201,
        body: statusSubscriptionOf(await this.store.create(subscriptionObject(rbi, parsed.request))),
      };
    }
    const sub = this.named(rbi, name!);
    if (method === 'GET') return { code: 200, body: statusSubscriptionOf(sub) };
    if (method === 'DELETE') {
      await written('delete', () => this.store.delete(sub.metadata.namespace, sub.metadata.name));
      return { code: 202 };
    }
    const parsed = parseSubscriptionRequest(body, 'update');
    if (!parsed.ok) throw new HttpError(parsed.code, parsed.message);
    this.checkCallback(parsed.request['callback-url']);
    const spec = {
      ...sub.spec,
      callbackUrl: parsed.request['callback-url'],
      minNotifyInterval: parsed.request['min-notify-interval'],
      notifyMetadata: parsed.request.metadata,
    };
    const updated = await written('update', () => this.store.update({ ...sub, spec }));
    return { code: 200, body: statusSubscriptionOf(updated) };
  }
}
