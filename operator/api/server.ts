// The ONAP k8splugin-compatible read API. The instance routes are served from the operator's caches, the query
// routes by live reads (query-routes.ts); no other Kubernetes call per request besides the cached reviews:
//   GET /v1/instance[?rb-name=&rb-version=&profile-name=]      list, InstanceMiniResponse entries
//   GET /v1/instance/{id}[?full=true]                           InstanceResponse (InstanceDbData with full=true)
//   GET /v1/instance/{id}/status                                InstanceStatus, whole objects + our summary
//   GET /v1/instance/{id}/query?ApiVersion=&Kind=[&Name=&Labels=]   InstanceStatus of a live query
//   GET /v1/query?CloudRegion=&ApiVersion=&Kind=[&Namespace=&Name=&Labels=]   QueryStatus of a live query
//   GET|POST /v1/instance/{id}/status/subscription, GET|PUT|DELETE …/subscription/{name}   (subscription-routes.ts)
// Every object returned passes the caller's own authorization (get on its kind in its namespace); objects the caller
// may not read are left out. Kinds whose rule reads only metadata (Secret, ConfigMap, …) come as metadata only, and no
// object carries last-applied-configuration. An instance the caller may not get is "not found", as an unknown one
// is. Errors are JSON: {"code": 404, "message": "..."}; a 5xx says nothing internal (the log has it, by error id).
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import {
  instanceDbDataOf,
  instanceResponseOf,
  listEntryOf,
  requestOf,
  statusEntry,
  type InstanceMiniResponse,
  type InstanceStatusResponse,
} from '../../mappers/k8splugin/shapes.js';
import { instanceIdOf, refKey, type ResourceBundleInstance } from '../../mappers/instance/types.js';
import type { InstanceEvaluation } from '../../mappers/status/instance.js';
import type { KubeObject } from '../../mappers/status/types.js';
import { errorMessage } from '../kube/errors.js';
import type { Logger } from '../telemetry/logger.js';
import { parseBindAddress } from '../telemetry/probe-server.js';
import type { ApiAuthorizer, Caller } from './auth.js';
import type { ApiBackend } from './backend.js';
import { HttpError } from './http-error.js';
import { QueryRoutes } from './query-routes.js';
import type { SubscriptionRoutes } from './subscription-routes.js';
import { readableEntries, type Entry } from './readable.js';

export interface ApiServerOptions {
  bind: string;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export interface ApiServer {
  address: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** /v1/instance/{id}/status/subscription[/{name}] */
const isSubscriptionPath = (p: string[]) =>
  (p.length === 5 || p.length === 6) &&
  p[0] === 'v1' &&
  p[1] === 'instance' &&
  p[3] === 'status' &&
  p[4] === 'subscription';

/** A subscription request's body: small JSON; a larger one is refused before it is all read. */
const MAX_BODY_BYTES = 64 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Path segments, percent-decoded; malformed encoding is the client's error (400). */
function pathSegments(pathname: string): string[] {
  try {
    return pathname.replace(/\/+$/, '').split('/').slice(1).map(decodeURIComponent);
  } catch {
    throw new HttpError(400, `malformed percent-encoding in path: ${pathname}`);
  }
}

/** Listed objects found, then pods not listed, each with its verdict. */
function statusEntries(rbi: ResourceBundleInstance, ev: InstanceEvaluation): Entry[] {
  const out: Entry[] = [];
  const seen = new Set<KubeObject>();
  for (const r of ev.resources) {
    const obj = ev.found.get(refKey(rbi, r));
    if (!obj) continue; // not found: k8splugin leaves it out as well (and is not ready)
    seen.add(obj);
    out.push({ obj, entry: statusEntry(obj, { state: r.status, reason: r.reason, message: r.message }) });
  }
  const podDetail = new Map(ev.pods.map((p) => [p.name, p]));
  for (const { pod, state } of ev.podObjects) {
    if (seen.has(pod)) continue;
    const d = podDetail.get(pod.metadata?.name ?? '');
    out.push({ obj: pod, entry: statusEntry(pod, { state, reason: d?.reason ?? '', message: d?.message ?? '' }) });
  }
  return out;
}

export class QueryApi {
  private readonly queries: QueryRoutes;

  constructor(
    private readonly backend: ApiBackend,
    private readonly auth: ApiAuthorizer,
    private readonly log: Logger,
    /** The status subscription routes; absent: they answer 404. */
    private readonly subscriptions?: SubscriptionRoutes,
  ) {
    this.queries = new QueryRoutes(backend, auth);
  }

  /** The instance with this id that the caller may get; one it may not get is as unknown as a missing one. */
  private async find(caller: Caller | undefined, id: string): Promise<ResourceBundleInstance> {
    // Several instances may carry an id: only its owner (the oldest) is served for it.
    const rbi = this.backend.idOwner(id);
    if (!rbi || !(await this.auth.allowed(caller, 'get', rbi.metadata.namespace, rbi.metadata.name)))
      throw new HttpError(
        404,
        `instance not found: ${id}${this.backend.notFoundHint ? ` (${this.backend.notFoundHint()})` : ''}`,
      );
    return rbi;
  }

  private evaluation(rbi: ResourceBundleInstance): InstanceEvaluation {
    const ev = this.backend.evaluate(rbi);
    if (!ev) throw new HttpError(503, 'the operator is still loading this instance; retry shortly');
    return ev;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const parts = pathSegments(url.pathname);
      const subscription = this.subscriptions && isSubscriptionPath(parts);
      if (req.method !== 'GET' && !subscription) throw new HttpError(405, `method ${req.method} not allowed`);
      const auth = await this.auth.authenticate(req.headers.authorization);
      if (!auth.ok) throw new HttpError(auth.status, auth.message);
      if (subscription) {
        const body = await readBody(req);
        const rbi = await this.find(auth.caller, parts[2]!);
        const out = await this.subscriptions!.handle(req.method ?? 'GET', auth.caller, rbi, parts[5], body);
        if (out.body === undefined) {
          res.writeHead(out.code, { 'content-length': 0 });
          return void res.end();
        }
        return send(res, out.code, out.body);
      }
      if (parts.length === 2 && parts[0] === 'v1' && parts[1] === 'query')
        return send(res, 200, await this.queries.clusterQuery(auth.caller, url.searchParams));
      if (parts[0] !== 'v1' || parts[1] !== 'instance') throw new HttpError(404, `no such path: ${url.pathname}`);
      if (parts.length === 2) return send(res, 200, await this.list(auth.caller, url.searchParams));
      const rbi = await this.find(auth.caller, parts[2]!);
      if (parts.length === 3)
        // k8splugin compares exactly: only "true" asks for the full record.
        return send(
          res,
          200,
          url.searchParams.get('full') === 'true' ? instanceDbDataOf(rbi) : instanceResponseOf(rbi),
        );
      if (parts.length === 4 && parts[3] === 'status') {
        const ev = this.evaluation(rbi);
        const entries = await readableEntries(this.backend, this.auth, auth.caller, statusEntries(rbi, ev));
        const body: InstanceStatusResponse = {
          request: requestOf(rbi),
          ready: ev.state === 'Ready',
          resourceCount: entries.length,
          resourcesStatus: entries,
        };
        return send(res, 200, body);
      }
      if (parts.length === 4 && parts[3] === 'query')
        return send(res, 200, await this.queries.instanceQuery(auth.caller, rbi, url.searchParams));
      throw new HttpError(404, `no such path: ${url.pathname}`);
    } catch (err) {
      if (err instanceof HttpError) return send(res, err.code, { code: err.code, message: err.message });
      const errorId = randomUUID();
      this.log.warn('api request failed', { path: req.url, errorId, error: errorMessage(err) });
      send(res, 500, { code: 500, message: `internal error (error id ${errorId})` });
    }
  }

  private async list(caller: Caller | undefined, params: URLSearchParams): Promise<InstanceMiniResponse[]> {
    const want = {
      'rb-name': params.get('rb-name'),
      'rb-version': params.get('rb-version'),
      'profile-name': params.get('profile-name'),
    };
    const all = this.backend.instances().filter((rbi) => {
      if (this.backend.idOwner(instanceIdOf(rbi)) !== rbi) return false; // a duplicate id is listed once, for its owner
      const r = requestOf(rbi);
      return (
        (!want['rb-name'] || r['rb-name'] === want['rb-name']) &&
        (!want['rb-version'] || r['rb-version'] === want['rb-version']) &&
        (!want['profile-name'] || r['profile-name'] === want['profile-name'])
      );
    });
    if (await this.auth.allowed(caller, 'list')) return all.map(listEntryOf);
    // Not allowed cluster-wide: keep the namespaces the caller may list.
    const out = [];
    for (const rbi of all)
      if (await this.auth.allowed(caller, 'list', rbi.metadata.namespace)) out.push(listEntryOf(rbi));
    return out;
  }
}

const REQUEST_TIMEOUT_MS = 30_000;
const HEADERS_TIMEOUT_MS = 10_000;

export async function startApiServer(opts: ApiServerOptions, api: QueryApi): Promise<ApiServer | undefined> {
  const addr = parseBindAddress(opts.bind);
  if (!addr) return undefined;
  const handler = (req: IncomingMessage, res: ServerResponse) => void api.handle(req, res);
  const server: Server = opts.tls
    ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, handler)
    : createHttpServer(handler);
  // A slow or stalled client cannot hold a connection open: whole request in 30 s, headers in 10 s.
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(addr.port, addr.host, () => resolve());
  });
  const a = server.address();
  return {
    address: typeof a === 'object' && a ? `${a.address}:${a.port}` : String(a),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
