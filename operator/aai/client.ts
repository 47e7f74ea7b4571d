// The AAI REST client (got): base URL and API version, basic auth and/or a client certificate, CA bundle, TLS
// verification on by default, X-FromAppId and X-TransactionId on every call, timeouts, retries with exponential
// backoff and jitter on network errors, 5xx and 429, AAI requestError bodies turned into readable errors, writes
// batched through /bulk/single-transaction (≤ 30 operations, atomic) or one by one, and a dry-run mode.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import got, { type Got, type Method, type OptionsOfTextResponseBody } from 'got';
import type { BulkOperation } from '../../mappers/aai/types.js';
import type { Logger } from '../telemetry/logger.js';
import { AaiError } from './errors.js';

export { AaiError };

const BULK_LIMIT = 30;

export interface AaiClientOptions {
  /** e.g. https://aai.onap:8443 (the /aai/<version> prefix is added here). */
  baseUrl: string;
  apiVersion: string;
  username?: string;
  password?: string;
  certFile?: string;
  keyFile?: string;
  caFile?: string;
  /** TLS verification is on unless this is set (test setups only). */
  insecureSkipTlsVerify?: boolean;
  fromAppId?: string;
  timeoutMs?: number;
  retries?: number;
  /** Upper bound of one backoff delay. */
  backoffMaxMs?: number;
  bulk?: 'single-transaction' | 'per-object';
  dryRun?: boolean;
  log?: Logger;
  /** Called once per HTTP response (metrics). */
  onResponse?: (method: string, status: number, ms: number) => void;
}

interface RequestError {
  requestError?: Record<string, { messageId?: string; text?: string; variables?: string[] }>;
}

/** Renders AAI's requestError ("text" with %1.. placeholders filled from "variables") into one line. */
export function describeRequestError(body: string): { code: string; text: string } {
  try {
    const parsed = JSON.parse(body) as RequestError;
    const exc = parsed.requestError && Object.values(parsed.requestError)[0];
    if (!exc) return { code: '', text: body.slice(0, 300) };
    const vars = exc.variables ?? [];
    const code = vars.find((v) => /^ERR\./.test(v)) ?? exc.messageId ?? '';
    const text = (exc.text ?? '')
      .replace(/%(\d+)/g, (_, n: string) => vars[Number(n) - 1] ?? '')
      .replace(/\s*\(msg=.*$/s, '');
    const msg = vars.length >= 3 ? vars[vars.length - 2] : '';
    return { code, text: [exc.messageId, text, msg].filter(Boolean).join(' ') };
  } catch {
    return { code: '', text: body.slice(0, 300) };
  }
}

/** A collection page: AAI's resultIndex/resultSize paging. */
const PAGE_SIZE = 500;

export class AaiClient {
  private readonly http: Got;
  readonly apiVersion: string;
  private readonly opts: AaiClientOptions;
  /** Requests in flight, so close() can abort them (no AAI call outlives a shutdown or a lost Lease). */
  private readonly inFlight = new Set<AbortController>();
  private closed = false;

  constructor(opts: AaiClientOptions) {
    this.opts = opts;
    this.apiVersion = opts.apiVersion;
    const backoffMax = opts.backoffMaxMs ?? 30_000;
    const https: OptionsOfTextResponseBody['https'] = { rejectUnauthorized: !opts.insecureSkipTlsVerify };
    if (opts.caFile) https.certificateAuthority = readFileSync(opts.caFile);
    if (opts.certFile) https.certificate = readFileSync(opts.certFile);
    if (opts.keyFile) https.key = readFileSync(opts.keyFile);
    this.http = got.extend({
      prefixUrl: `${opts.baseUrl.replace(/\/$/, '')}/aai/${opts.apiVersion}/`,
      ...(opts.username ? { username: opts.username, password: opts.password ?? '' } : {}),
      https,
      timeout: { request: opts.timeoutMs ?? 30_000 },
      throwHttpErrors: false,
      retry: {
        limit: opts.retries ?? 4,
        methods: ['GET', 'PUT', 'PATCH', 'DELETE', 'POST'],
        statusCodes: [408, 429, 500, 502, 503, 504, 521, 522, 524],
        // Exponential with full jitter, capped.
        calculateDelay: ({ computedValue, attemptCount }) =>
          // got stops retrying when this returns 0, so full jitter starts at 1 ms.
          computedValue === 0
            ? 0
            : Math.max(1, Math.round(Math.random() * Math.min(backoffMax, 500 * 2 ** attemptCount))),
      },
      headers: { accept: 'application/json', 'x-fromappid': opts.fromAppId ?? 'rbi-operator' },
    });
  }

  get dryRun(): boolean {
    return !!this.opts.dryRun;
  }

  private async call(
    method: Method,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    query?: Record<string, string>,
  ): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
    const transactionId = randomUUID();
    if (this.closed) throw new AaiError(method, path, 0, transactionId, '', 'AAI client closed (shutting down)');
    const started = performance.now();
    const abort = new AbortController();
    this.inFlight.add(abort);
    let res;
    try {
      res = await this.http(path.replace(/^\//, ''), {
        method,
        headers: { 'x-transactionid': transactionId, ...(body !== undefined ? { 'content-type': contentType } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(query ? { searchParams: query } : {}),
        signal: abort.signal,
      });
    } catch (err) {
      this.opts.onResponse?.(method, 0, performance.now() - started);
      const e = err as { code?: string; message?: string };
      const why = this.closed
        ? 'aborted: AAI client closed (shutting down)'
        : (e.code ?? e.message ?? 'request failed');
      throw new AaiError(method, path, 0, transactionId, '', why, { cause: err });
    } finally {
      this.inFlight.delete(abort);
    }
    this.opts.onResponse?.(method, res.statusCode, performance.now() - started);
    if (res.statusCode >= 400) {
      const { code, text } = describeRequestError(res.body);
      throw new AaiError(method, path, res.statusCode, transactionId, code, text);
    }
    return { status: res.statusCode, body: res.body, headers: res.headers };
  }

  /** The object at `path`, or undefined when AAI has none (404). */
  async get<T>(path: string, depth?: string): Promise<T | undefined> {
    try {
      const r = await this.call('GET', path, undefined, undefined, depth !== undefined ? { depth } : undefined);
      return JSON.parse(r.body) as T;
    } catch (err) {
      if (err instanceof AaiError && err.status === 404) return undefined;
      throw err;
    }
  }

  /**
   * Every object of a collection (e.g. a tenant's k8s-resources), page by page, filtered by property query
   * parameters; an empty collection (AAI answers 404) is []. `beforePage` runs before each request (rate limits).
   */
  async list<T>(
    path: string,
    type: string,
    filters: Record<string, string> = {},
    opts: { depth?: string; beforePage?: () => Promise<void> } = {},
  ): Promise<T[]> {
    const out: T[] = [];
    for (let index = 1; ; index++) {
      await opts.beforePage?.();
      const query: Record<string, string> = {
        ...filters,
        resultIndex: String(index),
        resultSize: String(PAGE_SIZE),
        ...(opts.depth !== undefined ? { depth: opts.depth } : {}),
      };
      let r;
      try {
        r = await this.call('GET', path, undefined, undefined, query);
      } catch (err) {
        if (err instanceof AaiError && err.status === 404) return out;
        throw err;
      }
      const page = ((JSON.parse(r.body) as Record<string, T[] | undefined>)[type] ?? []) as T[];
      out.push(...page);
      const pages = Number(r.headers['total-pages']);
      if (page.length < PAGE_SIZE || (Number.isFinite(pages) && index >= pages)) return out;
    }
  }

  /** Aborts the requests in flight and refuses new ones. */
  close(): void {
    this.closed = true;
    for (const abort of this.inFlight) abort.abort();
  }

  /** Requests in flight (tests, shutdown). */
  get pending(): number {
    return this.inFlight.size;
  }

  async put(path: string, body: unknown): Promise<number> {
    if (this.dryRun) return this.dry('PUT', path, body);
    return (await this.call('PUT', path, body)).status;
  }

  async patch(path: string, body: unknown): Promise<number> {
    if (this.dryRun) return this.dry('PATCH', path, body);
    return (await this.call('PATCH', path, body, 'application/merge-patch+json')).status;
  }

  async delete(path: string, resourceVersion: string): Promise<number> {
    if (this.dryRun) return this.dry('DELETE', path);
    return (await this.call('DELETE', path, undefined, undefined, { 'resource-version': resourceVersion })).status;
  }

  /**
   * Runs write operations: through /bulk/single-transaction in atomic chunks of ≤ 30, or one by one (AAI
   * deployments without the bulk API); `checkWrite` (throws when this replica may no longer write) runs before each
   * request. Returns the number of operations applied.
   */
  async write(ops: readonly BulkOperation[], checkWrite?: () => void): Promise<number> {
    if (ops.length === 0) return 0;
    if (this.dryRun) {
      for (const op of ops) this.dry(op.action.toUpperCase(), op.uri, op.body);
      return ops.length;
    }
    if (this.opts.bulk === 'per-object') {
      for (const op of ops) {
        checkWrite?.();
        const [path, query] = op.uri.split('?');
        if (op.action === 'delete')
          await this.call('DELETE', path!, undefined, undefined, Object.fromEntries(new URLSearchParams(query ?? '')));
        else if (op.action === 'patch') await this.call('PATCH', path!, op.body, 'application/merge-patch+json');
        else await this.call('PUT', path!, op.body);
      }
      return ops.length;
    }
    for (let i = 0; i < ops.length; i += BULK_LIMIT) {
      checkWrite?.();
      await this.call('POST', 'bulk/single-transaction', { operations: ops.slice(i, i + BULK_LIMIT) });
    }
    return ops.length;
  }

  private dry(method: string, path: string, body?: unknown): number {
    this.opts.log?.info('aai dry-run', { method, path: `/aai/${this.apiVersion}${path}`, body });
    return 200;
  }
}
