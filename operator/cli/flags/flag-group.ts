// A concern's command-line flags: it declares them on the command and parses them into its options, throwing a
// UsageError (one line, exit 2) for a bad value. `rbi operator` composes the groups and parses all of them before
// anything connects or listens.
import type { Command } from 'commander';
import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';

export interface FlagGroup<T> {
  declare(cmd: Command): Command;
  /** `flags` is commander's parsed options (camelCase keys). */
  parse(flags: Record<string, unknown>): T;
}

/** A duration flag ("90s", "2m"); `flag` names it in the error. */
export function durationFlag(flag: string, value: unknown): number {
  try {
    return parseDuration(String(value));
  } catch (err) {
    throw new UsageError(`--${flag}: ${(err as Error).message}`);
  }
}

export function positiveIntFlag(flag: string, value: unknown): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${flag}: expected a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

/** A comma-separated list; empty entries dropped. */
export const listFlag = (value: unknown): string[] =>
  String(value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Go-style text of a default duration. */
export const seconds = (ms: number) => `${ms / 1000}s`;

/** An optional string flag. */
export const optional = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
