// What the benchmark and its peers exchange: the inventory the bench writes (each instance's listed objects, as
// k8splugin's database or a kstatus inventory holds them) and the JSON lines a peer prints on stdout.
import { readFileSync, writeFileSync } from 'node:fs';

export interface InventoryEntry {
  /** The instance id (label k8splugin.io/rb-instance-id). */
  instance: string;
  namespace: string;
  objects: Array<{ group: string; version: string; kind: string; name: string }>;
}

/** One line of a peer: an instance's state when it changed, or a marker. `ts` is Unix milliseconds. */
export interface PeerLine {
  ts: number;
  instance?: string;
  /** The peer's own verdict (kstatus: every object Current; k8splugin: the status call's `ready`). */
  ready?: boolean;
  /** kstatus's aggregate status (Current, InProgress, …). */
  status?: string;
  pods?: Array<{ name: string; ready: boolean }>;
  /** Every instance has been looked at once. */
  synced?: boolean;
  /** Counters a peer prints when it stops. */
  stats?: Record<string, number>;
  error?: string;
}

export function writeInventory(file: string, entries: InventoryEntry[]): void {
  writeFileSync(file, JSON.stringify(entries));
}

export function readInventory(file: string): InventoryEntry[] {
  return JSON.parse(readFileSync(file, 'utf8')) as InventoryEntry[];
}

/** A line is an instance reported Ready with a new pod (one `isNew` accepts) Ready among its pods. */
export const showsNewPodReady = (line: PeerLine, instance: string, isNew: (pod: string) => boolean): boolean =>
  line.instance === instance && line.ready === true && !!line.pods?.some((p) => p.ready && isNew(p.name));
