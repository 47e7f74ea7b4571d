// The intent of an instance in AAI (pure): the records that may exist there because of us, kept in status.aai.records
// so a crash, a restart or a new leader never forgets one (the delete list). Its size policy:
// - a sync adds a path only just before the write that could create it, never while AAI cannot be read (an outage
//   with pod churn adds nothing);
// - every attempt reads the delete list back first, and paths AAI no longer holds drop out;
// - a successful sync compacts it to exactly the desired records.
// So it never holds more than the desired records plus the records of ours AAI still holds.

/** The delete list for a write: the desired paths, then those still in AAI that the write deletes. */
export function intentFor(desired: readonly string[], stillThere: readonly string[]): string[] {
  return [...new Set([...desired, ...stillThere])];
}

/** True when every path of `wanted` is already in `persisted` (no durable write needed before the AAI write). */
export function coveredBy(wanted: readonly string[], persisted: readonly string[] | undefined): boolean {
  const have = new Set(persisted ?? []);
  return wanted.every((p) => have.has(p));
}
