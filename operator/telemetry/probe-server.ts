// /healthz (the process is alive) and /readyz (caches synced) on their own port, as controller-runtime does.
import { createServer, type Server } from 'node:http';

export interface ProbeHandlers {
  healthy: () => boolean;
  ready: () => boolean;
  details?: () => unknown;
  /** Prometheus text for /metrics. */
  metrics?: () => Promise<{ contentType: string; text: string }>;
}

export interface ProbeServer {
  address: string;
  close: () => Promise<void>;
}

/** Parses ":8081", "127.0.0.1:8081" or "0" (disabled). */
export function parseBindAddress(addr: string): { host?: string; port: number } | undefined {
  if (addr === '0' || addr === '') return undefined;
  // host:port, [v6]:port or :port; the port is required and numeric.
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(addr);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new Error(`not a host:port address: ${JSON.stringify(addr)}`);
  const host = m[1] ?? m[2];
  return { ...(host ? { host } : {}), port };
}

export async function startProbeServer(bind: string, h: ProbeHandlers): Promise<ProbeServer | undefined> {
  const addr = parseBindAddress(bind);
  if (!addr) return undefined;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (ok: boolean, body?: unknown) => {
      res.writeHead(ok ? 200 : 503, { 'content-type': body === undefined ? 'text/plain' : 'application/json' });
      res.end(body === undefined ? (ok ? 'ok' : 'not ready') : JSON.stringify(body));
    };
    if (path === '/healthz' || path === '/livez') return reply(h.healthy());
    if (path === '/readyz')
      return reply(
        h.ready(),
        req.url?.includes('verbose') ? { ready: h.ready(), informers: h.details?.() } : undefined,
      );
    if (path === '/metrics' && h.metrics) {
      void h.metrics().then(
        ({ contentType, text }) => {
          res.writeHead(200, { 'content-type': contentType });
          res.end(text);
        },
        () => res.writeHead(500).end(),
      );
      return;
    }
    if (path === '/debug/memory') {
      if (req.url?.includes('gc') && typeof globalThis.gc === 'function') globalThis.gc();
      return reply(true, process.memoryUsage());
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(addr.port, addr.host, () => resolve());
  });
  const a = server.address();
  const address = typeof a === 'object' && a ? `${a.address}:${a.port}` : String(a);
  return { address, close: () => new Promise((r) => server.close(() => r())) };
}
