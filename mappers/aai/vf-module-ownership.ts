// Does the vf-module belong to this instance (pure)? ONAP SO records the k8splugin instance id as the vf-module's
// heat-stack-id (../shared/design/onap-aai.md §1.7, §2.1): before linking records to a vf-module or patching its
// operational-status, that id must be this instance's. A mismatch is always refused; a vf-module without a
// heat-stack-id follows the operator's setting (SO may not have written it yet: refusing retries until it has).
export type MissingStackId = 'refuse' | 'allow';

export const MISSING_STACK_ID_MODES: readonly MissingStackId[] = ['refuse', 'allow'];

/** Why the sync may not touch the vf-module, or undefined when it belongs to the instance. */
export function vfModuleOwnershipProblem(
  vfModule: Record<string, unknown>,
  vfModulePath: string,
  instanceId: string,
  missing: MissingStackId,
): string | undefined {
  const stackId = vfModule['heat-stack-id'];
  if (stackId === undefined || stackId === '') {
    return missing === 'allow'
      ? undefined
      : `vf-module ${vfModulePath} has no heat-stack-id: it is not known to belong to instance ${instanceId} (--aai-vf-module-without-stack-id=allow links it anyway)`;
  }
  if (stackId !== instanceId)
    return `vf-module ${vfModulePath} belongs to instance ${String(stackId)} (its heat-stack-id), not to ${instanceId}: not linked, operational-status not patched`;
  return undefined;
}
