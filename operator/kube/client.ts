// One Kubernetes client for everything the operator does: raw JSON over undici, authentication and TLS from the
// kubeconfig (kubeconfig.ts). Keeping objects as the API server's JSON (no typed deserialization) gives one
// representation in caches, rules and the query API.
import { Agent, fetch, ProxyAgent, type Dispatcher, type Response } from 'undici';
import { errorMessage, KubeApiError } from './errors.js';
import type { KubeConnection } from './kubeconfig.js';

export { loadKubeConfig } from './kubeconfig.js';

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

interface Status {
  kind?: string;
  reason?: string;
  message?: string;
}

/**
 * How long one connection pool serves requests: requests share its keep-alive connections, and a fresh one now and
 * then picks up rotated client certificates and CAs of the kubeconfig's files.
 */
const POOL_TTL_MS = 10 * 60_000;

export class KubeClient {
  private pool?: { dispatcher: Promise<Dispatcher>; at: number };

  constructor(readonly connection: KubeConnection) {}

  get server(): string {
    return this.connection.server;
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
    let headers: Array<[string, string]>;
    let dispatcher: Dispatcher;
    try {
      headers = await this.connection.headers();
      dispatcher = await this.dispatcher();
    } catch (err) {
      this.pool = undefined;
      // e.g. an exec credential plugin that fails (its stderr), or an unreadable certificate file
      throw new KubeApiError(method, what, 0, 'authentication failed', errorMessage(err) || 'no credential', {
        cause: err,
      });
    }
    headers.push(['accept', opts.accept ?? 'application/json']);
    if (opts.body !== undefined) headers.push(['content-type', opts.contentType ?? 'application/json']);
    const timeout = opts.timeoutMs === 0 ? undefined : AbortSignal.timeout(opts.timeoutMs ?? 30000);
    const signal = timeout && opts.signal ? AbortSignal.any([timeout, opts.signal]) : (timeout ?? opts.signal);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        dispatcher,
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
    // Credentials went stale (an exec plugin's, a rotated file's; client certificates live in the pool's TLS
    // options): the next request gets fresh ones.
    if (res.status === 401) {
      this.pool = undefined;
      this.connection.invalidate();
    }
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

  private dispatcher(): Promise<Dispatcher> {
    const now = Date.now();
    // The old pool is dropped, not closed: requests in flight (watches) keep their connections, idle ones time out.
    if (!this.pool || now - this.pool.at > POOL_TTL_MS) this.pool = { dispatcher: this.newDispatcher(), at: now };
    return this.pool.dispatcher;
  }

  private async newDispatcher(): Promise<Dispatcher> {
    const { ca, cert, key, rejectUnauthorized, servername } = await this.connection.tls();
    const connect = { ca, cert, key, rejectUnauthorized, ...(servername ? { servername } : {}) };
    const proxy = this.connection.proxyUrl;
    if (!proxy) return new Agent({ connect });
    if (!/^https?:/.test(proxy)) throw new Error(`proxy-url ${proxy}: only http and https proxies are supported`);
    return new ProxyAgent({ uri: proxy, requestTls: connect });
  }
}
