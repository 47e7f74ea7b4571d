// `rbi status -f <path|-> [--now <RFC3339>] [--instance <path>]`: one JSON line per input object, in input order,
// and with --instance one last line for the instance. `rbi status <instance> [-n NS]`: that instance's status as the
// operator wrote it, read from the cluster (mappers/instance/summary.ts draws it). Exit 0 whatever the statuses.
import type { Command } from 'commander';
import { renderSummary } from '../../mappers/instance/summary.js';
import { evaluateInstance } from '../../mappers/status/instance.js';
import { contextFor, type BaseContext } from '../../mappers/status/context.js';
import { evaluate } from '../../mappers/status/registry.js';
import { snapshotFromObjects } from '../../mappers/status/snapshot.js';
import { DEFAULT_OPTIONS, DEFAULT_WINDOWS } from '../../mappers/status/windows.js';
import type { KubeObject } from '../../mappers/status/types.js';
import { API_VERSION, KIND, type ResourceBundleInstance } from '../../mappers/instance/types.js';
import { instanceValidator } from './crd-schema.js';
import { loadOverrides } from './status-overrides.js';
import { colorOption } from './color.js';
import { UsageError } from './errors.js';
import { declareClusterFlags } from './live-instance.js';
import { processTerminal, showLive, type LiveViewFlags } from './live-view.js';
import { parseObjects, readInput } from './read-objects.js';

/** The built-in status override rules, loaded once. */
let builtin: ReturnType<typeof loadOverrides> | undefined;
export const loadBuiltinOverrides = () => (builtin ??= loadOverrides());

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

export function addStatusCommand(program: Command, out: (line: string) => void): void {
  // Two modes: `status <instance>` reads the operator's verdicts from the cluster; `status -f` runs the rules on files.
  declareClusterFlags(
    program
      .command('status')
      .description(
        "an instance's status from the cluster (summary, conditions, failing objects and pods first); with -f, " +
          'summarize objects from files to Ready | Pending | Failed (one JSON line per object)',
      )
      .argument('[instance]', 'the ResourceBundleInstance to read from the cluster')
      .option('-f, --filename <path>', 'YAML or JSON objects (multi-document, List); "-" reads standard input')
      .option('--now <RFC3339>', '-f: pin the clock used by time-based rules')
      .option('--instance <path>', '-f: a ResourceBundleInstance file: adds one last line for the whole instance'),
  )
    .addOption(colorOption())
    .action((name: string | undefined, opts: StatusArgs & LiveViewFlags & { filename?: string }) => {
      if (name !== undefined && opts.filename !== undefined)
        throw new UsageError('status: give an instance name (read from the cluster) or -f <path> (files), not both');
      if (name !== undefined && (opts.now !== undefined || opts.instance !== undefined))
        throw new UsageError('status: --now and --instance go with -f');
      if (name !== undefined)
        return showLive(name, opts, ({ instance }, style) => renderSummary(instance, style), processTerminal());
      if (opts.filename === undefined)
        throw new UsageError('status: give an instance name (read from the cluster) or -f <path> (files)');
      runStatus({ ...opts, filename: opts.filename }, out);
    });
}
