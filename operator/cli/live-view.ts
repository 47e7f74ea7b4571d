// Shared by `rbi tree` and `rbi status <instance>`: read the instance from the cluster, draw it with a pure view
// (mappers/instance/), print the lines. Exit 0 whatever the instance's state, as kubectl tree and rbi status -f do.
import type { TextStyle } from '../../mappers/instance/table.js';
import { useColor, type ColorWhen } from './color.js';
import { readLiveInstance, type ClusterFlags, type LiveInstance } from './live-instance.js';

/** Where the lines go, and what decides colour. */
export interface Terminal {
  out(line: string): void;
  err(line: string): void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export interface LiveViewFlags extends ClusterFlags {
  color: ColorWhen;
}

/** A view: the lines for an instance read live. */
export type View = (live: LiveInstance, style: TextStyle) => string[];

export const processTerminal = (): Terminal => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  isTTY: !!process.stdout.isTTY,
  env: process.env,
});

export async function showLive(name: string, flags: LiveViewFlags, view: View, term: Terminal): Promise<void> {
  const live = await readLiveInstance(name, flags, term.err, term.env);
  for (const line of view(live, { color: useColor(flags.color, term.isTTY, term.env) })) term.out(line);
}
