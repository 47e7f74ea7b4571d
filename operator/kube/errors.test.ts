// Which API errors are optimistic-concurrency conflicts (read again and retry, not a failure).
import { describe, expect, it } from '@jest/globals';
import { KubeApiError } from './errors.js';

const err = (code: number, reason: string, detail: string) => new KubeApiError('PATCH', 'ns/web', code, reason, detail);

describe('KubeApiError.conflict', () => {
  it('409 Conflict is one', () => {
    expect(err(409, 'Conflict', 'the object has been modified').conflict).toBe(true);
  });

  it('a server-side apply field-ownership conflict, 422s, other 4xx and 5xx are not', () => {
    // another manager owns the field: reading again changes nothing
    expect(err(409, 'Conflict', 'Apply failed with 1 conflict: conflict with "kubectl": .status.phase').conflict).toBe(
      false,
    );
    expect(err(409, 'AlreadyExists', 'leases "x" already exists').conflict).toBe(false);
    expect(err(422, 'Invalid', 'spec.resources[0].kind: Required value').conflict).toBe(false);
    expect(err(403, 'Forbidden', 'cannot patch').conflict).toBe(false);
    expect(err(500, 'InternalError', 'etcd timeout').conflict).toBe(false);
  });
});
