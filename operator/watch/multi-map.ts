// A map from a key to a set of strings that holds a lone value as itself. Most keys of the caches' indexes (an
// owner's uid, a listed object's key, a label value) have exactly one value, and a Set costs about 170 bytes: with
// tens of thousands of keys that is megabytes for nothing.
export class MultiMap {
  private readonly map = new Map<string, string | Set<string>>();

  get size(): number {
    return this.map.size;
  }

  add(key: string, value: string): void {
    const held = this.map.get(key);
    if (held === undefined) this.map.set(key, value);
    else if (typeof held === 'string') {
      if (held !== value) this.map.set(key, new Set([held, value]));
    } else held.add(value);
  }

  delete(key: string, value: string): void {
    const held = this.map.get(key);
    if (held === undefined) return;
    if (typeof held === 'string') {
      if (held === value) this.map.delete(key);
      return;
    }
    held.delete(value);
    if (held.size === 1) this.map.set(key, held.values().next().value!);
    else if (held.size === 0) this.map.delete(key);
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  /** The values of `key` (a copy). */
  get(key: string): string[] {
    const held = this.map.get(key);
    return held === undefined ? [] : typeof held === 'string' ? [held] : [...held];
  }

  forEach(key: string, fn: (value: string) => void): void {
    const held = this.map.get(key);
    if (held === undefined) return;
    if (typeof held === 'string') fn(held);
    else held.forEach((v) => fn(v));
  }
}
