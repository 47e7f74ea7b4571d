// One Kubernetes client for everything the operator does: raw JSON over the connection, authentication and TLS
// that @kubernetes/client-node sets up from the kubeconfig (the same path its Watch uses). Keeping objects as the
// API server's JSON (no typed deserialization) gives one representation in caches, rules and the query API.
import { HttpMethod, KubeConfig, RequestContext } from '@kubernetes/client-node';
import { fetch, type Response } from 'undici';
import { errorMessage, KubeApiError } from './errors.js';

/** The field manager of every write the operator makes (request() sets it on POST, PUT and PATCH). */
export const FIELD_MANAGER = 'rbi-operator';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** The Accept header (default application/json); metadata-only reads ask for PartialObjectMetadata. */
  accept?: string;
  /** Whole-request deadline (default 30 s; 0 = none, for watches, which have their own read deadline). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Loads a kubeconfig from a path, else $KUBECONFIG / ~/.kube/config, else the in-cluster service account. */
export function loadKubeConfig(path?: string): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault();
  if (!kc.getCurrentCluster()) throw new Error(`no current cluster in the kubeconfig${path ? ` ${path}` : ''}`);
  return kc;
}

interface Status {
  kind?: string;
  reason?: string;
  message?: string;
}

/**
 * How long one connection pool serves requests. client-node builds a new undici Agent (so a new TLS connection) per
 * request; we keep one, so requests share keep-alive connections, and take a fresh one now and then so rotated
 * client certificates and CAs in the kubeconfig are picked up.
 */
const POOL_TTL_MS = 10 * 60_000;

export class KubeClient {
  private pool?: { dispatcher: unknown; at: number };

  constructor(readonly kc: KubeConfig) {}

  get server(): string {
    return this.kc.getCurrentCluster()!.server;
  }

  async request<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    what: string,
    opts: RequestOptions = {},
  ): Promise<T> {
    const res = await this.send(method, path, what, opts);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A GET of a text document (the API server's /metrics). */
  async text(path: string, what: string): Promise<string> {
    return (await this.send('GET', path, what, { accept: 'text/plain' })).text();
  }

  /** A GET whose body is read as it arrives (a watch); non-2xx answers throw as request() does. */
  async stream(path: string, what: string, opts: RequestOptions = {}): Promise<ReadableStream<Uint8Array>> {
    const res = await this.send('GET', path, what, opts);
    if (!res.body) throw new KubeApiError('GET', what, res.status, 'empty body', '');
    return res.body as ReadableStream<Uint8Array>;
  }

  private async send(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    what: string,
    opts: RequestOptions,
  ): Promise<Response> {
    const url = new URL(this.server.replace(/\/$/, '') + path);
    const writes = method === 'POST' || method === 'PUT' || method === 'PATCH';
    const query = { ...(writes ? { fieldManager: FIELD_MANAGER } : {}), ...opts.query };
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const ctx = new RequestContext(url.toString(), HttpMethod[method]);
    try {
      await this.kc.applySecurityAuthentication(ctx);
    } catch (err) {
      // e.g. an exec credential plugin that fails: client-node rejects with its stderr
      throw new KubeApiError(method, what, 0, 'authentication failed', errorMessage(err) || 'no credential', {
        cause: err,
      });
    }
    const headers: Record<string, string> = { ...ctx.getHeaders(), accept: opts.accept ?? 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    const timeout = opts.timeoutMs === 0 ? undefined : AbortSignal.timeout(opts.timeoutMs ?? 30000);
    const signal = timeout && opts.signal ? AbortSignal.any([timeout, opts.signal]) : (timeout ?? opts.signal);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        dispatcher: this.dispatcherFrom(ctx) as never,
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new KubeApiError(
        method,
        what,
        0,
        'connection failed',
        cause?.code ?? cause?.message ?? (err as Error).message,
        { cause: err },
      );
    }
    if (res.status >= 200 && res.status < 300) return res;
    // A client certificate from an exec plugin or a rotated file lives in the pool's TLS options: take a fresh one.
    if (res.status === 401) this.pool = undefined;
    const text = await res.text().catch(() => '');
    let status: Status = {};
    try {
      status = JSON.parse(text) as Status;
    } catch {
      // not a Status object (a proxy's HTML page, or priority-and-fairness's plain-text 429)
    }
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new KubeApiError(
      method,
      what,
      res.status,
      status.reason ?? res.statusText,
      status.message ?? text.slice(0, 200),
      Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {},
    );
  }

  private dispatcherFrom(ctx: RequestContext): unknown {
    const now = Date.now();
    if (!this.pool || now - this.pool.at > POOL_TTL_MS) this.pool = { dispatcher: ctx.getDispatcher(), at: now };
    return this.pool.dispatcher;
  }
}
