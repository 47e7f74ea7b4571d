import { describe, expect, test } from '@jest/globals';
import { ago, cond, judge, MIN, obj } from '../../test/support/status-builders.js';
import { compileOverrides } from './overrides.js';

const widget = (status: Record<string, unknown> | undefined, metadata: Record<string, unknown> = {}) =>
  obj('db.example.com/v1', 'Widget', 'w', { metadata, ...(status ? { status } : {}) });

const rules = compileOverrides([
  {
    group: '*.example.com',
    kind: 'Widget',
    inProgress: "has(data.status) && data.status.state == 'syncing'",
    failed: "has(data.status) && data.status.state == 'broken'",
    current: "has(data.status) && data.status.state == 'ok' && data.status.replicas >= 2",
  },
]);
const withRules = { options: { overrides: rules } };

describe('status override rules (§4.0 step 2, §6)', () => {
  test.each([
    ['inProgress first', { state: 'syncing' }, { state: 'Pending', reason: 'InProgress' }],
    ['then failed', { state: 'broken' }, { state: 'Failed', reason: 'Failed' }],
    ['then current', { state: 'ok', replicas: 2 }, { state: 'Ready', reason: 'Current' }],
    ['none true → Pending', { state: 'ok', replicas: 1 }, { state: 'Pending', reason: 'NotCurrent' }],
  ])('%s', (_, status, want) => {
    expect(judge(widget(status), [], withRules)).toMatchObject(want);
  });

  test('an expression that cannot be evaluated (missing field) is Pending StatusUnknown, never a throw', () => {
    const strict = compileOverrides([{ group: 'db.example.com', kind: '*', current: 'data.status.state == "ok"' }]);
    expect(judge(widget(undefined), [], { options: { overrides: strict } })).toMatchObject({
      state: 'Pending',
      reason: 'StatusUnknown',
    });
  });

  test('the rule replaces the generic custom-resource rule (which would say Failed for Ready=False)', () => {
    const status = {
      state: 'ok',
      replicas: 3,
      conditions: [cond('Ready', 'False', 'Broken', { lastTransitionTime: ago(60 * MIN) })],
    };
    expect(judge(widget(status))).toMatchObject({ state: 'Failed' });
    expect(judge(widget(status), [], withRules)).toMatchObject({ state: 'Ready', reason: 'Current' });
  });

  test('deletion still comes first', () => {
    expect(judge(widget({ state: 'ok', replicas: 2 }, { deletionTimestamp: ago(MIN) }), [], withRules)).toMatchObject({
      state: 'Pending',
      reason: 'Terminating',
    });
  });

  test('group wildcards and kinds match as documented', () => {
    expect(rules[0]!.matches('db.example.com', 'Widget')).toBe(true);
    expect(rules[0]!.matches('example.org', 'Widget')).toBe(false);
    expect(rules[0]!.matches('db.example.com', 'Gadget')).toBe(false);
  });

  test('a rule that does not parse is a readable error', () => {
    expect(() => compileOverrides([{ group: 'x', kind: 'Y', current: 'data.status ==' }])).toThrow(
      /^status override x\/Y: current: cannot parse "data.status =="/,
    );
  });

  describe('cost limits (at load and before each evaluation)', () => {
    test.each([
      ['too long', `data.a == '${'x'.repeat(2100)}'`, /too costly: longer than 2048 characters/],
      [
        'too many nodes',
        Array.from({ length: 200 }, (_, i) => `a==${i}`).join('||'),
        /too costly: more than 500 nodes/,
      ],
      [
        'comprehensions nested three deep',
        'data.a.all(x, data.b.all(y, data.c.exists(z, z == x + y)))',
        /too costly: comprehensions nested 3 deep \(at most 2\)/,
      ],
    ])('%s is refused at load', (_name, expr, message) => {
      expect(() => compileOverrides([{ group: 'x', kind: 'Y', current: expr }])).toThrow(message);
    });

    const nested = compileOverrides([
      {
        group: 'db.example.com',
        kind: 'Widget',
        current: 'data.spec.items.all(a, data.spec.items.all(b, a <= b || a > b))',
      },
    ]);
    const withItems = (n: number) =>
      obj('db.example.com/v1', 'Widget', 'w', { spec: { items: Array.from({ length: n }, (_, i) => i) } });

    test('a nested comprehension on a small object runs', () => {
      expect(judge(withItems(50), [], { options: { overrides: nested } })).toMatchObject({ state: 'Ready' });
    });

    test('on an object large enough to make it explode it is refused, Pending StatusUnknown, without running', () => {
      const start = Date.now();
      const s = judge(withItems(5000), [], { options: { overrides: nested } });
      expect(s).toMatchObject({ state: 'Pending', reason: 'StatusUnknown' });
      expect(s.message).toMatch(/too costly for this object \(up to \d+ iterations, at most 1000000\)/);
      expect(Date.now() - start).toBeLessThan(1000);
    });
  });
});
