// A TCP fault-injection proxy the e2e harness puts between the operator and kube-apiserver. It works below TLS (bytes
// pass through untouched), so the operator meets what a bad network does to a TLS client: resets, silent partitions
// and latency. node:net only.
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export type FaultMode = 'pass' | 'blackhole' | 'delay';

export interface FaultProxy {
  /** Listening on 127.0.0.1. */
  readonly port: number;
  /** `https://127.0.0.1:${port}` */
  readonly url: string;
  /** Currently open client-side connections (for asserting boundedness). */
  openConnections(): number;
  /** Total connections accepted since start. */
  acceptedConnections(): number;
  /** Destroys every open connection (both sides) at once, like a network reset; new connections are accepted normally. */
  killAll(): void;
  /**
   * blackhole: open and new connections stay up but no byte is forwarded in either direction (no error, no FIN); data
   * is discarded. pass: normal. delay: every chunk forwarded after `delayMs` (order preserved).
   */
  setMode(mode: FaultMode, opts?: { delayMs?: number }): void;
  close(): Promise<void>;
}

/** One direction of a connection: a FIFO of chunks (null = FIN), each released no earlier than its due time, so a delay
 * never reorders bytes, not even when it changes mid-stream. */
class Lane {
  private readonly queue: { due: number; chunk: Buffer | null }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly dst: Socket) {}

  push(chunk: Buffer | null, delayMs: number): void {
    this.queue.push({ due: Date.now() + delayMs, chunk });
    if (this.queue.length === 1) this.drain(); // otherwise a timer for the head is pending
  }

  /** Bytes still in flight when a partition starts are lost. */
  clear(): void {
    clearTimeout(this.timer);
    this.queue.length = 0;
  }

  private drain(): void {
    for (let head = this.queue[0]; head; head = this.queue[0]) {
      // Checked against the clock on every wake-up: a timer may fire a millisecond early.
      const wait = head.due - Date.now();
      if (wait > 0) {
        this.timer = setTimeout(() => this.drain(), wait);
        return;
      }
      this.queue.shift();
      if (this.dst.destroyed) continue;
      if (head.chunk) this.dst.write(head.chunk);
      else this.dst.end();
    }
  }
}

interface Conn {
  client: Socket;
  /** None for connections accepted during a blackhole: they never reach the apiserver. */
  upstream: Socket | undefined;
  lanes: Lane[];
  /** Was open during a blackhole: bytes were lost, so its TLS stream is broken for good. */
  tainted: boolean;
}

/** A reset (RST), not a FIN: that is what a dropped connection looks like to its peer. A socket still connecting has no
 * connection to reset. */
function reset(s: Socket): void {
  if (s.destroyed) return;
  if (s.connecting) s.destroy();
  else s.resetAndDestroy();
}

const ignore = () => {};

export async function startFaultProxy(
  target: { host: string; port: number },
  opts: { port?: number } = {},
): Promise<FaultProxy> {
  const conns = new Set<Conn>();
  let accepted = 0;
  let mode: FaultMode = 'pass';
  let delayMs = 0;

  const drop = (c: Conn) => {
    conns.delete(c);
    for (const lane of c.lanes) lane.clear();
    reset(c.client);
    if (c.upstream) reset(c.upstream);
  };

  const pipe = (c: Conn, src: Socket, dst: Socket) => {
    const lane = new Lane(dst);
    c.lanes.push(lane);
    const forward = (chunk: Buffer | null) => {
      if (!c.tainted) lane.push(chunk, mode === 'delay' ? delayMs : 0);
    };
    src.on('data', forward);
    // Half-open on both sides so a FIN travels through the lane, behind the (possibly delayed) bytes before it.
    src.on('end', () => (c.tainted && src === c.client ? drop(c) : forward(null)));
    src.on('close', (hadError) => {
      // Partitioned: the client must not learn the upstream went away; when the client gives up, forget it.
      if (c.tainted) {
        if (src === c.client) drop(c);
      } else if (hadError) {
        drop(c); // a reset or refused connection on one side resets the other, as a network would
      } else if (c.client.destroyed && c.upstream?.destroyed) {
        conns.delete(c); // both FINs delivered
      }
    });
  };

  const server = createServer({ allowHalfOpen: true }, (client) => {
    accepted++;
    const c: Conn = { client, upstream: undefined, lanes: [], tainted: mode === 'blackhole' };
    conns.add(c);
    client.on('error', ignore); // errors surface as 'close' with hadError
    if (c.tainted) {
      // Swallow everything; the client finds out at heal (reset) or when it gives up.
      client.resume();
      client.on('end', () => drop(c));
      client.on('close', () => drop(c));
      return;
    }
    const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true });
    upstream.on('error', ignore);
    c.upstream = upstream;
    pipe(c, client, upstream);
    pipe(c, upstream, client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const killAll = () => {
    for (const c of [...conns]) drop(c);
  };

  return {
    port,
    url: `https://127.0.0.1:${port}`,
    openConnections: () => [...conns].filter((c) => !c.client.destroyed).length,
    acceptedConnections: () => accepted,
    killAll,
    setMode(next, o = {}) {
      if (next === 'delay') {
        if (o.delayMs === undefined || !(o.delayMs >= 0)) throw new RangeError('delay mode needs delayMs >= 0');
        delayMs = o.delayMs;
      }
      if (next === 'blackhole' && mode !== 'blackhole') {
        for (const c of conns) {
          c.tainted = true;
          for (const lane of c.lanes) lane.clear();
        }
      }
      // Destroy on heal: a blackholed connection lost bytes, so resuming it would hand the TLS client a corrupt or
      // stalled stream. Resetting it makes the client see the failure now and reconnect (every connection open at this
      // point was tainted: none is accepted untainted during a blackhole).
      if (mode === 'blackhole' && next !== 'blackhole') {
        for (const c of [...conns]) if (c.tainted) drop(c);
      }
      mode = next;
    },
    async close() {
      killAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
