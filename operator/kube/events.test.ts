// Events go out in the background: record() returns at once, at most two requests are in flight, flush() waits
// for the queue, a full queue drops (counted), a failure is only logged.
import { describe, expect, test } from '@jest/globals';
import type { ResourceBundleInstance } from '../../mappers/instance/types.js';
import { silentLogger } from '../telemetry/logger.js';
import type { KubeClient } from './client.js';
import { EventRecorder } from './events.js';

const rbi = (name: string) =>
  ({ metadata: { name, namespace: 'ns', uid: `uid-${name}` } }) as unknown as ResourceBundleInstance;

function slowClient(ms: number, fail = false) {
  let open = 0;
  let maxOpen = 0;
  const posted: string[] = [];
  const client = {
    request: async (_m: string, _p: string, _w: string, opts: { body: { metadata: { name: string } } }) => {
      open++;
      maxOpen = Math.max(maxOpen, open);
      await new Promise((r) => setTimeout(r, ms));
      open--;
      if (fail) throw new Error('HTTP 500');
      posted.push(opts.body.metadata.name);
    },
  } as unknown as KubeClient;
  return { client, posted, maxOpen: () => maxOpen };
}

describe('EventRecorder', () => {
  test('record() does not wait for the request; two in flight at most; flush() waits for all', async () => {
    const c = slowClient(20);
    const events = new EventRecorder(c.client, silentLogger());
    const start = performance.now();
    for (let i = 0; i < 10; i++) await events.record(rbi(`i${i}`), 'Normal', 'AllReady', 'ready');
    expect(performance.now() - start).toBeLessThan(15);
    await events.flush();
    expect(c.posted).toHaveLength(10);
    expect(c.maxOpen()).toBe(2);
    expect(events.sent).toBe(10);
  });

  test('a failure is only counted as not sent; a full queue drops the newest', async () => {
    const c = slowClient(1, true);
    const events = new EventRecorder(c.client, silentLogger());
    for (let i = 0; i < 1005; i++) await events.record(rbi(`i${i}`), 'Warning', 'Failed', `n${i}`);
    expect(events.dropped).toBeGreaterThan(0);
    await events.flush();
    expect(events.sent).toBe(0);
  });
});
