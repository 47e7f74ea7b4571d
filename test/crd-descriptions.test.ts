// The CRDs document themselves: every schema property of every CRD in crds/ (nested ones under items and
// additionalProperties included) and every printer column carries a description, which is what `kubectl explain`
// and `kubectl get -o wide` readers see. And the README's CRD section matches the schema: its example CRs validate,
// its field table names fields that exist, its column table is the CRD's printer columns.
import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { instanceValidator } from '../operator/cli/crd-schema.js';
import { packageRoot } from '../operator/cli/package-root.js';

interface Schema {
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
}

interface PrinterColumn {
  name: string;
  jsonPath: string;
  description?: string;
  priority?: number;
}

interface Crd {
  kind: string;
  metadata: { name: string };
  spec: {
    group: string;
    names: { kind: string };
    versions: Array<{ name: string; additionalPrinterColumns?: PrinterColumn[]; schema: { openAPIV3Schema: Schema } }>;
  };
}

const root = packageRoot();
const crds: Crd[] = readdirSync(join(root, 'crds'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => parse(readFileSync(join(root, 'crds', f), 'utf8')) as Crd)
  .filter((doc) => doc?.kind === 'CustomResourceDefinition');

const child = (path: string, key: string) => (path ? `${path}.${key}` : key);

/**
 * Paths of the schema (when `named`: a property, or the root) and of every property under it, through items and
 * additionalProperties, that have no non-empty description. An items or additionalProperties schema itself is
 * described by the property that holds it.
 */
/** The API server refuses anything but name and generateName under the root's metadata: no description there. */
const ROOT_METADATA = 'metadata';

function undocumented(schema: Schema, path: string, named = true): string[] {
  const own = named && path !== ROOT_METADATA && !schema.description?.trim() ? [path || '(root)'] : [];
  const properties = Object.entries(schema.properties ?? {}).flatMap(([key, s]) => undocumented(s, child(path, key)));
  const items = schema.items ? undocumented(schema.items, `${path}[]`, false) : [];
  const values =
    typeof schema.additionalProperties === 'object'
      ? undocumented(schema.additionalProperties, child(path, '*'), false)
      : [];
  return [...own, ...properties, ...items, ...values];
}

const versions = crds.flatMap((crd) =>
  crd.spec.versions.map((v) => ({ crd, v, label: `${crd.metadata.name} ${v.name}` })),
);

describe('CRD descriptions', () => {
  test('all three CRDs are found', () => {
    expect(crds.map((c) => c.spec.names.kind).sort()).toEqual([
      'ResourceBundleGrant',
      'ResourceBundleInstance',
      'ResourceBundleSubscription',
    ]);
  });

  test('the check finds what lacks a description, at every depth', () => {
    const schema: Schema = {
      properties: {
        a: { description: 'a', properties: { b: {}, c: { description: ' ' } } },
        list: {
          description: 'list',
          items: { properties: { d: {}, e: { description: 'e', items: { properties: { f: {} } } } } },
        },
        map: { description: 'map', additionalProperties: { properties: { g: {} } } },
        plain: { description: 'plain', additionalProperties: true },
      },
    };
    expect(undocumented(schema, '')).toEqual(['(root)', 'a.b', 'a.c', 'list[].d', 'list[].e[].f', 'map.*.g']);
  });

  test.each(versions)('every schema property of $label has a description', ({ v }) => {
    expect(undocumented(v.schema.openAPIV3Schema, '')).toEqual([]);
  });

  test.each(versions)('every printer column of $label has a description', ({ v }) => {
    const bare = (v.additionalPrinterColumns ?? []).filter((c) => !c.description?.trim()).map((c) => c.name);
    expect(bare).toEqual([]);
  });
});

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const start = readme.indexOf('\n## The ResourceBundleInstance CRD\n');
const crdSection = readme.slice(start, readme.indexOf('\n## ', start + 1));

/** The objects of the README's ```yaml blocks that are CRs of our CRDs. */
const examples = [...readme.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)]
  .flatMap((m) => parseAllDocuments(m[1]!).map((d) => d.toJS() as unknown))
  .filter((o): o is { apiVersion?: string; kind: string; metadata?: { name?: string } } => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) return false;
    const kind = (o as { kind?: unknown }).kind;
    return crds.some((c) => c.spec.names.kind === kind);
  });

/** A validator of the CRD's schema for `kind`: the operator's own for instances (CEL rules too), else plain ajv. */
function validatorFor(kind: string): (obj: unknown) => string[] {
  if (kind === 'ResourceBundleInstance') return instanceValidator();
  const crd = crds.find((c) => c.spec.names.kind === kind)!;
  const version = crd.spec.versions[0]!;
  const validate = new Ajv({
    strict: false,
    allErrors: true,
    formats: { 'date-time': true, int64: true, int32: true },
  }).compile(version.schema.openAPIV3Schema);
  const apiVersion = `${crd.spec.group}/${version.name}`;
  return (obj) => {
    const o = obj as { apiVersion?: string };
    const head = o.apiVersion === apiVersion ? [] : [`apiVersion: must be ${apiVersion}, got ${o.apiVersion}`];
    const errors = validate(obj)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'}: ${e.message}`);
    return [...head, ...errors];
  };
}

/** The schema at a README field path such as `spec.aai` or `status.resources[]`. */
function schemaAt(schema: Schema, path: string): Schema | undefined {
  let at: Schema | undefined = schema;
  for (const part of path.split('.')) {
    const [key, list] = part.endsWith('[]') ? [part.slice(0, -2), true] : [part, false];
    at = at?.properties?.[key];
    if (list) at = at?.items;
  }
  return at;
}

describe('README: The ResourceBundleInstance CRD', () => {
  const rbi = crds.find((c) => c.spec.names.kind === 'ResourceBundleInstance')!.spec.versions[0]!;

  test('the README has example CRs, an instance among them', () => {
    expect(examples.map((e) => e.kind)).toContain('ResourceBundleInstance');
  });

  test.each(examples.map((e) => [`${e.kind} ${e.metadata?.name ?? '?'}`, e] as const))(
    'example %s validates against its CRD',
    (_, obj) => {
      expect(validatorFor(obj.kind)(structuredClone(obj))).toEqual([]);
    },
  );

  test('every field the field table names exists in the schema', () => {
    const rows = [...crdSection.matchAll(/^\| (`(?:spec|status)\.[^|]*?) \|/gm)].map((m) => m[1]!);
    const paths = rows.flatMap((cell) => [...cell.matchAll(/`((?:spec|status)\.[A-Za-z.[\]]+)`/g)].map((m) => m[1]!));
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((p) => !schemaAt(rbi.schema.openAPIV3Schema, p))).toEqual([]);
  });

  test('the column table is the CRD printer columns: names, -o wide, jsonPaths', () => {
    const documented = [...crdSection.matchAll(/^\| `([A-Z-]+)`( \(`-o wide`\))? \| [^|]+ \| `([^`]+)` \|$/gm)].map(
      (m) => [m[1], !!m[2], m[3]],
    );
    const columns = (rbi.additionalPrinterColumns ?? []).map((c) => [
      c.name.toUpperCase(),
      (c.priority ?? 0) > 0,
      c.jsonPath,
    ]);
    expect(documented).toEqual(columns);
  });
});
