// `rbi aai-sim` through a commander program, in process: the one stdout line with the URL, request logs on stderr,
// a clean stop on SIGTERM/SIGINT, and one-line usage errors.
import { describe, expect, test } from '@jest/globals';
import { Command } from 'commander';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AAI_HEADERS } from './test-client.js';
import { addAaiSimCommand } from '../operator/cli/aai-sim-command.js';
import { aaiSimOptions } from './cli.js';
import { UsageError } from '../operator/cli/errors.js';

function program(out: string[], err: string[]): Command {
  const p = new Command('rbi').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  addAaiSimCommand(p, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return p;
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('rbi aai-sim', () => {
  test.each(['SIGTERM', 'SIGINT'] as const)(
    'prints one line with its URL, serves AAI, logs to stderr, stops on %s',
    async (signal) => {
      const out: string[] = [];
      const err: string[] = [];
      const running = program(out, err).parseAsync(['aai-sim', '--port', '0'], { from: 'user' });
      await until(() => out.length > 0);
      expect(out).toHaveLength(1);
      const url = /aai-sim listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(out[0]!)?.[1];
      expect(url).toBeDefined();
      const r = await fetch(`${url}/aai/v24/network/generic-vnfs/generic-vnf/x`, { headers: AAI_HEADERS });
      expect(r.status).toBe(404);
      expect(
        err.some((l) => /GET \/aai\/v24\/network\/generic-vnfs\/generic-vnf\/x 404 \d+ms tx=tx-test/.test(l)),
      ).toBe(true);
      process.emit(signal);
      await running;
      await expect(fetch(`${url}/__sim/stats`)).rejects.toThrow();
      expect(out).toHaveLength(1);
    },
  );

  test('--persist writes the file on stop; --users replaces AAI:AAI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aai-sim-cli-'));
    const file = join(dir, 'aai.json');
    try {
      const out: string[] = [];
      const running = program(out, []).parseAsync(
        ['aai-sim', '--port', '0', '--persist', file, '--users', 'SO:pw,AAI:AAI'],
        { from: 'user' },
      );
      await until(() => out.length > 0);
      const url = /(http:\/\/\S+)/.exec(out[0]!)![1]!;
      const put = await fetch(`${url}/aai/v24/network/generic-vnfs/generic-vnf/v1`, {
        method: 'PUT',
        headers: {
          ...AAI_HEADERS,
          authorization: `Basic ${Buffer.from('SO:pw').toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ 'vnf-id': 'v1', 'vnf-type': 't' }),
      });
      expect(put.status).toBe(201);
      process.emit('SIGTERM');
      await running;
      expect(JSON.parse(readFileSync(file, 'utf8')).objects).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    [['--port', 'x'], /--port: expected 0\.\.65535/],
    [['--port', '70000'], /--port/],
    [['--users', 'nocolon'], /--users: expected user:password/],
    [['--users', ':pw'], /--users/],
    [['--host', ' '], /--host/],
  ])('%j → UsageError', async (flags, message) => {
    const p = program([], []);
    const run = p.parseAsync(['aai-sim', ...flags], { from: 'user' });
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
  });

  test('a port in use → UsageError', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(program([], []).parseAsync(['aai-sim', '--port', String(port)], { from: 'user' })).rejects.toThrow(
        /cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/,
      );
    } finally {
      blocker.close();
    }
  });

  test('defaults: 127.0.0.1:8447, AAI:AAI', () => {
    expect(aaiSimOptions({})).toEqual({ host: '127.0.0.1', port: 8447 });
    expect(aaiSimOptions({ users: 'a:b:c' }).users).toEqual([{ user: 'a', password: 'b:c' }]);
  });
});
