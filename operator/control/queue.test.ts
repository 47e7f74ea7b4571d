import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { WorkQueue } from './queue.js';

describe('WorkQueue', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  test('deduplicates keys that are waiting', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  test('a key added while in flight is processed again after done(), never twice at once', async () => {
    const q = new WorkQueue();
    q.add('a');
    const k = await q.get();
    q.add('a');
    expect(q.length).toBe(0); // not handed to a second worker
    q.done(k!);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('a');
  });

  test('get() waits for a key, and shutdown() releases waiting workers', async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.add('x');
    expect(await waiting).toBe('x');
    const idle = q.get();
    q.shutdown();
    expect(await idle).toBeUndefined();
  });

  test('addAfter keeps the earliest request', () => {
    jest.useFakeTimers();
    const q = new WorkQueue();
    q.addAfter('a', 5000);
    q.addAfter('a', 1000);
    q.addAfter('a', 3000);
    jest.advanceTimersByTime(999);
    expect(q.length).toBe(0);
    jest.advanceTimersByTime(1);
    expect(q.length).toBe(1);
    jest.advanceTimersByTime(10000);
    expect(q.length).toBe(1);
  });

  test('backoff doubles per failure up to the maximum, and forget() resets it', () => {
    const q = new WorkQueue({ baseDelayMs: 1000, maxDelayMs: 8000, jitter: 0 });
    expect([1, 2, 3, 4, 5].map(() => q.addRateLimited('a'))).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(q.failureCount('a')).toBe(5);
    q.forget('a');
    expect(q.addRateLimited('a')).toBe(1000);
    q.shutdown();
  });

  test('jitter stays within ±20 %', () => {
    const low = new WorkQueue({ baseDelayMs: 1000, jitter: 0.2, random: () => 0 });
    const high = new WorkQueue({ baseDelayMs: 1000, jitter: 0.2, random: () => 0.999999 });
    expect(low.addRateLimited('a')).toBe(800);
    expect(high.addRateLimited('a')).toBe(1200);
    low.shutdown();
    high.shutdown();
  });

  test('drain waits for in-flight keys', async () => {
    const q = new WorkQueue();
    q.add('a');
    const k = await q.get();
    setTimeout(() => q.done(k!), 30);
    expect(await q.drain(1000)).toBe(true);
  });
});
