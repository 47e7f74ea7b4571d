// Validates a ResourceBundleInstance the way the API server would: the CRD's openAPIV3Schema (ajv, with its
// defaults applied), plus the rules the schema expresses in CEL and the operator's duplicate check, which ajv does not know.
// Messages read like the API server's: "<field path>: <what is wrong>".
import { Ajv, type ErrorObject } from 'ajv';
import { duplicateResources } from './duplicate-resources.js';
import { API_VERSION, GROUP, KIND, type ResourceBundleInstance } from './types.js';

export type InstanceValidator = (obj: unknown) => string[];

function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

function describeError(e: ErrorObject): string {
  const path = fieldPath(e.instancePath);
  const at = (suffix?: string) => [path, suffix].filter(Boolean).join('.') || '(root)';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${at(String(p.missingProperty))}: Required value`;
    case 'minLength':
      return p.limit === 1 ? `${at()}: must not be empty` : `${at()}: must be at least ${p.limit} characters long`;
    case 'maxLength':
      return `${at()}: must be at most ${p.limit} characters long`;
    case 'pattern':
      return `${at()}: invalid value, must match ${p.pattern}`;
    case 'enum':
      return `${at()}: Unsupported value, supported values: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${at()}: must be of type ${p.type}`;
    case 'maxItems':
      return `${at()}: must have at most ${p.limit} items`;
    default:
      return `${at()}: ${e.message ?? e.keyword}`;
  }
}

/**
 * The rules the CRD states with x-kubernetes-validations (CEL), and the operator's own check for duplicate entries
 * (Stalled DuplicateResource), which ajv does not know.
 */
function crdRules(rbi: ResourceBundleInstance): string[] {
  const errors: string[] = duplicateResources(rbi);
  (rbi.spec?.resources ?? []).forEach((r, i) => {
    if (!r || typeof r !== 'object') return;
    if ((r.group ?? '') === GROUP && r.kind === KIND)
      errors.push(`spec.resources[${i}]: an instance cannot list another ResourceBundleInstance`);
  });
  const aai = rbi.spec?.aai;
  const keys: Array<[string, unknown]> = [
    ['spec.cloudRegion', rbi.spec?.cloudRegion],
    ...(['cloudOwner', 'tenantId', 'genericVnfId', 'vfModuleId'] as const).map((k): [string, unknown] => [
      `spec.aai.${k}`,
      aai?.[k],
    ]),
  ];
  for (const [path, value] of keys)
    if (value === '.' || value === '..')
      errors.push(`${path}: Invalid value: must not be . or .. (it becomes an AAI path segment)`);
  if (aai && aai.vfModuleId !== undefined && aai.genericVnfId === undefined) {
    errors.push('spec.aai: vfModuleId needs genericVnfId (a vf-module lives under its generic-vnf in AAI)');
  }
  return errors;
}

/**
 * Compiles a validator from the CRD's openAPIV3Schema. The validator applies schema defaults to the object in
 * place (as the API server does) and returns readable messages, empty when valid.
 */
export function compileInstanceValidator(openAPIV3Schema: object): InstanceValidator {
  // strict: false ignores the x-kubernetes-* keywords; formats are informational for us (the API server checks them).
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    useDefaults: true,
    formats: { 'date-time': true, int64: true },
  });
  const validate = ajv.compile(openAPIV3Schema);
  return (obj) => {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return ['(root): must be an object'];
    const o = obj as Partial<ResourceBundleInstance>;
    const head: string[] = [];
    if (o.apiVersion !== API_VERSION)
      head.push(`apiVersion: must be ${API_VERSION}, got ${JSON.stringify(o.apiVersion ?? null)}`);
    if (o.kind !== KIND) head.push(`kind: must be ${KIND}, got ${JSON.stringify(o.kind ?? null)}`);
    if (head.length > 0) return head;
    const errors = validate(obj) ? [] : (validate.errors ?? []).map(describeError);
    return [...new Set([...errors, ...crdRules(obj as ResourceBundleInstance)])];
  };
}
