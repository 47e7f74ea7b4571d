// The watch body decoder: events split anywhere across chunks (even inside a multi-byte character), blank lines,
// a last event without its newline, a line spread over many chunks in linear time, and the line-length bound.
import { describe, expect, it } from '@jest/globals';
import { watchEvents, type WatchEvent } from './watch-stream.js';

async function* chunks(parts: Array<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  const enc = new TextEncoder();
  for (const p of parts) yield typeof p === 'string' ? enc.encode(p) : p;
}

const collect = async (body: AsyncIterable<Uint8Array>, max?: number) => {
  const out: WatchEvent[] = [];
  let bytes = 0;
  for await (const ev of watchEvents(body, () => bytes++, max)) out.push(ev);
  return { out, bytes };
};

const line = (name: string) => `${JSON.stringify({ type: 'ADDED', object: { metadata: { name } } })}\n`;

describe('watchEvents', () => {
  it('decodes events split at any byte, blank lines, and a last event without a newline', async () => {
    const text = `${line('a')}\n${line('ü-b')}${line('c').trimEnd()}`;
    const bytes = new TextEncoder().encode(text);
    for (const cut of [1, 2, 3, 7, 30, bytes.length]) {
      const parts: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += cut) parts.push(bytes.subarray(i, i + cut));
      const { out, bytes: seen } = await collect(chunks(parts));
      expect(out.map((e) => e.object.metadata?.name)).toEqual(['a', 'ü-b', 'c']);
      expect(seen).toBe(parts.length); // every chunk counts as contact for the read deadline
    }
  });

  it('a 16 MiB line in 4 KiB chunks decodes in linear time', async () => {
    const big = 'x'.repeat(16 * 1024 * 1024);
    const text = `${JSON.stringify({ type: 'MODIFIED', object: { metadata: { name: 'big' }, data: { big } } })}\n`;
    const parts: string[] = [];
    for (let i = 0; i < text.length; i += 4096) parts.push(text.slice(i, i + 4096));
    const started = Date.now();
    const { out } = await collect(chunks(parts));
    expect(out).toHaveLength(1);
    expect((out[0]!.object as { data?: { big?: string } }).data?.big).toHaveLength(big.length);
    // The quadratic search took 27 s here (4,096 rescans of up to 16 MiB); linear takes well under a second.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('fails on a line longer than the bound instead of buffering without end', async () => {
    async function* endless(): AsyncGenerator<Uint8Array> {
      const chunk = new TextEncoder().encode('{"type":"ADDED","object":{"x":"' + 'y'.repeat(1000));
      for (;;) yield chunk;
    }
    await expect(collect(endless(), 100_000)).rejects.toThrow('watch event line longer than 100000 characters');
  });
});
