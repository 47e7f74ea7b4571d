// Unit tests of the e2e harness's TCP fault proxy against a local echo server (no cluster). They live here because the
// unit project does not pick up tests under e2e/.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFaultProxy, type FaultProxy } from '../e2e/harness/fault-proxy.js';

interface Client {
  socket: Socket;
  data(): string;
  closed(): boolean;
  events(): string[];
}

let echo: Server;
let upstreams: Socket[];
let received: string;
let proxy: FaultProxy;
let clients: Socket[];

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function open(port = proxy.port): Promise<Client> {
  const socket = connect(port, '127.0.0.1');
  clients.push(socket);
  let data = '';
  const events: string[] = [];
  socket.on('data', (d) => (data += d));
  socket.on('end', () => events.push('end'));
  socket.on('error', (e) => events.push(`error:${(e as NodeJS.ErrnoException).code}`));
  socket.on('close', () => events.push('close'));
  await once(socket, 'connect');
  return { socket, data: () => data, closed: () => events.includes('close'), events: () => events };
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

beforeEach(async () => {
  upstreams = [];
  received = '';
  clients = [];
  echo = createServer((s) => {
    upstreams.push(s);
    s.on('error', () => {});
    s.on('data', (d) => {
      received += d;
      s.write(d);
    });
  });
  proxy = await startFaultProxy({ host: '127.0.0.1', port: await listen(echo) });
});

afterEach(async () => {
  await proxy.close();
  for (const s of [...clients, ...upstreams]) s.destroy();
  await new Promise((resolve) => echo.close(resolve));
});

describe('fault proxy', () => {
  test('pass: forwards both ways and counts connections', async () => {
    expect(proxy.url).toBe(`https://127.0.0.1:${proxy.port}`);
    const c = await open();
    c.socket.write('hello');
    await waitFor('echo', () => c.data() === 'hello');
    expect(proxy.openConnections()).toBe(1);
    expect(proxy.acceptedConnections()).toBe(1);
    c.socket.end();
    await waitFor('close after FIN', () => c.closed());
    await waitFor('count drop', () => proxy.openConnections() === 0);
    expect(c.events()).toEqual(['end', 'close']); // a clean FIN both ways, no reset
  });

  test('killAll resets every open connection at once; new ones work', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    a.socket.write('a');
    b.socket.write('b');
    await waitFor('echo', () => a.data() === 'a' && b.data() === 'b');
    proxy.killAll();
    expect(proxy.openConnections()).toBe(0);
    await waitFor('clients closed', () => a.closed() && b.closed());
    expect(a.events()).toContain('error:ECONNRESET');
    await waitFor('upstreams closed', () => upstreams.every((s) => s.destroyed));
    const c = await open();
    c.socket.write('again');
    await waitFor('echo after kill', () => c.data() === 'again');
    expect(proxy.acceptedConnections()).toBe(3);
  });

  test('blackhole: nothing forwarded either way, no error or FIN; heal resets those connections', async () => {
    const before = await open();
    before.socket.write('1');
    await waitFor('echo', () => before.data() === '1');
    proxy.setMode('blackhole');
    const during = await open();
    before.socket.write('2');
    during.socket.write('3');
    upstreams[0]!.write('from-upstream');
    upstreams[0]!.end(); // not even the upstream's FIN gets through
    await sleep(300);
    expect(before.data()).toBe('1');
    expect(during.data()).toBe('');
    expect(received).toBe('1');
    expect(before.events()).toEqual([]);
    expect(during.events()).toEqual([]);
    expect(upstreams).toHaveLength(1); // the one accepted during the blackhole never reached the upstream
    expect(proxy.openConnections()).toBe(2);
    expect(proxy.acceptedConnections()).toBe(2);

    proxy.setMode('pass');
    expect(proxy.openConnections()).toBe(0);
    await waitFor('blackholed connections reset', () => before.closed() && during.closed());
    expect(before.data()).toBe('1');
    const after = await open();
    after.socket.write('4');
    await waitFor('echo after heal', () => after.data() === '4');
  });

  test('blackhole: a client giving up is forgotten', async () => {
    proxy.setMode('blackhole');
    const c = await open();
    await waitFor('accepted', () => proxy.openConnections() === 1);
    c.socket.end();
    await waitFor('count drop', () => proxy.openConnections() === 0);
  });

  test('delay: every chunk forwarded after delayMs, in order, also across a switch back to pass', async () => {
    const c = await open();
    proxy.setMode('delay', { delayMs: 150 });
    const t0 = Date.now();
    c.socket.write('a');
    await sleep(20);
    c.socket.write('b');
    await sleep(20);
    proxy.setMode('pass'); // 'c' is not delayed, but must not overtake 'a' and 'b'
    c.socket.write('c');
    await waitFor('first byte upstream', () => received.length > 0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    await waitFor('echo', () => c.data() === 'abc');
    expect(received).toBe('abc');
    expect(() => proxy.setMode('delay')).toThrow(RangeError);
  });

  test('upstream refused: the client socket is closed', async () => {
    const gone = createServer();
    const port = await listen(gone);
    await new Promise((resolve) => gone.close(resolve));
    const dead = await startFaultProxy({ host: '127.0.0.1', port });
    try {
      const c = await open(dead.port);
      await waitFor('client closed', () => c.closed());
      expect(dead.openConnections()).toBe(0);
      expect(dead.acceptedConnections()).toBe(1);
    } finally {
      await dead.close();
    }
  });

  test('close() closes every connection and the listener', async () => {
    const c = await open();
    proxy.setMode('delay', { delayMs: 10_000 }); // a pending timer must not keep jest alive
    c.socket.write('x');
    await sleep(20);
    await proxy.close();
    await waitFor('client closed', () => c.closed());
    const refused = connect(proxy.port, '127.0.0.1');
    const [err] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(err.code).toBe('ECONNREFUSED');
  });
});
