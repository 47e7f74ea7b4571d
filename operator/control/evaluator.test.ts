import { describe, expect, test } from '@jest/globals';
import type { ResourceBundleInstance } from '../../mappers/instance/types.js';
import { lastSpecChange } from './evaluator.js';

const CREATED = '2026-01-01T10:00:00Z';
const ms = (t: string) => Date.parse(t);

type Entry = { manager?: string; subresource?: string; time?: string; operation?: string };

function rbi(managedFields: Entry[] | undefined, creationTimestamp: string | null = CREATED): ResourceBundleInstance {
  return {
    apiVersion: 'k8splugin.io/v1alpha1',
    kind: 'ResourceBundleInstance',
    metadata: {
      name: 'a',
      namespace: 'ns1',
      ...(creationTimestamp ? { creationTimestamp } : {}),
      ...(managedFields ? { managedFields } : {}),
    },
    spec: { rbName: 'rb', rbVersion: 'v1', profileName: 'p', cloudRegion: 'r', resources: [] },
  };
}

describe('lastSpecChange', () => {
  test.each<[string, Entry[] | undefined, string | null, number | undefined]>([
    ['no managedFields → creationTimestamp', undefined, CREATED, ms(CREATED)],
    ['empty managedFields → creationTimestamp', [], CREATED, ms(CREATED)],
    [
      'newest spec entry of another manager',
      [
        { manager: 'kubectl', operation: 'Update', time: '2026-01-01T11:00:00Z' },
        { manager: 'helm', operation: 'Apply', time: '2026-01-01T12:00:00Z' },
        { manager: 'kubectl', operation: 'Update', time: '2026-01-01T11:30:00Z' },
      ],
      CREATED,
      ms('2026-01-01T12:00:00Z'),
    ],
    [
      'status subresource entries are ignored',
      [
        { manager: 'kubectl', time: '2026-01-01T11:00:00Z' },
        { manager: 'kubectl', subresource: 'status', time: '2026-01-01T13:00:00Z' },
      ],
      CREATED,
      ms('2026-01-01T11:00:00Z'),
    ],
    [
      "the operator's own entries are ignored",
      [
        { manager: 'kubectl', time: '2026-01-01T11:00:00Z' },
        { manager: 'rbi-operator', time: '2026-01-01T14:00:00Z' },
      ],
      CREATED,
      ms('2026-01-01T11:00:00Z'),
    ],
    [
      'only ignored entries → creationTimestamp',
      [
        { manager: 'rbi-operator', time: '2026-01-01T14:00:00Z' },
        { manager: 'kubelet', subresource: 'status', time: '2026-01-01T14:00:00Z' },
      ],
      CREATED,
      ms(CREATED),
    ],
    [
      'entries without a time do not count',
      [{ manager: 'kubectl' }, { manager: 'kubectl', time: 'garbage' }],
      CREATED,
      ms(CREATED),
    ],
    [
      'no creationTimestamp but a spec entry',
      [{ manager: 'kubectl', time: '2026-01-01T11:00:00Z' }],
      null,
      ms('2026-01-01T11:00:00Z'),
    ],
    ['neither → undefined', undefined, null, undefined],
    [
      'only ignored entries, no creationTimestamp → undefined',
      [{ manager: 'rbi-operator', time: '2026-01-01T14:00:00Z' }],
      null,
      undefined,
    ],
  ])('%s', (_name, fields, created, expected) => {
    expect(lastSpecChange(rbi(fields, created))).toBe(expected);
  });

  test('an entry older than creation does not move the result before creation', () => {
    expect(lastSpecChange(rbi([{ manager: 'kubectl', time: '2025-12-31T00:00:00Z' }]))).toBe(ms(CREATED));
  });

  test('a custom field manager is ignored instead of rbi-operator', () => {
    const fields = [
      { manager: 'rbi-operator', time: '2026-01-01T11:00:00Z' },
      { manager: 'my-operator', time: '2026-01-01T12:00:00Z' },
    ];
    expect(lastSpecChange(rbi(fields), 'my-operator')).toBe(ms('2026-01-01T11:00:00Z'));
  });
});
