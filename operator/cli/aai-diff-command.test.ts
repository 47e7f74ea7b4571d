// `rbi aai-diff` flags: the operator's AAI flags and rule flags, --repair, and an AAI to compare with.
import { describe, expect, test } from '@jest/globals';
import { Command } from 'commander';
import { addAaiDiffCommand, parseAaiDiffFlags } from './aai-diff-command.js';
import { UsageError } from './errors.js';

function parse(args: string[]) {
  const program = new Command('rbi').exitOverride();
  addAaiDiffCommand(program, () => undefined);
  const cmd = program.commands.find((c) => c.name() === 'aai-diff')!;
  cmd.exitOverride().action(() => undefined);
  cmd.parse(args, { from: 'user' });
  return parseAaiDiffFlags(cmd.opts());
}

describe('rbi aai-diff flags', () => {
  test('the AAI connection, namespaces, --repair and the record settings the operator uses', () => {
    const c = parse([
      '--aai-url',
      'http://aai:8447',
      '--namespaces',
      'a,b',
      '--repair',
      '--selflink-base',
      'http://op:8082',
    ]);
    expect(c).toMatchObject({ namespaces: ['a', 'b'], repair: true, timeoutMs: 60_000 });
    expect(c.aai.connection).toMatchObject({ baseUrl: 'http://aai:8447' });
    expect(c.aai.settings.selflinkBase).toBe('http://op:8082');
  });
  test('no AAI URL: a usage error', () => {
    const saved = process.env.AAI_URL;
    delete process.env.AAI_URL;
    try {
      expect(() => parse([])).toThrow(new UsageError('no AAI to compare with: give --aai-url (or AAI_URL)'));
    } finally {
      if (saved !== undefined) process.env.AAI_URL = saved;
    }
  });
});
