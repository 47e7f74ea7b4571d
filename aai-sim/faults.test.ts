import { describe, expect, test } from '@jest/globals';
import { FaultControl, readFaultSettings } from './faults.js';

describe('readFaultSettings', () => {
  test('accepts the documented fields', () => {
    expect(
      readFaultSettings({ latencyMs: 5, errorRate: 0.5, down: false, failNext: [{ method: 'put', status: 500 }] }),
    ).toEqual({ latencyMs: 5, errorRate: 0.5, down: false, failNext: [{ method: 'PUT', status: 500 }] });
  });

  test.each([
    [{ latencyMs: -1 }, /latencyMs/],
    [{ errorRate: 1.5 }, /errorRate/],
    [{ down: 'yes' }, /down/],
    [{ failNext: {} }, /failNext/],
    [{ failNext: [{ status: 99 }] }, /failNext\[0\]\.status/],
    [{ failNext: [{ status: 500, times: 0 }] }, /times/],
    [{ failNext: [{ status: 500, colour: 'red' }] }, /unknown field colour/],
    [{ slow: true }, /unknown fault setting slow/],
    [[], /JSON object/],
  ])('%j is refused', (v, message) => {
    expect(() => readFaultSettings(v)).toThrow(message);
  });
});

describe('FaultControl', () => {
  test('failNext rules match on method and either path form, and are used up', () => {
    const f = new FaultControl();
    f.set({ failNext: [{ method: 'DELETE', pathPrefix: '/network', status: 412, times: 2 }] });
    expect(f.takeFailure('GET', '/aai/v24/network/x', '/network/x')).toBeUndefined();
    expect(f.takeFailure('DELETE', '/aai/v24/network/x', '/network/x')?.status).toBe(412);
    expect(f.current.failNext).toEqual([{ method: 'DELETE', pathPrefix: '/network', status: 412, times: 1 }]);
    expect(f.takeFailure('delete', '/aai/v24/network/y', '/network/y')?.status).toBe(412);
    expect(f.takeFailure('DELETE', '/aai/v24/network/y', '/network/y')).toBeUndefined();
    expect(f.current).toEqual({});
  });

  test('update merges and appends; set replaces; clear turns everything off', () => {
    const f = new FaultControl();
    f.set({ latencyMs: 10, failNext: [{ status: 500 }] });
    f.update({ down: true, failNext: [{ status: 503 }] });
    expect(f.current).toEqual({
      latencyMs: 10,
      down: true,
      failNext: [
        { status: 500, times: 1 },
        { status: 503, times: 1 },
      ],
    });
    f.set({ errorRate: 0.1 });
    expect(f.current).toEqual({ errorRate: 0.1 });
    f.clear();
    expect(f.down).toBe(false);
    expect(f.latencyMs).toBe(0);
  });

  test('errorRate rolls against the random source', () => {
    const rolls = [0.1, 0.9];
    const f = new FaultControl(() => rolls.shift()!);
    f.set({ errorRate: 0.5 });
    expect(f.rollError()).toBe(true);
    expect(f.rollError()).toBe(false);
    f.set({ errorRate: 0 });
    expect(f.rollError()).toBe(false);
  });
});
