// The selector string parser against Kubernetes' labels.Parse: its accepted forms (cases from apimachinery's
// selector_test.go TestSelectorParse / TestLexer / TestRequirementConstructor), what it refuses, and evaluation.
import { describe, expect, test } from '@jest/globals';
import { parseLabelSelector } from './label-selector-parse.js';
import { requirementsMatch } from './label-selector.js';

describe('parseLabelSelector: accepted', () => {
  test.each([
    ['', []],
    ['   ', []],
    ['a=b', [{ key: 'a', operator: 'In', values: ['b'] }]],
    ['a==b', [{ key: 'a', operator: 'In', values: ['b'] }]],
    ['a!=b', [{ key: 'a', operator: 'NotIn', values: ['b'] }]],
    ['a=', [{ key: 'a', operator: 'In', values: [''] }]],
    ['foo', [{ key: 'foo', operator: 'Exists' }]],
    ['!foo', [{ key: 'foo', operator: 'DoesNotExist' }]],
    [' ! foo ', [{ key: 'foo', operator: 'DoesNotExist' }]],
    ['app in (b,a)', [{ key: 'app', operator: 'In', values: ['a', 'b'] }]],
    ['app in(a)', [{ key: 'app', operator: 'In', values: ['a'] }]],
    ['app notin (x)', [{ key: 'app', operator: 'NotIn', values: ['x'] }]],
    ['app in (a,a)', [{ key: 'app', operator: 'In', values: ['a'] }]],
    ['x in ()', [{ key: 'x', operator: 'In', values: [''] }]],
    ['x in (,a)', [{ key: 'x', operator: 'In', values: ['', 'a'] }]],
    ['x in (a,)', [{ key: 'x', operator: 'In', values: ['', 'a'] }]],
    ['x in (in,notin)', [{ key: 'x', operator: 'In', values: ['in', 'notin'] }]],
    ['in in (a)', [{ key: 'in', operator: 'In', values: ['a'] }]],
    ['x=in', [{ key: 'x', operator: 'In', values: ['in'] }]],
    ['x>1', [{ key: 'x', operator: 'Gt', values: ['1'] }]],
    ['x<-2', [{ key: 'x', operator: 'Lt', values: ['-2'] }]],
    [
      'k8splugin.io/rb-instance-id=brave_brattain,app.kubernetes.io/name in (web, db) , !canary',
      [
        { key: 'k8splugin.io/rb-instance-id', operator: 'In', values: ['brave_brattain'] },
        { key: 'app.kubernetes.io/name', operator: 'In', values: ['db', 'web'] },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    ],
    [`${'a'.repeat(63)}=${'b'.repeat(63)}`, [{ key: 'a'.repeat(63), operator: 'In', values: ['b'.repeat(63)] }]],
    ['A-b_c.D=X.y-z_1', [{ key: 'A-b_c.D', operator: 'In', values: ['X.y-z_1'] }]],
  ])('%j', (text, want) => {
    expect(parseLabelSelector(text)).toEqual(want);
  });
});

describe('parseLabelSelector: refused as the API server refuses', () => {
  test.each([
    ['a=b=c', "found '=', expected: ',' or end of string"],
    ['a==b==c', "found '==', expected: ',' or end of string"],
    ['a=b,', "found '', expected: identifier after ','"],
    [',a', "found ',', expected: !, identifier, or end of string"],
    ['a,,b', "found ',', expected: identifier after ','"],
    ['!a=b', "found '=', expected: ',' or end of string"],
    ['!', "found '', expected: identifier"],
    ['a b', "found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['app in a', "found 'a', expected: '('"],
    ['app in (a', "found 'end of string', expected: ',' or ')'"],
    ['app in (a b)', "found 'b', expected: ',' or ')'"],
    ['app in (a=b)', "found '=', expected: ',' or ')'"],
    ['app notin', "found '', expected: '('"],
    ['a=(b)', "found '(', expected: identifier"],
    ['x>a', 'the value must be an integer, got "a"'],
    ['x>', 'the value must be an integer, got ""'],
    ['a=b c', "found 'c', expected: ',' or end of string"],
    [`${'a'.repeat(64)}=b`, 'name part must be no more than 63 characters'],
    [`a=${'b'.repeat(64)}`, 'must be no more than 63 characters'],
    ['-a=b', 'name part must consist of alphanumeric characters'],
    ['a=b-', 'invalid label value "b-" for key "a"'],
    ['a=b;c', 'invalid label value "b;c"'],
    ['Example.com/a=b', 'prefix part must be a lowercase RFC 1123 subdomain'],
    ['/a=b', 'prefix part must be non-empty'],
    ['example.com/=b', 'name part must be non-empty'],
    ['a/b/c=d', 'a qualified name has at most one "/"'],
    [`${'p'.repeat(254)}/a=b`, 'prefix part must be no more than 253 characters'],
    ['app in (a,b-)', 'invalid label value "b-" for key "app"'],
  ])('%j → %s', (text, message) => {
    expect(() => parseLabelSelector(text)).toThrow(message);
  });

  test('every message starts as the API server’s', () => {
    expect(() => parseLabelSelector('a b')).toThrow(/^unable to parse requirement: /);
  });
});

describe('requirementsMatch', () => {
  const labels = { app: 'web', tier: 'front', n: '5', 'k8splugin.io/rb-instance-id': 'x' };
  test.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app!=db', true],
    ['missing!=a', true],
    ['app in (db,web)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['missing', false],
    ['app=web,tier=back', false],
    ['n>4', true],
    ['n>5', false],
    ['n<6', true],
    ['app>1', false],
    ['missing<1', false],
    ['k8splugin.io/rb-instance-id=x', true],
  ])('%j → %s', (text, want) => {
    expect(requirementsMatch(parseLabelSelector(text), labels)).toBe(want);
  });

  test('no labels at all', () => {
    expect(requirementsMatch(parseLabelSelector('!a'), undefined)).toBe(true);
    expect(requirementsMatch(parseLabelSelector('a'), undefined)).toBe(false);
  });
});
