// A scripted stand-in for kube-apiserver's list and watch endpoints, for unit tests of the informer state machine
// (the e2e suites run the real one). Each list or watch request is answered by the next handler a test queued;
// with none queued, a watch stays open and silent, a list answers 500.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectionFromDocument, type KubeConfigFile, type KubeConnection } from '../../operator/kube/kubeconfig.js';

export interface SeenRequest {
  path: string;
  query: URLSearchParams;
  accept: string;
  at: number;
}

export interface WatchReply {
  /** Sends the 200 header (done by the first event too). */
  open(): void;
  event(type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR', object: unknown): void;
  end(): void;
  /** A non-2xx answer instead of a stream. */
  refuse(code: number, body?: unknown, headers?: Record<string, string>): void;
  /** True once the client went away. */
  readonly closed: boolean;
}

export type ListHandler = (req: SeenRequest) => { code?: number; body: unknown; headers?: Record<string, string> };
export type WatchHandler = (req: SeenRequest, reply: WatchReply) => void;

export interface ScriptedApiServer {
  /** Its kubeconfig (a test may change the user before taking a connection). */
  kubeConfig: KubeConfigFile & Required<Pick<KubeConfigFile, 'users'>>;
  /** A connection from the kubeconfig as it is now. */
  connection(): KubeConnection;
  lists: SeenRequest[];
  watches: SeenRequest[];
  /** Requests open now / at most at one moment. */
  open(): number;
  maxOpen(): number;
  queueList(...h: ListHandler[]): void;
  queueWatch(...h: WatchHandler[]): void;
  /** Resolves when `n` watch requests have been seen. */
  waitForWatches(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const configMap = (name: string, rv: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, resourceVersion: rv },
  ...extra,
});

export async function startScriptedApiServer(opts: { minor?: string } = {}): Promise<ScriptedApiServer> {
  const lists: SeenRequest[] = [];
  const watches: SeenRequest[] = [];
  const listQueue: ListHandler[] = [];
  const watchQueue: WatchHandler[] = [];
  const live = new Set<ServerResponse>();
  let open = 0;
  let maxOpen = 0;
  let waiters: Array<() => void> = [];

  const json = (res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const seen: SeenRequest = {
      path: url.pathname,
      query: url.searchParams,
      accept: String(req.headers.accept ?? ''),
      at: Date.now(),
    };
    if (url.pathname === '/version') return json(res, 200, { major: '1', minor: opts.minor ?? '36' });
    if (url.pathname === '/api/v1')
      return json(res, 200, {
        resources: [
          { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
          { name: 'pods', kind: 'Pod', namespaced: true },
        ],
      });
    open++;
    maxOpen = Math.max(maxOpen, open);
    live.add(res);
    res.on('close', () => {
      open--;
      live.delete(res);
    });
    if (url.searchParams.get('watch') === '1') {
      watches.push(seen);
      for (const w of waiters) w();
      const handler = watchQueue.shift();
      let headerSent = false;
      const reply: WatchReply = {
        open() {
          if (headerSent) return;
          headerSent = true;
          res.writeHead(200, { 'content-type': 'application/json' });
          res.flushHeaders();
        },
        event(type, object) {
          this.open();
          res.write(`${JSON.stringify({ type, object })}\n`);
        },
        end() {
          this.open();
          res.end();
        },
        refuse(code, body = { kind: 'Status', code, reason: 'Refused', message: `refused with ${code}` }, headers) {
          json(res, code, body, headers);
        },
        get closed() {
          return res.closed || res.destroyed;
        },
      };
      if (handler) handler(seen, reply);
      else reply.open();
      return;
    }
    lists.push(seen);
    const handler = listQueue.shift();
    if (!handler) return json(res, 500, { kind: 'Status', code: 500, reason: 'InternalError', message: 'no list' });
    const answer = handler(seen);
    json(res, answer.code ?? 200, answer.body, answer.headers);
  };

  const server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  const kubeConfig = {
    clusters: [{ name: 'c', cluster: { server: `http://127.0.0.1:${port}` } }],
    users: [{ name: 'u', user: { token: 't' } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'x',
  };
  return {
    kubeConfig,
    connection: () => connectionFromDocument(kubeConfig),
    lists,
    watches,
    open: () => open,
    maxOpen: () => maxOpen,
    queueList: (...h) => listQueue.push(...h),
    queueWatch: (...h) => watchQueue.push(...h),
    waitForWatches: (n, timeoutMs = 5000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (watches.length < n) return false;
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== check);
          resolve();
          return true;
        };
        const timer = setTimeout(() => reject(new Error(`saw ${watches.length} of ${n} watches`)), timeoutMs);
        if (!check()) waiters.push(check);
      }),
    close: () =>
      new Promise<void>((r) => {
        for (const res of live) res.destroy();
        server.close(() => r());
      }),
  };
}
