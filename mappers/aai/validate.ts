// Validates AAI payloads against our schemas (schemas.ts) before they are sent.
import { Ajv, type ValidateFunction } from 'ajv';
import { AAI_SCHEMAS, type AaiSchemaName } from './schemas.js';

const ajv = new Ajv({ allErrors: true, strict: true });
const compiled = new Map<AaiSchemaName, ValidateFunction>();

/** Readable problems with `body` as an AAI `type` ("labels[0]: must be string"); empty when valid. */
export function validateAai(type: AaiSchemaName, body: unknown): string[] {
  let fn = compiled.get(type);
  if (!fn) compiled.set(type, (fn = ajv.compile(AAI_SCHEMAS[type].schema)));
  if (fn(body)) return [];
  return (fn.errors ?? []).map((e) => {
    const where =
      e.instancePath
        .replace(/^\//, '')
        .replace(/\/(\d+)/g, '[$1]')
        .replace(/\//g, '.') || type;
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})`
        : '';
    return `${where}: ${e.message ?? e.keyword}${extra}`;
  });
}
