import { describe, expect, test } from '@jest/globals';
import { stableJson } from './stable-json.js';

describe('stableJson', () => {
  test.each([
    [
      { b: 1, a: 2 },
      { a: 2, b: 1 },
    ],
    [
      { outer: { z: 1, y: { d: 1, c: 2 } }, a: [] },
      { a: [], outer: { y: { c: 2, d: 1 }, z: 1 } },
    ],
    [
      {
        list: [
          { b: 1, a: 2 },
          { d: 3, c: 4 },
        ],
      },
      {
        list: [
          { a: 2, b: 1 },
          { c: 4, d: 3 },
        ],
      },
    ],
  ])('key order does not matter: %j', (x, y) => {
    expect(stableJson(x)).toBe(stableJson(y));
  });

  test('keys are sorted at every depth, including objects inside arrays', () => {
    expect(stableJson({ b: { y: 1, x: 2 }, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":{"x":2,"y":1}}');
  });

  test('arrays keep their order', () => {
    expect(stableJson([3, 1, 2])).toBe('[3,1,2]');
    expect(stableJson({ a: [3, 1, 2] })).not.toBe(stableJson({ a: [1, 2, 3] }));
    expect(stableJson([{ a: 1 }, { b: 2 }])).not.toBe(stableJson([{ b: 2 }, { a: 1 }]));
  });

  test.each([
    [null, 'null'],
    [1, '1'],
    ['s', '"s"'],
    [true, 'true'],
    [{}, '{}'],
    [[], '[]'],
  ])('scalars and empty values: %j → %s', (v, expected) => {
    expect(stableJson(v)).toBe(expected);
  });

  test('undefined fields are left out, as JSON.stringify does', () => {
    expect(stableJson({ b: undefined, a: 1 })).toBe('{"a":1}');
  });

  test('different values give different JSON', () => {
    expect(stableJson({ a: 1 })).not.toBe(stableJson({ a: 2 }));
  });
});
