import { describe, expect, test } from '@jest/globals';
import { AaiError, describeRequestError } from './client.js';

describe('AAI error bodies', () => {
  test('a 404 requestError renders the template with its variables and keeps the ERR code', () => {
    const body = JSON.stringify({
      requestError: {
        serviceException: {
          messageId: 'SVC3001',
          text: 'Resource not found for %1 using id %2 (msg=%3) (ec=%4)',
          variables: [
            'GET',
            '/cloud-infrastructure/x',
            'Node Not Found:No Node of type k8s-resource found at: /cloud-infrastructure/x',
            'ERR.5.4.6114',
          ],
        },
      },
    });
    expect(describeRequestError(body)).toEqual({
      code: 'ERR.5.4.6114',
      text: 'SVC3001 Resource not found for GET using id /cloud-infrastructure/x Node Not Found:No Node of type k8s-resource found at: /cloud-infrastructure/x',
    });
  });

  test('a 412 from a policyException-free body', () => {
    const body = JSON.stringify({
      requestError: {
        serviceException: {
          messageId: 'SVC3000',
          text: 'Invalid input performing %1 on %2 (msg=%3) (ec=%4)',
          variables: [
            'PUT',
            'generic-vnf',
            'Precondition Failed:resource-version MISMATCH for update of generic-vnf',
            'ERR.5.4.6131',
          ],
        },
      },
    });
    expect(describeRequestError(body).code).toBe('ERR.5.4.6131');
  });

  test('a body that is not a requestError is kept (truncated)', () => {
    expect(describeRequestError('<html>bad gateway</html>')).toEqual({ code: '', text: '<html>bad gateway</html>' });
  });

  test('AaiError says what, where, the code and the transaction id; 5xx and no response are retryable, 412 is a precondition', () => {
    const e = new AaiError('PUT', '/network/x', 412, 'tx-1', 'ERR.5.4.6131', 'Precondition Failed');
    expect(e.message).toBe('PUT /network/x: HTTP 412 ERR.5.4.6131: Precondition Failed (X-TransactionId tx-1)');
    expect(e.preconditionFailed).toBe(true);
    expect(e.retryable).toBe(false);
    expect(new AaiError('GET', '/x', 503, 't', '', '').retryable).toBe(true);
    expect(new AaiError('GET', '/x', 0, 't', '', 'ECONNREFUSED').retryable).toBe(true);
  });
});
