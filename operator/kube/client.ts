// One Kubernetes client for everything the operator does: raw JSON over node:http(s) keep-alive connections,
// authentication and TLS from the kubeconfig (kubeconfig.ts). Keeping objects as the API server's JSON (no typed
// deserialization) gives one representation in caches, rules and the query API. node:https and not undici (or
// fetch): undici costs about 20 MiB more of RSS, and HTTP/1.1 keep-alive is all a watch needs. Responses are not
// compressed (no Accept-Encoding): gzip costs CPU at both ends, and the big answers (watches) are never compressed.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
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
  private pool?: { agent: Promise<http.Agent>; at: number };

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
    const text = await readBody(res, method, what);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A GET of a text document (the API server's /metrics). */
  async text(path: string, what: string): Promise<string> {
    return readBody(await this.send('GET', path, what, { accept: 'text/plain' }), 'GET', what);
  }

  /**
   * A GET whose body is read as it arrives (a watch); non-2xx answers throw as request() does. Ending the
   * iteration early (or the signal) closes the connection.
   */
  async stream(path: string, what: string, opts: RequestOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    return this.send('GET', path, what, opts);
  }

  private async send(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    what: string,
    opts: RequestOptions,
  ): Promise<IncomingMessage> {
    const url = new URL(this.server.replace(/\/$/, '') + path);
    const writes = method === 'POST' || method === 'PUT' || method === 'PATCH';
    const query = { ...(writes ? { fieldManager: FIELD_MANAGER } : {}), ...opts.query };
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    let headers: Array<[string, string]>;
    let agent: http.Agent;
    try {
      headers = await this.connection.headers();
      agent = await this.agent();
    } catch (err) {
      this.pool = undefined;
      // e.g. an exec credential plugin that fails (its stderr), or an unreadable certificate file
      throw new KubeApiError(method, what, 0, 'authentication failed', errorMessage(err) || 'no credential', {
        cause: err,
      });
    }
    headers.push(['accept', opts.accept ?? 'application/json']);
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    if (payload) headers.push(['content-type', opts.contentType ?? 'application/json']);
    const timeout = opts.timeoutMs === 0 ? undefined : AbortSignal.timeout(opts.timeoutMs ?? 30000);
    const signal = timeout && opts.signal ? AbortSignal.any([timeout, opts.signal]) : (timeout ?? opts.signal);
    let res: IncomingMessage;
    try {
      res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = (url.protocol === 'https:' ? https : http).request(url, {
          method,
          headers: headerObject(headers),
          agent,
          ...(signal ? { signal } : {}),
        });
        req.once('response', resolve);
        req.once('error', reject);
        req.end(payload);
      });
    } catch (err) {
      throw connectionFailed(method, what, err);
    }
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return res;
    // Credentials went stale (an exec plugin's, a rotated file's; client certificates live in the pool's TLS
    // options): the next request gets fresh ones.
    if (status === 401) {
      this.pool = undefined;
      this.connection.invalidate();
    }
    const text = await readBody(res, method, what).catch(() => '');
    let answer: Status = {};
    try {
      answer = JSON.parse(text) as Status;
    } catch {
      // not a Status object (a proxy's HTML page, or priority-and-fairness's plain-text 429)
    }
    const retryAfter = Number(res.headers['retry-after']);
    throw new KubeApiError(
      method,
      what,
      status,
      answer.reason ?? res.statusMessage ?? '',
      answer.message ?? text.slice(0, 200),
      Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {},
    );
  }

  private agent(): Promise<http.Agent> {
    const now = Date.now();
    // The old pool is dropped, not destroyed: requests in flight (watches) keep their connections, idle ones close.
    if (!this.pool || now - this.pool.at > POOL_TTL_MS) this.pool = { agent: this.newAgent(), at: now };
    return this.pool.agent;
  }

  private async newAgent(): Promise<http.Agent> {
    const { ca, cert, key, rejectUnauthorized, servername } = await this.connection.tls();
    const proxy = this.connection.proxyUrl;
    if (proxy && !/^https?:/.test(proxy))
      throw new Error(`proxy-url ${proxy}: only http and https proxies are supported`);
    if (proxy && !agentsTakeProxies()) throw new Error(`proxy-url ${proxy}: needs Node.js ≥ 24.5 (agent proxyEnv)`);
    // proxyEnv (Node.js 24.5): the kubeconfig's proxy-url, for this agent only
    const proxyEnv = proxy ? { proxyEnv: { HTTPS_PROXY: proxy, HTTP_PROXY: proxy } } : {};
    const keepAlive = { keepAlive: true, keepAliveMsecs: 30_000, scheduling: 'lifo' as const, ...proxyEnv };
    if (!this.server.startsWith('https:')) return new http.Agent(keepAlive);
    return new https.Agent({ ...keepAlive, ca, cert, key, rejectUnauthorized, ...(servername ? { servername } : {}) });
  }
}

/** http.Agent's proxyEnv option came with Node.js 24.5. */
function agentsTakeProxies(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 24 || (major === 24 && minor >= 5);
}

/** Pairs as node:http's headers object: a repeated name (Impersonate-Group) becomes one line per value. */
function headerObject(pairs: Array<[string, string]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of pairs) {
    const held = out[k];
    out[k] = held === undefined ? v : Array.isArray(held) ? [...held, v] : [held, v];
  }
  return out;
}

function connectionFailed(method: string, what: string, err: unknown): KubeApiError {
  const e = err as { code?: string; message?: string; name?: string; cause?: unknown };
  const detail = e.name === 'AbortError' ? 'aborted' : (e.code ?? e.message ?? String(err));
  return new KubeApiError(method, what, 0, 'connection failed', detail, { cause: err });
}

/** The whole body as text; a connection lost while reading it is a connection failure. */
async function readBody(res: IncomingMessage, method: string, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of res) chunks.push(chunk as Buffer);
  } catch (err) {
    throw connectionFailed(method, what, err);
  }
  return Buffer.concat(chunks).toString('utf8');
}
