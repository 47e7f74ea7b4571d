// An unhandled rejection is logged (once per message) and counted; the process keeps running. The second case runs a
// real Node process: without the policy Node exits with code 1; with it the process finishes its work and exits 0.
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { packageRoot } from '../cli/package-root.js';
import { keepRunningOnUnhandledRejections } from './fault-policy.js';
import { createLogger } from './logger.js';

describe('unhandled rejections', () => {
  test('logged once per message (repeats at debug), counted', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const source = new EventEmitter();
    let count = 0;
    const remove = keepRunningOnUnhandledRejections(createLogger('info', stream), source, () => count++);
    source.emit('unhandledRejection', new Error('exec plugin failed'));
    source.emit('unhandledRejection', new Error('exec plugin failed'));
    source.emit('unhandledRejection', 'a string');
    remove();
    source.emit('unhandledRejection', new Error('after removal'));
    expect(count).toBe(3);
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        const logged = lines.map((l) => JSON.parse(l) as { level: string; error: string });
        expect(logged.map((l) => `${l.level} ${l.error}`)).toEqual(['error exec plugin failed', 'error a string']);
        resolve();
      }),
    );
  });

  test.each([
    [false, 1],
    [true, 0],
  ])('a real process with the policy installed: %s → exit code %i', (installed, code) => {
    const root = packageRoot();
    const script = `
      import { keepRunningOnUnhandledRejections } from ${JSON.stringify(join(root, 'dist/operator/telemetry/fault-policy.js'))};
      import { silentLogger } from ${JSON.stringify(join(root, 'dist/operator/telemetry/logger.js'))};
      if (${installed}) keepRunningOnUnhandledRejections(silentLogger());
      void Promise.reject(new Error('stray'));
      setTimeout(() => process.stdout.write('still running'), 50);
    `;
    const r = spawnSync(join(root, 'node_modules/.bin/node'), ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(code);
    expect(r.stdout.includes('still running')).toBe(installed);
  });
});
