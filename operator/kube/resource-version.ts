// resourceVersions are opaque by contract; the API server's are etcd revisions, so where both are integers they are
// compared, and otherwise nothing is assumed.

/** resourceVersion a is newer than b (unknown → false). */
export function newerVersion(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return BigInt(a) > BigInt(b);
}
