// Which callback URLs the operator may POST to (pure). A subscription makes the operator send requests from inside
// the cluster: --notify-allowed-urls limits them to known receivers (URL prefixes, e.g. SO's cnf-adapter), so a
// tenant cannot aim the operator at other in-cluster services. Empty: any http(s) URL (k8splugin's behaviour).

/** Why the operator will not call `url`, or undefined. */
export function callbackRefusal(url: string, allowedPrefixes: readonly string[]): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `callback-url is not a URL: ${JSON.stringify(url)}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `callback-url must be http or https, not ${parsed.protocol.replace(/:$/, '')}`;
  if (parsed.username || parsed.password) return 'callback-url must not carry credentials';
  if (allowedPrefixes.length > 0 && !allowedPrefixes.some((p) => parsed.href.startsWith(p)))
    return `callback-url ${parsed.href} is not under an allowed prefix (--notify-allowed-urls)`;
  return undefined;
}
