// Optimistic concurrency as DBSerializer.verifyResourceVersion does it (onap-aai.md §4.3): a create must not carry a
// resource-version (6135), an update or delete must carry the current one (6130 when absent, 6131 when different).
import { AaiError } from './errors.js';

/** aaiconfig's aai.resourceversion.disabled.uuid: a delete with this value skips the check. */
const RESOURCE_VERSION_BYPASS = '38cf3090-6a0c-4e9d-8142-4332a7352846';

export type ResourceVersionAction = 'create' | 'update' | 'delete';

/**
 * Throws the 412 AAI gives for `given` against `current` ("" or undefined when absent). `subject` ends the detail
 * ("… for update of <subject>"): AAI names the URI on create/update and the node type on delete.
 */
export function verifyResourceVersion(
  action: ResourceVersionAction,
  current: string | undefined,
  given: string | undefined,
  subject: string,
): void {
  const cur = current ?? '';
  const got = given ?? '';
  if (action === 'delete' && got === RESOURCE_VERSION_BYPASS) return;
  if (cur === got) return;
  if (action === 'create') throw new AaiError('6135', `resource-version passed for ${action} of ${subject}`);
  if (got === '') throw new AaiError('6130', `resource-version not passed for ${action} of ${subject}`);
  throw new AaiError('6131', `resource-version MISMATCH for ${action} of ${subject}`);
}
