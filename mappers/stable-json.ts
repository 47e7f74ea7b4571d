// Canonical JSON (keys sorted at every depth, arrays kept in order): equal values give equal text, whatever the key
// order. Used to compare statuses before writing them and to fingerprint AAI inventories.

/** JSON with sorted keys, for comparing statuses regardless of key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
