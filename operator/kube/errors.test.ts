// Which API errors are optimistic-concurrency conflicts (read again and retry, not a failure).
import { describe, expect, it } from '@jest/globals';
import { KubeApiError } from './errors.js';

const err = (code: number, reason: string, detail: string) => new KubeApiError('PATCH', 'ns/web', code, reason, detail);

describe('KubeApiError.conflict', () => {
  it('409, and 422 from a JSON patch test op that failed (the API server’s words), are conflicts', () => {
    expect(err(409, 'Conflict', 'the object has been modified').conflict).toBe(true);
    expect(err(422, 'Invalid', 'testing value /metadata/resourceVersion failed: test failed').conflict).toBe(true);
    expect(err(422, 'Invalid', 'testing value /metadata/finalizers/0 failed: test failed').conflict).toBe(true);
  });

  it('other 422s, 4xx and 5xx are not', () => {
    expect(err(422, 'Invalid', 'spec.resources[0].kind: Required value').conflict).toBe(false);
    expect(err(403, 'Forbidden', 'cannot patch').conflict).toBe(false);
    expect(err(500, 'InternalError', 'etcd timeout').conflict).toBe(false);
    // server-side apply without force: another manager owns the field, reading again changes nothing
    expect(err(409, 'Conflict', 'Apply failed with 1 conflict: conflict with "kubectl": .status.phase').conflict).toBe(
      false,
    );
  });
});
