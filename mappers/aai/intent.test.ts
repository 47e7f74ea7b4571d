import { describe, expect, test } from '@jest/globals';
import { coveredBy, intentFor } from './intent.js';

describe('AAI intent (the delete list)', () => {
  test('desired paths first, then those still to delete, once each', () => {
    expect(intentFor(['/a', '/b'], ['/c', '/a'])).toEqual(['/a', '/b', '/c']);
  });
  test('covered: nothing new to make durable', () => {
    expect(coveredBy(['/a'], ['/a', '/b'])).toBe(true);
    expect(coveredBy(['/a', '/c'], ['/a', '/b'])).toBe(false);
    expect(coveredBy(['/a'], undefined)).toBe(false);
    expect(coveredBy([], undefined)).toBe(true);
  });
});
