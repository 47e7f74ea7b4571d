import { describe, expect, it } from '@jest/globals';
import { MultiMap } from './multi-map.js';

describe('MultiMap', () => {
  it('holds one value as itself, several as a set, and forgets a key with its last value', () => {
    const m = new MultiMap();
    m.add('k', 'a');
    m.add('k', 'a');
    expect(m.get('k')).toEqual(['a']);
    m.add('k', 'b');
    m.add('k', 'c');
    expect(m.get('k').sort()).toEqual(['a', 'b', 'c']);
    m.delete('k', 'b');
    m.delete('k', 'a');
    const seen: string[] = [];
    m.forEach('k', (v) => seen.push(v));
    expect(seen).toEqual(['c']);
    m.delete('k', 'x'); // not held: nothing changes
    expect(m.has('k')).toBe(true);
    m.delete('k', 'c');
    expect([m.has('k'), m.size, m.get('k')]).toEqual([false, 0, []]);
  });

  it('get returns a copy: changing the map while iterating it is safe', () => {
    const m = new MultiMap();
    for (const v of ['a', 'b', 'c']) m.add('k', v);
    for (const v of m.get('k')) m.delete('k', v);
    expect(m.size).toBe(0);
  });
});
