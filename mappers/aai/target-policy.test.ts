import { describe, expect, test } from '@jest/globals';
import { defaultTargetRules, targetRefusal, targetRulesFrom } from './target-policy.js';

const target = (cloudOwner: string, cloudRegion: string, tenantId: string) => ({ cloudOwner, cloudRegion, tenantId });

describe('AAI target policy', () => {
  const own = defaultTargetRules({ cloudOwner: 'CloudOwner', tenantId: 't1' });

  test.each<[string, ReturnType<typeof target>, boolean]>([
    ["the operator's own target, any region", target('CloudOwner', 'RegionOne', 't1'), true],
    ['another cloud owner', target('Other', 'RegionOne', 't1'), false],
    ['another tenant', target('CloudOwner', 'RegionOne', 't2'), false],
  ])('default policy: %s → %s', (_name, t, allowed) => {
    expect(targetRefusal(own, 'team', t) === undefined).toBe(allowed);
  });

  test('a configured region restricts the default too; no configured target allows nothing', () => {
    const regional = defaultTargetRules({ cloudOwner: 'CloudOwner', cloudRegion: 'RegionOne', tenantId: 't1' });
    expect(targetRefusal(regional, 'team', target('CloudOwner', 'RegionTwo', 't1'))?.reason).toBe(
      'AAITargetNotAllowed',
    );
    expect(targetRefusal(defaultTargetRules({}), 'team', target('CloudOwner', 'RegionOne', 't1'))).toBeDefined();
  });

  test('rules by namespace, with wildcards', () => {
    const rules = targetRulesFrom([
      { namespaces: ['onap'], cloudOwners: ['*'], cloudRegions: ['*'], tenants: ['*'] },
      { namespaces: ['team-a', 'team-b'], cloudOwners: ['CloudOwner'], cloudRegions: ['RegionOne'], tenants: ['ta'] },
    ]);
    expect(targetRefusal(rules, 'onap', target('Any', 'Where', 'x'))).toBeUndefined();
    expect(targetRefusal(rules, 'team-b', target('CloudOwner', 'RegionOne', 'ta'))).toBeUndefined();
    expect(targetRefusal(rules, 'team-b', target('CloudOwner', 'RegionOne', 'tb'))?.message).toBe(
      "instances of namespace team-b may not write AAI cloud-owner CloudOwner, cloud-region RegionOne, tenant tb (the operator's AAI target policy); nothing written",
    );
    expect(targetRefusal(rules, 'attacker', target('CloudOwner', 'RegionOne', 'ta'))).toBeDefined();
  });

  test.each([
    [{}, 'expected a list of rules {namespaces, cloudOwners, cloudRegions, tenants}'],
    [[{ namespaces: ['a'] }], 'rule 1: cloudOwners: expected a non-empty list of names ("*" for any)'],
    [
      [{ namespaces: ['a'], cloudOwners: ['*'], cloudRegions: ['*'], tenants: ['*'], extra: 1 }],
      'rule 1: unknown field extra',
    ],
  ])('a bad policy file is one readable error: %j', (doc, message) => {
    expect(() => targetRulesFrom(doc)).toThrow(message);
  });
});
