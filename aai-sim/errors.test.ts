import { describe, expect, test } from '@jest/globals';
import { AaiError, errorForStatus, requestErrorBody } from './errors.js';

describe('requestErrorBody', () => {
  test('not found: the REST template, then message and code after the request variables', () => {
    const path = 'cloud-infrastructure/cloud-regions/cloud-region/CO/R1';
    const err = new AaiError('6114', `No Node of type cloud-region found at: ${path}`);
    expect(requestErrorBody(err, ['GET', path])).toEqual({
      requestError: {
        serviceException: {
          messageId: 'SVC3001',
          text: 'Resource not found for %1 using id %2 (msg=%3) (ec=%4)',
          variables: ['GET', path, `Node Not Found:No Node of type cloud-region found at: ${path}`, 'ERR.5.4.6114'],
        },
      },
    });
  });

  test('header errors have no request variables: AAI pads them with "null"; disposition 4 has no ERR. prefix', () => {
    expect(requestErrorBody(new AaiError('4010'))).toEqual({
      requestError: {
        serviceException: {
          messageId: 'SVC3000',
          text: 'Invalid input performing %1 on %2 (msg=%3) (ec=%4)',
          variables: ['null', 'null', 'Invalid X-TransactionId in header', '4.0.4010'],
        },
      },
    });
  });

  test('category 1 errors are policyExceptions with a POL message id', () => {
    expect(requestErrorBody(new AaiError('3302', 'no credentials'))).toEqual({
      requestError: {
        policyException: {
          messageId: 'POL3301',
          text: 'Stale credentials (msg=%1) (ec=%2)',
          variables: ['Not authenticated:no credentials', 'ERR.5.1.3302'],
        },
      },
    });
  });

  test('an edge to a missing node uses SVC3003 with the target type and URI', () => {
    const err = new AaiError('6129', 'Node of type vf-module. Could not find object at: /x', ['vf-module', '/x']);
    const body = requestErrorBody(err, ['PUT_EDGE', 'a/relationship-list/relationship']);
    expect(body.requestError).toEqual({
      serviceException: {
        messageId: 'SVC3003',
        text: 'Failed to make edge to missing target node of type %3 with keys %4 performing %1 on %2 (msg=%5) (ec=%6)',
        variables: [
          'PUT_EDGE',
          'a/relationship-list/relationship',
          'vf-module',
          '/x',
          'Error making edge to target node:Node of type vf-module. Could not find object at: /x',
          'ERR.5.4.6129',
        ],
      },
    });
  });

  test('the status comes from the error unless given', () => {
    expect(new AaiError('6131').status).toBe(412);
    expect(new AaiError('3000', 'x', [], 415).status).toBe(415);
  });
});

describe('errorForStatus', () => {
  test.each([
    [404, '6114'],
    [412, '6131'],
    [400, '3000'],
    [401, '3302'],
    [503, '4000'],
  ])('%d → AAI_%s with that status', (status, code) => {
    const err = errorForStatus(status, 'injected');
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
  });
});
