// `rbi import [file|-] [--namespace NS] [--name NAME]`: a k8splugin instance (InstanceResponse JSON, resources as
// {GVK:{Group,Version,Kind}, Name}) → a ResourceBundleInstance as YAML on stdout, ready for `kubectl apply -f -`.
import { stringify } from 'yaml';
import { importInstance } from '../../mappers/k8splugin/import.js';
import { instanceValidator } from './crd-schema.js';
import { UsageError } from './errors.js';
import { readInput } from './read-objects.js';
import { sourceName } from './status-command.js';

export interface ImportArgs {
  file?: string;
  namespace?: string;
  name?: string;
}

export function runImport(args: ImportArgs, write: (text: string) => void): void {
  const file = args.file ?? '-';
  const source = sourceName(file);
  let body: unknown;
  try {
    body = JSON.parse(readInput(file));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${source}: not JSON: ${(err as Error).message}`);
  }
  let rbi;
  try {
    rbi = importInstance(body, {
      ...(args.namespace ? { namespace: args.namespace } : {}),
      ...(args.name ? { name: args.name } : {}),
    });
  } catch (err) {
    throw new UsageError(`${source}: ${(err as Error).message}`);
  }
  const errors = instanceValidator()(rbi);
  if (errors.length > 0) throw new UsageError(`${source}: the instance would be invalid: ${errors.join('; ')}`);
  write(stringify(rbi));
}
