// Cross-checks our AAI JSON schemas (mappers/aai/schemas.ts) against the official AAI OXM v32
// (../shared/aai-schema/aai_oxm_v32.xml, beside the checkout in CI; never copied into the repo): every field we
// send exists on the type, and every field AAI requires (keys included) is required by our schema.
import { describe, expect, test } from '@jest/globals';
import { XMLParser } from 'fast-xml-parser';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AAI_SCHEMAS, type AaiSchema } from '../mappers/aai/schemas.js';
import { packageRoot } from '../operator/cli/package-root.js';

const OXM = join(packageRoot(), '..', 'shared', 'aai-schema', 'aai_oxm_v32.xml');

interface OxmElement {
  '@_name': string;
  '@_required'?: string;
  '@_xml-key'?: string;
}

interface OxmType {
  '@_name': string;
  'java-attributes'?: { 'xml-element'?: OxmElement[] };
}

function loadTypes(): Map<string, OxmElement[]> {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    isArray: (name) => ['java-type', 'xml-element'].includes(name),
  });
  const doc = parser.parse(readFileSync(OXM, 'utf8'));
  const types = doc['xml-bindings']['java-types']['java-type'] as OxmType[];
  return new Map(types.map((t) => [t['@_name'], t['java-attributes']?.['xml-element'] ?? []]));
}

const run = existsSync(OXM) ? describe : describe.skip;

run('AAI schemas against the OXM v32', () => {
  const types = existsSync(OXM) ? loadTypes() : new Map<string, OxmElement[]>();
  const entries = Object.entries(AAI_SCHEMAS) as Array<[string, AaiSchema]>;

  test('the OXM has the types we write', () => {
    for (const [, s] of entries) expect(types.has(s.oxmType)).toBe(true);
  });

  test.each(entries)('%s: every property exists on the OXM type', (_, s) => {
    const names = new Set(types.get(s.oxmType)!.map((e) => e['@_name']));
    const props = Object.keys((s.schema as { properties: Record<string, unknown> }).properties);
    expect(props.filter((p) => !names.has(p))).toEqual([]);
  });

  test.each(entries.filter(([, s]) => !s.partial))(
    '%s: every field the OXM requires (and every key) is required',
    (_, s) => {
      const required = new Set((s.schema as { required: string[] }).required);
      const oxmRequired = types
        .get(s.oxmType)!
        .filter((e) => e['@_required'] === 'true' || e['@_xml-key'] === 'true')
        .map((e) => e['@_name']);
      expect(oxmRequired.filter((r) => !required.has(r))).toEqual([]);
    },
  );

  test('k8s-resource: keyed by id, and its required set is exactly the OXM one', () => {
    const elements = types.get('K8sResource')!;
    expect(elements.filter((e) => e['@_xml-key'] === 'true').map((e) => e['@_name'])).toEqual(['id']);
    const oxmRequired = elements
      .filter((e) => e['@_required'] === 'true')
      .map((e) => e['@_name'])
      .sort();
    expect([...AAI_SCHEMAS['k8s-resource'].schema.required].sort()).toEqual(oxmRequired);
  });
});
