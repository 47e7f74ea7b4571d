// Loads the ResourceBundleInstance CRD shipped with the package and builds the instance validator from it, so
// the CLI checks input exactly against what the API server enforces.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { compileInstanceValidator, type InstanceValidator } from '../../mappers/instance/validate.js';
import { VERSION } from '../../mappers/instance/types.js';
import { packageRoot } from './package-root.js';

const CRD_FILE = 'crds/resourcebundleinstances.yaml';

interface CrdVersion {
  name: string;
  schema?: { openAPIV3Schema?: object };
}

export function loadCrd(): { spec: { versions: CrdVersion[] } } {
  return parse(readFileSync(join(packageRoot(), CRD_FILE), 'utf8'));
}

function instanceSchema(): object {
  const version = loadCrd().spec.versions.find((v) => v.name === VERSION);
  const schema = version?.schema?.openAPIV3Schema;
  if (!schema) throw new Error(`${CRD_FILE} has no openAPIV3Schema for ${VERSION}`);
  return schema;
}

let validator: InstanceValidator | undefined;

export function instanceValidator(): InstanceValidator {
  validator ??= compileInstanceValidator(instanceSchema());
  return validator;
}
