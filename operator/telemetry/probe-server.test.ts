import { describe, expect, test } from '@jest/globals';
import { parseBindAddress, startProbeServer } from './probe-server.js';

describe('parseBindAddress', () => {
  test.each([
    [':8081', { port: 8081 }],
    ['127.0.0.1:8081', { host: '127.0.0.1', port: 8081 }],
    ['0.0.0.0:9000', { host: '0.0.0.0', port: 9000 }],
    ['[::1]:8081', { host: '::1', port: 8081 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
    ['0', undefined],
    ['', undefined],
  ])('%j → %j', (addr, expected) => {
    expect(parseBindAddress(addr)).toEqual(expected);
  });

  test.each(['nope', '8081', 'host:port', ':70000', ':-1', ':1.5'])('rejects %j', (addr) => {
    expect(() => parseBindAddress(addr)).toThrow(/not a host:port address/);
  });
});

describe('startProbeServer', () => {
  test('"0" disables the server', async () => {
    await expect(startProbeServer('0', { healthy: () => true, ready: () => true })).resolves.toBeUndefined();
  });

  test('serves /healthz, /readyz (503 until ready) and 404 for unknown paths', async () => {
    let ready = false;
    const server = await startProbeServer('127.0.0.1:0', { healthy: () => true, ready: () => ready });
    expect(server).toBeDefined();
    try {
      expect(server!.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(server!.address).not.toBe('127.0.0.1:0');
      const url = (path: string) => `http://${server!.address}${path}`;

      const healthz = await fetch(url('/healthz'));
      expect(healthz.status).toBe(200);
      expect(await healthz.text()).toBe('ok');

      const notReady = await fetch(url('/readyz'));
      expect(notReady.status).toBe(503);
      expect(await notReady.text()).toBe('not ready');

      ready = true;
      const nowReady = await fetch(url('/readyz'));
      expect(nowReady.status).toBe(200);
      expect(await nowReady.text()).toBe('ok');

      const missing = await fetch(url('/nope'));
      expect(missing.status).toBe(404);
      await missing.arrayBuffer();
    } finally {
      await server!.close();
    }
  });

  test('/readyz?verbose answers JSON with the details', async () => {
    const server = await startProbeServer('127.0.0.1:0', {
      healthy: () => true,
      ready: () => false,
      details: () => ({ pods: 'synced' }),
    });
    try {
      const res = await fetch(`http://${server!.address}/readyz?verbose`);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toEqual({ ready: false, informers: { pods: 'synced' } });
    } finally {
      await server!.close();
    }
  });

  test('/healthz answers 503 when unhealthy', async () => {
    const server = await startProbeServer('127.0.0.1:0', { healthy: () => false, ready: () => true });
    try {
      const res = await fetch(`http://${server!.address}/healthz`);
      expect(res.status).toBe(503);
      await res.arrayBuffer();
    } finally {
      await server!.close();
    }
  });
});

describe('parseBindAddress rejects malformed ports (regressions)', () => {
  test.each(['127.0.0.1:', '::1', ': 80', 'host:99999'])('%s throws', (addr) => {
    expect(() => parseBindAddress(addr)).toThrow(/not a host:port address/);
  });
});
