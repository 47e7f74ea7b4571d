// Who may read the query API: a bearer token checked with a TokenReview, then a SubjectAccessReview for the verb on
// resourcebundleinstances (get on the named instance, list in a namespace). Answers are cached briefly by token and
// by question, so a burst of requests costs one review each.
import { createHash } from 'node:crypto';
import { GROUP, PLURAL } from '../../mappers/instance/types.js';
import type { KubeClient } from '../kube/client.js';

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

const TTL_MS = 30_000;

export class ApiAuthorizer {
  private readonly tokens = new Map<string, { at: number; caller?: Caller; error?: string }>();
  private readonly decisions = new Map<string, { at: number; allowed: boolean }>();

  constructor(
    private readonly mode: AuthMode,
    private readonly client: KubeClient,
  ) {}

  /** Authenticates the request's bearer token (401 when missing or invalid). */
  async authenticate(authorization: string | undefined): Promise<AuthResult> {
    if (this.mode === 'none') return { ok: true };
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return { ok: false, status: 401, message: 'a bearer token is required (Authorization: Bearer <token>)' };
    const key = createHash('sha256').update(m[1]!).digest('hex');
    let entry = this.tokens.get(key);
    if (!entry || Date.now() - entry.at > TTL_MS) {
      const review = await this.client.request<TokenReview>(
        'POST',
        '/apis/authentication.k8s.io/v1/tokenreviews',
        'token review',
        {
          body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: m[1] } },
        },
      );
      entry =
        review.status?.authenticated && review.status.user
          ? { at: Date.now(), caller: review.status.user }
          : { at: Date.now(), error: review.status?.error ?? 'token not authenticated' };
      this.tokens.set(key, entry);
      if (this.tokens.size > 10_000) this.tokens.clear();
    }
    return entry.caller
      ? { ok: true, caller: entry.caller }
      : { ok: false, status: 401, message: `invalid token: ${entry.error}` };
  }

  /** May `caller` do `verb` on resourcebundleinstances (named, or all in a namespace, or cluster-wide)? */
  async allowed(caller: Caller | undefined, verb: 'get' | 'list', namespace?: string, name?: string): Promise<boolean> {
    if (this.mode === 'none' || !caller) return true;
    const question = JSON.stringify([caller.username, caller.groups, verb, namespace ?? '', name ?? '']);
    const cached = this.decisions.get(question);
    if (cached && Date.now() - cached.at < TTL_MS) return cached.allowed;
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
              group: GROUP,
              resource: PLURAL,
              verb,
              ...(namespace ? { namespace } : {}),
              ...(name ? { name } : {}),
            },
          },
        },
      },
    );
    const allowed = review.status?.allowed === true;
    this.decisions.set(question, { at: Date.now(), allowed });
    if (this.decisions.size > 10_000) this.decisions.clear();
    return allowed;
  }
}
