import { describe, expect, test } from '@jest/globals';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  test.each([
    ['90s', 90_000],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['1h', 3_600_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['2m30s', 150_000],
    ['1m500ms', 60_500],
    ['0s', 0],
    ['30', 30_000],
    ['0', 0],
    [' 45s ', 45_000],
  ])('%j → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each(['', '   ', '5x', 'm5', '10 s', 's', '1h30', '-5s', '1d', '5S', 'abc'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/not a duration/);
  });
});

test('a bare decimal means seconds too (regression)', () => {
  expect(parseDuration('1.5')).toBe(1500);
});
