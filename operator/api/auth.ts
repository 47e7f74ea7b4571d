// Who may read the query API: a bearer token checked with a TokenReview, then SubjectAccessReviews: for the verb on
// resourcebundleinstances (get on the named instance, list in a namespace), and get on each kind in each namespace
// the answer would show. Answers are cached briefly (bounded, keyed by hashes), so a burst costs one review each.
import { createHash } from 'node:crypto';
import { GROUP, PLURAL } from '../../mappers/instance/types.js';
import type { KubeClient } from '../kube/client.js';
import { TtlCache } from './ttl-cache.js';

export type AuthMode = 'kubernetes' | 'none';

export interface Caller {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export type AuthResult = { ok: true; caller?: Caller } | { ok: false; status: 401 | 403; message: string };

interface TokenReview {
  status?: { authenticated?: boolean; user?: Caller; error?: string };
}

interface AccessReview {
  status?: { allowed?: boolean; reason?: string };
}

/** How long a TokenReview or SubjectAccessReview answer is reused, and how many are kept. */
const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What a SubjectAccessReview asks: a verb on a resource (group + plural), in a namespace, optionally by name. */
export interface ResourceQuestion {
  verb: 'get' | 'list' | 'create' | 'update' | 'delete';
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
}

export class ApiAuthorizer {
  /** By sha256 of the token: the token itself is never kept. */
  private readonly tokens: TtlCache<{ caller?: Caller; error?: string }>;
  /** By sha256 of the whole caller (username, uid, groups, extra) and the question. */
  private readonly decisions: TtlCache<boolean>;

  constructor(
    private readonly mode: AuthMode,
    private readonly client: KubeClient,
    opts: { ttlMs?: number; maxEntries?: number } = {},
  ) {
    this.tokens = new TtlCache(opts.ttlMs ?? TTL_MS, opts.maxEntries ?? MAX_ENTRIES);
    this.decisions = new TtlCache(opts.ttlMs ?? TTL_MS, opts.maxEntries ?? MAX_ENTRIES);
  }

  /** Authenticates the request's bearer token (401 when missing or invalid). */
  async authenticate(authorization: string | undefined): Promise<AuthResult> {
    if (this.mode === 'none') return { ok: true };
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return { ok: false, status: 401, message: 'a bearer token is required (Authorization: Bearer <token>)' };
    const key = sha256(m[1]!);
    let entry = this.tokens.get(key);
    if (!entry) {
      const review = await this.client.request<TokenReview>(
        'POST',
        '/apis/authentication.k8s.io/v1/tokenreviews',
        'token review',
        { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: m[1] } } },
      );
      entry =
        review.status?.authenticated && review.status.user
          ? { caller: review.status.user }
          : { error: review.status?.error ?? 'token not authenticated' };
      this.tokens.set(key, entry);
    }
    return entry.caller
      ? { ok: true, caller: entry.caller }
      : { ok: false, status: 401, message: `invalid token: ${entry.error}` };
  }

  /** May `caller` do `verb` on resourcebundleinstances (named, or all in a namespace, or cluster-wide)? */
  allowed(caller: Caller | undefined, verb: 'get' | 'list', namespace?: string, name?: string): Promise<boolean> {
    return this.may(caller, { verb, group: GROUP, resource: PLURAL, namespace, name });
  }

  /** May `caller` do what `q` asks (any resource)? Answered by a SubjectAccessReview, cached. */
  async may(caller: Caller | undefined, q: ResourceQuestion): Promise<boolean> {
    if (this.mode === 'none' || !caller) return true;
    const key = sha256(JSON.stringify([caller.username, caller.uid, caller.groups, caller.extra, q]));
    const cached = this.decisions.get(key);
    if (cached !== undefined) return cached;
    const review = await this.client.request<AccessReview>(
      'POST',
      '/apis/authorization.k8s.io/v1/subjectaccessreviews',
      'subject access review',
      {
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec: {
            user: caller.username,
            ...(caller.uid ? { uid: caller.uid } : {}),
            ...(caller.groups ? { groups: caller.groups } : {}),
            ...(caller.extra ? { extra: caller.extra } : {}),
            resourceAttributes: {
              group: q.group,
              resource: q.resource,
              verb: q.verb,
              ...(q.namespace ? { namespace: q.namespace } : {}),
              ...(q.name ? { name: q.name } : {}),
            },
          },
        },
      },
    );
    const allowed = review.status?.allowed === true;
    this.decisions.set(key, allowed);
    return allowed;
  }
}
