// POST /aai/<v>/bulk/single-transaction (onap-aai.md §4.5, BulkSingleTransactionConsumer): up to 30 put/patch/delete
// operations on version-relative URIs, applied in order on one transaction that commits only if every one succeeds.
// A URI ending in /relationship-list/relationship is an edge operation; deletes carry ?resource-version= in the URI.
import { AaiError } from './errors.js';
import { displayPath as restDisplayPath } from './paths.js';
import { aaiMethodName, applyWrite, type WriteMethodName } from './resource-requests.js';
import type { AaiGraph } from './store.js';

/** aai.bulkconsumer.payloadlimit (X-OverrideLimit is disabled, as by default). */
const BULK_OPERATION_LIMIT = 30;

const ACTIONS: Record<string, WriteMethodName> = { put: 'PUT', patch: 'PATCH', delete: 'DELETE' };

interface BulkOperation {
  action: string;
  uri: string;
  body: unknown;
}

export interface OperationResponse {
  action: string;
  uri: string;
  'response-status-code': number;
  'response-body': null;
}

export interface BulkResult {
  status: number;
  body: { 'operation-responses': OperationResponse[] };
}

function readOperations(payload: unknown): BulkOperation[] {
  const ops = (payload as { operations?: unknown } | null)?.operations;
  if (
    typeof payload !== 'object' ||
    payload === null ||
    Array.isArray(payload) ||
    (ops !== undefined && !Array.isArray(ops))
  )
    throw new AaiError('6111', 'input payload does not follow /bulk/single-transaction interface');
  if (!ops || ops.length === 0) throw new AaiError('6118', ' Payload has no objects to operate on');
  if (ops.length > BULK_OPERATION_LIMIT) throw new AaiError('6147', ` Allowed limit = ${BULK_OPERATION_LIMIT}`);
  const problems: string[] = [];
  ops.forEach((op: unknown, i) => {
    const o = (typeof op === 'object' && op !== null ? op : {}) as Record<string, unknown>;
    if (typeof o.action !== 'string' || o.action === '') problems.push(`Operation ${i} missing 'action'`);
    else if (!ACTIONS[o.action]) problems.push(`Operation ${i} has invalid action '${o.action}'`);
    if (typeof o.uri !== 'string' || o.uri === '') problems.push(`Operation ${i} missing 'uri'`);
    // AAI requires a body on every operation, deletes included ({} will do).
    if (o.body === undefined || o.body === null) problems.push(`Operation ${i} missing 'body'`);
  });
  if (problems.length > 0)
    throw new AaiError('6111', `input payload missing required properties. [${problems.join(', ')}]`);
  return ops as BulkOperation[];
}

/**
 * Runs the transaction on `graph`. A failing operation rolls everything back and is reported as AAI_3000 naming its
 * index, method, URI, status and error, with the failing operation's HTTP status.
 */
export function singleTransaction(graph: AaiGraph, version: string, payload: unknown): BulkResult {
  const ops = readOperations(payload);
  const responses = graph.transaction((tx) =>
    ops.map((op, i): OperationResponse => {
      const method = ACTIONS[op.action]!;
      const [path = '', queryString = ''] = op.uri.split('?');
      const relative = path.startsWith('/') ? path : `/${path}`;
      try {
        const status = applyWrite(tx, {
          method,
          version,
          relative,
          query: new URLSearchParams(queryString),
          body: op.body,
          // In bulk, AAI names the operation's URI as given (with its leading "/").
          displayPath: `/${restDisplayPath(relative)}`,
        });
        return { action: op.action, uri: op.uri, 'response-status-code': status, 'response-body': null };
      } catch (err) {
        if (!(err instanceof AaiError)) throw err;
        throw new AaiError(
          '3000',
          `Operation ${i} with action (${aaiMethodName(method, relative)}) on uri (${path}) failed with status code ` +
            `(${err.status}), error code (${err.codeString}) and msg (${err.messageVariable})`,
          [],
          err.status,
        );
      }
    }),
  );
  return { status: 201, body: { 'operation-responses': responses } };
}
