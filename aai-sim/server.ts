// The AAI simulator's HTTP server (node:http): /aai/vNN/… with AAI's checks and semantics, /aai/vNN/bulk/
// single-transaction, fault injection in front of both, and the /__sim control endpoints beside them.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { singleTransaction } from './bulk.js';
import { AaiError, errorForStatus, requestErrorBody } from './errors.js';
import { FaultControl } from './faults.js';
import { inspectorFor, type StoreInspector } from './inspector.js';
import { displayPath, isServedVersion, splitVersionedPath } from './paths.js';
import { readSnapshotFile, SnapshotWriter } from './persistence.js';
import { checkAaiHeaders, checkBasicAuth, checkContentType, transactionId, type BasicUser } from './request-checks.js';
import {
  aaiMethodName,
  applyWrite,
  readResource,
  type ResourceRequest,
  type WriteMethodName,
} from './resource-requests.js';
import { answerSimControl } from './sim-control.js';
import { RequestStats, type StatsSnapshot } from './stats.js';
import { AaiGraph } from './store.js';

export interface AaiSimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Basic-auth users; default AAI:AAI. An empty list turns authentication off. */
  users?: BasicUser[];
  /** JSON file: loaded at start when present, rewritten after writes. */
  persistFile?: string;
  /** One line per request, and persistence problems. */
  log?: (line: string) => void;
}

export interface AaiSimulator {
  /** http://host:port, no trailing slash. */
  url: string;
  close(): Promise<void>;
  faults: FaultControl;
  store: StoreInspector;
  stats(): StatsSnapshot;
}

const DEFAULT_USERS: readonly BasicUser[] = [{ user: 'AAI', password: 'AAI' }];

/** Bodies above this are refused (AAI bodies are a few KiB; a bulk of 30 a few hundred). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const WRITE_METHODS = new Set<string>(['PUT', 'PATCH', 'DELETE']);

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const errorAnswer = (err: AaiError, leadingVars: readonly string[], headers?: Record<string, string>): Answer => ({
  status: err.status,
  body: requestErrorBody(err, leadingVars),
  ...(headers ? { headers } : {}),
});

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new AaiError('3000', `body larger than ${MAX_BODY_BYTES} bytes`, [], 413));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJsonBody(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new AaiError('3102', `the body is not JSON: ${(err as Error).message}`);
  }
}

function send(res: ServerResponse, answer: Answer): void {
  if (res.destroyed) return;
  const headers = { ...(answer.headers ?? {}) };
  if (answer.body === undefined) {
    res.writeHead(answer.status, headers).end();
    return;
  }
  res.writeHead(answer.status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(answer.body));
}

export async function startAaiSimulator(opts: AaiSimulatorOptions = {}): Promise<AaiSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const users = opts.users ?? DEFAULT_USERS;
  const log = opts.log ?? (() => undefined);
  const graph = new AaiGraph();
  const faults = new FaultControl();
  const stats = new RequestStats();

  if (opts.persistFile) {
    const snapshot = readSnapshotFile(opts.persistFile);
    if (snapshot) graph.restore(snapshot);
  }
  const writer = opts.persistFile
    ? new SnapshotWriter(
        opts.persistFile,
        () => graph.snapshot(),
        50,
        (err) => log(`persist failed: ${String(err)}`),
      )
    : undefined;
  const dataChanged = () => writer?.schedule();

  function answerBulk(method: string, version: string, headers: IncomingHttpHeaders, rawBody: string): Answer {
    try {
      if (method !== 'POST') throw new AaiError('3100', `${method} on bulk/single-transaction`, [], 405);
      const typeError = checkContentType('POST', headers);
      if (typeError) throw typeError;
      const result = singleTransaction(graph, version, parseJsonBody(rawBody));
      dataChanged();
      return result;
    } catch (err) {
      if (err instanceof AaiError) return errorAnswer(err, ['POST', `${version}/bulk/single-transaction`]);
      throw err;
    }
  }

  function answerResource(method: string, req: ResourceRequest, headers: IncomingHttpHeaders, rawBody: string): Answer {
    try {
      if (method === 'GET') return readResource(graph, req);
      if (!WRITE_METHODS.has(method)) throw new AaiError('3100', method, [], 405);
      // A DELETE carries a body only on …/relationship-list/relationship.
      if (method !== 'DELETE' || rawBody.trim() !== '') {
        const typeError = checkContentType(method, headers);
        if (typeError) throw typeError;
      }
      const body = parseJsonBody(rawBody);
      const status = graph.transaction((tx) => applyWrite(tx, { ...req, method: method as WriteMethodName, body }));
      dataChanged();
      return { status };
    } catch (err) {
      if (err instanceof AaiError) return errorAnswer(err, [aaiMethodName(method, req.relative), req.displayPath]);
      throw err;
    }
  }

  /** Everything after the faults: authentication, headers and version, then bulk or the resource API. */
  function answerAai(method: string, url: URL, headers: IncomingHttpHeaders, rawBody: string): Answer {
    const versioned = splitVersionedPath(url.pathname);
    if (!versioned)
      return errorAnswer(new AaiError('3001', `${url.pathname} is not under /aai/<version>`), [
        method,
        displayPath(url.pathname),
      ]);
    const authError = checkBasicAuth(headers, users);
    if (authError) return errorAnswer(authError, [], { 'www-authenticate': 'Basic realm="aai"' });
    const headerError = checkAaiHeaders(headers);
    if (headerError) return errorAnswer(headerError, []);
    const { version, relative } = versioned;
    if (!isServedVersion(version)) return errorAnswer(new AaiError('3016', '', [version]), []);
    if (relative === '/bulk/single-transaction') return answerBulk(method, version, headers, rawBody);
    const req = { version, relative, query: url.searchParams, displayPath: displayPath(relative) };
    return answerResource(method, req, headers, rawBody);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://aai-sim');
    const override = req.headers['x-http-method-override'];
    const rawMethod = (req.method ?? 'GET').toUpperCase();
    // AAI takes a POST with X-HTTP-Method-Override: PATCH as a PATCH.
    const method = rawMethod === 'POST' && String(override).toUpperCase() === 'PATCH' ? 'PATCH' : rawMethod;
    const done = (answer: Answer, note = '') => {
      send(res, answer);
      const ms = Math.round(performance.now() - started);
      const tx = transactionId(req.headers);
      log(`${method} ${url.pathname}${url.search} ${answer.status} ${ms}ms${tx ? ` tx=${tx}` : ''}${note}`);
    };

    if (url.pathname === '/__sim' || url.pathname.startsWith('/__sim/')) {
      const raw = await readBody(req);
      done(answerSimControl({ graph, stats, faults, onDataChanged: dataChanged }, rawMethod, url.pathname, raw));
      return;
    }
    if (faults.down) {
      stats.recordDropped();
      log(`${method} ${url.pathname}${url.search} dropped (down)`);
      req.socket.destroy();
      return;
    }
    let answer: Answer;
    let note = '';
    try {
      const raw = await readBody(req);
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      const relative = splitVersionedPath(url.pathname)?.relative ?? url.pathname;
      const failure = faults.takeFailure(method, url.pathname, relative);
      const vars = [aaiMethodName(method, relative), displayPath(relative)];
      if (failure) {
        answer = errorAnswer(errorForStatus(failure.status, 'injected by the simulator (failNext)'), vars);
        note = ' (injected)';
      } else if (faults.rollError()) {
        answer = errorAnswer(new AaiError('4000', 'injected by the simulator (errorRate)', [], 503), vars);
        note = ' (injected)';
      } else {
        answer = answerAai(method, url, req.headers, raw);
      }
    } catch (err) {
      const aaiErr =
        err instanceof AaiError ? err : new AaiError('4000', err instanceof Error ? err.message : String(err));
      answer = errorAnswer(aaiErr, [method, url.pathname]);
    }
    stats.record(method, answer.status);
    done(answer, note);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`internal error: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) send(res, errorAnswer(new AaiError('4000', String(err)), []));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${hostInUrl}:${address.port}`,
    faults,
    store: inspectorFor(graph),
    stats: () => stats.snapshot(),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await writer?.flush();
    },
  };
}
