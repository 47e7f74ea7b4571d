import { describe, expect, test } from '@jest/globals';
import {
  conditionReason,
  ConditionType,
  findCondition,
  MAX_CONDITION_MESSAGE,
  removeCondition,
  setCondition,
  truncate,
} from './conditions.js';
import type { Condition } from './types.js';

const T0 = new Date('2026-01-01T12:00:00Z');
const T1 = new Date('2026-01-01T12:05:00Z');
const REASON_PATTERN = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

const ready = (status: Condition['status'], at = T0): Condition => ({
  type: 'Ready',
  status,
  observedGeneration: 1,
  lastTransitionTime: at.toISOString(),
  reason: 'Old',
  message: 'old',
});

describe('conditionReason', () => {
  test.each([
    ['Init:CrashLoopBackOff', 'Init:CrashLoopBackOff'],
    ['CrashLoopBackOff', 'CrashLoopBackOff'],
    ['a,b', 'a,b'],
    ['Snake_case_1', 'Snake_case_1'],
    ['some reason-x', 'somereasonx'],
    ['Image pull (back-off)!', 'Imagepullbackoff'],
    ['123Numbers', 'Numbers'],
    ['_leading', 'leading'],
    ['Trailing:', 'Trailing'],
    ['Trailing,:,', 'Trailing'],
    ['', 'Unknown'],
    ['   ', 'Unknown'],
    ['1234', 'Unknown'],
    ['-:,', 'Unknown'],
    ['Pending…', 'Pending'],
  ])('%j → %j', (input, expected) => {
    const out = conditionReason(input);
    expect(out).toBe(expected);
    expect(out).toMatch(REASON_PATTERN);
  });

  test('caps the reason at 1024 characters', () => {
    const out = conditionReason('A'.repeat(2000));
    expect(out).toHaveLength(1024);
    expect(out).toMatch(REASON_PATTERN);
  });
});

describe('truncate', () => {
  test.each([
    ['short', 10, 'short'],
    ['exactly10!', 10, 'exactly10!'],
    ['eleven char', 10, 'eleven ch…'],
  ])('%j at %d → %j', (input, max, expected) => {
    expect(truncate(input, max)).toBe(expected);
  });
});

describe('setCondition', () => {
  test('adds a condition with the clock as lastTransitionTime and the generation stamped', () => {
    const out = setCondition([], { type: 'Ready', status: 'True', reason: 'Ready', message: 'all good' }, 3, T0);
    expect(out).toEqual([
      {
        type: 'Ready',
        status: 'True',
        observedGeneration: 3,
        lastTransitionTime: T0.toISOString(),
        reason: 'Ready',
        message: 'all good',
      },
    ]);
  });

  test('without a generation, observedGeneration is left out', () => {
    const [c] = setCondition([], { type: 'Ready', status: 'True', reason: 'R', message: '' }, undefined, T0);
    expect(c).not.toHaveProperty('observedGeneration');
  });

  test('same status: lastTransitionTime kept, reason, message and observedGeneration updated', () => {
    const out = setCondition(
      [ready('False')],
      { type: 'Ready', status: 'False', reason: 'New', message: 'new' },
      2,
      T1,
    );
    expect(out).toEqual([
      {
        type: 'Ready',
        status: 'False',
        observedGeneration: 2,
        lastTransitionTime: T0.toISOString(),
        reason: 'New',
        message: 'new',
      },
    ]);
  });

  test.each([
    ['False', 'True'],
    ['True', 'Unknown'],
    ['Unknown', 'False'],
  ] as const)('status flip %s → %s moves lastTransitionTime to now', (from, to) => {
    const out = setCondition([ready(from)], { type: 'Ready', status: to, reason: 'R', message: '' }, 1, T1);
    expect(out[0]!.lastTransitionTime).toBe(T1.toISOString());
    expect(out[0]!.status).toBe(to);
  });

  test('replaces only the condition of the same type', () => {
    const other: Condition = { ...ready('True'), type: 'AAISynced' };
    const out = setCondition(
      [ready('True'), other],
      { type: 'Ready', status: 'False', reason: 'R', message: '' },
      1,
      T1,
    );
    expect(out).toHaveLength(2);
    expect(findCondition(out, 'AAISynced')).toEqual(other);
    expect(findCondition(out, 'Ready')?.status).toBe('False');
  });

  test('sanitizes the reason', () => {
    const [c] = setCondition([], { type: 'Ready', status: 'False', reason: 'some reason-x', message: '' }, 1, T0);
    expect(c!.reason).toBe('somereasonx');
  });

  test('truncates long messages to MAX_CONDITION_MESSAGE with an ellipsis', () => {
    const long = 'x'.repeat(MAX_CONDITION_MESSAGE + 100);
    const [c] = setCondition([], { type: 'Ready', status: 'False', reason: 'R', message: long }, 1, T0);
    expect(c!.message).toHaveLength(MAX_CONDITION_MESSAGE);
    expect(c!.message.endsWith('…')).toBe(true);
    const exact = 'y'.repeat(MAX_CONDITION_MESSAGE);
    const [d] = setCondition([], { type: 'Ready', status: 'False', reason: 'R', message: exact }, 1, T0);
    expect(d!.message).toBe(exact);
  });

  test('orders Ready, Stalled, Reconciling, AAISynced, then other types by name', () => {
    let list: Condition[] = [];
    for (const type of ['Zeta', ConditionType.AAISynced, 'Alpha', ConditionType.Reconciling, ConditionType.Stalled]) {
      list = setCondition(list, { type, status: 'True', reason: 'R', message: '' }, 1, T0);
    }
    list = setCondition(list, { type: ConditionType.Ready, status: 'True', reason: 'R', message: '' }, 1, T0);
    expect(list.map((c) => c.type)).toEqual(['Ready', 'Stalled', 'Reconciling', 'AAISynced', 'Alpha', 'Zeta']);
  });

  test('does not modify the input list', () => {
    const input = [ready('True')];
    const copy = structuredClone(input);
    setCondition(input, { type: 'Ready', status: 'False', reason: 'R', message: 'm' }, 2, T1);
    setCondition(input, { type: 'Stalled', status: 'True', reason: 'R', message: 'm' }, 2, T1);
    expect(input).toEqual(copy);
  });
});

describe('removeCondition / findCondition', () => {
  test('removeCondition drops only the named type', () => {
    const list = [ready('True'), { ...ready('True'), type: 'Reconciling' }];
    expect(removeCondition(list, 'Reconciling').map((c) => c.type)).toEqual(['Ready']);
    expect(removeCondition(list, 'Nope')).toEqual(list);
  });

  test('findCondition tolerates an undefined list', () => {
    expect(findCondition(undefined, 'Ready')).toBeUndefined();
    expect(findCondition([ready('True')], 'Ready')?.status).toBe('True');
  });
});

describe('conditionReason never ends in , or : after the length cut (regression)', () => {
  test.each(['A' + ':'.repeat(1100) + 'b', 'A'.repeat(1023) + ',B'])('%#', (raw) => {
    expect(conditionReason(raw)).toMatch(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/);
  });
});
