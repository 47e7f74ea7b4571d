// What AAI checks before it looks at a request (onap-aai.md §4.1): basic auth (401), X-FromAppId (AAI_4009) and
// X-TransactionId or one of its aliases (AAI_4010), an Accept it can answer (AAI_4014), and the body's Content-Type.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { AaiError } from './errors.js';

export interface BasicUser {
  user: string;
  password: string;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
};

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** AAI_3302 (401) unless the Authorization header names one of `users`; no users means no authentication. */
export function checkBasicAuth(headers: IncomingHttpHeaders, users: readonly BasicUser[]): AaiError | undefined {
  if (users.length === 0) return undefined;
  const m = /^Basic\s+(\S+)$/i.exec(header(headers, 'authorization') ?? '');
  if (!m) return new AaiError('3302', 'Basic authentication required');
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = decoded.slice(0, colon < 0 ? undefined : colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  const ok = users.some((u) => sameText(u.user, user) && sameText(u.password, password));
  return ok ? undefined : new AaiError('3302', `bad credentials for user ${user}`);
}

/**
 * The caller's application id. X-SourceOfTruth wins, then X-ONAP-PartnerName unless it reads "AAI.…" (AAI calling
 * itself), then X-FromAppId.
 */
function fromAppId(headers: IncomingHttpHeaders): string | undefined {
  const sourceOfTruth = header(headers, 'x-sourceoftruth');
  if (sourceOfTruth) return sourceOfTruth;
  const partner = header(headers, 'x-onap-partnername');
  if (partner) {
    const [component, ...rest] = partner.split('.');
    if (rest.length === 0) return partner;
    if (component!.toUpperCase() !== 'AAI') return component;
  }
  return header(headers, 'x-fromappid');
}

/** X-TransactionId, or X-ONAP-RequestID, X-RequestID, X-ECOMP-RequestID. */
export function transactionId(headers: IncomingHttpHeaders): string | undefined {
  return (
    header(headers, 'x-onap-requestid') ??
    header(headers, 'x-requestid') ??
    header(headers, 'x-transactionid') ??
    header(headers, 'x-ecomp-requestid')
  );
}

/** The header checks AAI's HeaderValidation and Accept handling make, in their order. */
export function checkAaiHeaders(headers: IncomingHttpHeaders): AaiError | undefined {
  if (!fromAppId(headers)) return new AaiError('4009');
  if (!transactionId(headers)) return new AaiError('4010');
  const accept = header(headers, 'accept');
  const answerable = new Set(['*/*', 'application/*', 'application/json', 'application/xml']);
  const ranges = (accept ?? '*/*').split(',').map((r) => r.split(';')[0]!.trim().toLowerCase());
  if (!ranges.some((r) => answerable.has(r))) return new AaiError('4014', `cannot answer Accept: ${accept}`);
  return undefined;
}

/** A body must be JSON (merge-patch JSON for PATCH); 415 with a requestError body otherwise. */
export function checkContentType(method: string, headers: IncomingHttpHeaders): AaiError | undefined {
  const type = (header(headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const wanted = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  if (type === wanted) return undefined;
  return new AaiError('3000', `${method} needs Content-Type ${wanted}, got ${type || 'none'}`, [], 415);
}
