// `rbi status -f <path|-> [--now <RFC3339>] [--instance <path>]`: one JSON line per input object, in input order,
// and with --instance one last line for the instance. Exit 0 whatever the statuses.
import { evaluateInstance } from '../../mappers/status/instance.js';
import { contextFor, type BaseContext } from '../../mappers/status/context.js';
import { evaluate } from '../../mappers/status/registry.js';
import { snapshotFromObjects } from '../../mappers/status/snapshot.js';
import { DEFAULT_OPTIONS, DEFAULT_WINDOWS } from '../../mappers/status/windows.js';
import type { KubeObject } from '../../mappers/status/types.js';
import { API_VERSION, KIND, type ResourceBundleInstance } from '../../mappers/instance/types.js';
import { instanceValidator } from './crd-schema.js';
import { loadOverrides } from './status-overrides.js';

/** The built-in status override rules, loaded once. */
let builtin: ReturnType<typeof loadOverrides> | undefined;
export const loadBuiltinOverrides = () => (builtin ??= loadOverrides());
import { UsageError } from './errors.js';
import { parseObjects, readInput } from './read-objects.js';

export interface StatusArgs {
  filename: string;
  now?: string;
  instance?: string;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function parseNow(value: string | undefined, clock: () => Date): Date {
  if (value === undefined) return clock();
  const ms = Date.parse(value);
  if (!RFC3339.test(value) || Number.isNaN(ms))
    throw new UsageError(`--now: not an RFC 3339 time: ${JSON.stringify(value)} (example: 2026-01-01T12:00:00Z)`);
  return new Date(ms);
}

export const sourceName = (path: string) => (path === '-' ? 'standard input' : path);

/** Reads and validates one ResourceBundleInstance (exit 2 with one line when it is not valid). */
export function readInstanceFile(path: string): ResourceBundleInstance {
  const objects = parseObjects(readInput(path), sourceName(path));
  if (objects.length !== 1)
    throw new UsageError(
      `${sourceName(path)}: expected exactly one ResourceBundleInstance, found ${objects.length} objects`,
    );
  const errors = instanceValidator()(objects[0]);
  if (errors.length > 0)
    throw new UsageError(`${sourceName(path)}: invalid ResourceBundleInstance: ${errors.join('; ')}`);
  return objects[0] as ResourceBundleInstance;
}

export function runStatus(args: StatusArgs, write: (line: string) => void, clock: () => Date = () => new Date()): void {
  const now = parseNow(args.now, clock);
  if (args.filename === '-' && args.instance === '-')
    throw new UsageError('-f and --instance cannot both read standard input');
  const instance = args.instance !== undefined ? readInstanceFile(args.instance) : undefined;
  const objects: KubeObject[] = parseObjects(readInput(args.filename), sourceName(args.filename));
  const snap = snapshotFromObjects(objects);
  const base: BaseContext = {
    now,
    windows: { ...DEFAULT_WINDOWS },
    options: { ...DEFAULT_OPTIONS, overrides: loadBuiltinOverrides() },
  };

  for (const obj of objects) {
    const s = evaluate(obj, contextFor(obj, snap, base));
    write(
      JSON.stringify({
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        namespace: obj.metadata?.namespace ?? '',
        name: obj.metadata?.name ?? '',
        status: s.state,
        reason: s.reason,
        message: s.message,
        flags: s.flags,
      }),
    );
  }
  if (instance) {
    const r = evaluateInstance(instance, snap, base);
    write(
      JSON.stringify({
        apiVersion: API_VERSION,
        kind: KIND,
        namespace: instance.metadata?.namespace ?? '',
        name: instance.metadata?.name ?? '',
        status: r.state,
        reason: r.reason,
        message: r.message,
        readyCount: r.readyCount,
        resourceCount: r.resourceCount,
      }),
    );
  }
}
